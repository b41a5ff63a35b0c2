/* Open vSwitch: the service, hardware offload, the flows' idle time, the bridge with the PF, the VF's representor. */
import { N_, _, format } from "../lib/cockpit";
import * as ovsChecks from "../checks/ovs";
import type { Argv } from "../host/argv";
import { ovsDelPort } from "../host/commands/ovs";
import {
    type OvsSettingRule, bridgePfCommands, bridgePfScript, bridgeRepCommands, bridgeRepScript, ovsServiceRule, ovsSetting,
    ovsSettingShell, representorDown,
} from "../rules/ovs";
import { BridgeName, Netdev } from "../host/values";
import type { NicFacts } from "../checks/facts";
import type { StepDef } from "./types";
import {
    DISRUPTIVE, type HostCheck, NO_IMPACT, allGuards, bridgePfTitle, fromChecks, fromServiceCheck, mgmtGuard, nicOf, noNic, pfAddressGuard, pfBridge,
    run, runCheck, sh, status,
} from "./common";
import { targetVf } from "./defs-sriov";
import { checkedOptions, scriptNetdev, scriptPf } from "./export-options";
import { stepScript } from "./script-lib";

export const ovsService: StepDef = {
    id: "ovs-service",
    get title() { return _("Start Open vSwitch"); },
    get changes() { return _("Enables and starts the openvswitch service."); },
    checks: [ovsChecks.ovsRunning],
    roles: ["source", "destination"],
    after: ["install-openvswitch"],
    impact: NO_IMPACT,
    detect: ctx => fromServiceCheck(ctx, ovsChecks.ovsRunning),
    guard: () => null,
    commands: () => ovsServiceRule.commands().map(a => run(a, { timeoutMs: 120_000 })),
    undo: () => ovsServiceRule.undo().map(a => run(a, { timeoutMs: 120_000 })),
    get undoNote() { return _("Stopping Open vSwitch stops the traffic of the PF and the VFs in its bridges."); },
    script: () => ({ done: ovsServiceRule.shellDone(), run: ovsServiceRule.commands().map(sh) }),
};

// a restart waits for Open vSwitch to come back
const withTimeout = (a: Argv) => run(a, a[0] === "systemctl" ? { timeoutMs: 120_000 } : {});

/** A step that sets one Open vSwitch setting of src/rules/ovs.ts. */
function settingStep(id: string, check: HostCheck, rule: OvsSettingRule, title: string, changes: string): StepDef {
    return {
        id,
        get title() { return _(title); },
        get changes() { return _(changes); },
        checks: [check],
        roles: ["source", "destination"],
        after: ["ovs-service"],
        impact: NO_IMPACT,
        detect: ctx => fromChecks(ctx, [check]),
        guard: () => null,
        commands: () => rule.commands().map(withTimeout),
        undo: () => rule.undo().map(withTimeout),
        script: () => ({ done: ovsSettingShell(rule), run: rule.commands().map(sh) }),
    };
}

export const ovsHwOffload = settingStep("ovs-hw-offload", ovsChecks.ovsHwOffloadCheck, ovsSetting("ovs-hw-offload"),
                                        N_("Turn on Open vSwitch hardware offload"),
                                        N_("Sets other_config:hw-offload=true and restarts Open vSwitch, which reads it at start."));
export const ovsMaxIdle = settingStep("ovs-max-idle", ovsChecks.ovsMaxIdleCheck, ovsSetting("ovs-max-idle"),
                                      N_("Keep flows alive during the migration"),
                                      N_("Sets Open vSwitch's other_config:max-idle=300000 (ms), so the VF's flows are not expired mid-migration."));

export const ovsBridgePf: StepDef = {
    id: "ovs-bridge-pf",
    get title() { return bridgePfTitle(); },
    get changes() {
        return _("Creates the bridge if needed and adds the PF's interface to it: from then on Open vSwitch forwards the PF's traffic.");
    },
    checks: [ovsChecks.ovsBridge],
    roles: ["source", "destination"],
    after: ["ovs-hw-offload", "ovs-max-idle", "eswitch-switchdev"],
    impact: DISRUPTIVE,
    detect: ctx => {
        const no = noNic(ctx);
        if (no)
            return no;
        const nic = nicOf(ctx) as NicFacts;
        const o = ctx.facts.ovs;
        if (!o.known || !o.value.running)
            return fromChecks(ctx, [ovsChecks.ovsRunning]);
        if (!nic.netdev)
            return status.unknown(_("The adapter has no network interface"), ctx.facts.nics.evidence);
        const br = pfBridge(ctx, nic);
        return br ? status.done(format(_("$0 is in bridge $1"), nic.netdev, br), o.evidence)
            : status.needed(format(_("No bridge holds $0"), nic.netdev), o.evidence);
    },
    guard: ctx => allGuards(mgmtGuard(ctx), pfAddressGuard(ctx)),
    commands: ctx => {
        const nic = nicOf(ctx);
        if (!nic?.netdev)
            return [];
        return bridgePfCommands(ctx.options.bridge, nic.netdev).map(a => run(a));
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        const br = nic && pfBridge(ctx, nic);
        return nic?.netdev && br ? [run(ovsDelPort(BridgeName.of(br), Netdev.of(nic.netdev)))] : null;
    },
    get undoNote() { return _("Takes the PF out of the bridge; the bridge itself stays."); },
    script: ctx => stepScript(bridgePfScript(scriptNetdev(ctx), checkedOptions(ctx).bridge)),
};

export const ovsRepresentor: StepDef = {
    id: "ovs-representor",
    get title() { return _("Put the VF's representor in the bridge"); },
    get changes() { return _("Adds the VF's representor interface to the bridge that holds the PF, and brings it up."); },
    checks: [ovsChecks.ovsBridge],
    roles: ["source", "destination"],
    after: ["ovs-bridge-pf", "vf-migratable"],
    impact: NO_IMPACT,
    detect: ctx => {
        const no = noNic(ctx);
        if (no)
            return no;
        const s = fromChecks(ctx, [ovsChecks.ovsBridge]);
        // the status page's check passes once the representor of the VF it takes is in the PF's bridge, and up
        if (runCheck(ctx, ovsChecks.ovsBridge).verdict === "pass")
            return s;
        const nic = nicOf(ctx) as NicFacts;
        const vf = targetVf(nic);
        if (!vf?.representor)
            return status.unknown(_("Known once the VF and its representor exist (switchdev mode)"), s.evidence);
        const br = pfBridge(ctx, nic);
        const rep = vf.representor;
        const ports = br && ctx.facts.ovs.known ? ctx.facts.ovs.value.bridges[br] ?? [] : [];
        if (br && ports.includes(rep))
            return representorDown(ports, vf)
                ? status.needed(format(_("$0 is in bridge $1 but down"), rep, br), s.evidence)
                : status.done(format(_("$0 is in bridge $1"), rep, br), s.evidence);
        return status.needed(format(_("$0 is in no bridge with the PF"), rep), s.evidence);
    },
    guard: () => null,
    commands: ctx => {
        const nic = nicOf(ctx);
        const vf = nic && targetVf(nic);
        if (!nic || !vf?.representor)
            return [];
        return bridgeRepCommands(pfBridge(ctx, nic) ?? ctx.options.bridge, vf.representor).map(a => run(a));
    },
    undo: ctx => {
        const nic = nicOf(ctx);
        const vf = nic && targetVf(nic);
        const br = nic && pfBridge(ctx, nic);
        return vf?.representor && br ? [run(ovsDelPort(BridgeName.of(br), Netdev.of(vf.representor)))] : null;
    },
    script: ctx => stepScript(bridgeRepScript(scriptPf(ctx), scriptNetdev(ctx))),
};
