/*
 * Reading a host: the probe (one round trip once the adapters are known), the discovery before it, and the second
 * round that names the VM holding each VF. The adapters found are remembered across page loads, so the first
 * refresh of a known host needs no discovery.
 */
import type { HostTransport } from "../host/transport";
import { PciAddress } from "../host/values";
import { buildFacts, discoveredPfs, type ProbeOutcome } from "../checks/gather";
import type { HostFacts } from "../checks/facts";
import { DISCOVERY, probePlan, type ProbeItem } from "../checks/plan";
import { runningVmNames, vfHolders, vmXmlArgvs, vmsToRead, withHolders } from "../checks/holders";

export interface HostReading {
    facts: HostFacts;
    /** the running VMs (the probe's `virsh list`); null when virsh could not tell */
    vms: string[] | null;
    /** round trips of the probe (1 once the adapters are known) */
    roundTrips: number;
}

type Outcome = ProbeOutcome;

/** The slow commands' answers (the firmware query), for the adapters they were read for. */
export interface SlowPart {
    pfs: string;
    records: Outcome["records"];
}

async function probeItems(t: HostTransport, items: readonly ProbeItem[], superuser: boolean, signal?: AbortSignal): Promise<Outcome> {
    const r = await t.probe(items.map(i => ({ argv: i.argv })), { superuser, signal });
    return { host: t.host, items, records: r.records, ...(r.problem ? { problem: r.problem } : {}) };
}

/**
 * One probe of the host; once the adapters are known, the slow commands run in a probe of their own beside the
 * others, and `onFast` gets the fast part as soon as it comes (its slow facts still being read).
 */
async function probeOnce(t: HostTransport, pfs: string[] | null, superuser: boolean, signal?: AbortSignal,
                         onFast?: (fast: Outcome) => void, kept?: SlowPart | null): Promise<Outcome> {
    const items = pfs === null ? DISCOVERY : probePlan(pfs.map(p => PciAddress.of(p)));
    const slow = items.filter(i => i.slow);
    const fast = items.filter(i => !i.slow);
    if (kept && kept.pfs === pfs?.join()) {
        const f = await probeItems(t, fast, superuser, signal);
        return f.records.length < fast.length ? f : { ...f, items: [...fast, ...slow], records: [...f.records, ...kept.records] };
    }
    // no await on this host: the page's first drawing would run in between (measured: 175 ms before the probe left)
    if (!onFast || slow.length === 0 || (t.together && !await t.together()))
        return probeItems(t, items, superuser, signal);
    const late = probeItems(t, slow, superuser, signal);
    late.catch(() => {});
    const f = await probeItems(t, fast, superuser, signal);
    onFast({ ...f, reading: slow.map(i => i.key) });
    const l = await late;
    // records stay aligned with their items: a probe that stopped early keeps only the items it answered
    return {
        host: t.host, items: [...fast.slice(0, f.records.length), ...slow.slice(0, l.records.length)], records: [...f.records, ...l.records],
        ...(f.problem ?? l.problem ? { problem: f.problem ?? l.problem } : {}),
    };
}

/** PCI address → the running VM that holds it: a second round reads the VMs' XML, only when a VF is on VFIO. */
async function readHolders(t: HostTransport, names: string[], superuser: boolean, signal?: AbortSignal): Promise<Map<string, string>> {
    if (names.length === 0)
        return new Map();
    try {
        const r = await t.probe(vmXmlArgvs(names).map(argv => ({ argv })), { superuser, signal });
        return vfHolders(r.records.map((result, i) => ({ name: names[i], result })));
    } catch {
        // the VFs stay "bound to mlx5_vfio_pci", which every guard treats as taken
        return new Map();
    }
}

/** The slow commands' answers, to be reused by the next read: only when each came whole and succeeded. */
function slowPart(o: Outcome, pfs: string[] | null): SlowPart | null {
    const records = o.items.flatMap((it, i) => (it.slow ? [o.records[i]] : []));
    const clean = records.every(r => r?.exitStatus === 0 && !r.truncated?.stdout);
    return pfs && !o.problem && records.length && clean ? { pfs: pfs.join(), records } : null;
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
 * reading and the adapters now known; rejects when the host cannot be reached. `early` gets the facts read so far
 * while the slow commands still run (the status page shows their verdicts first).
 */
export async function readHost(t: HostTransport, known: string[] | null, superuser: boolean, signal?: AbortSignal,
                               early?: (r: HostReading) => void, kept?: SlowPart | null): Promise<HostReading & { pfs: string[] | null; slow: SlowPart | null }> {
    let pfs = known;
    let trips = 0;
    let outcome: Outcome;
    const vmsOf = (o: Outcome) => {
        const at = o.items.findIndex(i => i.key === "vms");
        return at >= 0 ? runningVmNames(o.records[at]) : null;
    };
    // the holders read for the early facts, reused by the full ones when they ask for the same VMs
    let holders: { names: string; map: Promise<Map<string, string>> } | null = null;
    const holdersOf = (names: string[]) => {
        if (holders?.names !== names.join("\n"))
            holders = { names: names.join("\n"), map: readHolders(t, names, superuser, signal) };
        return holders.map;
    };
    let done = false;
    const onFast = (fast: Outcome) => {
        const lspci = fast.records[fast.items.findIndex(i => i.key === DISCOVERY[0].key)];
        if (!early || pfs === null || discoveredPfs(lspci).join() !== pfs.join())
            return;
        const vms = vmsOf(fast);
        const plain = buildFacts(fast);
        void holdersOf(vmsToRead(plain, vms)).then(map => {
            if (!done)
                early({ facts: withHolders(plain, map), vms, roundTrips: trips + 1 });
        });
    };
    const readAll = async (): Promise<HostReading & { pfs: string[] | null; slow: SlowPart | null }> => {
        for (;;) {
            outcome = await probeOnce(t, pfs, superuser, signal, early && pfs !== null ? onFast : undefined, trips === 0 ? kept : null);
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
        const vms = vmsOf(outcome);
        const plain = buildFacts(outcome);
        const facts = withHolders(plain, await holdersOf(vmsToRead(plain, vms)));
        return { facts, vms, roundTrips: trips, pfs, slow: slowPart(outcome, pfs) };
    };
    try {
        return await readAll();
    } finally {
        // early facts never come after the reading ended, whether it succeeded or failed
        done = true;
    }
}
