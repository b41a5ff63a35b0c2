import type { HostContext } from "./facts";
import type { CheckDef, CheckGroup, CheckResult } from "./types";
import { HARDWARE_CHECKS } from "./hardware";
import { KERNEL_CHECKS, hardwareIommu } from "./kernel";
import { PACKAGE_CHECKS } from "./packages";
import { SRIOV_CHECKS } from "./sriov";
import { OVS_CHECKS } from "./ovs";
import { NETWORK_CHECKS } from "./network";
import { SECURITY_CHECKS, SECURITY_REFUSING_IDS } from "./migration-security";
import { sameFirmware } from "./pair";
import { _ } from "../lib/cockpit";
import { unlessReading } from "./reading";

export const HOST_CHECKS: CheckDef<HostContext>[] = [
    ...HARDWARE_CHECKS, ...KERNEL_CHECKS, ...PACKAGE_CHECKS, ...SRIOV_CHECKS, ...OVS_CHECKS, ...NETWORK_CHECKS,
    ...SECURITY_CHECKS,
];

export const GROUPS: { id: CheckGroup; title: () => string }[] = [
    { id: "hardware", title: () => _("Hardware & firmware") },
    { id: "kernel", title: () => _("Kernel & IOMMU") },
    { id: "packages", title: () => _("Packages & services") },
    { id: "sriov", title: () => _("SR-IOV & switchdev") },
    { id: "ovs", title: () => _("Open vSwitch") },
    { id: "libvirt", title: () => _("Libvirt & network") },
];

export function evaluateHost(ctx: HostContext): CheckResult[] {
    return HOST_CHECKS.map(c => c.evaluate(ctx));
}

/** The verdicts of the checks whose facts have all come; a check that needs a fact still being read has none yet. */
export function evaluateHostSoFar(ctx: HostContext): CheckResult[] {
    return HOST_CHECKS.flatMap(c => unlessReading(x => c.evaluate(x), ctx) ?? []);
}

export { PAIR_CHECKS } from "./pair";

/**
 * Their failure stops the wizard: no preparation step fixes them (the admin's TLS or SASL set-up, a firmware
 * update, the IOMMU in the firmware setup).
 */
export const REFUSING_CHECK_IDS: readonly string[] = [...SECURITY_REFUSING_IDS, sameFirmware.id, hardwareIommu.id];
export { unlessReading } from "./reading";
export type { PairContext } from "./pair";
