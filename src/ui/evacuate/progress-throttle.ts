/*
 * How often the evacuation view redraws. Every poll of every migration updates the run's state (every second; every
 * 100 ms near the end of a job followed after the page opened again), and the page shares the host's CPU with the guests it migrates: a change of figures alone is
 * shown at most every `ms`, with the newest figures; anything else a row or the run shows (a state, a place, a time,
 * an error) at once, and the figures with it.
 */
import type { EvacuationState } from "../../session/evacuation-run";

export const PROGRESS_MS = 500;

/** Only the migrations' figures changed from `a` to `b`. */
export const progressOnly = (a: EvacuationState, b: EvacuationState): boolean =>
    a.phase === b.phase && a.halted === b.halted && a.started === b.started && a.rows.length === b.rows.length &&
    a.rows.every((r, i) => {
        const o = b.rows[i];
        return r.row === o.row && r.status === o.status && r.error === o.error && r.where === o.where && r.startedAt === o.startedAt && r.endedAt === o.endedAt;
    });

export function progressThrottle(show: (s: EvacuationState) => void, ms = PROGRESS_MS) {
    let shown: EvacuationState | null = null;
    let latest: EvacuationState | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (s: EvacuationState) => {
        if (timer !== null)
            clearTimeout(timer);
        timer = null;
        shown = s;
        show(s);
    };
    return {
        next(s: EvacuationState): void {
            latest = s;
            if (shown && progressOnly(shown, s))
                timer ??= setTimeout(() => flush(latest ?? s), ms);
            else
                flush(s);
        },
        stop(): void {
            if (timer !== null)
                clearTimeout(timer);
            timer = null;
        },
    };
}
