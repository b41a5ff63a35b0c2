/* Hosts for the step tests: the status page's ready host (test/unit/checks/fixtures.ts), and a freshly installed
 * one derived from it — as the fresh-pair scenario describes: no mstflint, no Open vSwitch, VF migration off in the
 * firmware, IOMMU off, legacy e-switch, no VF, TLS socket off, migration ports closed. */
import type { HostFacts, NicFacts } from "../../../src/checks/facts";
import type { PrepareOptions, StepContext } from "../../../src/steps/types";
import { DEFAULT_OPTIONS, contextFromFacts } from "../../../src/steps";
import { facts, k, nic, rule, vf } from "../checks/fixtures";

export { facts, k, nic, rule, vf };

const MST_FRESH = "         VF_MIGRATION_MODE                   DEVICE_DEFAULT(0)     DEVICE_DEFAULT(0)     DEVICE_DEFAULT(0)\n";

export function freshNic(over: Partial<NicFacts> = {}): NicFacts {
    return nic({
        params: k({
            VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "DEVICE_DEFAULT(0)" },
            SRIOV_EN: { name: "SRIOV_EN", current: "True(1)", nextBoot: "True(1)" },
            NUM_OF_VFS: { name: "NUM_OF_VFS", current: "8", nextBoot: "8" },
            LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "ETH(2)", nextBoot: "ETH(2)" },
        }, ["mstconfig", "-d", "0000:e1:00.0", "-e", "query"], MST_FRESH),
        eswitchMode: k("legacy", ["devlink", "-j", "dev", "eswitch", "show", "pci/0000:e1:00.0"], '{"dev":{"pci/0000:e1:00.0":{"mode":"legacy"}}}'),
        numVfs: 0,
        vfs: [],
        migratableSupported: { known: false, reason: "no VF port to look at yet", evidence: [] },
        ...over,
    });
}

/** mstflint is installed already (its facts are readable), the rest is fresh. */
export function fresh(over: Partial<HostFacts> = {}): HostFacts {
    return facts({
        nics: k([freshNic()]),
        cmdline: k(["BOOT_IMAGE=(hd0,gpt2)/vmlinuz", "ro", "crashkernel=1G-4G:192M"]),
        nextBootArgs: k(["ro", "crashkernel=1G-4G:192M"]),
        iommuActive: k(false),
        hardwareIommu: k("warn"),
        packages: k({ NetworkManager: "1.48.10-5.el9_5" }),
        units: k({
            "virtqemud.socket": { activeState: "active", unitFileState: "enabled" },
            "virtproxyd-tls.socket": { activeState: "inactive", unitFileState: "disabled" },
            "openvswitch.service": { activeState: "inactive", unitFileState: "disabled" },
        }),
        ovs: k({ running: false, otherConfig: {}, bridges: {}, version: null }),
        firewall: k({ running: true, zone: "public", zoneBy: "default" as const, ingress: null, target: "default", ports: [], services: ["ssh", "cockpit", "dhcpv6-client"], richRules: [] }),
        ...over,
    });
}

export function ctxOf(f: HostFacts, role: "source" | "destination" = "source", options: Partial<PrepareOptions> = {},
                      runningVms: string[] = []): StepContext {
    return contextFromFacts(role, f, { ...DEFAULT_OPTIONS, ...options }, runningVms);
}
