import { _, format } from "../lib/cockpit";
import type { HostContext, HostFacts, NicFacts, OvsFacts } from "./facts";
import type { CheckDef, CheckResult } from "./types";
import { DOCS_VF_MIGRATION, commandFix, result, unknownResult } from "./helpers";
import { primaryNic } from "./hardware";
import {
    type OvsSettingRule, bridgePfCommands, bridgeRepCommands, ovsServiceRule, ovsSetting, ovsSettingOk, pfBridgeOf, representorBridged, representorDown,
} from "../rules/ovs";
import { targetVfOf } from "../rules/vf";

/** The bridge the preparation's default options create (src/steps DEFAULT_OPTIONS). */
const BR_VF = "br-vf";

function withOvs(id: string, ctx: HostContext, then: (o: OvsFacts) => CheckResult): CheckResult {
    const o = ctx.facts.ovs;
    if (!o.known)
        return unknownResult(id, o);
    if (!o.value.running)
        return result(id, "fail", _("Open vSwitch is not running"), o.evidence,
                      commandFix(undefined, ...ovsServiceRule.commands()));
    return then(o.value);
}

export const ovsRunning: CheckDef<HostContext> = {
    id: "ovs-running",
    group: "ovs",
    get title() { return _("Open vSwitch running"); },
    get description() { return _("The openvswitch service is active and answers ovs-vsctl."); },
    get why() { return _("In switchdev mode the PF forwards nothing until Open vSwitch does."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ctx => withOvs("ovs-running", ctx, o => {
        // running is not enough: the service rule also wants it started at boot
        const u = ctx.facts.units;
        const st = u.known ? u.value[ovsServiceRule.unit] : undefined;
        if (u.known && st && !ovsServiceRule.ok(st))
            return result("ovs-running", "warn", format(_("$0 runs but does not start at boot"), ovsServiceRule.unit), u.evidence,
                          commandFix(undefined, ...ovsServiceRule.commands()));
        return result("ovs-running", "pass", o.version ? format(_("Open vSwitch $0"), o.version) : _("Running"), ctx.facts.ovs.evidence);
    }),
};

function otherConfigCheck(rule: OvsSettingRule): CheckDef<HostContext> {
    const { checkId: id, key } = rule;
    return {
        id,
        group: "ovs",
        get title() { return _(rule.title); },
        get description() { return format(_("Open vSwitch's other_config:$0 is $1."), key, rule.value); },
        get why() { return _(rule.why); },
        docs: DOCS_VF_MIGRATION,
        evaluate: ctx => withOvs(id, ctx, o => {
            const v = o.otherConfig[key];
            const ev = ctx.facts.ovs.evidence.map(e => ({ command: e.command, lines: e.command.stdout.split("\n").filter(l => l.includes(key)) }));
            return ovsSettingOk(rule, v)
                ? result(id, "pass", format(_("$0=$1"), key, v), ev)
                : result(id, "fail", v === undefined ? format(_("$0 is not set"), key) : format(_("$0 is $1"), key, v), ev,
                         commandFix(undefined, ...rule.commands()));
        }),
    };
}

export const ovsHwOffloadCheck = otherConfigCheck(ovsSetting("ovs-hw-offload"));
export const ovsMaxIdleCheck = otherConfigCheck(ovsSetting("ovs-max-idle"));

export const ovsBridge: CheckDef<HostContext> = {
    id: "ovs-bridge",
    group: "ovs",
    get title() { return _("Bridge with the PF and the VF representor"); },
    get description() { return _("An Open vSwitch bridge holds the adapter's interface and the representor of the VF."); },
    get why() { return _("The VM's traffic reaches the network through the representor and the PF."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ctx => withOvs("ovs-bridge", ctx, o => {
        const nic = primaryNic(ctx.facts);
        const ev = ctx.facts.ovs.evidence;
        if (!nic?.netdev)
            return result("ovs-bridge", "unknown", _("No ConnectX-7 interface to look for"), ev);
        const reps = nic.vfs.map(v => v.representor).filter((r): r is string => !!r);
        // the fix is what the preparation runs: the PF, then the representor of the VF it would prepare (with no VF
        // left to prepare, the preparation adds none: the fix then names those of the VFs in use)
        const targetVf = targetVfOf(nic.vfs);
        const target = targetVf?.representor;
        const addTarget = (br: string) => (target ? [target] : reps).flatMap(r => bridgeRepCommands(br, r));
        const bridge = pfBridgeOf(o.bridges, nic.netdev);
        if (!bridge)
            return result("ovs-bridge", "fail", format(_("No bridge holds $0"), nic.netdev), ev,
                          commandFix(undefined, ...bridgePfCommands(BR_VF, nic.netdev), ...addTarget(BR_VF)));
        if (reps.length === 0)
            return result("ovs-bridge", "warn", format(_("Bridge $0 holds $1; no VF representor exists yet"), bridge, nic.netdev), ev);
        if (!representorBridged(o.bridges, nic.netdev, reps))
            return result("ovs-bridge", "fail", format(_("Bridge $0 holds $1 but no VF representor"), bridge, nic.netdev), ev,
                          commandFix(undefined, ...addTarget(bridge)));
        // the representor the migration goes through: that of the VF the preparation takes, not any VF's (with none
        // left, there is no step to run: the destination VF's own re-check before the call reads its representor)
        if (target && !o.bridges[bridge].includes(target))
            return result("ovs-bridge", "fail", format(_("Bridge $0 holds $1 but not $2, the representor of the VF a migration takes"), bridge, nic.netdev, target), ev,
                          commandFix(undefined, ...addTarget(bridge)));
        if (target && targetVf && representorDown(o.bridges[bridge], targetVf))
            return result("ovs-bridge", "fail", format(_("Bridge $0 holds $1, but the representor $2 is down: the VF's traffic stops there"),
                                                       bridge, nic.netdev, target),
                          [...ev, ...ctx.facts.nics.evidence.filter(e => e.command.argv.join(" ").startsWith("ip -d link"))
                              .map(e => ({ command: e.command, lines: e.command.stdout.split("\n").filter(l => l.includes(`: ${target}:`)) }))],
                          commandFix(undefined, ...bridgeRepCommands(bridge, target)));
        return result("ovs-bridge", "pass", format(_("Bridge $0: $1"), bridge, o.bridges[bridge].join(", ")), ev);
    }),
};

/** The Open vSwitch bridge that holds this adapter's PF on the host read, if any (Open vSwitch read, the PF's interface known). */
export function pfBridgeIn(f: HostFacts, nic: NicFacts | null | undefined): string | null {
    return nic?.netdev && f.ovs.known ? pfBridgeOf(f.ovs.value.bridges, nic.netdev) : null;
}

export const OVS_CHECKS = [ovsRunning, ovsHwOffloadCheck, ovsMaxIdleCheck, ovsBridge];
