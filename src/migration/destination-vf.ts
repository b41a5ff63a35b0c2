/*
 * The destination VF, checked again right before MigrateToURI3: the checks ran minutes (or days) earlier, and
 * another VM may have taken the VF since, or someone unbound it or turned `migratable` off. One probe round trip
 * over the destination's SSH connection reads the VF's driver, its PF and sibling links, devlink's ports, the
 * running VMs, the links (the VF's representor must be up) and Open vSwitch's bridges (the representor must be in
 * the PF's bridge); a second one, only when VMs run there and the VF is on a VFIO driver, reads their live XML to
 * name the VM that holds the VF.
 */
import { _, format } from "../lib/cockpit";
import { ipLinkDetails } from "../host/commands/ip";
import { ovsShow } from "../host/commands/ovs";
import { virshListRunning } from "../host/commands/virsh";
import type { CommandResult, HostTransport, ProbeCommand } from "../host/transport";
import type { Evidence, Finding } from "../checks/types";
import { PciAddress } from "../host/values";
import { findPhysicalPort, parse } from "../parsers";
import { bridgePortsOf, pfBridgeOf, portVlanOf, type PortVlan } from "../rules/ovs";
import { runningVmNames, vfHolders, vmXmlArgvs, type VmXmlRead } from "../checks/holders";
import { isAttachableDriver, isVfioDriver } from "../rules/vf";
import { commandEvidence } from "./evidence";
import { readVf, vfReadCommands } from "./vf-read";

/**
 * The re-check as a finding (pass: free and migratable, the migration may start; fail: refused; unknown: not
 * started either), with what it read of the VF.
 */
export interface VfRecheck extends Finding<"destination-vf-recheck" | "source-vf-recheck" | "vlan-mismatch"> {
    vf: string;
    /** "none" when bound to no driver; null when not read */
    driver: string | null;
    pf: string | null;
    port: string | null;
    migratable: boolean | null;
    /** the running VM whose live XML names the VF (this host's VF: the VM being migrated) */
    usedBy: string | null;
    /** the VF's representor and the VLAN of its Open vSwitch port (null: not read), when the check read them */
    vlan?: { rep: string; vlan: PortVlan | null };
}

/** A re-check that read nothing of the VF (no destination, the connection failed): unknown, `summary` says why. */
export function vfNotRead(vf: string, summary: string, evidence: Evidence[] = []): VfRecheck {
    return {
        id: "destination-vf-recheck", title: _("The destination VF, checked again before the migration"), verdict: "unknown",
        summary, details: [], evidence, vf, driver: null, pf: null, port: null, migratable: null, usedBy: null,
    };
}

/** A destination VF's representor found down: said by the plan of an evacuation and by the re-check before a call. */
export const representorDownText = (vf: string, rep: string): string =>
    format(_("The representor $1 of the destination VF $0 is down: the VM's traffic would stop there. Bring it up (ip link set dev $1 up), or prepare the destination again."), vf, rep);

/** A destination VF's representor found outside the PF's bridge: said by the plan of an evacuation and by the re-check before a call. */
export const representorUnbridgedText = (vf: string, rep: string, bridge: string): string =>
    format(_("The representor $1 of the destination VF $0 is not in bridge $2: the VM would have no network there. Add it (ovs-vsctl add-port $2 $1), or prepare the destination again."),
           vf, rep, bridge);

/** Round 1: what one probe reads (in this order). */
export function recheckCommands(vf: PciAddress): ProbeCommand[] {
    return [...vfReadCommands(vf), { argv: virshListRunning() }, { argv: ipLinkDetails() }, { argv: ovsShow() }];
}

/** Round 2: the live XML of each running VM. */
export const vmXmlCommands = (names: readonly string[]): ProbeCommand[] => vmXmlArgvs(names).map(argv => ({ argv }));

/** The running VM (of `xmls`) whose live XML names `vf`; null when none does. */
export function holderOf(vf: string, xmls: readonly VmXmlRead[]): string | null {
    return vfHolders(xmls).get(vf.toLowerCase()) ?? null;
}

/** The verdict from both rounds' records (pure). `holders` is empty when no VM runs there. */
export function judgeDestinationVf(vfIn: PciAddress, r: readonly CommandResult[],
                                   holders: readonly { name: string; result: CommandResult }[]): VfRecheck {
    const vf = PciAddress.of(vfIn);
    const out = vfNotRead(vf, "", [...r, ...holders.map(h => h.result)].map(c => commandEvidence(c)));
    const refuse = (summary: string): VfRecheck => ({ ...out, verdict: "fail", summary });
    const unknownBecause = (summary: string): VfRecheck => ({ ...out, verdict: "unknown", summary });
    const [, , , , , linkRec, ovsRec] = r;
    const read = readVf(vf, r);
    if (read.kind === "unanswered")
        return unknownBecause(_("The destination did not answer the VF check"));
    if (read.kind === "gone")
        return refuse(format(_("The VF $0 no longer exists on the destination (its VFs may have been removed, or the host rebooted)"), vf));
    out.driver = read.driver;
    out.pf = read.pf;
    out.usedBy = holderOf(vf, holders);
    if (out.usedBy)
        return refuse(format(_("The destination VF $0 is now used by the VM $1: it was taken after the checks. Choose another VF (back to the checks)."), vf, out.usedBy));
    if (!isAttachableDriver(out.driver))
        return refuse(format(_("The destination VF $0 is bound to $1: libvirt needs it unbound (or on mlx5_core) to bind mlx5_vfio_pci"), vf, out.driver));
    if (read.kind === "no-port")
        return read.ports === null
            ? unknownBecause(format(_("The devlink port of the destination VF $0 could not be read"), vf))
            : refuse(format(_("The destination VF $0 has no devlink port: is the e-switch still in switchdev mode?"), vf));
    const { port, ports } = read;
    out.port = port.handle;
    out.migratable = port.function?.migratable ?? null;
    if (out.migratable !== true)
        return refuse(format(_("The destination VF $0 is not migratable any more (devlink port $1): set “migratable enable” while it is unbound"), vf, port.handle));
    // the kernel creates representors down (after a reboot, or VFs made again): the VM's traffic would stop there
    const links = port.netdev && linkRec?.exitStatus === 0 ? parse("ip-link", linkRec.stdout) : undefined;
    const rep = links?.ok ? links.value.links.find(l => l.name === port.netdev) : undefined;
    if (rep && !rep.up)
        return refuse(representorDownText(vf, rep.name));
    // and Open vSwitch forwards it only from the PF's bridge (the checks looked at the VF the preparation took)
    const uplink = findPhysicalPort(ports, out.pf)?.netdev;
    if (!port.netdev || !uplink)
        return unknownBecause(format(_("devlink names no representor of the destination VF $0, or no interface of its PF: its bridge cannot be checked"), vf));
    if (!ovsRec)
        return unknownBecause(_("The destination's answer stopped before Open vSwitch was read"));
    const ovs = ovsRec.exitStatus === 0 ? parse("ovs-vsctl-show", ovsRec.stdout) : undefined;
    if (!ovs?.ok)
        return unknownBecause(format(_("Open vSwitch on the destination could not be read (ovs-vsctl show): whether the representor $0 is in a bridge is not known"),
                                     port.netdev));
    const bridges = bridgePortsOf(ovs.value);
    const bridge = pfBridgeOf(bridges, uplink);
    if (bridge === null)
        return refuse(format(_("No Open vSwitch bridge holds $0, the PF of the destination VF $1: the VM would have no network there. Prepare the destination again."),
                             uplink, vf));
    if (!bridges[bridge].includes(port.netdev))
        return refuse(representorUnbridgedText(vf, port.netdev, bridge));
    const state = out.driver === "none" ? _("free, unbound, migratable")
        : out.driver === "mlx5_core" ? _("free, on mlx5_core (libvirt moves it to mlx5_vfio_pci), migratable")
            : _("free, already on mlx5_vfio_pci, no VM uses it, migratable");
    return { ...out, verdict: "pass", summary: format(_("Destination VF $0: $1"), vf, state), vlan: { rep: port.netdev, vlan: portVlanOf(ovs.value, port.netdev) } };
}

/**
 * Both rounds on the destination's transport. A transport failure is thrown (TransportError). When libvirt on the
 * destination does not answer `virsh list`, the VF is judged by its driver alone and the migration call is left to
 * report libvirt's own error.
 */
export async function recheckDestinationVf(t: HostTransport, vfIn: PciAddress): Promise<VfRecheck> {
    const vf = PciAddress.of(vfIn);
    const first = await t.probe(recheckCommands(vf), { perCommandTimeoutS: 15 });
    if (first.records.length < 4)
        return { ...judgeDestinationVf(vf, first.records, []), verdict: "unknown",
            summary: format(_("The destination VF $0 could not be checked: $1"), vf, first.problem ?? "") };
    const names = runningVmNames(first.records[4]);
    if (names === null) {
        const j = judgeDestinationVf(vf, first.records, []);
        if (j.verdict !== "pass")
            return j;
        if (j.driver === "mlx5_vfio_pci")
            return { ...j, verdict: "unknown", summary: format(_("The destination VF $0 is bound to mlx5_vfio_pci, and libvirt on the destination does not say which VM uses it (virsh list failed)"), vf) };
        return { ...j, summary: `${j.summary} ${_("(libvirt on the destination did not answer virsh list)")}` };
    }
    // a VM that has started holds its VF through a VFIO driver: for a VF unbound or on mlx5_core no XML is read, which
    // spares waiting on the VMs still migrating to this host (libvirt answers their live XML only once that ends).
    // A VM libvirt is starting right now may be listed before its VF is bound: the call then gets libvirt's refusal.
    const read = readVf(vf, first.records);
    const mayBeHeld = (read.kind === "read" || read.kind === "no-port") && isVfioDriver(read.driver);
    let holders: { name: string; result: CommandResult }[] = [];
    if (names.length > 0 && mayBeHeld) {
        const second = await t.probe(vmXmlCommands(names), { perCommandTimeoutS: 15 });
        holders = second.records.map((result, i) => ({ name: names[i], result }));
    }
    return judgeDestinationVf(vf, first.records, holders);
}
