/*
 * How often the evacuation view redraws (src/ui/evacuate/progress-throttle.ts): a row's new state, place, time or
 * error shows at once, with the figures of that moment; the figures alone at most every half second, the newest.
 */
import { PROGRESS_MS, progressThrottle } from "../../../src/ui/evacuate/progress-throttle";
import type { EvacuationState, RowState, RowStatus } from "../../../src/session/evacuation-run";
import type { EvacuationRow } from "../../../src/migration/evacuation-plan";
import { initialProgress } from "../../../src/migration/progress";

const ROW: EvacuationRow = { vm: "guest1", sourceVf: "0000:e1:00.1", sourcePort: "0000:e1:00.0", destinationVf: "0000:c1:00.1", destinationPort: "0000:c1:00.0", memoryMiB: 128 };
const state = (status: RowStatus, percent: number, more: Partial<RowState> = {}): EvacuationState => ({
    phase: "running", halted: null, started: true,
    rows: [{ row: ROW, status, progress: { ...initialProgress().view, percent }, error: null, startedAt: 1000, endedAt: null, ...more }],
});

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("figures alone: the first at once, then the newest every half second; a new state at once, with its figures", () => {
    const shown: string[] = [];
    const view = progressThrottle(s => shown.push(`${s.rows[0].status} ${s.rows[0].progress?.percent}`));
    view.next(state("running", 10));
    view.next(state("running", 11));
    view.next(state("running", 12));
    expect(shown).toEqual(["running 10"]);
    jest.advanceTimersByTime(PROGRESS_MS - 1);
    expect(shown).toEqual(["running 10"]);
    jest.advanceTimersByTime(1);
    expect(shown).toEqual(["running 10", "running 12"]);
    view.next(state("running", 60));
    // libvirt's end: shown at once, and the pending figures are not drawn after it
    view.next(state("finishing", 99));
    expect(shown).toEqual(["running 10", "running 12", "finishing 99"]);
    jest.advanceTimersByTime(PROGRESS_MS * 2);
    expect(shown).toEqual(["running 10", "running 12", "finishing 99"]);
    // an error, a place or a time is not a figure either
    view.next(state("finishing", 99, { endedAt: 9000 }));
    view.next(state("finishing", 99, { endedAt: 9000, error: "cut" }));
    expect(shown).toHaveLength(5);
});

test("stopped (the view closes): nothing is drawn after", () => {
    const shown: number[] = [];
    const view = progressThrottle(s => shown.push(s.rows[0].progress?.percent ?? -1));
    view.next(state("running", 10));
    view.next(state("running", 20));
    view.stop();
    jest.advanceTimersByTime(PROGRESS_MS * 2);
    expect(shown).toEqual([10]);
});
