/*
 * Open vSwitch's settings and service, declared once: the status checks (src/checks/ovs.ts), the steps
 * (src/steps/defs-ovs.ts), their undo and the exports' bash guards are derived from here.
 */
import { N_ } from "../lib/cockpit";
import type { Argv } from "../host/argv";
import { ovsSetOtherConfig, ovsRemoveOtherConfig } from "../host/commands/ovs";
import { systemctlRestart } from "../host/commands/systemd";
import { serviceRule } from "./services";
import { quoteArgv } from "../host/quote";
import { BridgeName, Netdev, type PciAddress } from "../host/values";
import { ovsAddBridge, ovsAddPort } from "../host/commands/ovs";
import { ipLinkSetUp } from "../host/commands/ip";
import type { RuleScript } from "./sriov";

export const OVS_UNIT = "openvswitch.service" as const;

/** The service must be active and enabled at boot. */
export const ovsServiceRule = serviceRule(OVS_UNIT);

export interface OvsSettingRule {
    checkId: "ovs-hw-offload" | "ovs-max-idle";
    key: "hw-offload" | "max-idle";
    value: string;
    /** message ids (N_) */
    title: string;
    why: string;
    /** Open vSwitch reads it only at start */
    restart: boolean;
    commands(): Argv[];
    undo(): Argv[];
}

export const OVS_SETTINGS: readonly OvsSettingRule[] = [
    {
        checkId: "ovs-hw-offload", key: "hw-offload", value: "true", restart: true,
        title: N_("Open vSwitch hardware offload"),
        why: N_("Flows between the PF and the VF representors are offloaded to the adapter."),
        commands: () => [ovsSetOtherConfig("hw-offload", "true"), systemctlRestart(OVS_UNIT)],
        undo: () => [ovsSetOtherConfig("hw-offload", "false"), systemctlRestart(OVS_UNIT)],
    },
    {
        checkId: "ovs-max-idle", key: "max-idle", value: "300000", restart: false,
        title: N_("Open vSwitch flow idle time"),
        why: N_("Keeps the VF's flows alive during the migration instead of expiring them after 10 s."),
        commands: () => [ovsSetOtherConfig("max-idle", "300000")],
        undo: () => [ovsRemoveOtherConfig("max-idle")],
    },
];

export function ovsSetting(id: OvsSettingRule["checkId"]): OvsSettingRule {
    const r = OVS_SETTINGS.find(x => x.checkId === id);
    if (!r)
        throw new Error(`no Open vSwitch rule ${id}`);
    return r;
}

/** The setting as ovs-vsctl reads it is right. */
export const ovsSettingOk = (rule: OvsSettingRule, value: string | undefined): boolean => value === rule.value;

/** The bash test of the same (ovs-vsctl prints the value quoted). */
export const ovsSettingShell = (rule: OvsSettingRule): string =>
    `[ "$(ovs-vsctl get Open_vSwitch . other_config:${rule.key} 2>/dev/null)" = ${quoteArgv([`"${rule.value}"`])} ]`;

/*
 * The bridge: one holds the PF's interface and the representor of one of its VFs (the page adds the one of the VF it
 * prepares, src/rules/vf.ts targetVfOf; the script that of vfm_target_vf).
 */

/**
 * `ovs-vsctl show`'s bridges as bridge → port names, keeping only names a bridge and an interface can have (a name
 * the page would refuse to put in a command is never offered to one).
 */
export function bridgePortsOf(show: { bridges: readonly { name: string; ports: readonly { name: string }[] }[] }): Record<string, string[]> {
    return Object.fromEntries(show.bridges.filter(b => BridgeName.parse(b.name).ok)
            .map(b => [b.name, b.ports.map(p => p.name).filter(n => Netdev.parse(n).ok)]));
}

/** The bridge that holds the PF's interface, if any. */
export const pfBridgeOf = (bridges: Record<string, readonly string[]>, netdev: string): string | null =>
    Object.entries(bridges).find(([, ports]) => ports.includes(netdev))?.[0] ?? null;

/** Some VF's representor is in the PF's bridge. */
export function representorBridged(bridges: Record<string, readonly string[]>, netdev: string, reps: readonly string[]): boolean {
    const br = pfBridgeOf(bridges, netdev);
    return br !== null && reps.some(r => bridges[br].includes(r));
}

export const bridgePfCommands = (bridge: string, netdev: string): Argv[] =>
    [ovsAddBridge(BridgeName.of(bridge)), ovsAddPort(BridgeName.of(bridge), Netdev.of(netdev))];
/** The representor in the bridge, and up: the kernel creates it down, and Open vSwitch does not bring a port up. */
export const bridgeRepCommands = (bridge: string, rep: string): Argv[] =>
    [ovsAddPort(BridgeName.of(bridge), Netdev.of(rep)), ipLinkSetUp(Netdev.of(rep))];

/** The VF's representor is in the bridge but down (its link state not known: not called down). */
export const representorDown = (bridgePorts: readonly string[], vf: { representor: string | null; representorUp?: boolean | null }): boolean =>
    !!vf.representor && bridgePorts.includes(vf.representor) && vf.representorUp === false;

/** The management guard first: from then on Open vSwitch forwards the PF's traffic. */
export const bridgePfScript = (dev: Netdev, bridge: BridgeName): RuleScript => ({
    done: `ovs-vsctl port-to-br ${quoteArgv([dev])} >/dev/null 2>&1`,
    run: [`vfm_guard_mgmt ${quoteArgv([dev])}`, `vfm_guard_pf_addresses ${quoteArgv([dev])}`, ...bridgePfCommands(bridge, dev)],
});

export function bridgeRepScript(pf: PciAddress, dev: Netdev): RuleScript {
    const [p, d] = [quoteArgv([pf]), quoteArgv([dev])];
    return {
        done: `vfm_rep_bridged ${p} ${d}`,
        run: [`i=$(vfm_target_vf ${p}) && rep=$(vfm_vf_rep ${p} "$i") && [ -n "$rep" ] || vfm_refuse 'the VF of' ${p} 'has no representor'`,
            `ovs-vsctl --may-exist add-port "$(ovs-vsctl port-to-br ${d})" "$rep"`, `ip link set dev "$rep" up`],
    };
}

/*
 * The VLAN of the VF's representor port. A guest's VLAN is set on its representor's port in Open vSwitch, not in the
 * guest; the destination's representor port must carry what the source's does, or the guest is cut from its network
 * once there. `ovs-vsctl show` prints a port's "tag: 100" and "trunks: [10, 20]", each only when set (not its
 * vlan_mode). ovs-vswitchd.conf.db(5): a tag makes an access port (trunks then unused); no tag and no trunks, a port
 * that carries every VLAN, the guest's own tags included.
 */
export interface PortVlan { tag: number | null; trunks: number[] }

const vlanId = (s: string): number | null => (/^\d{1,4}$/.test(s) && Number(s) <= 4095 ? Number(s) : null);

/** The port's VLAN; null when no such port, or a value that is not a VLAN number. */
export function portVlanOf(show: { bridges: readonly { ports: readonly { name: string; columns: Record<string, string> }[] }[] },
                           port: string): PortVlan | null {
    const p = show.bridges.flatMap(b => b.ports).find(x => x.name === port);
    if (!p)
        return null;
    const tag = p.columns.tag === undefined ? null : vlanId(p.columns.tag);
    const trunks = (p.columns.trunks ?? "").replace(/^\[|\]$/g, "").split(",").map(t => t.trim()).filter(Boolean).map(vlanId);
    if ((p.columns.tag !== undefined && tag === null) || trunks.some(t => t === null))
        return null;
    return { tag, trunks: (trunks as number[]).sort((a, b) => a - b) };
}

/** The destination's port carries the guest's traffic as the source's does: the same access tag, or the same trunked VLANs and more. */
export function carriesVlan(source: PortVlan, destination: PortVlan): boolean {
    if (source.tag !== null)
        return destination.tag === source.tag;
    if (destination.tag !== null)
        return false;
    if (destination.trunks.length === 0)
        return true;
    return source.trunks.length > 0 && source.trunks.every(t => destination.trunks.includes(t));
}
