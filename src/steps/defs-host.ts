/* Steps on the host as a whole: packages, the adapter's firmware settings, the kernel's IOMMU arguments, and the
 * two actions that make them active — a firmware reset and a reboot. */
import { _, format } from "../lib/cockpit";
import { iommuArgsFor } from "../checks/kernel";
import { mstconfigSet, type MstconfigKey, mstfwresetReset } from "../host/commands/mst";
import { type KernelArg, KERNEL_ARGS_OFF, type KernelArgOff, grubbyUpdateArgs } from "../host/commands/grubby";
import { dnfInstall } from "../host/commands/dnf-rpm";
import { systemctlReboot } from "../host/commands/systemd";
import { PciAddress } from "../host/values";
import type { InstallName, StepContext, StepDef, StepStatus } from "./types";
import { NO_IMPACT, firstGuard, fromChecks, mgmtGuard, nicOf, noNic, run, runCheck, sh, shWord, status, vmsGuard } from "./common";
import { checkedOptions, scriptNetdev, scriptPf } from "./export-options";

function installStep(id: string, check: string, name: InstallName, title: string, changes: string): StepDef {
    return {
        id,
        title,
        changes,
        checks: [check],
        roles: ["source", "destination"],
        after: [],
        impact: NO_IMPACT,
        detect: ctx => fromChecks(ctx, [check]),
        guard: () => null,
        commands: () => [{ kind: "install", packages: [name] }],
        undo: () => null,
        undoNote: format(_("Remove it with “dnf remove $0” if nothing else needs it."), name),
        script: () => ({
            // RHEL names Open vSwitch e.g. openvswitch3.3
            done: `rpm -qa --qf '%{NAME}\\n' | grep -E '^${name === "openvswitch" ? "openvswitch([0-9]+[.][0-9]+)?" : name}$' >/dev/null`,
            run: [sh(dnfInstall([name]))],
        }),
    };
}

export const installMstflint = installStep("install-mstflint", "pkg-mstflint", "mstflint", _("Install mstflint"),
                                           _("Installs the mstflint package (mstconfig, mstfwreset)."));
export const installOpenvswitch = installStep("install-openvswitch", "pkg-openvswitch", "openvswitch", _("Install Open vSwitch"),
                                              _("Installs the Open vSwitch package."));

const FW_CHECKS: Record<string, MstconfigKey> = {
    "fw-vf-migration": "VF_MIGRATION_MODE", "fw-sriov-en": "SRIOV_EN", "fw-num-vfs": "NUM_OF_VFS", "fw-link-type": "LINK_TYPE_P1",
};

const fwNumVfs = (ctx: StepContext): number => Math.max(8, ctx.options.numVfs);
const scriptFwNumVfs = (ctx: StepContext): string => shWord(String(Math.max(8, checkedOptions(ctx).numVfs)));
const scriptArgs = (args: readonly string[]): string => args.map(shWord).join(" ");

/** The value each firmware setting must get. */
function fwWanted(ctx: StepContext, key: MstconfigKey): number {
    return { VF_MIGRATION_MODE: 2, SRIOV_EN: 1, NUM_OF_VFS: fwNumVfs(ctx), LINK_TYPE_P1: 2, LINK_TYPE_P2: 2 }[key];
}

/** "MIGRATION_ENABLED(2)" → 2, "8" → 8; null if mstconfig printed no number. */
function fwNumber(raw: string): number | null {
    const m = /\((\d+)\)$/.exec(raw) ?? /^(\d+)$/.exec(raw);
    return m ? Number(m[1]) : null;
}

export const firmwareSettings: StepDef = {
    id: "firmware-settings",
    title: _("Enable VF migration in the adapter's firmware"),
    changes: _("Sets VF_MIGRATION_MODE=2 and, where needed, SR-IOV, the number of VFs and Ethernet in the adapter's firmware configuration (mstconfig)."),
    checks: Object.keys(FW_CHECKS),
    roles: ["source", "destination"],
    after: ["install-mstflint"],
    impact: { ...NO_IMPACT, needsFirmwareReset: true, confirm: true },
    detect: ctx => noNic(ctx) ?? fromChecks(ctx, Object.keys(FW_CHECKS), "firmware-reset"),
    guard: () => null,
    commands: ctx => {
        const nic = nicOf(ctx);
        if (!nic)
            return [];
        const keys = Object.entries(FW_CHECKS).filter(([id]) => runCheck(ctx, id).verdict === "fail").map(([, key]) => key);
        return keys.length ? [run(mstconfigSet(PciAddress.of(nic.pci), keys.map(key => ({ key, value: fwWanted(ctx, key) }))), 120_000)] : [];
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        if (!nic || !nic.params.known)
            return null;
        const params = nic.params.value;
        const back = Object.values(FW_CHECKS)
                .map(key => ({ key, value: params[key] ? fwNumber(params[key].current) : null, next: params[key] ? fwNumber(params[key].nextBoot) : null }))
                .filter((p): p is { key: MstconfigKey; value: number; next: number | null } => p.value !== null && p.value !== p.next);
        return back.length ? [run(mstconfigSet(PciAddress.of(nic.pci), back.map(({ key, value }) => ({ key, value }))), 120_000)] : [];
    },
    undoNote: _("Sets the firmware's Next Boot values back to the running ones."),
    script: ctx => {
        const pf = scriptPf(ctx);
        return {
            done: `vfm_fw_ok ${shWord(pf)} 3 ${scriptFwNumVfs(ctx)}`,
            run: [sh(mstconfigSet(pf, Object.values(FW_CHECKS).map(key => ({ key, value: fwWanted(ctx, key) })))), "VFM_FW=\"\""],
        };
    },
};

/** The IOMMU arguments for the CPU, and any "=off" on the running or next kernel line that would win over them. */
function kernelArgs(ctx: StepContext): { add: KernelArg[]; remove: KernelArgOff[] } | null {
    const f = ctx.facts;
    if (!f.cpuVendor.known)
        return null;
    const add = iommuArgsFor(f.cpuVendor.value) as KernelArg[];
    const seen = [...(f.cmdline.known ? f.cmdline.value : []), ...(f.nextBootArgs.known ? f.nextBootArgs.value : [])];
    const remove = KERNEL_ARGS_OFF.filter(a => seen.includes(a));
    return { add, remove };
}

export const iommuKernelArgs: StepDef = {
    id: "iommu-kernel-args",
    title: _("Enable the IOMMU in the kernel"),
    changes: _("Adds the IOMMU kernel arguments for this CPU to every boot entry (grubby)."),
    checks: ["iommu-kernel"],
    roles: ["source", "destination"],
    after: [],
    impact: { ...NO_IMPACT, needsReboot: true, confirm: true },
    detect: ctx => fromChecks(ctx, ["iommu-kernel"], "reboot"),
    guard: () => null,
    commands: ctx => {
        const a = kernelArgs(ctx);
        return a ? [run(grubbyUpdateArgs(a.add, a.remove))] : [];
    },
    undo: ctx => {
        const a = kernelArgs(ctx);
        return a ? [run(grubbyUpdateArgs([], a.add))] : null;
    },
    undoNote: _("Removes the arguments again; the running kernel keeps them until the next reboot."),
    script: ctx => {
        const a = kernelArgs(ctx) ?? { add: iommuArgsFor("intel") as KernelArg[], remove: [] };
        return {
            done: `vfm_args_ok "$(vfm_next_args)" ${scriptArgs(a.add)}`,
            run: [sh(grubbyUpdateArgs(a.add, [...KERNEL_ARGS_OFF]))],
        };
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
    title: _("Reset the adapter's firmware"),
    changes: _("Restarts the adapter with its new firmware settings (mstfwreset), without rebooting the host. Its VFs are removed and its e-switch returns to legacy mode."),
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
    guard: ctx => firstGuard(vmsGuard(ctx, _("a firmware reset")), mgmtGuard(ctx)),
    commands: ctx => [run(mstfwresetReset(PciAddress.of(ctx.pf)), 300_000)],
    undo: () => null,
    undoNote: _("A reset only activates the settings stored in the firmware; undo the settings themselves instead."),
    script: ctx => {
        const [pf, n] = [shWord(scriptPf(ctx)), scriptFwNumVfs(ctx)];
        return {
            // nothing waits, or a reboot is coming anyway
            done: `vfm_fw_ok ${pf} 2 ${n} || ! vfm_fw_ok ${pf} 3 ${n} || ! vfm_args_ok "$(cat /proc/cmdline)" ${scriptArgs(kernelArgs(ctx)?.add ?? [])}`,
            run: ["vfm_guard_vms 'a firmware reset'", `vfm_guard_mgmt ${shWord(scriptNetdev(ctx))}`,
                sh(mstfwresetReset(scriptPf(ctx))), "VFM_FW=\"\""],
        };
    },
};

export const reboot: StepDef = {
    id: "reboot",
    action: "reboot",
    title: _("Reboot the host"),
    changes: _("Reboots the host so that the new kernel arguments (and firmware settings) take effect. VFs and the switchdev mode do not survive it; the next steps create them again."),
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
    undoNote: _("A reboot cannot be undone."),
    script: ctx => ({
        done: `vfm_args_ok "$(cat /proc/cmdline)" ${scriptArgs(kernelArgs(ctx)?.add ?? [])} || ! vfm_args_ok "$(vfm_next_args)" ${scriptArgs(kernelArgs(ctx)?.add ?? [])}`,
        run: [],
    }),
};
