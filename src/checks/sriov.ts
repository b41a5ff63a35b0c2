import { _, format } from "../lib/cockpit";
import type { HostContext, NicFacts, VfFacts } from "./facts";
import type { CheckDef, CheckResult } from "./types";
import { DOCS_SRIOV, DOCS_VF_MIGRATION, commandFix, manualFix, result, unknownResult } from "./helpers";
import { primaryNic } from "./hardware";
import { targetVfOf, vfState } from "../rules/vf";
import { ESWITCH_MODE, createVfsCommands, eswitchOk, pfLinkOk, pfLinkUpCommands, prepareVfCommands, switchdevCommands, vfCountOk } from "../rules/sriov";

function withNic(id: string, ctx: HostContext, then: (nic: NicFacts) => CheckResult): CheckResult {
    const f = ctx.facts;
    if (!f.nics.known)
        return unknownResult(id, f.nics);
    const nic = primaryNic(f);
    return nic ? then(nic) : result(id, "unknown", _("No ConnectX-7 found"), f.nics.evidence);
}

export const pfLinkUpCheck: CheckDef<HostContext> = {
    id: "pf-link-up",
    group: "sriov",
    get title() { return _("Adapter interface up"); },
    get description() { return _("The ConnectX-7's network interface is administratively up."); },
    get why() { return _("VFs of a PF whose interface is down carry no traffic."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ctx => withNic("pf-link-up", ctx, nic => {
        const up = pfLinkOk(nic.linkUp);
        if (!nic.netdev || up === null)
            return result("pf-link-up", "unknown", _("The adapter's interface state is unknown"), ctx.facts.nics.evidence);
        return up
            ? result("pf-link-up", "pass", format(_("$0 is up"), nic.netdev), ctx.facts.nics.evidence)
            : result("pf-link-up", "fail", format(_("$0 is down"), nic.netdev), ctx.facts.nics.evidence,
                     commandFix(undefined, ...pfLinkUpCommands(nic.netdev)));
    }),
};

export const eswitchMode: CheckDef<HostContext> = {
    id: "eswitch-switchdev",
    group: "sriov",
    get title() { return _("E-switch in switchdev mode"); },
    get description() { return _("The adapter's embedded switch is in switchdev mode, so each VF has a representor port."); },
    get why() { return _("VF migration needs the representor in an Open vSwitch bridge; legacy mode has none."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ctx => withNic("eswitch-switchdev", ctx, nic => {
        const m = nic.eswitchMode;
        if (!m.known)
            return unknownResult("eswitch-switchdev", m);
        if (eswitchOk(m.value))
            return result("eswitch-switchdev", "pass", ESWITCH_MODE, m.evidence);
        return result("eswitch-switchdev", "fail", format(_("The e-switch is in $0 mode"), m.value), m.evidence,
                      commandFix(_("Disruptive: traffic through this port stops until Open vSwitch forwards it. Set it before creating VFs."),
                                 ...switchdevCommands(nic)));
    }),
};

export const vfCreated: CheckDef<HostContext> = {
    id: "vf-created",
    group: "sriov",
    get title() { return _("Virtual functions created"); },
    get description() { return _("At least one VF exists on the adapter (sriov_numvfs)."); },
    get why() { return _("The VM is given one of these VFs."); },
    docs: DOCS_SRIOV,
    evaluate: ctx => withNic("vf-created", ctx, nic => {
        if (nic.numVfs === null)
            return result("vf-created", "unknown", _("sriov_numvfs could not be read"), ctx.facts.nics.evidence);
        // as many as the preparation creates (one when not given), as the create-vfs step counts them
        const wanted = ctx.numVfs ?? 1;
        if (vfCountOk(nic.numVfs, wanted))
            return result("vf-created", "pass", format(_("$0 of $1 VFs created"), nic.numVfs, nic.totalVfs ?? "?"), ctx.facts.nics.evidence);
        return result("vf-created", "fail", nic.numVfs === 0 ? _("No VF: sriov_numvfs is 0") : format(_("$0 VFs, $1 wanted"), nic.numVfs, wanted),
                      ctx.facts.nics.evidence, commandFix(_("After switching the e-switch to switchdev."), ...createVfsCommands(nic, wanted)));
    }),
};

export { type VfState, vfState } from "../rules/vf";

export function vfStateText(vf: VfFacts): string {
    switch (vfState(vf)) {
    case "attached": return vf.usedBy ? format(_("in use by VM $0"), vf.usedBy) : format(_("bound to $0"), vf.driver);
    case "prepared": return _("free and prepared");
    case "released": return format(_("created, migratable, on $0"), vf.driver);
    case "created": return format(_("created, not prepared (driver $0)"), vf.driver);
    }
}

export const vfPrepared: CheckDef<HostContext> = {
    id: "vf-prepared",
    group: "sriov",
    get title() { return _("A VF ready for the VM"); },
    get description() { return _("A VF is off its host driver and its devlink port function is migratable (or the VM already uses it)."); },
    get why() {
        return _("migratable can only be set while the VF is unbound; libvirt then binds mlx5_vfio_pci when the VF is attached.");
    },
    docs: DOCS_VF_MIGRATION,
    evaluate: ctx => withNic("vf-prepared", ctx, nic => {
        const ev = ctx.facts.nics.evidence;
        if (nic.vfs.length === 0)
            return result("vf-prepared", "fail", _("No VF exists yet"), ev);
        const states = nic.vfs.map(v => `${v.pci}: ${vfStateText(v)}`).join("; ");
        const ready = nic.vfs.filter(v => ["prepared", "attached"].includes(vfState(v)) && v.port?.migratable);
        const free = nic.vfs.filter(v => vfState(v) === "prepared");
        if (ctx.role === "destination" && free.length === 0)
            return result("vf-prepared", "fail", format(_("No free prepared VF for the incoming VM ($0)"), states), ev, prepareFix(nic));
        if (ready.length === 0)
            return result("vf-prepared", "fail", format(_("No VF is prepared ($0)"), states), ev, prepareFix(nic));
        return result("vf-prepared", "pass", states, ev);
    }),
};

function prepareFix(nic: NicFacts) {
    const vf = targetVfOf(nic.vfs);
    if (!vf)
        return manualFix(_("Create another VF."));
    return commandFix(_("Unbind the VF from its host driver, then mark its port function migratable."), ...prepareVfCommands(vf));
}

export const SRIOV_CHECKS = [pfLinkUpCheck, eswitchMode, vfCreated, vfPrepared];
