/* Progress arithmetic over realistic GetJobStats sequences (a 256 MiB guest at a 10 MiB/s cap, as on the test bed). */
import { jobStatsFrom, JobStats } from "../../../src/libvirt";
import { HISTORY_POINTS, advance, initialProgress, isOutgoingMigration, progressFrom, samplePercent } from "../../../src/migration/progress";

const MiB = 1048576;
const TYPES = { none: 0, unbounded: 2, completed: 3, failed: 4, cancelled: 5 } as const;

/** A sample as libvirt-dbus sends it: (i, a{sv}), each value a variant of a variant, ullong figures as 't'. */
function sample(type: keyof typeof TYPES, f: Record<string, number | string> = {}): JobStats {
    const params: Record<string, { t: string; v: unknown }> = {};
    for (const [k, v] of Object.entries(f))
        params[k] = { t: "v", v: typeof v === "string" ? { t: "s", v } : { t: "t", v } };
    return jobStatsFrom(TYPES[type], params);
}

const running = (ms: number, total: number, processed: number, remaining: number, extra: Record<string, number> = {}) =>
    sample("unbounded", { operation: 5, time_elapsed: ms, data_total: total, data_processed: processed, data_remaining: remaining,
        memory_total: total, memory_processed: processed, memory_remaining: remaining, ...extra });

const RAM = 256 * MiB;

test("no job at all: 'no-job', 0 %", () => {
    expect(progressFrom([sample("none")]).view).toMatchObject({ phase: "no-job", percent: 0 });
});

test("first pass: percent from (total − remaining) / total; rate from memory_bps; ETA from remaining / net rate", () => {
    const st = progressFrom([
        running(1000, RAM, 10 * MiB, 246 * MiB, { memory_bps: 10 * MiB, memory_iteration: 1 }),
        running(2000, RAM, 20 * MiB, 236 * MiB, { memory_bps: 10 * MiB, memory_iteration: 1, memory_dirty_rate: 256, memory_page_size: 4096 }),
    ]);
    expect(st.view).toMatchObject({
        phase: "running", percent: 7, iteration: 1, elapsedMs: 2000, processedBytes: 20 * MiB, remainingBytes: 236 * MiB,
        totalBytes: RAM, transferBps: 10 * MiB, dirtyBps: MiB,
    });
    // one pass is no ground for a verdict on convergence
    expect(st.view.converging).toBeUndefined();
    expect(st.view.starting).toBeUndefined();
    // 236 MiB at (10 − 1) MiB/s net
    expect(st.view.etaMs).toBe(Math.round(236 * 1000 / 9));
    expect(st.history.map(p => p.elapsedMs)).toEqual([1000, 2000]);
});

test("a new pass brings 'remaining' back up: the percentage holds instead of going back", () => {
    const st = progressFrom([
        running(24000, RAM, 250 * MiB, 6 * MiB, { memory_iteration: 1, memory_bps: 10 * MiB }),
        running(25000, RAM, 256 * MiB, 30 * MiB, { memory_iteration: 2, memory_bps: 10 * MiB }),
    ]);
    expect(samplePercent(st.last as JobStats)).toBeCloseTo(88.3, 1);
    expect(st.view).toMatchObject({ percent: 97, iteration: 2 });
});

test("data_total growing between passes (disk or device data added): the bar never moves backwards", () => {
    const samples = [
        running(1000, RAM, 100 * MiB, 156 * MiB),
        running(2000, RAM + 64 * MiB, 164 * MiB, 156 * MiB),
        running(3000, RAM + 64 * MiB, 200 * MiB, 120 * MiB),
    ];
    const views = samples.map((_s, i) => progressFrom(samples.slice(0, i + 1)).view.percent);
    expect(views).toEqual([39, 51, 62]);
    expect([...views].sort((a, b) => a - b)).toEqual(views);
});

test("remaining 0 while running: 99 % (the switch-over and the VF's state are still to come), ETA 0", () => {
    const st = progressFrom([running(17000, RAM, RAM, 0, { memory_bps: 10 * MiB })]);
    expect(st.view).toMatchObject({ phase: "running", percent: 99, etaMs: 0, remainingBytes: 0 });
});

test("dirtying faster than sending: no verdict during the first two passes, then not converging; no ETA invented", () => {
    const pass = (n: number) => running(5000 * n, RAM, 50 * MiB * n, 200 * MiB, { memory_bps: 10 * MiB, memory_dirty_rate: 5120, memory_iteration: n });
    const views = [1, 2, 3].map(n => progressFrom([1, 2, 3].slice(0, n).map(pass)).view);
    expect(views.map(v => v.converging)).toEqual([undefined, undefined, false]);
    expect(views[2]).toMatchObject({ dirtyBps: 20 * MiB });
    expect(views[2].etaMs).toBeUndefined();
});

test("QEMU's setup, before any figure: 'starting', 0 %, no rate and no verdict; the first figures end it", () => {
    const setup = sample("unbounded", { operation: 5, time_elapsed: 400, memory_iteration: 0 });
    const st = progressFrom([setup]);
    expect(st.view).toMatchObject({ phase: "running", percent: 0, starting: true });
    expect(st.view.converging).toBeUndefined();
    const next = advance(st, running(1400, RAM, 10 * MiB, 246 * MiB, { memory_bps: 10 * MiB, memory_iteration: 1 }));
    expect(next.view.starting).toBeUndefined();
    expect(next.view.percent).toBe(3);
    // the chart starts with the first figures: setup's zeros would draw data that is not there
    expect(st.history).toEqual([]);
    expect(next.history.map(p => p.elapsedMs)).toEqual([1400]);
});

test("missing fields: rate derived from two samples; memory_* used when data_* is absent; default page size", () => {
    const a = sample("unbounded", { time_elapsed: 1000, memory_total: RAM, memory_processed: 8 * MiB, memory_remaining: 248 * MiB });
    const b = sample("unbounded", { time_elapsed: 3000, memory_total: RAM, memory_processed: 28 * MiB, memory_remaining: 228 * MiB, memory_dirty_rate: 100 });
    const st = progressFrom([a, b]);
    expect(st.view).toMatchObject({ percent: 10, transferBps: 10 * MiB, dirtyBps: 409600, processedBytes: 28 * MiB });
    const bare = progressFrom([sample("unbounded", { time_elapsed: 500 })]).view;
    expect(bare).toMatchObject({ phase: "running", percent: 0, elapsedMs: 500 });
    expect(bare.transferBps).toBeUndefined();
    expect(bare.etaMs).toBeUndefined();
});

test("libvirt's own time_remaining is used when the rates are unknown", () => {
    expect(progressFrom([sample("unbounded", { time_elapsed: 500, time_remaining: 7000 })]).view.etaMs).toBe(7000);
});

test("expected downtime while running; total downtime once completed, at 100 %", () => {
    const st = progressFrom([
        running(16000, RAM, 250 * MiB, 3 * MiB, { downtime: 300, memory_bps: 10 * MiB }),
        sample("completed", { time_elapsed: 17700, downtime: 57, data_total: RAM, data_processed: 262 * MiB, data_remaining: 0 }),
    ]);
    expect(st.view).toMatchObject({ phase: "completed", percent: 100, downtimeMs: 57, elapsedMs: 17700 });
    expect(st.view.etaMs).toBeUndefined();
    expect(st.history).toHaveLength(1);
});

test("failed and cancelled jobs keep the percentage reached, with libvirt's message", () => {
    const before = running(9000, RAM, 90 * MiB, 166 * MiB);
    expect(progressFrom([before, sample("failed", { errmsg: "Unable to write to socket: Connection reset by peer" })]).view)
            .toMatchObject({ phase: "failed", percent: 35, error: "Unable to write to socket: Connection reset by peer" });
    expect(progressFrom([before, sample("cancelled", { time_elapsed: 9500 })]).view).toMatchObject({ phase: "cancelled", percent: 35 });
});

test("the job disappears after running (VM gone, or stats discarded): 'ended' — the caller then asks for the completed stats", () => {
    const st = progressFrom([running(9000, RAM, 90 * MiB, 166 * MiB), sample("none")]);
    expect(st.view).toMatchObject({ phase: "ended", percent: 35 });
    expect(advance(st, sample("completed", { downtime: 40 })).view).toMatchObject({ phase: "completed", percent: 100, downtimeMs: 40 });
});

test("a second job (elapsed time went back) starts from 0 % and a fresh chart", () => {
    const st = progressFrom([running(9000, RAM, 200 * MiB, 56 * MiB), running(1000, RAM, 10 * MiB, 246 * MiB)]);
    expect(st.view.percent).toBe(3);
    expect(st.history).toHaveLength(1);
});

test("the VF's device data: shown when libvirt (>= 10.6) reports it, and the note says what the figures leave out", () => {
    const without = progressFrom([running(1000, RAM, 10 * MiB, 246 * MiB)]).view;
    expect(without.vfioBytes).toBeUndefined();
    expect(without.note).toMatch(/does not report the VF's device state/);
    const withVfio = progressFrom([running(1000, RAM, 10 * MiB, 246 * MiB, { vfio_data_transferred: 3 * MiB })]).view;
    expect(withVfio.vfioBytes).toBe(3 * MiB);
    expect(withVfio.note).toMatch(/counted apart/);
    expect(initialProgress().view.note).toMatch(/estimate/);
});

test("the chart keeps the last points only", () => {
    const samples = Array.from({ length: HISTORY_POINTS + 20 }, (_x, i) => running((i + 1) * 1000, RAM, i * MiB, RAM - i * MiB, { memory_bps: MiB }));
    const st = progressFrom(samples);
    expect(st.history).toHaveLength(HISTORY_POINTS);
    expect(st.history[0].elapsedMs).toBe(21000);
});

test("a page opening during a migration recognises it: an outgoing migration job, bounded or not", () => {
    expect(isOutgoingMigration(running(1000, RAM, 0, RAM))).toBe(true);
    expect(isOutgoingMigration(sample("unbounded", { operation: 4 }))).toBe(false);
    expect(isOutgoingMigration(sample("completed", { operation: 5 }))).toBe(false);
    expect(isOutgoingMigration(sample("none"))).toBe(false);
});
