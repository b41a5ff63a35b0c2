/*
 * Attaching a VF of this host to the VM before the migration: which VF interfaces the VM holds (running and
 * persistent definitions), the interface's XML and the virsh line that does the same, and the attach itself,
 * read back afterwards.
 */
import { _, format } from "../lib/cockpit";
import { hostdevInterfaceXml } from "../host/xml";
import { PciAddress, type Mac } from "../host/values";
import { AffectFlags, XmlDescFlags, virshEq, type LibvirtClient } from "../libvirt";
import { hostdevInterfaces, parseDomainXml } from "../parsers/libvirt-domain-xml";

export interface HeldVf { pci: string; mac: string | null }

/** The VF interfaces the VM holds in its running and persistent definitions. */
export async function heldVfs(libvirt: LibvirtClient, vm: string): Promise<{ live: HeldVf[]; config: HeldVf[] }> {
    const dom = await libvirt.lookupByName(vm);
    const [live, config] = await Promise.all([libvirt.getXmlDesc(dom, 0), libvirt.getXmlDesc(dom, XmlDescFlags.INACTIVE)]);
    const vfs = (xml: string) => hostdevInterfaces(parseDomainXml(xml)).filter(i => i.sourcePci)
        .map(i => ({ pci: i.sourcePci as string, mac: i.mac ?? null }));
    return { live: vfs(live), config: vfs(config) };
}

export const ATTACH_FLAGS = AffectFlags.LIVE | AffectFlags.CONFIG;

/**
 * The hostdev interface for this VF and MAC, with the variant driver pinned: libvirt (10.0 or later, which the
 * libvirt-version check asks of both hosts) would otherwise pick it from modules.alias, and a host where that
 * lookup falls back to plain vfio-pci would attach a VF that cannot migrate (review R18).
 */
export const vfInterfaceXml = (mac: Mac, vf: string): string =>
    hostdevInterfaceXml({ mac, vf: PciAddress.of(vf), driverModel: "mlx5_vfio_pci" });

/** The virsh line that attaches the XML saved as `file`, live and persistently. */
export const attachVirshLine = (vm: string, file: string): readonly string[] => virshEq.attachDevice(vm, file, ATTACH_FLAGS);

/** Attaches the interface live and persistently; resolves with what the VM holds afterwards, checked. */
export async function attachVf(libvirt: LibvirtClient, vm: string, xml: string, vf: string): Promise<HeldVf | null> {
    const dom = await libvirt.lookupByName(vm);
    await libvirt.attachDevice(dom, xml, ATTACH_FLAGS);
    const after = await heldVfs(libvirt, vm);
    if (!after.live.some(v => v.pci === vf) || !after.config.some(v => v.pci === vf))
        throw new Error(format(_("libvirt accepted the device, but the VM's definition does not name $0 afterwards"), vf));
    return after.live.find(v => v.pci === vf) ?? null;
}
