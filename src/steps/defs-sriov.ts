/* Steps on the adapter: its link, the e-switch mode, the VFs, and one VF made ready for the VM (off its host
 * driver, its devlink port function migratable — set while the VF is unbound). */
import { _, format } from "../lib/cockpit";
import * as sriovChecks from "../checks/sriov";
import { fwVfMigration } from "../checks/hardware";
import { migratableCause } from "../checks/kernel";
import {
    type RuleCommand, createVfsCommands, createVfsScript, legacyCommands, numvfsPath, pfLinkUpCommands, pfLinkUpScript,
    prepareVfCommands, switchdevCommands, switchdevScript, sysfsWrite, vfCountOk, vfMigratable, vfMigratableScript, vfUnbindScript,
    vfUnbound,
} from "../rules/sriov";
import { targetVfOf } from "../rules/vf";
import type { NicFacts, VfFacts } from "../checks/facts";
import { devlinkPortMigratable } from "../host/commands/devlink";
import { DevlinkPort, DriverName, type SysfsPath, driverPath } from "../host/values";
import type { StepCommand, StepContext, StepDef, StepGuard, StepStatus } from "./types";
import { firmwarePending, rebootPending } from "./defs-host";
import {
    DISRUPTIVE, NO_IMPACT, allGuards, bridgePfTitle, firstGuard, fromChecks, fromRule, mgmtGuard, nicOf, noNic, pfBridge, run, runCheck, status,
    vfCountGuard,
} from "./common";
import { checkedOptions, scriptNetdev, scriptPf } from "./export-options";
import { stepScript } from "./script-lib";

const sysfs = (path: SysfsPath, value: string | number): StepCommand => fromRule(sysfsWrite(path, value));
const fromRules = (cs: RuleCommand[], timeoutMs?: number) => cs.map(c => fromRule(c, { timeoutMs }));

export const pfLinkUp: StepDef = {
    id: "pf-link-up",
    get title() { return _("Bring the adapter's interface up"); },
    get changes() { return _("Sets the PF's network interface administratively up."); },
    checks: [sriovChecks.pfLinkUpCheck],
    roles: ["source", "destination"],
    after: [],
    impact: NO_IMPACT,
    detect: ctx => noNic(ctx) ?? fromChecks(ctx, [sriovChecks.pfLinkUpCheck]),
    guard: () => null,
    commands: ctx => {
        const nic = nicOf(ctx);
        return nic?.netdev ? fromRules(pfLinkUpCommands(nic.netdev)) : [];
    },
    undo: () => null,
    get undoNote() { return _("Setting the interface down again would stop its traffic; do it by hand if you mean it."); },
    script: ctx => stepScript(pfLinkUpScript(scriptNetdev(ctx))),
};

export const eswitchSwitchdev: StepDef = {
    id: "eswitch-switchdev",
    get title() { return _("Switch the e-switch to switchdev mode"); },
    get changes() {
        return _("Puts the adapter's embedded switch in switchdev mode, so that each VF gets a representor port. Existing VFs are removed first (the firmware refuses the change while VFs exist).");
    },
    checks: [sriovChecks.eswitchMode],
    roles: ["source", "destination"],
    after: ["firmware-reset", "reboot", "pf-link-up"],
    impact: DISRUPTIVE,
    detect: ctx => noNic(ctx) ?? fromChecks(ctx, [sriovChecks.eswitchMode]),
    guard: ctx => firstGuard(vfCountGuard(ctx), mgmtGuard(ctx)),
    commands: ctx => {
        const nic = nicOf(ctx);
        return nic ? fromRules(switchdevCommands(nic), 120_000) : [];
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        return nic ? fromRules(legacyCommands(nic), 120_000) : null;
    },
    get undoNote() { return _("Back to legacy mode removes the VFs and their representors."); },
    // while Open vSwitch holds the PF (with hw-offload, an ingress qdisc on it), mlx5 refuses the change:
    // "Can't change mode, E-Switch is busy" (shared/formats/devlink-eswitch-set-errors.txt, case a)
    undoBlocked: ctx => {
        const nic = nicOf(ctx);
        const br = nic && pfBridge(ctx, nic);
        return nic?.netdev && br ? format(_("$0 is still in Open vSwitch bridge $1, and the adapter refuses to leave switchdev mode while it is: undo “$2” first."),
                                  nic.netdev, br, bridgePfTitle()) : null;
    },
    script: ctx => stepScript(switchdevScript(scriptPf(ctx), scriptNetdev(ctx))),
};

export const createVfs: StepDef = {
    id: "create-vfs",
    get title() { return _("Create the virtual functions"); },
    get changes() {
        return _("Writes the number of VFs to the PF's sriov_numvfs (a count already set is first brought back to 0, as the kernel requires).");
    },
    checks: [sriovChecks.vfCreated],
    roles: ["source", "destination"],
    after: ["eswitch-switchdev"],
    impact: NO_IMPACT,
    detect: ctx => {
        const no = noNic(ctx);
        if (no)
            return no;
        const nic = nicOf(ctx) as NicFacts;
        const ev = ctx.facts.nics.evidence;
        if (nic.numVfs === null)
            return status.unknown(_("sriov_numvfs could not be read (is SR-IOV enabled in the firmware?)"), ev);
        if (vfCountOk(nic.numVfs, ctx.options.numVfs))
            return status.done(format(_("$0 of $1 VFs created"), nic.numVfs, nic.totalVfs ?? "?"), ev);
        return status.needed(format(_("$0 VFs, $1 wanted"), nic.numVfs, ctx.options.numVfs), ev);
    },
    guard: ctx => {
        const nic = nicOf(ctx);
        if (nic?.totalVfs !== null && nic?.totalVfs !== undefined && ctx.options.numVfs > nic.totalVfs)
            return { reason: format(_("The adapter allows at most $0 VFs (NUM_OF_VFS in its firmware)."), nic.totalVfs) };
        return vfCountGuard(ctx);
    },
    commands: ctx => {
        const nic = nicOf(ctx);
        if (!nic)
            return [];
        return fromRules(createVfsCommands(nic, ctx.options.numVfs));
    },
    undo: ctx => [sysfs(numvfsPath(ctx.pf), 0)],
    get undoNote() { return _("Removes every VF of the adapter."); },
    script: ctx => stepScript(createVfsScript(scriptPf(ctx), checkedOptions(ctx).numVfs)),
};

/** The VF to prepare: one already prepared, else the first that no VM holds. */
export const targetVf = (nic: NicFacts): VfFacts | null => targetVfOf(nic.vfs);

function vfStatus(ctx: StepContext, then: (vf: VfFacts) => StepStatus): StepStatus {
    const no = noNic(ctx);
    if (no)
        return no;
    const s = fromChecks(ctx, [sriovChecks.vfPrepared]);
    if (s.state === "done")
        return s;
    const nic = nicOf(ctx) as NicFacts;
    if (nic.vfs.length === 0)
        return status.unknown(_("Known once the VFs exist"), s.evidence);
    const vf = targetVf(nic);
    if (!vf)
        return status.needed(_("Every VF is in use: create more VFs"), s.evidence);
    return then(vf);
}

/** Every VF is held by a VM: the VF steps have none to work on (the exports refuse the same way). */
function freeVfGuard(ctx: StepContext): StepGuard | null {
    const nic = nicOf(ctx);
    return nic && nic.vfs.length > 0 && !targetVf(nic)
        ? { reason: _("Every VF is in use: create more VFs, or move a VM that holds one off this host") }
        : null;
}

export const unbindVf: StepDef = {
    id: "vf-unbind",
    get title() { return _("Take the VF off its host driver"); },
    get changes() {
        return _("Unbinds the VF from mlx5_core, so that its port function can be made migratable and libvirt can later bind mlx5_vfio_pci.");
    },
    checks: [sriovChecks.vfPrepared],
    roles: ["source", "destination"],
    after: ["create-vfs"],
    impact: NO_IMPACT,
    detect: ctx => vfStatus(ctx, vf => vfUnbound(vf)
        ? status.done(format(_("VF $0 is not bound to a driver"), vf.pci))
        : status.needed(format(_("VF $0 is bound to $1"), vf.pci, vf.driver))),
    guard: freeVfGuard,
    commands: ctx => {
        const nic = nicOf(ctx);
        const vf = nic && targetVf(nic);
        return vf ? fromRules(prepareVfCommands({ ...vf, port: null })) : [];
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        const vf = nic && targetVf(nic);
        return vf ? [sysfs(driverPath(DriverName.of("mlx5_core"), "bind"), vf.pci)] : null;
    },
    get undoNote() { return _("Binds the VF to mlx5_core again."); },
    script: ctx => stepScript(vfUnbindScript(scriptPf(ctx))),
};

/**
 * The adapter shows no `migratable` attribute until it runs with VF_MIGRATION_MODE enabled: while that setting
 * waits for a firmware reset or a reboot, the step waits for it too (rather than reading as unsupported).
 */
function migratableWaits(ctx: StepContext): StepStatus | null {
    const m = nicOf(ctx)?.migratableSupported;
    const fw = m?.known && !m.value ? firmwarePending(ctx) : null;
    if (!fw)
        return null;
    return { state: "pending", summary: _("The migratable attribute appears once the adapter runs with its new firmware settings"),
             evidence: fw.evidence, needs: rebootPending(ctx) ? "reboot" : "firmware-reset" };
}

export const migratableVf: StepDef = {
    id: "vf-migratable",
    get title() { return _("Make the VF's port function migratable"); },
    get changes() { return _("Enables migratable on the VF's devlink port function (set while the VF is not bound to a driver)."); },
    checks: [sriovChecks.vfPrepared],
    roles: ["source", "destination"],
    after: ["vf-unbind"],
    impact: NO_IMPACT,
    detect: ctx => migratableWaits(ctx) ?? vfStatus(ctx, vf => {
        if (!vf.port)
            return status.unknown(format(_("devlink shows no port for VF $0"), vf.pci));
        return vfMigratable(vf)
            ? status.done(format(_("$0 is migratable"), vf.port.handle))
            : status.needed(format(_("$0 is not migratable"), vf.port.handle));
    }),
    guard: ctx => {
        const nic = nicOf(ctx);
        const m = nic?.migratableSupported;
        return allGuards(m?.known && !m.value && !migratableWaits(ctx)
            ? { reason: format(_("devlink shows no migratable attribute on this host. $0"), migratableCause(runCheck(ctx, fwVfMigration).verdict)) }
            : null, freeVfGuard(ctx));
    },
    commands: ctx => {
        const nic = nicOf(ctx);
        const vf = nic && targetVf(nic);
        return vf ? fromRules(prepareVfCommands({ ...vf, driver: "none" })) : [];
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        const vf = nic && targetVf(nic);
        return vf?.port ? [run(devlinkPortMigratable(DevlinkPort.of(vf.port.handle), false))] : null;
    },
    get undoNote() { return _("Works only while the VF is not bound to a driver."); },
    script: ctx => stepScript(vfMigratableScript(scriptPf(ctx))),
};
