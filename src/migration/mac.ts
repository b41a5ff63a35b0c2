/*
 * A MAC address for the VF interface that no VM of either host uses: the MACs of every VM defined on this host
 * (live and persistent definitions, from libvirt-dbus) and on the destination (virsh dumpxml over SSH).
 */
import { virshDumpXml, virshListAll } from "../host/commands/virsh";
import type { HostTransport } from "../host/transport";
import { Mac, VmName } from "../host/values";
import { XmlDescFlags, type LibvirtClient } from "../libvirt";
import { parseDomainXml } from "../parsers/libvirt-domain-xml";

function macsIn(xml: string): string[] {
    try {
        return parseDomainXml(xml).interfaces.map(i => i.mac?.toLowerCase()).filter((m): m is string => !!m);
    } catch {
        return [];
    }
}

export interface MacsInUse {
    macs: Set<string>;
    /** how many VMs were looked at on each host */
    sourceVms: number;
    destinationVms: number;
}

export async function macsInUse(libvirt: LibvirtClient, destination: HostTransport): Promise<MacsInUse> {
    const macs = new Set<string>();
    const doms = await libvirt.listDomains(0);
    for (const d of doms) {
        macsIn(await libvirt.getXmlDesc(d, 0)).forEach(m => macs.add(m));
        if (d.active && d.persistent)
            macsIn(await libvirt.getXmlDesc(d, XmlDescFlags.INACTIVE)).forEach(m => macs.add(m));
    }
    const list = await destination.run(virshListAll());
    if (list.exitStatus !== 0)
        throw new Error(list.stderr.trim() || "virsh list failed on the destination");
    const names = list.stdout.split("\n").map(l => l.trim()).filter(l => l !== "" && VmName.parse(l).ok);
    for (const n of names) {
        for (const inactive of [false, true]) {
            const r = await destination.run(virshDumpXml(VmName.of(n), { inactive }));
            if (r.exitStatus === 0)
                macsIn(r.stdout).forEach(m => macs.add(m));
        }
    }
    return { macs, sourceVms: doms.length, destinationVms: names.length };
}

/** 52:54:00:xx:xx:xx (the prefix libvirt itself uses for QEMU guests), random, not in `used`. */
export function uniqueMac(used: ReadonlySet<string>, random: () => number = () => crypto.getRandomValues(new Uint8Array(1))[0]): Mac {
    for (;;) {
        const tail = [random(), random(), random()].map(b => (b & 0xff).toString(16).padStart(2, "0"));
        const mac = ["52", "54", "00", ...tail].join(":");
        if (!used.has(mac))
            return Mac.of(mac);
    }
}
