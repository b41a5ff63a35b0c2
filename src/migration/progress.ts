/*
 * What the progress view shows, from successive GetJobStats samples (one a second). Pure: each sample advances a
 * state. QEMU pre-copy sends the whole memory, then again what the guest dirtied meanwhile, pass after pass:
 * "remaining" grows back at each new pass, so the percentage is held where it was (monotonic) rather than jumping
 * back. Memory figures do not include the VF's device state; libvirt >= 10.6 reports it apart
 * (vfio_data_transferred), older versions not at all.
 */
import { _ } from "../lib/cockpit";
import type { JobStats } from "../libvirt/typed-params";

export type ProgressPhase =
    | "no-job"     // no job now, and none seen by this view
    | "running"
    | "ended"      // a job was running and is gone: ask GetJobStats(COMPLETED) or look where the VM is
    | "completed" | "failed" | "cancelled";

export interface ProgressPoint {
    elapsedMs: number;
    transferBps?: number;
    dirtyBps?: number;
    remainingBytes?: number;
}

export interface ProgressView {
    phase: ProgressPhase;
    /** 0–100, never lower than the previous sample of the same job; 100 only when completed */
    percent: number;
    iteration?: number;
    elapsedMs?: number;
    processedBytes?: number;
    remainingBytes?: number;
    totalBytes?: number;
    /** bytes/s on the wire (libvirt's memory_bps, or derived from two samples) */
    transferBps?: number;
    /** bytes/s the guest dirties (memory_dirty_rate pages/s × page size) */
    dirtyBps?: number;
    /**
     * transfer faster than dirtying: each pass shorter than the last. Judged from the third pass on: the first pass
     * sends the whole memory and QEMU measures the dirty rate only once per pass, so earlier figures would be guesses.
     */
    converging?: boolean;
    /** running, and libvirt has reported no figure of the transfer yet (QEMU's setup) */
    starting?: boolean;
    /** time to send what remains at the net rate (transfer − dirty); undefined when it does not shrink */
    etaMs?: number;
    /** running: the pause expected at the switch-over; completed: the pause it took */
    downtimeMs?: number;
    /** the VF's device state sent so far (libvirt >= 10.6) */
    vfioBytes?: number;
    /** what the figures leave out */
    note: string;
    /** libvirt's error message of a failed job */
    error?: string;
}

export interface ProgressState {
    view: ProgressView;
    last?: JobStats;
    sawJob: boolean;
    /** the last HISTORY_POINTS samples of this job, for the chart */
    history: ProgressPoint[];
}

export const HISTORY_POINTS = 600;
const DEFAULT_PAGE_SIZE = 4096;
/** memory_iteration from which the dirty rate of two finished passes is known (QEMU's dirty-sync-count is 1 during the first) */
export const JUDGED_FROM_ITERATION = 3;

export function initialProgress(): ProgressState {
    return { view: { phase: "no-job", percent: 0, note: vfioNote(undefined) }, sawJob: false, history: [] };
}

function vfioNote(vfio: number | undefined): string {
    return vfio === undefined
        ? _("libvirt does not report the VF's device state: it is not in these figures, so the progress is an estimate")
        : _("The VF's device state is counted apart from the memory figures");
}

const num = (n: number | undefined): number | undefined => (typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined);

/** The fraction done, 0–100, of one sample: (total − remaining) / total, as `virsh migrate --verbose` shows it. */
export function samplePercent(s: JobStats): number | undefined {
    const total = num(s.dataTotal) ?? num(s.memoryTotal);
    const remaining = num(s.dataRemaining) ?? num(s.memoryRemaining);
    const processed = num(s.dataProcessed) ?? num(s.memoryProcessed);
    let p: number | undefined;
    if (total !== undefined && total > 0 && remaining !== undefined)
        p = 100 * (total - remaining) / total;
    else if (processed !== undefined && remaining !== undefined && processed + remaining > 0)
        p = 100 * processed / (processed + remaining);
    return p === undefined ? undefined : Math.min(100, Math.max(0, p));
}

export function advance(prev: ProgressState, s: JobStats): ProgressState {
    if (s.type === "none") {
        const phase: ProgressPhase = prev.sawJob && prev.view.phase === "running" ? "ended" : prev.sawJob ? prev.view.phase : "no-job";
        return { ...prev, view: { ...prev.view, phase } };
    }
    // the end of the job followed so far; or, while running, a sample of a new job if its elapsed time went back
    const terminal = s.type === "completed" || s.type === "failed" || s.type === "cancelled";
    const sameJob = terminal ? prev.sawJob : prev.last !== undefined && prev.view.phase === "running" &&
        (num(s.timeElapsedMs) ?? 0) >= (num(prev.last.timeElapsedMs) ?? 0);
    const before = sameJob ? prev : initialProgress();
    const last = sameJob ? prev.last : undefined;

    const elapsedMs = num(s.timeElapsedMs);
    const processed = num(s.dataProcessed) ?? num(s.memoryProcessed);
    const remaining = num(s.dataRemaining) ?? num(s.memoryRemaining);
    const total = num(s.dataTotal) ?? num(s.memoryTotal);
    let transferBps = num(s.memoryBps);
    if (!transferBps && last && elapsedMs !== undefined && processed !== undefined) {
        const dt = elapsedMs - (num(last.timeElapsedMs) ?? elapsedMs);
        const dp = processed - (num(last.dataProcessed) ?? num(last.memoryProcessed) ?? processed);
        if (dt > 0 && dp >= 0)
            transferBps = dp * 1000 / dt;
    }
    const pages = num(s.memoryDirtyRate);
    const dirtyBps = pages !== undefined ? pages * (num(s.memoryPageSize) || DEFAULT_PAGE_SIZE) : undefined;
    const vfio = num(s.vfioDataTransferred);

    const view: ProgressView = { phase: "running", percent: before.view.percent, note: vfioNote(vfio) };
    if (s.type === "completed") {
        view.phase = "completed";
        view.percent = 100;
    } else if (s.type === "failed" || s.type === "cancelled") {
        view.phase = s.type;
        if (s.errmsg) view.error = s.errmsg;
    } else {
        const p = samplePercent(s);
        // 100 % only on completion: the switch-over (and the VF's state) is still to come
        if (p !== undefined)
            view.percent = Math.max(before.view.percent, Math.min(99, Math.floor(p)));
    }
    if (s.memoryIteration !== undefined) view.iteration = s.memoryIteration;
    if (elapsedMs !== undefined) view.elapsedMs = elapsedMs;
    if (processed !== undefined) view.processedBytes = processed;
    if (remaining !== undefined) view.remainingBytes = remaining;
    if (total !== undefined) view.totalBytes = total;
    if (transferBps !== undefined) view.transferBps = transferBps;
    if (dirtyBps !== undefined) view.dirtyBps = dirtyBps;
    if (num(s.downtimeMs) !== undefined) view.downtimeMs = s.downtimeMs;
    if (vfio !== undefined) view.vfioBytes = vfio;
    if (view.phase === "running") {
        if (!processed && !transferBps)
            view.starting = true;
        if (transferBps !== undefined && dirtyBps !== undefined && (num(s.memoryIteration) ?? 0) >= JUDGED_FROM_ITERATION)
            view.converging = transferBps > dirtyBps;
        const net = transferBps !== undefined ? transferBps - (dirtyBps ?? 0) : undefined;
        if (remaining === 0)
            view.etaMs = 0;
        else if (remaining !== undefined && net !== undefined && net > 0)
            view.etaMs = Math.round(remaining * 1000 / net);
        else if (num(s.timeRemainingMs) !== undefined)
            view.etaMs = s.timeRemainingMs;
    }
    const point: ProgressPoint = { elapsedMs: elapsedMs ?? 0 };
    if (transferBps !== undefined) point.transferBps = transferBps;
    if (dirtyBps !== undefined) point.dirtyBps = dirtyBps;
    if (remaining !== undefined) point.remainingBytes = remaining;
    // before libvirt's first figures its zeros are no data: the chart starts with the first report
    const history = view.phase === "running" && !view.starting ? [...before.history, point].slice(-HISTORY_POINTS) : before.history;
    return { view, last: s, sawJob: true, history };
}

/** VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT: a page that opens finds a migration already running with this. */
export const isOutgoingMigration = (s: JobStats): boolean =>
    s.operation === 5 && (s.type === "bounded" || s.type === "unbounded");

/** All samples in order (for tests, and to rebuild a view). */
export function progressFrom(samples: readonly JobStats[]): ProgressState {
    return samples.reduce(advance, initialProgress());
}
