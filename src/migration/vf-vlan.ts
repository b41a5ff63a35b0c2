/*
 * The VLAN the VM's traffic leaves in, here and there: the Open vSwitch port of this host's VF representor against
 * that of the destination VF's (read by the two re-checks right before the migration call).
 */
import { _, format } from "../lib/cockpit";
import { ovsSetPortVlan } from "../host/commands/ovs";
import { quoteArgv } from "../host/quote";
import { Netdev } from "../host/values";
import { carriesVlan, type PortVlan } from "../rules/ovs";
import type { HostFacts } from "../checks/facts";
import type { VfRecheck } from "./destination-vf";

const vlanText = (v: PortVlan): string =>
    v.tag !== null ? format(_("VLAN $0"), v.tag)
        : v.trunks.length ? format(_("VLANs $0 (trunk)"), v.trunks.join(", ")) : _("every VLAN (no tag)");

export interface RepVlan { rep: string; vlan: PortVlan }
/** a representor and its VLAN as far as they were read */
type MaybeRepVlan = { rep?: string | null; vlan?: PortVlan | null } | null | undefined;

/** The VLAN of a representor's Open vSwitch port as a host's facts read it (undefined: not read, or no such port). */
export const repVlanOf = (f: HostFacts, rep: string | null | undefined): PortVlan | undefined =>
    (rep && f.ovs.known ? f.ovs.value.vlans?.[rep] : undefined);

/** The same, null when Open vSwitch was read and the representor is in none of its bridges. */
export const repVlanOrUnbridged = (f: HostFacts, rep: string | null | undefined): PortVlan | null | undefined =>
    (rep && f.ovs.known && f.ovs.value.vlans ? f.ovs.value.vlans[rep] ?? null : undefined);

/**
 * Which of the free destination VFs a VM whose traffic leaves here in `here` gets (an index): the first whose
 * representor is read to carry it, else one whose VLAN is not read (its re-check before the call reads it), else the
 * first one, refused by the caller (`there` null: in no bridge, which the re-check refuses).
 */
export function vlanPick<T>(free: readonly T[], here: PortVlan | undefined, there: (f: T) => PortVlan | null | undefined): number {
    return [free.findIndex(f => { const v = there(f); return !here || (!!v && carriesVlan(here, v)) }), free.findIndex(f => there(f) === undefined), 0]
        .find(n => n >= 0) ?? 0;
}

/** A destination representor's VLAN that does not carry the source's, and the ovs-vsctl command that makes it do. */
export function vlanMismatchText(a: RepVlan, b: RepVlan): string {
    const fix = quoteArgv(ovsSetPortVlan(Netdev.of(b.rep), a.vlan.tag, a.vlan.tag === null ? a.vlan.trunks : []));
    return format(_("The VM's VF here leaves through $0 in $1; the destination VF's representor $2 is in $3: the VM would lose its network there. Make them the same on the destination: $4"),
                  a.rep, vlanText(a.vlan), b.rep, vlanText(b.vlan), fix);
}

/**
 * What refuses the move when both representors' VLANs were read and the destination's does not carry the source's
 * (the text with the fix); null when it carries it or either VLAN was not read.
 */
export function vlanRefusal(a: MaybeRepVlan, b: MaybeRepVlan): string | null {
    if (!a?.rep || !a.vlan || !b?.rep || !b.vlan || carriesVlan(a.vlan, b.vlan))
        return null;
    return vlanMismatchText({ rep: a.rep, vlan: a.vlan }, { rep: b.rep, vlan: b.vlan });
}

/** Both representors' VLANs read, the destination's carrying the source's. */
export const vlanMatchText = (a: RepVlan, b: RepVlan): string =>
    format(_("The VM's VF here leaves through $0 in $1; the destination VF's representor $2 is in $3"), a.rep, vlanText(a.vlan), b.rep, vlanText(b.vlan));

/**
 * The destination's re-check turned into a refusal (its own id, the VF itself being fine) when both representors'
 * VLANs were read and the destination's does not carry the source's; else null.
 */
export function vlanMismatch(source: VfRecheck | null, destination: VfRecheck): VfRecheck | null {
    const refused = vlanRefusal(source?.vlan, destination.vlan);
    return refused ? { ...destination, id: "vlan-mismatch", verdict: "fail", summary: refused } : null;
}
