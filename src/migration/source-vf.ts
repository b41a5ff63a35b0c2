/*
 * This host's VF, checked right before MigrateToURI3 beside the destination's: QEMU migrates a VF only when the VM
 * holds it through the variant driver mlx5_vfio_pci, and that driver offers migration only for a VF whose devlink
 * port function was `migratable` when it took the VF. A VF attached earlier by other means (plain vfio-pci, or
 * attached before `migratable` was set), and skipped by the attach stage, would otherwise fail only in QEMU, once
 * the destination is set up ("VFIO device doesn't support migration").
 */
import { _, format } from "../lib/cockpit";
import type { CommandResult, HostTransport } from "../host/transport";
import { PciAddress } from "../host/values";
import { commandEvidence } from "./evidence";
import { vfNotRead, type VfRecheck } from "./destination-vf";
import { readVf, vfReadCommands } from "./vf-read";
import { VARIANT_DRIVER } from "../rules/vf";
import { portVlanOf } from "../rules/ovs";
import { ovsShow } from "../host/commands/ovs";
import { parse } from "../parsers";

/** This host's VF check that read nothing of the VF: unknown, `summary` says why. */
export const sourceVfNotRead = (vf: string, summary: string, evidence: VfRecheck["evidence"] = []): VfRecheck =>
    ({ ...vfNotRead(vf, summary, evidence), id: "source-vf-recheck", title: _("This host's VF, checked before the migration") });

/** The verdict from the four reads (pure): pass only for mlx5_vfio_pci and a migratable port; the fifth, ovs-vsctl show, gives its VLAN. */
export function judgeSourceVf(vfIn: PciAddress, vm: string, r: readonly CommandResult[]): VfRecheck {
    const vf = PciAddress.of(vfIn);
    const out: VfRecheck = { ...sourceVfNotRead(vf, "", r.map(c => commandEvidence(c))), usedBy: vm };
    const is = (verdict: VfRecheck["verdict"], summary: string): VfRecheck => ({ ...out, verdict, summary });
    const read = readVf(vf, r);
    if (read.kind === "unanswered")
        return is("unknown", format(_("This host's VF $0 could not be read"), vf));
    if (read.kind === "gone")
        return is("fail", format(_("This host's VF $0 is gone"), vf));
    out.driver = read.driver;
    out.pf = read.pf;
    if (read.driver === "none")
        return is("fail", format(_("This host's VF $0 is bound to no driver, so $1 does not hold it through mlx5_vfio_pci: QEMU cannot migrate it. Detach it, then attach a prepared VF at the “VF attach” stage."), vf, vm));
    if (read.driver !== VARIANT_DRIVER)
        return is("fail", format(_("$1 holds this host's VF $0 through $2, not mlx5_vfio_pci: QEMU cannot migrate it. Detach it, then attach a prepared VF at the “VF attach” stage."),
                                 vf, vm, read.driver));
    if (read.kind === "no-port")
        return read.ports === null
            ? is("unknown", format(_("The devlink port of this host's VF $0 could not be read"), vf))
            : is("fail", format(_("This host's VF $0 has no devlink port: is the e-switch still in switchdev mode?"), vf));
    out.port = read.port.handle;
    out.migratable = read.port.function?.migratable ?? null;
    if (out.migratable !== true)
        return is("fail", format(_("This host's VF $0 is not migratable (devlink port $1): QEMU cannot migrate it. Detach it, then attach a prepared VF at the “VF attach” stage."),
                                 vf, read.port.handle));
    const ovs = r[4]?.exitStatus === 0 ? parse("ovs-vsctl-show", r[4].stdout) : undefined;
    return { ...is("pass", format(_("This host's VF $0: on mlx5_vfio_pci, migratable"), vf)),
        ...(read.port.netdev ? { vlan: { rep: read.port.netdev, vlan: ovs?.ok ? portVlanOf(ovs.value, read.port.netdev) : null } } : {}) };
}

/** One probe on this host: the VF's four reads, then Open vSwitch (its representor's VLAN); a transport failure is thrown (TransportError). */
export async function recheckSourceVf(t: HostTransport, vfIn: PciAddress, vm: string): Promise<VfRecheck> {
    const vf = PciAddress.of(vfIn);
    // as root: Open vSwitch's database socket is mode 0700 (socket-util-unix.c), so a login user reads no VLAN
    const res = await t.probe([...vfReadCommands(vf), { argv: ovsShow() }], { perCommandTimeoutS: 15, superuser: true });
    return judgeSourceVf(vf, vm, res.records);
}
