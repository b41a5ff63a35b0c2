/*
 * The evacuation run (src/session/evacuation-run.ts) over fake migration jobs: the per-port limit observed as the
 * migrations end, a failure that stops new starts while the running ones go on, cancel one and cancel all, a page
 * that opens on a run (running ones followed, moved ones said, the rest started only when asked).
 */
import { EvacuationRun, type EvacuationJob, type Outcome } from "../../../src/session/evacuation-run";
import { WARM_FOR_MS, WARM_REFRESH_MS } from "../../../src/session/migration-job-model";
import type { MigrationJobEvent, MigrationJobState, MigratePhase } from "../../../src/session/migration-job";
import type { EvacuationRow } from "../../../src/migration/evacuation-plan";
import { initialProgress } from "../../../src/migration/progress";
import { explainLibvirtError } from "../../../src/migration/errors";

const flush = () => new Promise(r => setTimeout(r, 0));

class FakeJob implements EvacuationJob {
    state: MigrationJobState = { phase: { kind: "loading" }, source: null, vfCheck: null, sourceVfCheck: null, progress: initialProgress(), notes: [], busy: false, callPending: false };
    private fns: ((e: MigrationJobEvent) => void)[] = [];
    started = false;
    aborted = false;
    /** start() waits for this (the VF re-check) when set */
    gate: Promise<void> | null = null;
    /** abort() fails this many times first (libvirt has no job yet) */
    abortFailures = 0;
    constructor(readonly vm: string, private readonly atOpen: MigratePhase = { kind: "ready" },
                private readonly atStart: MigratePhase = { kind: "running", attached: false }) {}
    subscribe(fn: (e: MigrationJobEvent) => void) { this.fns.push(fn); return () => {} }
    private phase(p: MigratePhase) { this.state = { ...this.state, phase: p } }
    closed = false;
    /** the call is made before start() returns (its reply still to come) */
    callFirst = false;
    /** open() waits for this (libvirt's answers) when set */
    openGate: Promise<void> | null = null;
    async open() {
        await this.openGate;
        this.closed = false;
        this.phase(this.started ? { kind: "running", attached: true } : this.atOpen);
    }
    /** as MigrationJob.start: the VF re-check (the gate), then the call, unless the job was closed meanwhile */
    async start() {
        this.phase({ kind: "rechecking" });
        if (this.callFirst) {
            this.started = true;
            this.phase(this.atStart);
        }
        await this.gate;
        if (this.closed)
            return;
        this.started = true;
        this.phase(this.atStart);
    }
    async abort() {
        if (this.abortFailures-- > 0)
            throw new Error("Requested operation is not valid: no job is active on the domain");
        this.aborted = true;
        this.end("cancelled");
    }
    close() { this.closed = true }
    /** how many times the run asked it to read ahead */
    readsAhead = 0;
    readAhead() { this.readsAhead++ }
    /** as MigrationJob polling GetJobStats: `etaMs` left to send, after `processedBytes` sent */
    progress(etaMs: number, processedBytes = 1 << 20) {
        const view = { ...initialProgress().view, phase: "running" as const, etaMs, processedBytes };
        for (const fn of this.fns) fn({ kind: "progress", progress: { ...initialProgress(), view } });
    }
    /** as MigrationJob when libvirt's call returned: the VM runs on the destination, its note is still being written */
    leave() {
        if (!this.closed)
            for (const fn of this.fns) fn({ kind: "left" });
    }
    /** as MigrationJob when libvirt's event said the VM left before the call answered: the call still holds a thread */
    leaveBeforeAnswer() {
        this.state = { ...this.state, callPending: true };
        this.leave();
    }
    /** the call answers at last */
    answer() {
        this.state = { ...this.state, callPending: false };
        if (!this.closed)
            for (const fn of this.fns) fn({ kind: "state" });
    }
    end(kind: "completed" | "failed" | "cancelled") {
        const error = explainLibvirtError({ message: kind === "cancelled" ? "canceled by client" : "unable to connect" });
        const end = kind === "completed" ? { kind, attached: false } as const : { kind, error, where: "running-here" as const };
        this.phase(kind === "completed" ? { kind: "done" } : { kind: "failed", error, where: "running-here" });
        // as MigrationJob: a closed job tells nothing
        if (!this.closed)
            for (const fn of this.fns) fn({ kind: "end", end });
    }
}

const row = (vm: string, port = "p0"): EvacuationRow =>
    ({ vm, sourceVf: `vf-${vm}`, sourcePort: port, destinationVf: `dvf-${vm}`, destinationPort: `d${port}`, memoryMiB: 128 });

function setup(vms: string[], limit: number, atOpen: Record<string, MigratePhase> = {}, atStart: Record<string, MigratePhase> = {},
    more: { outcomes?: Record<string, Outcome>; gates?: Record<string, Promise<void>>; openGates?: Record<string, Promise<void>>;
        callFirst?: string[]; abortFailures?: number; atOnce?: number } = {}) {
    const jobs = new Map<string, FakeJob>();
    const run = new EvacuationRun({
        rows: vms.map(v => row(v)), limit, atOnce: more.atOnce ?? 8, abortRetryMs: 1, ...(more.outcomes ? { outcomes: more.outcomes } : {}),
        makeJob: r => {
            const j = new FakeJob(r.vm, atOpen[r.vm], atStart[r.vm]);
            j.gate = more.gates?.[r.vm] ?? null;
            j.openGate = more.openGates?.[r.vm] ?? null;
            j.callFirst = more.callFirst?.includes(r.vm) ?? false;
            j.abortFailures = more.abortFailures ?? 0;
            jobs.set(r.vm, j);
            return j;
        },
    });
    const status = () => Object.fromEntries(run.state.rows.map(r => [r.row.vm, r.status]));
    return { run, jobs, status };
}

test("the VM that follows one near its end reads ahead, before its turn; the others wait", async () => {
    const { run, jobs, status } = setup(["a", "b", "c", "d"], 2);
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "running", c: "waiting", d: "waiting" });
    const ahead = () => ["a", "b", "c", "d"].map(v => jobs.get(v)!.readsAhead);
    // a and b read ahead as their turn came
    expect(ahead()).toEqual([1, 1, 0, 0]);
    jobs.get("a")!.progress(5000);
    // libvirt's zeros while the migration sets up are no end in sight
    jobs.get("a")!.progress(0, 0);
    expect(ahead()).toEqual([1, 1, 0, 0]);
    jobs.get("a")!.progress(1500);
    // c takes a's place; d waits for b
    expect(ahead()).toEqual([1, 1, 1, 0]);
    jobs.get("a")!.end("completed");
    await flush();
    expect(status()).toEqual({ a: "moved", b: "running", c: "running", d: "waiting" });
    // its start asks again: the job itself keeps what was read within seconds (MigrationJob.readAhead)
    expect(ahead()).toEqual([1, 1, 2, 0]);
    // d reads ahead as b nears its end
    jobs.get("b")!.progress(100);
    expect(jobs.get("d")!.readsAhead).toBe(1);
});

test("two near their ends at once, the first still running: the two VMs that follow both read ahead", async () => {
    const { run, jobs, status } = setup(["a", "b", "c", "d", "e"], 3);
    run.start();
    await flush();
    expect(status()).toMatchObject({ a: "running", b: "running", c: "running", d: "waiting", e: "waiting" });
    const ahead = () => ["d", "e"].map(v => jobs.get(v)!.readsAhead);
    jobs.get("b")!.progress(1500);
    expect(ahead()).toEqual([1, 0]);
    // c nears its end while b still runs: e reads ahead for c's place (d is asked again; MigrationJob keeps its reads
    // for seconds); before, c's end let d alone read, and e read only when its turn came
    jobs.get("c")!.progress(1800);
    expect(ahead()).toEqual([2, 1]);
});

test("a VM whose end moves away again no longer counts as ending: the next near its end lets the same VM read", async () => {
    const { run, jobs } = setup(["a", "b", "c", "d", "e"], 3);
    run.start();
    await flush();
    const ahead = () => ["d", "e"].map(v => jobs.get(v)!.readsAhead);
    jobs.get("b")!.progress(1500);
    // b's guest dirties memory faster than it goes: its end is far again
    jobs.get("b")!.progress(6000);
    jobs.get("c")!.progress(1800);
    expect(ahead()).toEqual([2, 0]);
});

test("with a limit of 2, the third starts only when one of the first two ends; the run finishes when all moved", async () => {
    const { run, jobs, status } = setup(["a", "b", "c"], 2);
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "running", c: "waiting" });
    jobs.get("b")!.end("completed");
    await flush();
    expect(status()).toEqual({ a: "running", b: "moved", c: "running" });
    jobs.get("a")!.end("completed");
    jobs.get("c")!.end("completed");
    await flush();
    expect(run.state.phase).toBe("finished");
});

test("the next VM starts as soon as libvirt completes a migration; that one shows finishing, then moved once its departure is noted", async () => {
    const { run, jobs, status } = setup(["a", "b", "c"], 1);
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "waiting", c: "waiting" });
    jobs.get("a")!.leave();
    await flush();
    expect(status()).toEqual({ a: "finishing", b: "running", c: "waiting" });
    jobs.get("a")!.end("completed");
    await flush();
    expect(status()).toEqual({ a: "moved", b: "running", c: "waiting" });
    jobs.get("b")!.leave();
    jobs.get("b")!.end("completed");
    await flush();
    expect(status()).toEqual({ a: "moved", b: "moved", c: "running" });
    // the last one's note is still being written: the run is not over
    jobs.get("c")!.leave();
    await flush();
    expect(status()).toEqual({ a: "moved", b: "moved", c: "finishing" });
    expect(run.state.phase).toBe("running");
    jobs.get("c")!.end("completed");
    await flush();
    expect(run.state.phase).toBe("finished");
});

test("a migration libvirt ended whose call has not answered still holds its libvirt-dbus thread: the next starts when it answers", async () => {
    const { run, jobs, status } = setup(["a", "b", "c"], 4, {}, {}, { atOnce: 2 });
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "running", c: "waiting" });
    jobs.get("a")!.leaveBeforeAnswer();
    jobs.get("a")!.end("completed");
    await flush();
    // moved, but its call still holds a thread: two calls out, none more
    expect(status()).toEqual({ a: "moved", b: "running", c: "waiting" });
    jobs.get("a")!.answer();
    await flush();
    expect(status()).toEqual({ a: "moved", b: "running", c: "running" });
});

test("a migration completed in libvirt but not yet noted is not cancelled by Cancel all, and shows moved", async () => {
    const { run, jobs, status } = setup(["a", "b", "c"], 2);
    run.start();
    await flush();
    jobs.get("a")!.leave();
    await flush();
    expect(status()).toEqual({ a: "finishing", b: "running", c: "running" });
    await run.abortAll();
    jobs.get("a")!.end("completed");
    await flush();
    expect(jobs.get("a")!.aborted).toBe(false);
    expect(status()).toEqual({ a: "moved", b: "cancelled", c: "cancelled" });
});

test("a failure starts no other migration; the running ones go on; every VM not moved stays here", async () => {
    const { run, jobs, status } = setup(["a", "b", "c", "d"], 2);
    run.start();
    await flush();
    jobs.get("a")!.end("failed");
    await flush();
    expect(status()).toEqual({ a: "failed", b: "running", c: "stopped", d: "stopped" });
    expect(run.state.halted).toBe("The migration of a failed: no other migration starts");
    expect(run.state.rows[0].error).toMatch(/unable to connect/);
    jobs.get("b")!.end("completed");
    await flush();
    expect(run.state.phase).toBe("finished");
    // the admin starts the rest again
    run.start();
    await flush();
    expect(status()).toEqual({ a: "failed", b: "moved", c: "running", d: "running" });
});

test("cancel one goes on with the others; cancel all asks libvirt to cancel each running one and starts none", async () => {
    const { run, jobs, status } = setup(["a", "b", "c", "d"], 2);
    run.start();
    await flush();
    await run.abortOne("a");
    await flush();
    expect(status()).toEqual({ a: "cancelled", b: "running", c: "running", d: "waiting" });
    await run.abortAll();
    await flush();
    expect(jobs.get("b")!.aborted && jobs.get("c")!.aborted).toBe(true);
    expect(status()).toEqual({ a: "cancelled", b: "cancelled", c: "cancelled", d: "stopped" });
    expect(run.state.phase).toBe("finished");
});

test("a VM whose destination VF is refused at its start fails with the re-check's words, and no other starts", async () => {
    const check = { id: "destination-vf-recheck", verdict: "fail", summary: "0000:c1:00.2 is in use by VM intruder" } as never;
    const { run, status } = setup(["a", "b", "c"], 2, {}, { b: { kind: "refused", check } });
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "failed", c: "stopped" });
    expect(run.state.rows[1].error).toBe("The destination VF was refused: 0000:c1:00.2 is in use by VM intruder");
});

test("a VM whose own VF on this host cannot migrate fails with that check's words, and no other starts", async () => {
    const check = { id: "source-vf-recheck", verdict: "fail", summary: "b holds this host's VF 0000:e1:00.2 through vfio-pci, not mlx5_vfio_pci" } as never;
    const { run, status } = setup(["a", "b", "c"], 2, {}, { b: { kind: "refused", check } });
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "failed", c: "stopped" });
    expect(run.state.rows[1].error).toBe("b holds this host's VF 0000:e1:00.2 through vfio-pci, not mlx5_vfio_pci");
});

test("a page that opens on a run follows what libvirt runs, says which VMs left, and starts (or reads ahead for) the rest only when asked", async () => {
    const { run, jobs, status } = setup(["a", "b", "c"], 4, { a: { kind: "running", attached: true }, b: { kind: "absent" } });
    const waiting = await run.attach();
    expect(waiting).toBe(1);
    expect(status()).toEqual({ a: "running", b: "not-here", c: "waiting" });
    expect(jobs.get("c")!.started).toBe(false);
    // nor does anything read ahead for it while the followed one nears its end
    jobs.get("a")!.progress(500);
    expect(jobs.get("c")!.readsAhead).toBe(0);
    // the followed one ends: the rest still waits for the admin
    jobs.get("a")!.end("completed");
    await flush();
    expect(status()).toEqual({ a: "moved", b: "not-here", c: "waiting" });
    expect(jobs.get("c")!.started).toBe(false);
    expect(run.state.phase).toBe("idle");
    run.start();
    await flush();
    expect(jobs.get("c")!.started).toBe(true);
    expect(jobs.get("a")!.started).toBe(false);
});

/** A gate that start() waits on (the VF re-check in flight), opened by the test. */
function gate() {
    let open = () => {};
    const p = new Promise<void>(r => { open = r });
    return { p, open };
}

test("a VM cancelled while its VF is checked is skipped, the next one starts, and the run finishes", async () => {
    const g = gate();
    const { run, jobs, status } = setup(["a", "b"], 1, {}, {}, { gates: { a: g.p } });
    run.start();
    await flush();
    expect(status()).toEqual({ a: "checking", b: "waiting" });
    await run.abortOne("a");
    g.open();
    await flush();
    await flush();
    expect(jobs.get("a")!.started).toBe(false);
    expect(status()).toEqual({ a: "skipped", b: "running" });
    jobs.get("b")!.end("completed");
    await flush();
    expect(run.state.phase).toBe("finished");
    // a new start never takes a skipped VM again
    run.start();
    await flush();
    expect(status()).toEqual({ a: "skipped", b: "moved" });
});

test("a failure while another VM's VF is being checked: that one does not start either", async () => {
    const g = gate();
    const { run, jobs, status } = setup(["a", "b", "c"], 2, {}, {}, { gates: { b: g.p } });
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "checking", c: "waiting" });
    jobs.get("a")!.end("failed");
    g.open();
    await flush();
    await flush();
    expect(jobs.get("b")!.started).toBe(false);
    expect(status()).toEqual({ a: "failed", b: "stopped", c: "stopped" });
    expect(run.state.phase).toBe("finished");
});

test("a cancel asked before libvirt shows the job is tried again until libvirt takes it", async () => {
    const g = gate();
    // the call is made as the cancel comes: the job is followed again, and cancelled once libvirt shows it
    const { run, jobs, status } = setup(["a"], 1, {}, {}, { gates: { a: g.p }, callFirst: ["a"], abortFailures: 2 });
    run.start();
    await flush();
    const a = jobs.get("a")!;
    const cancel = run.abortOne("a");
    g.open();
    await cancel;
    // the retries wait on real timers: bounded by turns, not by a time a loaded machine may overrun
    for (let i = 0; i < 200 && !a.aborted; i++)
        await new Promise(r => setTimeout(r, 1));
    expect(a.aborted).toBe(true);
    expect(status()).toEqual({ a: "cancelled" });
});

test("a page that opens again keeps the outcomes noted before: a VM moved back, failed or skipped is not offered again", async () => {
    const outcomes: Record<string, Outcome> = {
        a: { status: "moved" }, b: { status: "failed", where: "stopped-here", error: "unable to connect" }, c: { status: "skipped" },
    };
    const { run, jobs, status } = setup(["a", "b", "c", "d"], 4, {}, {}, { outcomes });
    expect(await run.attach()).toBe(1);
    expect(status()).toEqual({ a: "moved", b: "failed", c: "skipped", d: "waiting" });
    expect([...jobs.keys()]).toEqual(["d"]);
    // where the failed one was left, and why, as the page that saw it said
    expect(run.state.rows[1]).toMatchObject({ where: "stopped-here", error: "unable to connect" });
});

test("cancel one while it is checked, then cancel all: that VM stays skipped, and a new start does not take it", async () => {
    const ga = gate();
    const gb = gate();
    const { run, jobs, status } = setup(["a", "b", "c"], 2, {}, {}, { gates: { a: ga.p, b: gb.p } });
    run.start();
    await flush();
    await run.abortOne("a");
    await run.abortAll();
    ga.open();
    gb.open();
    await flush();
    await flush();
    expect(status()).toEqual({ a: "skipped", b: "stopped", c: "stopped" });
    expect(run.state.phase).toBe("finished");
    run.start();
    await flush();
    expect(status()).toEqual({ a: "skipped", b: "running", c: "running" });
    expect(jobs.get("a")!.started).toBe(false);
});

test("a run closed (the page left) while a VM's plan is read starts nothing more", async () => {
    const g = gate();
    const { run, jobs } = setup(["a"], 1, {}, {}, { openGates: { a: g.p } });
    run.start();
    await flush();
    run.close();
    g.open();
    await flush();
    await flush();
    expect(jobs.get("a")!.started).toBe(false);
});

test("a VM without a VF starts beside a port at its limit, and is held only by the count at once", async () => {
    const plain = (vm: string): EvacuationRow => ({ vm, sourceVf: null, sourcePort: null, destinationVf: null, destinationPort: null, memoryMiB: 128 });
    const jobs = new Map<string, FakeJob>();
    const run = new EvacuationRun({
        rows: [row("a"), row("b"), plain("p"), plain("q")], limit: 1, atOnce: 2, abortRetryMs: 1,
        makeJob: r => { const j = new FakeJob(r.vm); jobs.set(r.vm, j); return j },
    });
    const status = () => Object.fromEntries(run.state.rows.map(r => [r.row.vm, r.status]));
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "waiting", p: "running", q: "waiting" });
    jobs.get("p")!.end("completed");
    await flush();
    // the port still has a running: the next without a VF takes the free place
    expect(status()).toEqual({ a: "running", b: "waiting", p: "moved", q: "running" });
    jobs.get("a")!.end("completed");
    await flush();
    expect(status()).toEqual({ a: "moved", b: "running", p: "moved", q: "running" });
});

test("while the admin reads the confirmation, the VMs that would start first read ahead; nothing starts until the start", async () => {
    const { run, jobs, status } = setup(["a", "b", "c", "d"], 4, {}, {}, { atOnce: 3 });
    run.warm();
    await flush();
    const ahead = () => ["a", "b", "c", "d"].map(v => jobs.get(v)?.readsAhead ?? 0);
    expect(ahead()).toEqual([1, 1, 1, 0]);
    expect(status()).toEqual({ a: "waiting", b: "waiting", c: "waiting", d: "waiting" });
    expect(run.state.phase).toBe("idle");
    expect([...jobs.values()].some(j => j.started)).toBe(false);
    // the start takes them: each asks its job again, which keeps what was read within seconds (MigrationJob.readAhead)
    run.start();
    await flush();
    expect(status()).toEqual({ a: "running", b: "running", c: "running", d: "waiting" });
    // once started, a second warm reads nothing more
    run.warm();
    expect(ahead()).toEqual([2, 2, 2, 0]);
});

test("while the confirmation stays open its reads are made again before they age out, for two minutes at most; a start or a close ends it", () => {
    jest.useFakeTimers();
    try {
        let clock = 0;
        const mk = () => {
            const jobs = new Map<string, FakeJob>();
            const makeJob = (r: EvacuationRow) => { const j = new FakeJob(r.vm); jobs.set(r.vm, j); return j };
            return { jobs, run: new EvacuationRun({ rows: [row("a"), row("b")], limit: 4, atOnce: 3, now: () => clock, makeJob }) };
        };
        const { run, jobs } = mk();
        run.warm();
        const reads = () => jobs.get("a")!.readsAhead;
        expect(reads()).toBe(1);
        clock += WARM_REFRESH_MS;
        jest.advanceTimersByTime(WARM_REFRESH_MS);
        expect(reads()).toBe(2);
        clock += WARM_FOR_MS;
        jest.advanceTimersByTime(WARM_REFRESH_MS);
        expect(reads()).toBe(3);
        // past WARM_FOR_MS: no more
        jest.advanceTimersByTime(WARM_REFRESH_MS * 3);
        expect(reads()).toBe(3);

        const closed = mk();
        closed.run.warm();
        closed.run.close();
        jest.advanceTimersByTime(WARM_REFRESH_MS * 3);
        expect(closed.jobs.get("a")!.readsAhead).toBe(1);
    } finally {
        jest.useRealTimers();
    }
});
