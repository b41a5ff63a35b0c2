/*
 * The evacuation view's hook: both hosts' facts (the status page's models), the running VMs and the destination's
 * memory, the plan built from them, and the run (src/session/evacuation-run.ts) with its record in the browser. A
 * page that opens on a record attaches to the run: it follows what libvirt still runs and asks before starting the rest.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { EvacueeVm } from "../../migration/evacuation-plan";
import { EvacuationRun, FINAL, outcomeOf, type EvacuationState } from "../../session/evacuation-run";
import {
    availableMemoryMiB, evacuationJob, forgetEvacuation, libvirtDbusThreads, prepareVfs, readEvacuees, saveEvacuation, savedEvacuation,
    type EvacuationRecord, type EvacuationRow,
} from "../../session/evacuation";
import { departureRecorder } from "../../session/departures";
import { type DestinationInput, destinationOrNull, localHost, localLibvirt } from "../../session/hosts";
import { parseMigrationForm, type MigrationForm } from "../../session/input";
import { useHostProbe } from "../status/useHostChecks";
import { migrationFormOf } from "../wizard/ChooseStageForm";
import { progressThrottle } from "./progress-throttle";

export interface Reading {
    vms: EvacueeVm[] | null;
    memMiB: number | null;
    threads: number | null;
    error: string | null;
    busy: boolean;
}

/** The form of every migration of the run: the wizard's defaults (persistent there, undefined here), with a bandwidth cap. */
export function evacuationForm(d: DestinationInput, bandwidth: string): MigrationForm {
    return migrationFormOf({ host: d.host, user: d.user || "root", port: d.port ?? "", protocol: "ssh" },
                           { bandwidth: bandwidth.trim(), parallelConnections: "1", persistOnDestination: true, undefineSource: true });
}

export const bandwidthError = (d: DestinationInput, bandwidth: string): string | null => {
    const r = parseMigrationForm(evacuationForm(d, bandwidth));
    return r.ok ? null : r.errors.map(e => e.message).join("; ");
};

export type Evacuation = ReturnType<typeof useEvacuation>;

const planKey = (d: DestinationInput, rows: EvacuationRow[], limit: number, atOnce: number, bandwidth: string) =>
    JSON.stringify([d, rows, limit, atOnce, bandwidth]);

export function useEvacuation(asked: DestinationInput | null) {
    const local = useMemo(localHost, []);
    const [record, setRecord] = useState<EvacuationRecord | null>(() => savedEvacuation());
    // a run kept by an earlier page goes on towards its own destination, whatever this page was opened with
    const dest = record?.destination ?? asked;
    const destination = useMemo(() => (dest ? destinationOrNull(dest) : null), [dest?.host, dest?.user, dest?.port]); // eslint-disable-line react-hooks/exhaustive-deps
    const libvirt = useMemo(() => localLibvirt(() => destination?.ssh ?? null), [destination]);
    useEffect(() => () => libvirt.closeWhenIdle(), [libvirt]);
    const source = useHostProbe(local, true);
    const target = useHostProbe(destination?.transport ?? null, true);

    const [reading, setReading] = useState<Reading>({ vms: null, memMiB: null, threads: null, error: null, busy: true });
    const read = useCallback(() => {
        setReading(r => ({ ...r, busy: true, error: null }));
        const mem = destination ? availableMemoryMiB(destination.transport) : Promise.resolve(null);
        Promise.all([readEvacuees(libvirt), mem, libvirtDbusThreads(local)]).then(
            ([vms, memMiB, threads]) => setReading({ vms, memMiB, threads, error: null, busy: false }),
            (e: unknown) => setReading({ vms: null, memMiB: null, threads: null, error: e instanceof Error ? e.message : String(e), busy: false }));
    }, [libvirt, destination, local]);
    useEffect(read, [read]);

    const [run, setRun] = useState<EvacuationRun | null>(null);
    const [state, setState] = useState<EvacuationState | null>(null);
    /** the run was found by a page that opened again: what waits starts only when the admin says so */
    const [attached, setAttached] = useState(false);

    const makeRun = useCallback((r: EvacuationRecord): EvacuationRun | null => {
        const d = destinationOrNull(r.destination);
        if (!d)
            return null;
        const departures = departureRecorder(localHost(), d.ssh.target);
        return new EvacuationRun({
            rows: r.rows, limit: r.limit, atOnce: r.atOnce, outcomes: r.outcomes ?? {},
            makeJob: evacuationJob({ libvirt, destination: d.transport, form: evacuationForm(r.destination, r.bandwidth), departures, local: localHost() }),
        });
    }, [libvirt]);

    // a record kept by an earlier page: its run is looked at again
    useEffect(() => {
        if (!record || run)
            return;
        const r = makeRun(record);
        if (!r)
            return;
        setRun(r);
        setAttached(true);
        void r.attach();
    }, [record, run, makeRun]);

    useEffect(() => {
        if (!run || !record)
            return;
        // each final outcome is noted in the record: a page that opens again keeps it instead of offering the VM again
        let noted = JSON.stringify(record.outcomes ?? {});
        const view = progressThrottle(setState);
        const follow = (s: EvacuationState) => {
            view.next(s);
            const outcomes = Object.fromEntries(s.rows.filter(r => FINAL.includes(r.status)).map(r => [r.row.vm, outcomeOf(r)]));
            const now = JSON.stringify(outcomes);
            if (now !== noted) {
                noted = now;
                saveEvacuation({ ...record, outcomes });
            }
        };
        follow(run.state);
        const off = run.subscribe(follow);
        return () => {
            off();
            view.stop();
            run.close();
        };
    }, [run]); // eslint-disable-line react-hooks/exhaustive-deps -- the record of this run

    // a run made when the confirmation opened, its reads begun (EvacuationRun.warm), for the same plan
    const warmed = useRef<{ key: string; run: EvacuationRun } | null>(null);
    const dropWarmed = useCallback(() => {
        warmed.current?.run.close();
        warmed.current = null;
    }, []);
    useEffect(() => dropWarmed, [dropWarmed, makeRun]);

    const warm = useCallback((d: DestinationInput, rows: EvacuationRow[], limit: number, atOnce: number, bandwidth: string) => {
        dropWarmed();
        const made = makeRun({ destination: d, rows, limit, atOnce, bandwidth, startedAt: 0 });
        if (!made)
            return;
        warmed.current = { key: planKey(d, rows, limit, atOnce, bandwidth), run: made };
        made.warm();
    }, [makeRun, dropWarmed]);

    const start = useCallback((d: DestinationInput, rows: EvacuationRow[], limit: number, atOnce: number, bandwidth: string) => {
        const r: EvacuationRecord = { destination: d, rows, limit, atOnce, bandwidth, startedAt: Date.now() };
        saveEvacuation(r);
        const w = warmed.current;
        warmed.current = null;
        const same = w?.key === planKey(d, rows, limit, atOnce, bandwidth);
        if (w && !same)
            w.run.close();
        const made = w && same ? w.run : makeRun(r);
        if (!made)
            return;
        setRecord(r);
        setAttached(false);
        setRun(made);
        made.start();
    }, [makeRun]);

    const resume = useCallback(() => run?.start(), [run]);

    const clear = useCallback(() => {
        forgetEvacuation();
        setRecord(null);
        setRun(null);
        setState(null);
        setAttached(false);
        read();
    }, [read]);

    const prepare = useCallback(async (vfs: string[]) => {
        if (!destination || !target.facts)
            return;
        try {
            await prepareVfs(destination.transport, target.facts, vfs);
        } finally {
            target.refresh();
        }
    }, [destination, target]);

    return { destination, source, target, reading, read, record, run, state, attached, warm, dropWarmed, start, resume, clear, prepare };
}
