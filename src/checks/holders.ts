/*
 * Which running VM holds which VF. Neither sysfs nor devlink says it: only libvirt's live XML of each running VM
 * names the PCI addresses assigned to it. The status probe lists the running VMs; when a VF is bound to a VFIO
 * driver (no VM can hold one otherwise), a second round reads those VMs' XML, and each VF named there gets its VM.
 */
import { virshDumpXml } from "../host/commands/virsh";
import type { Argv } from "../host/argv";
import { VmName } from "../host/values";
import { assignedPciAddresses, parseDomainXml } from "../parsers/libvirt-domain-xml";
import type { HostFacts } from "./facts";
import type { CommandEvidence } from "./types";
import { isVfioDriver } from "../rules/vf";

/** What a VM's XML read returned (its exit status and output). */
export interface VmXmlRead { name: string; result: Pick<CommandEvidence, "exitStatus" | "stdout"> }

/** The running VMs as `virsh list --name` printed them; null when it could not tell (not root, libvirt down). */
export function runningVmNames(listing: Pick<CommandEvidence, "exitStatus" | "stdout"> | undefined): string[] | null {
    if (!listing || listing.exitStatus !== 0)
        return null;
    return listing.stdout.split("\n").map(l => l.trim()).filter(l => l !== "" && VmName.parse(l).ok);
}


/** The VMs whose XML must be read to name the holders: none unless some VF is on a VFIO driver. */
export function vmsToRead(facts: HostFacts, running: readonly string[] | null): string[] {
    if (!running || !facts.nics.known || !facts.nics.value.some(n => n.vfs.some(v => isVfioDriver(v.driver))))
        return [];
    return [...running];
}

/** The read-only commands of the second round: each VM's live XML. */
export const vmXmlArgvs = (names: readonly string[]): Argv[] => names.map(n => virshDumpXml(VmName.of(n)));

/** PCI address (lower case) → the running VM whose live XML assigns it. An unreadable XML names nothing. */
export function vfHolders(reads: readonly VmXmlRead[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const { name, result } of reads) {
        if (result.exitStatus !== 0)
            continue; // it stopped in between
        try {
            for (const a of assignedPciAddresses(parseDomainXml(result.stdout)))
                if (!out.has(a.toLowerCase()))
                    out.set(a.toLowerCase(), name);
        } catch {
            // unreadable XML: that VM cannot be judged; the VF's driver still says it is taken
        }
    }
    return out;
}

/** The facts with each VF's `usedBy` set from `holders`. */
export function withHolders(facts: HostFacts, holders: ReadonlyMap<string, string>): HostFacts {
    if (!facts.nics.known || holders.size === 0)
        return facts;
    const nics = facts.nics.value.map(n => ({ ...n, vfs: n.vfs.map(v => ({ ...v, usedBy: holders.get(v.pci.toLowerCase()) ?? v.usedBy })) }));
    return { ...facts, nics: { ...facts.nics, value: nics } };
}
