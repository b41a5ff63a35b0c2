/* Steps on the host as a whole: packages, the adapter's firmware settings, the kernel's IOMMU arguments, and the
 * two actions that make them active — a firmware reset and a reboot. */
import { N_, _, format } from "../lib/cockpit";
import * as hw from "../checks/hardware";
import * as kernelChecks from "../checks/kernel";
import * as packageChecks from "../checks/packages";
import { mstconfigSet, type MstconfigKey, mstfwresetReset } from "../host/commands/mst";
import type { Argv } from "../host/argv";
import { dnfInstall, dnfSpec } from "../host/commands/dnf-rpm";
import { systemctlReboot } from "../host/commands/systemd";
import { type FirmwareRule, fwNumber, fwSetArgv, fwShellOk, fwShellSet, rulesForPort } from "../rules/firmware";
import {
    type CpuVendor, type KernelArgsFacts, kernelArgsScriptArgv, kernelArgsSetArgv, kernelArgsShell, kernelArgsUndoArgv,
} from "../rules/kernel";
import { PciAddress } from "../host/values";
import { quoteArgv } from "../host/quote";
import type { InstallName, StepContext, StepDef, StepStatus } from "./types";
import {
    type HostCheck, NO_IMPACT, adapterPorts, allGuards, fromChecks, mgmtGuardOver, nicOf, noNic, otherPortsGuard, run, runCheck, sh, shWord, status,
    vmsGuard,
} from "./common";
import { checkedOptions, scriptNetdev, scriptPf } from "./export-options";

function installStep(id: string, check: HostCheck, name: InstallName, title: string, changes: string): StepDef {
    return {
        id,
        get title() { return _(title); },
        get changes() { return _(changes); },
        checks: [check],
        roles: ["source", "destination"],
        after: [],
        impact: NO_IMPACT,
        detect: ctx => fromChecks(ctx, [check]),
        guard: () => null,
        commands: () => [{ kind: "install", packages: [name] }],
        undo: () => null,
        get undoNote() { return format(_("Remove it with “dnf remove $0” if nothing else needs it."), dnfSpec(name)); },
        script: () => ({
            // RHEL names Open vSwitch e.g. openvswitch3.3
            done: `rpm -qa --qf '%{NAME}\\n' | grep -E '^${name === "openvswitch" ? "openvswitch([0-9]+[.][0-9]+)?" : name}$' >/dev/null`,
            run: [sh(dnfInstall([name]))],
        }),
    };
}

export const installMstflint = installStep("install-mstflint", packageChecks.mstflint, "mstflint", N_("Install mstflint"),
                                           N_("Installs the mstflint package (mstconfig, mstfwreset)."));
export const installOpenvswitch = installStep("install-openvswitch", packageChecks.openvswitch, "openvswitch", N_("Install Open vSwitch"),
                                              N_("Installs the Open vSwitch package."));

const FW_CHECKS = [hw.fwVfMigration, hw.fwSriovEn, hw.fwNumVfs, hw.fwLinkType];
/** The firmware rules of the port being prepared: its own LINK_TYPE_P<n>, never the other port's. */
const rulesOf = (ctx: StepContext): FirmwareRule[] => rulesForPort(nicOf(ctx)?.port ?? 1);
const ruleOf = (ctx: StepContext, check: HostCheck): FirmwareRule => {
    const r = rulesOf(ctx).find(x => x.checkId === check.id);
    if (!r)
        throw new Error(format(_("mstconfig has no setting of port $0 of an adapter"), nicOf(ctx)?.port ?? 1));
    return r;
};

/** The bash test: every firmware setting is right in that column (current, or either current or next boot). */
function fwShellAll(ctx: StepContext, column: "current" | "set"): string {
    const [pf, n, dev] = [scriptPf(ctx), checkedOptions(ctx).numVfs, scriptNetdev(ctx)];
    return `{ ${rulesOf(ctx).map(r => (column === "set" ? fwShellSet(r, pf, n, dev) : fwShellOk(r, pf, "current", n, dev))).join(" && ")}; }`;
}

/** A setting the step must make that mstconfig does not list on this adapter (never LINK_TYPE_P1, which a model may lack). */
function unlistedSetting(ctx: StepContext): FirmwareRule | null {
    const params = nicOf(ctx)?.params;
    return params?.known ? rulesOf(ctx).find(r => !r.ethernetOnlyMayLack && params.value[r.key] === undefined) ?? null : null;
}
// mstconfig lists what both the firmware and its own mstflint know: either may be the one too old
const UNLISTED = N_("mstconfig lists no $0 on this adapter: its firmware, or this host's mstflint, is too old to set it. Update the older of the two first.");

export const firmwareSettings: StepDef = {
    id: "firmware-settings",
    get title() { return _("Enable VF migration in the adapter's firmware"); },
    get changes() {
        return _("Sets VF_MIGRATION_MODE=2 and, where needed, SR-IOV, the number of VFs and Ethernet in the adapter's firmware configuration (mstconfig).");
    },
    checks: FW_CHECKS,
    roles: ["source", "destination"],
    after: ["install-mstflint"],
    impact: { ...NO_IMPACT, needsFirmwareReset: true, confirm: true },
    // a setting mstconfig does not list cannot be set: the step stops there (as the exports do), before any other
    detect: ctx => {
        const no = noNic(ctx);
        if (no)
            return no;
        const s = fromChecks(ctx, FW_CHECKS, "firmware-reset");
        const unlisted = unlistedSetting(ctx);
        return unlisted ? { state: "needed", summary: format(_("mstconfig does not list $0"), unlisted.key), evidence: s.evidence } : s;
    },
    // a wrong setting mstconfig does not list (LINK_TYPE_P1 of an InfiniBand-only model, any other of an old
    // firmware) cannot be set: running the others would leave the step not done, so it says why instead
    guard: ctx => {
        const params = nicOf(ctx)?.params;
        const stuck = params?.known ? FW_CHECKS.map(c => runCheck(ctx, c))
                .find((r, i) => r.verdict === "fail" && params.value[ruleOf(ctx, FW_CHECKS[i]).key] === undefined) : undefined;
        const unlisted = unlistedSetting(ctx);
        return stuck ? { reason: stuck.summary } : unlisted ? { reason: format(_(UNLISTED), unlisted.key) } : null;
    },
    // only the settings that are wrong now and for the next boot: NUM_OF_VFS is raised to the VFs wanted, never lowered
    commands: ctx => {
        const nic = nicOf(ctx);
        if (!nic)
            return [];
        // a setting mstconfig does not list (LINK_TYPE_P1 of an InfiniBand-only model) is left out: mstconfig would
        // refuse the whole command, the others with it
        const listed = (r: FirmwareRule) => nic.params.known && nic.params.value[r.key] !== undefined;
        const set = fwSetArgv(nic.pci, FW_CHECKS.filter(c => runCheck(ctx, c).verdict === "fail").map(c => ruleOf(ctx, c)).filter(listed), ctx.options.numVfs);
        return set ? [run(set, { timeoutMs: 120_000 })] : [];
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        if (!nic || !nic.params.known)
            return null;
        const params = nic.params.value;
        const back = rulesOf(ctx).map(r => r.key)
                .map(key => ({ key, value: params[key] ? fwNumber(params[key].current) : null, next: params[key] ? fwNumber(params[key].nextBoot) : null }))
                .filter((p): p is { key: MstconfigKey; value: number; next: number | null } => p.value !== null && p.value !== p.next);
        return back.length ? [run(mstconfigSet(PciAddress.of(nic.pci), back.map(({ key, value }) => ({ key, value }))), { timeoutMs: 120_000 })] : [];
    },
    get undoNote() { return _("Sets the firmware's Next Boot values back to the running ones."); },
    script: ctx => {
        const [pf, n, dev] = [scriptPf(ctx), checkedOptions(ctx).numVfs, scriptNetdev(ctx)];
        return {
            done: fwShellAll(ctx, "set"),
            // each setting not done is refused where mstconfig does not list it, as the page's guard refuses the
            // step, all of them before any is set: nothing is half-applied
            run: [
                ...rulesOf(ctx).map(r => {
                    const why = r.ethernetOnlyMayLack ? [] : [format(UNLISTED, r.key)];
                    return `${fwShellSet(r, pf, n, dev)} || vfm_fw_listed ${quoteArgv([pf, r.key, ...why])}`;
                }),
                ...rulesOf(ctx).map(r => `${fwShellSet(r, pf, n, dev)} || ${sh(fwSetArgv(pf, [r], n) as Argv)}`),
                "VFM_FW=\"\"",
            ],
        };
    },
};

/** The kernel argument rule's facts, or null while the CPU vendor is unknown. */
function kernelFacts(ctx: StepContext): KernelArgsFacts | null {
    const f = ctx.facts;
    if (!f.cpuVendor.known)
        return null;
    return {
        vendor: f.cpuVendor.value, cmdline: f.cmdline.known ? f.cmdline.value : [], next: f.nextBootArgs.known ? f.nextBootArgs.value : [],
        active: f.iommuActive.known && f.iommuActive.value,
    };
}
const scriptVendor = (ctx: StepContext): CpuVendor => kernelFacts(ctx)?.vendor ?? "intel";

export const iommuKernelArgs: StepDef = {
    id: "iommu-kernel-args",
    get title() { return _("Enable the IOMMU in the kernel"); },
    get changes() { return _("Adds the IOMMU kernel arguments for this CPU to every boot entry (grubby)."); },
    checks: [kernelChecks.iommuKernel],
    roles: ["source", "destination"],
    after: [],
    impact: { ...NO_IMPACT, needsReboot: true, confirm: true },
    detect: ctx => fromChecks(ctx, [kernelChecks.iommuKernel], "reboot"),
    guard: ctx => {
        return kernelChecks.firmwareLacksIommu(ctx.facts)
            ? { reason: format(_("The system firmware of this host provides no IOMMU; a kernel argument and a reboot cannot help. $0"),
                               kernelChecks.FIRMWARE_IOMMU_FIX()) }
            : null;
    },
    commands: ctx => {
        const k = kernelFacts(ctx);
        return k ? [run(kernelArgsSetArgv(k))] : [];
    },
    undo: ctx => {
        const k = kernelFacts(ctx);
        return k ? [run(kernelArgsUndoArgv(k.vendor))] : null;
    },
    get undoNote() { return _("Removes the arguments again; the running kernel keeps them until the next reboot."); },
    script: ctx => {
        const k = kernelArgsShell(scriptVendor(ctx));
        // as the page: without an IOMMU in the firmware, the step is refused rather than a reboot asked for
        return { done: `{ ${k.active} || ${k.nextBoot}; } && vfm_iommu_in_firmware`,
            run: ["vfm_guard_iommu_firmware", sh(kernelArgsScriptArgv(scriptVendor(ctx)))] };
    },
};

/** Why a reboot is needed now, from the facts (arguments set for the next boot only). */
export function rebootPending(ctx: StepContext): StepStatus | null {
    const s = iommuKernelArgs.detect(ctx);
    return s.state === "pending" ? s : null;
}

/** Firmware settings set for the next boot but not running. */
export function firmwarePending(ctx: StepContext): StepStatus | null {
    if (!nicOf(ctx))
        return null;
    const s = firmwareSettings.detect(ctx);
    return s.state === "pending" ? s : null;
}

export const firmwareReset: StepDef = {
    id: "firmware-reset",
    action: "firmware-reset",
    get title() { return _("Reset the adapter's firmware"); },
    get changes() {
        return _("Restarts the adapter with its new firmware settings (mstfwreset), without rebooting the host. Its VFs are removed and its e-switch returns to legacy mode.");
    },
    checks: [],
    roles: ["source", "destination"],
    after: ["firmware-settings", "iommu-kernel-args"],
    impact: { ...NO_IMPACT, disruptsNetwork: true, confirm: true },
    detect: ctx => {
        const fw = firmwarePending(ctx);
        if (!fw)
            return status.done(_("No firmware setting waits for a reset"));
        if (rebootPending(ctx))
            return status.na(_("The reboot the kernel arguments need also activates the firmware settings"), fw.evidence);
        return status.needed(fw.summary, fw.evidence);
    },
    // mstfwreset restarts the whole adapter: every port of it counts
    guard: ctx => allGuards(vmsGuard(ctx, _("a firmware reset")),
                            mgmtGuardOver(ctx, adapterPorts(ctx).flatMap(n => (n.netdev ? [n.netdev] : []))), otherPortsGuard(ctx)),
    commands: ctx => [run(mstfwresetReset(PciAddress.of(ctx.pf)), { timeoutMs: 300_000 })],
    undo: () => null,
    get undoNote() { return _("A reset only activates the settings stored in the firmware; undo the settings themselves instead."); },
    script: ctx => {
        const k = kernelArgsShell(scriptVendor(ctx));
        return {
            // nothing waits (all right now, or some still to set), or a reboot is coming anyway
            done: `${fwShellAll(ctx, "current")} || ! ${fwShellAll(ctx, "set")} || ${k.rebootPending}`,
            run: ["vfm_guard_vms 'a firmware reset'", `vfm_guard_mgmt ${shWord(scriptNetdev(ctx))}`,
                ...adapterPorts(ctx).slice(1).flatMap(n => (n.netdev ? [`vfm_guard_mgmt ${shWord(n.netdev)}`, `vfm_guard_other_port ${shWord(n.netdev)}`] : [])),
                sh(mstfwresetReset(scriptPf(ctx))), "VFM_FW=\"\""],
        };
    },
};

export const reboot: StepDef = {
    id: "reboot",
    action: "reboot",
    get title() { return _("Reboot the host"); },
    get changes() {
        return _("Reboots the host so that the new kernel arguments (and firmware settings) take effect. VFs and the switchdev mode do not survive it; the next steps create them again.");
    },
    checks: [],
    roles: ["source", "destination"],
    after: ["firmware-settings", "iommu-kernel-args"],
    impact: { ...NO_IMPACT, disruptsNetwork: true, confirm: true },
    detect: ctx => {
        const r = rebootPending(ctx);
        return r ? status.needed(r.summary, r.evidence) : status.done(_("No change waits for a reboot"));
    },
    guard: ctx => vmsGuard(ctx, _("a reboot")),
    commands: () => [run(systemctlReboot())],
    undo: () => null,
    get undoNote() { return _("A reboot cannot be undone."); },
    script: ctx => {
        const k = kernelArgsShell(scriptVendor(ctx));
        return { done: `! ${k.rebootPending}`, run: [] };
    },
};
