/*
 * The VMs the wizard works on: the running VMs of this host with the VFs they hold (libvirt-dbus), and the first
 * contact with the destination (its VM list over SSH, or its host key to confirm). The models that the UI follows
 * are built on these: vm-list.ts, destination-contact.ts; attaching a VF is attach-job.ts.
 */
import { ListDomainsFlags, type LibvirtClient } from "../libvirt";
import { measureDirtyRate } from "../migration/dirty-rate";
import type { HostTransport } from "../host/transport";
import { VmName } from "../host/values";
import { hostdevInterfaces, parseDomainXml } from "../parsers/libvirt-domain-xml";
import { virshListAll } from "../host/commands/virsh";
import { TransportError } from "../host/transport";
import type { HostKeyOffer } from "../host/ssh-argv";
import type { Destination } from "./hosts";
import { isHostKeyToConfirm } from "./host-model";

export type { LibvirtClient };

export interface RunningVm {
    name: string;
    /** the VF interfaces the VM holds now: host PCI address and MAC */
    vfs: { pci: string; mac: string | null }[];
    /** the domain XML could not be read or parsed */
    problem?: string;
}

/** The running VMs of this host, each with the VF it holds, from libvirt-dbus. */
export async function runningVms(libvirt: LibvirtClient): Promise<RunningVm[]> {
    const doms = await libvirt.listDomains(ListDomainsFlags.ACTIVE);
    const out: RunningVm[] = [];
    for (const d of doms.sort((a, b) => a.name.localeCompare(b.name))) {
        try {
            const xml = parseDomainXml(await libvirt.getXmlDesc(d, 0));
            out.push({ name: d.name, vfs: hostdevInterfaces(xml).filter(i => i.sourcePci).map(i => ({ pci: i.sourcePci as string, mac: i.mac ?? null })) });
        } catch (e) {
            out.push({ name: d.name, vfs: [], problem: e instanceof Error ? e.message : String(e) });
        }
    }
    return out;
}

/**
 * The VM the admin chose: its dirty-page rate measured from now, for the checks that follow, when libvirt showed it
 * with no VF (with one it cannot be; a VM whose XML was not read is left alone).
 */
export function measureAhead(local: HostTransport, vm: RunningVm): void {
    if (vm.vfs.length === 0 && !vm.problem && VmName.parse(vm.name).ok)
        measureDirtyRate(local, VmName.of(vm.name), { ahead: true }).catch(() => {});
}

export type Contact =
    | { status: "ok"; vms: number }
    | { status: "host-key"; offer: HostKeyOffer }
    | { status: "error"; message: string; detail: string };

/** First contact with the destination: its libvirt answers over SSH (how many VMs it defines), or its key to confirm. */
export async function contactDestination(d: Destination, signal?: AbortSignal): Promise<Contact> {
    try {
        const r = await d.transport.run(virshListAll(), { timeoutMs: 20_000, ...(signal ? { signal } : {}) });
        return { status: "ok", vms: r.stdout.split("\n").filter(l => l.trim()).length };
    } catch (e) {
        if (isHostKeyToConfirm(e)) {
            try {
                return { status: "host-key", offer: await d.ssh.offerHostKeys((e as TransportError).kind === "host-key-changed") };
            } catch (e2) {
                return { status: "error", message: e2 instanceof Error ? e2.message : String(e2), detail: "" };
            }
        }
        return { status: "error", message: e instanceof Error ? e.message : String(e), detail: e instanceof TransportError ? e.detail : "" };
    }
}
