import { useCallback, useEffect, useRef, useState } from "react";
import type { HostTransport } from "../../host/transport";
import { TransportError } from "../../host/transport";
import { PciAddress } from "../../host/values";
import { buildFacts, discoveredPfs, type ProbeOutcome } from "../../checks/gather";
import type { HostFacts } from "../../checks/facts";
import { DISCOVERY, probePlan } from "../../checks/plan";
import { runningVmNames, vfHolders, vmXmlArgvs, vmsToRead, withHolders } from "../../checks/holders";

export interface HostProbeState {
    facts: HostFacts | null;
    busy: boolean;
    error: TransportError | Error | null;
    /** round trips of the last refresh (1 once the adapters are known) */
    roundTrips: number;
    refreshedAt: number | null;
}

async function probeOnce(t: HostTransport, pfs: string[] | null, superuser: boolean): Promise<ProbeOutcome> {
    const items = pfs === null ? DISCOVERY : probePlan(pfs.map(p => PciAddress.of(p)));
    const r = await t.probe(items.map(i => ({ argv: i.argv })), { superuser });
    return { host: t.host, items, records: r.records, ...(r.problem ? { problem: r.problem } : {}) };
}

/** The facts with each VF's VM named: a second round reads the running VMs' XML, only when a VF is on VFIO. */
async function namingHolders(t: HostTransport, outcome: ProbeOutcome, facts: HostFacts, superuser: boolean): Promise<HostFacts> {
    const names = vmsToRead(facts, runningVmNames(outcome.records[outcome.items.findIndex(i => i.key === "vms")]));
    if (names.length === 0)
        return facts;
    try {
        const r = await t.probe(vmXmlArgvs(names).map(argv => ({ argv })), { superuser });
        return withHolders(facts, vfHolders(r.records.map((result, i) => ({ name: names[i], result }))));
    } catch {
        // the VFs stay "bound to mlx5_vfio_pci", which every guard treats as taken
        return facts;
    }
}

/** The adapters found on a host last time (kept across page loads, so the first refresh needs no discovery). */
function rememberedPfs(host: string): string[] | null {
    try {
        const v = JSON.parse(localStorage.getItem(`vf-migration:pfs:${host}`) ?? "null") as unknown;
        return Array.isArray(v) && v.every(p => PciAddress.parse(p).ok) ? v as string[] : null;
    } catch {
        return null;
    }
}

/**
 * Probes a host and keeps its facts. One refresh is one probe round trip; the first one (or one after the
 * adapters changed) takes a second, because the per-adapter commands need the adapters' addresses.
 */
export function useHostProbe(transport: HostTransport | null, superuser: boolean): HostProbeState & { refresh: () => void } {
    const [state, setState] = useState<HostProbeState>({ facts: null, busy: false, error: null, roundTrips: 0, refreshedAt: null });
    const known = useRef<string[] | null>(null);
    const generation = useRef(0);

    const refresh = useCallback(() => {
        if (!transport)
            return;
        const gen = ++generation.current;
        setState(s => ({ ...s, busy: true, error: null }));
        (async () => {
            // the first time, a short discovery probe finds the adapters the full probe then covers
            let pfs = known.current;
            let trips = 0;
            let outcome: ProbeOutcome | null = null;
            for (;;) {
                outcome = await probeOnce(transport, pfs, superuser);
                trips++;
                const lspci = outcome.records[outcome.items.findIndex(i => i.key === DISCOVERY[0].key)];
                const found = discoveredPfs(lspci);
                if (pfs !== null && found.join() === pfs.join())
                    break;
                if (trips >= 3)
                    break;
                pfs = found;
            }
            known.current = pfs;
            if (pfs)
                localStorage.setItem(`vf-migration:pfs:${transport.host}`, JSON.stringify(pfs));
            const facts = await namingHolders(transport, outcome, buildFacts(outcome), superuser);
            if (gen === generation.current)
                setState({ facts, busy: false, error: null, roundTrips: trips, refreshedAt: Date.now() });
        })().catch((e: unknown) => {
            if (gen === generation.current)
                // the previous verdicts no longer describe a host this refresh could not read: drop them
                setState(s => ({ ...s, facts: null, busy: false, error: e instanceof Error ? e : new Error(String(e)) }));
        });
    }, [transport, superuser]);

    useEffect(() => {
        const gen = generation;
        known.current = transport ? rememberedPfs(transport.host) : null;
        setState({ facts: null, busy: false, error: null, roundTrips: 0, refreshedAt: null });
        refresh();
        // a probe still running answers into the void
        return () => { gen.current++ };
    }, [refresh, transport]);

    return { ...state, refresh };
}
