/*
 * Reading a host: the probe (one round trip once the adapters are known), the discovery before it, and the second
 * round that names the VM holding each VF. The adapters found are remembered across page loads, so the first
 * refresh of a known host needs no discovery.
 */
import type { HostTransport } from "../host/transport";
import { PciAddress } from "../host/values";
import { buildFacts, discoveredPfs, type ProbeOutcome } from "../checks/gather";
import type { HostFacts } from "../checks/facts";
import { DISCOVERY, probePlan } from "../checks/plan";
import { runningVmNames, vfHolders, vmXmlArgvs, vmsToRead, withHolders } from "../checks/holders";

export interface HostReading {
    facts: HostFacts;
    /** the running VMs (the probe's `virsh list`); null when virsh could not tell */
    vms: string[] | null;
    /** round trips of the probe (1 once the adapters are known) */
    roundTrips: number;
}

async function probeOnce(t: HostTransport, pfs: string[] | null, superuser: boolean, signal?: AbortSignal): Promise<ProbeOutcome> {
    const items = pfs === null ? DISCOVERY : probePlan(pfs.map(p => PciAddress.of(p)));
    const r = await t.probe(items.map(i => ({ argv: i.argv })), { superuser, signal });
    return { host: t.host, items, records: r.records, ...(r.problem ? { problem: r.problem } : {}) };
}

/** The facts with each VF's VM named: a second round reads the running VMs' XML, only when a VF is on VFIO. */
async function namingHolders(t: HostTransport, names: string[], facts: HostFacts, superuser: boolean, signal?: AbortSignal): Promise<HostFacts> {
    if (names.length === 0)
        return facts;
    try {
        const r = await t.probe(vmXmlArgvs(names).map(argv => ({ argv })), { superuser, signal });
        return withHolders(facts, vfHolders(r.records.map((result, i) => ({ name: names[i], result }))));
    } catch {
        // the VFs stay "bound to mlx5_vfio_pci", which every guard treats as taken
        return facts;
    }
}

const pfsKey = (host: string) => `vf-migration:pfs:${host}`;

/** The adapters found on a host last time; null when none are remembered. */
export function rememberedPfs(host: string): string[] | null {
    try {
        const v = JSON.parse(localStorage.getItem(pfsKey(host)) ?? "null") as unknown;
        return Array.isArray(v) && v.every(p => PciAddress.parse(p).ok) ? v as string[] : null;
    } catch {
        return null;
    }
}

/**
 * Reads a host's facts. `known`: the adapters from last time (null: discover them first). Resolves with the
 * reading and the adapters now known; rejects when the host cannot be reached.
 */
export async function readHost(t: HostTransport, known: string[] | null, superuser: boolean,
                               signal?: AbortSignal): Promise<HostReading & { pfs: string[] | null }> {
    let pfs = known;
    let trips = 0;
    let outcome: ProbeOutcome;
    for (;;) {
        outcome = await probeOnce(t, pfs, superuser, signal);
        trips++;
        const lspci = outcome.records[outcome.items.findIndex(i => i.key === DISCOVERY[0].key)];
        const found = discoveredPfs(lspci);
        if (pfs !== null && found.join() === pfs.join())
            break;
        if (trips >= 3)
            break;
        pfs = found;
    }
    if (pfs)
        localStorage.setItem(pfsKey(t.host), JSON.stringify(pfs));
    const vmsAt = outcome.items.findIndex(i => i.key === "vms");
    const vms = vmsAt >= 0 ? runningVmNames(outcome.records[vmsAt]) : null;
    const plain = buildFacts(outcome);
    const facts = await namingHolders(t, vmsToRead(plain, vms), plain, superuser, signal);
    return { facts, vms, roundTrips: trips, pfs };
}
