/*
 * The migration job without React or a host: open, start, the poll, abort, a job found running at open
 * (re-attach), a job that vanished (the VM on the destination, or on neither host: never reported as a success),
 * and libvirt's errors in words. Timers are the test's: each poll runs when the test says.
 */
import { LibvirtCallError } from "../../../src/libvirt/client";
import { vfNotRead, type VfRecheck } from "../../../src/migration/destination-vf";
import {
    AHEAD_MS, FAST_POLL_MS, MigrationJob, POLL_MS, QUIET_END_MS, WARM_REFRESH_MS, failedCallEnd, type MigrationJobEvent, type Timers,
} from "../../../src/session/migration-job";
import { INACTIVE_XML, LIVE_XML, VF_DEST, VF_SOURCE } from "../migration/fixtures";
import { FakeLibvirt, fakeDestination, running, stats } from "./fake-libvirt";
import type { Answer } from "./fake-transport";

const VM = "rhel9-vf";
const flush = () => new Promise(resolve => setImmediate(resolve));

function fakeTimers() {
    const queue: { fn: () => void; ms: number }[] = [];
    const timers: Timers = {
        set: (fn, ms) => { const t = { fn, ms }; queue.push(t); return t },
        clear: h => { const i = queue.indexOf(h as typeof queue[number]); if (i >= 0) queue.splice(i, 1) },
    };
    return { queue, timers };
}

const okVf = (verdict: VfRecheck["verdict"] = "pass"): VfRecheck =>
    ({ ...vfNotRead(VF_DEST, verdict), verdict, driver: "mlx5_vfio_pci", migratable: true });

interface Setup {
    domstate?: () => Answer; domuuid?: () => Answer; verdict?: VfRecheck["verdict"]; maxDowntimeMs?: string; recheck?: () => Promise<VfRecheck>;
    /** this host's VF check: its verdict (none: the job is given no local host) */
    sourceVerdict?: VfRecheck["verdict"];
    /** the "ended" note's write, when it should take its time */
    endedWrite?: Promise<void>;
    /** counts this host's VF checks */
    sourceAsked?: { n: number };
}

function setup(o: Setup = {}) {
    const departures: string[] = [];
    const noteTimes: { started?: number; stayedSince?: number } = {};
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: LIVE_XML, inactiveXml: INACTIVE_XML });
    const t = fakeTimers();
    const destination = fakeDestination(o.domstate ?? (() => ({ stdout: "running (migrated)\n" })), o.domuuid);
    const job = new MigrationJob({
        libvirt: libvirt.asClient(), vm: VM, destination, destinationVf: VF_DEST, sourceVf: VF_SOURCE, timers: t.timers,
        form: { transport: "ssh", host: "192.0.2.2", maxDowntimeMs: o.maxDowntimeMs ?? "500" },
        recheckVf: o.recheck ?? (async () => okVf(o.verdict)),
        ...(o.sourceVerdict ? {
            local: fakeDestination(() => ({ stdout: "" })),
            recheckSourceVf: async (_t, vf, vm) => {
                if (o.sourceAsked)
                    o.sourceAsked.n++;
                return { ...okVf(o.sourceVerdict), id: "source-vf-recheck" as const, vf, usedBy: vm, summary: `source ${o.sourceVerdict}` };
            },
        } : {}),
        departures: {
            started: async (vm, vf, reach) => {
                departures.push(`started ${vm} ${vf}${reach ? ` reach ${reach.address} ${reach.answered}` : ""}`);
                noteTimes.started = Date.now();
            },
            ended: async (vm, vf) => { departures.push(`ended ${vm} ${vf}`); await o.endedWrite },
            stayed: async (vm, since) => { departures.push(`stayed ${vm}`); noteTimes.stayedSince = since },
        },
    });
    const events: MigrationJobEvent[] = [];
    job.subscribe(e => events.push(e));
    const ends = () => events.flatMap(e => (e.kind === "end" ? [e.end] : []));
    /** runs the next poll the job scheduled */
    const poll = async () => {
        const next = t.queue.shift();
        if (!next)
            throw new Error("no poll scheduled");
        next.fn();
        await flush();
        return next.ms;
    };
    return { libvirt, job, events, ends, poll, queue: t.queue, destination, departures, noteTimes };
}

test("open: the plan and the VF check; start: the VF checked again, MigrateToURI3, progress, then completed", async () => {
    const s = setup();
    await s.job.open();
    expect(s.job.state.phase).toEqual({ kind: "ready" });
    expect(s.job.state.source?.plan.maxDowntimeMs).toBe(500);
    expect(s.job.state.vfCheck?.verdict).toBe("pass");
    expect(s.job.state.busy).toBe(false);

    s.libvirt.jobStats = [running(1000, 800 << 20), running(2000, 600 << 20)];
    // the guest answered a ping from this host before the click: the note made at the call keeps it
    await s.job.start({ address: "198.51.100.11", answered: true, at: 1_700_000_000_000 });
    await flush();
    expect(s.job.state.phase).toEqual({ kind: "running", attached: false });
    expect(s.job.state.busy).toBe(true);
    expect(s.libvirt.migrateRequests).toHaveLength(1);
    expect(s.job.state.progress.view.percent).toBe(21);
    // the maximum pause is set once the job runs, and said
    expect(s.libvirt.downtimes).toEqual([500]);
    expect(s.job.state.notes).toEqual(["Maximum pause at the switch-over set to 500 ms"]);
    expect(await s.poll()).toBe(POLL_MS);
    expect(s.job.state.progress.view.percent).toBe(41);
    expect(s.libvirt.downtimes).toEqual([500]);

    s.libvirt.migrationSucceeds(VM);
    await flush();
    expect(s.ends()).toEqual([{ kind: "completed", attached: false }]);
    expect(s.job.state.phase).toEqual({ kind: "done" });
    expect(s.job.state.busy).toBe(false);
    // this host notes where the VM goes as the call is made, and that it left at the end, and for which VF
    expect(s.departures).toEqual([`started ${VM} ${VF_DEST} reach 198.51.100.11 true`, `ended ${VM} ${VF_DEST}`]);
    // the poll stops with the end
    expect(s.queue).toHaveLength(0);
});

test("start reads the destination VF while it reads the plan: the SSH round trip does not wait for libvirt here", async () => {
    let vfAsked = 0;
    let answerVf = (_v: VfRecheck) => {};
    const s = setup({ recheck: () => { vfAsked++; return new Promise(resolve => { answerVf = resolve }) } });
    await s.job.open({ checkVf: false });
    expect(vfAsked).toBe(0);
    const planAnswers: (() => void)[] = [];
    const getXml = s.libvirt.getXmlDesc.bind(s.libvirt);
    jest.spyOn(s.libvirt, "getXmlDesc").mockImplementation(async (d, f) => { await new Promise<void>(r => { planAnswers.push(r) }); return getXml(d, f) });
    const started = s.job.start();
    await flush();
    // libvirt has not given the VM's XML yet, and the destination is already asked
    expect(vfAsked).toBe(1);
    expect(s.libvirt.migrateRequests).toHaveLength(0);
    planAnswers.forEach(a => a());
    await flush();
    expect(s.libvirt.migrateRequests).toHaveLength(0);
    answerVf(okVf());
    await started;
    expect(s.libvirt.migrateRequests).toHaveLength(1);
});

test("an evacuation's open only finds the VM; its start reads this host's VF, which the input names, while it reads the plan", async () => {
    const sourceAsked = { n: 0 };
    const s = setup({ sourceVerdict: "pass", sourceAsked });
    const getXml = s.libvirt.getXmlDesc.bind(s.libvirt);
    const xml = jest.spyOn(s.libvirt, "getXmlDesc");
    await s.job.open({ checkVf: false, plan: false });
    expect(s.job.state.phase).toEqual({ kind: "ready" });
    expect(xml).not.toHaveBeenCalled();
    const planAnswers: (() => void)[] = [];
    xml.mockImplementation(async (d, f) => { await new Promise<void>(r => { planAnswers.push(r) }); return getXml(d, f) });
    const started = s.job.start();
    await flush();
    // the plan not read yet (its live and inactive XML asked at once), and both VFs already asked about
    expect(sourceAsked.n).toBe(1);
    expect(planAnswers).toHaveLength(2);
    planAnswers.forEach(a => a());
    await started;
    expect(s.libvirt.migrateRequests).toHaveLength(1);
    // read once: the plan names the VF the input named
    expect(sourceAsked.n).toBe(1);
    expect(s.job.state.sourceVfCheck?.verdict).toBe("pass");
});

test("read ahead: a start within seconds makes its call on those reads; a later one reads the plan and both VFs again", async () => {
    const sourceAsked = { n: 0 };
    let destAsked = 0;
    const s = setup({ sourceVerdict: "pass", sourceAsked, recheck: async () => { destAsked++; return okVf() } });
    const xml = jest.spyOn(s.libvirt, "getXmlDesc");
    await s.job.open({ checkVf: false, plan: false });
    // the clock stands still: "within seconds" holds however slowly this machine runs the test
    const frozen = jest.spyOn(Date, "now").mockReturnValue(Date.now());
    try {
        s.job.readAhead();
        // asked once however often the run asks within AHEAD_MS
        s.job.readAhead();
        await flush();
        expect([destAsked, sourceAsked.n, xml.mock.calls.length]).toEqual([1, 1, 2]);
        await s.job.start();
    } finally {
        frozen.mockRestore();
    }
    expect(s.libvirt.migrateRequests).toHaveLength(1);
    expect([destAsked, sourceAsked.n, xml.mock.calls.length]).toEqual([1, 1, 2]);
    expect(s.departures).toEqual([`started ${VM} ${VF_DEST}`]);

    const tSourceAsked = { n: 0 };
    const t = setup({ sourceVerdict: "pass", sourceAsked: tSourceAsked, recheck: async () => { destAsked++; return okVf() } });
    const tXml = jest.spyOn(t.libvirt, "getXmlDesc");
    destAsked = 0;
    await t.job.open({ checkVf: false, plan: false });
    t.job.readAhead();
    await flush();
    const now = Date.now();
    const clock = jest.spyOn(Date, "now").mockReturnValue(now + AHEAD_MS);
    try {
        await t.job.start();
    } finally {
        clock.mockRestore();
    }
    // too old: read again right before the call
    expect([destAsked, tSourceAsked.n, tXml.mock.calls.length]).toEqual([2, 2, 4]);
    expect(t.libvirt.migrateRequests).toHaveLength(1);
});

test("the plan and this host's VF as the stage shows them serve a click within AHEAD_MS, the destination's VF is read again; a later click reads all again", async () => {
    const sourceAsked = { n: 0 };
    let destAsked = 0;
    const s = setup({ sourceVerdict: "pass", sourceAsked, recheck: async () => { destAsked++; return okVf() } });
    const xml = jest.spyOn(s.libvirt, "getXmlDesc");
    const t0 = Date.now();
    const clock = jest.spyOn(Date, "now").mockReturnValue(t0);
    try {
        await s.job.open();
        await flush();
        expect(s.job.state.vfCheck?.verdict).toBe("pass");
        expect([destAsked, sourceAsked.n, xml.mock.calls.length]).toEqual([1, 1, 2]);
        // the stage keeps them warm while the admin reads: asked again, they are kept until WARM_REFRESH_MS
        s.job.readAhead(WARM_REFRESH_MS);
        clock.mockReturnValue(t0 + AHEAD_MS - 1);
        await s.job.start();
        expect(s.libvirt.migrateRequests).toHaveLength(1);
        // the destination's VF read again right before the call; the plan and this host's VF as the stage read them
        expect([destAsked, sourceAsked.n, xml.mock.calls.length]).toEqual([2, 1, 2]);
    } finally {
        clock.mockRestore();
    }

    const tSourceAsked = { n: 0 };
    destAsked = 0;
    const t = setup({ sourceVerdict: "pass", sourceAsked: tSourceAsked, recheck: async () => { destAsked++; return okVf() } });
    const tXml = jest.spyOn(t.libvirt, "getXmlDesc");
    await t.job.open();
    await flush();
    const later = jest.spyOn(Date, "now").mockReturnValue(Date.now() + AHEAD_MS);
    try {
        await t.job.start();
    } finally {
        later.mockRestore();
    }
    // the admin read the plan longer than that, and nothing kept it warm: read again right before the call
    expect([destAsked, tSourceAsked.n, tXml.mock.calls.length]).toEqual([2, 2, 4]);
    expect(t.libvirt.migrateRequests).toHaveLength(1);
});

test("the wizard's read-ahead (destination: false) reads the plan and this host's VF; its start reads the destination's VF alone", async () => {
    const sourceAsked = { n: 0 };
    let destAsked = 0;
    const s = setup({ sourceVerdict: "pass", sourceAsked, recheck: async () => { destAsked++; return okVf() } });
    const xml = jest.spyOn(s.libvirt, "getXmlDesc");
    await s.job.open({ checkVf: false });
    const frozen = jest.spyOn(Date, "now").mockReturnValue(Date.now() + AHEAD_MS);
    try {
        s.job.readAhead(WARM_REFRESH_MS, { destination: false });
        await flush();
        expect([destAsked, sourceAsked.n, xml.mock.calls.length]).toEqual([0, 1, 4]);
        await s.job.start();
    } finally {
        frozen.mockRestore();
    }
    expect(s.libvirt.migrateRequests).toHaveLength(1);
    expect([destAsked, sourceAsked.n, xml.mock.calls.length]).toEqual([1, 1, 4]);
});

test("\"Check the VFs again\" keeps this host's reading for a start within AHEAD_MS; the start reads the destination's VF again", async () => {
    const sourceAsked = { n: 0 };
    let destAsked = 0;
    const s = setup({ sourceVerdict: "pass", sourceAsked, recheck: async () => { destAsked++; return okVf() } });
    await s.job.open();
    await flush();
    const frozen = jest.spyOn(Date, "now").mockReturnValue(Date.now() + AHEAD_MS);
    try {
        await s.job.checkAgain();
        expect(s.job.state.phase).toEqual({ kind: "ready" });
        expect([destAsked, sourceAsked.n]).toEqual([2, 2]);
        await s.job.start();
    } finally {
        frozen.mockRestore();
    }
    expect(s.libvirt.migrateRequests).toHaveLength(1);
    expect([destAsked, sourceAsked.n]).toEqual([3, 2]);
});

test("read ahead: reads younger than the given age are kept; older ones are made again (an evacuation's confirmation kept fresh)", async () => {
    let destAsked = 0;
    const sourceAsked = { n: 0 };
    const s = setup({ sourceVerdict: "pass", sourceAsked, recheck: async () => { destAsked++; return okVf() } });
    // the clock stands still while the first reads are made: on a loaded machine, real milliseconds pass between them
    const now = Date.now();
    const clock = jest.spyOn(Date, "now").mockReturnValue(now);
    try {
        s.job.readAhead(WARM_REFRESH_MS);
        await flush();
        clock.mockReturnValue(now + WARM_REFRESH_MS - 1);
        s.job.readAhead(WARM_REFRESH_MS);
        await flush();
        expect([destAsked, sourceAsked.n]).toEqual([1, 1]);
        clock.mockReturnValue(now + WARM_REFRESH_MS + 1);
        // the run's own asks keep it up to AHEAD_MS
        s.job.readAhead();
        await flush();
        expect([destAsked, sourceAsked.n]).toEqual([1, 1]);
        s.job.readAhead(WARM_REFRESH_MS);
        await flush();
        expect([destAsked, sourceAsked.n]).toEqual([2, 2]);
    } finally {
        clock.mockRestore();
    }
});

test("read ahead: a VF check that did not pass (an SSH timeout) or a plan libvirt refused is read again at the start, which goes on", async () => {
    const verdicts: VfRecheck["verdict"][] = ["unknown", "pass"];
    const s = setup({ recheck: async () => okVf(verdicts.shift()) });
    await s.job.open({ checkVf: false, plan: false });
    const getXml = s.libvirt.getXmlDesc.bind(s.libvirt);
    const xml = jest.spyOn(s.libvirt, "getXmlDesc").mockRejectedValueOnce(new LibvirtCallError("org.libvirt.Domain.GetXMLDesc", "timed out", "org.freedesktop.DBus.Error.NoReply"));
    xml.mockImplementation(getXml);
    s.job.readAhead();
    await flush();
    expect(verdicts).toEqual(["pass"]);
    await s.job.start();
    expect(verdicts).toEqual([]);
    expect(s.job.state.vfCheck?.verdict).toBe("pass");
    expect(s.libvirt.migrateRequests).toHaveLength(1);
});

test("read ahead before the VM is found: the VFs then, its plan once it is found; a job closed drops them", async () => {
    let destAsked = 0;
    const s = setup({ recheck: async () => { destAsked++; return okVf() } });
    const xml = jest.spyOn(s.libvirt, "getXmlDesc");
    s.job.readAhead();
    expect([destAsked, xml.mock.calls.length]).toEqual([1, 0]);
    await s.job.open({ checkVf: false, plan: false });
    s.job.readAhead();
    await flush();
    expect([destAsked, xml.mock.calls.length]).toEqual([1, 2]);
    s.job.close();
    await s.job.open({ checkVf: false, plan: false });
    await s.job.start();
    expect([destAsked, xml.mock.calls.length]).toEqual([2, 4]);
    expect(s.libvirt.migrateRequests).toHaveLength(1);
});

test("an evacuation's VM whose XML libvirt will not give: blocked at its start with what to check, as an open that reads the plan says, and no note", async () => {
    const refusing = () => {
        const s = setup();
        // libvirt-dbus without administrative access: its summary comes with what to check
        jest.spyOn(s.libvirt, "getXmlDesc").mockRejectedValue(
            new LibvirtCallError("org.libvirt.Domain.GetXMLDesc", "access denied", "org.freedesktop.DBus.Error.AccessDenied"));
        return s;
    };
    const wizard = refusing();
    await wizard.job.open();
    const evac = refusing();
    await evac.job.open({ checkVf: false, plan: false });
    await evac.job.start();
    expect(wizard.job.state.phase).toMatchObject({ kind: "blocked", message: "This needs administrative access" });
    expect(evac.job.state.phase).toEqual(wizard.job.state.phase);
    expect(evac.departures).toEqual([]);
    expect(evac.libvirt.migrateRequests).toHaveLength(0);
});

test("the end is shown once this host's note that the VM left is written, so that closing the page at \"done\" cannot cut it", async () => {
    let written = () => {};
    const s = setup({ endedWrite: new Promise<void>(resolve => { written = resolve }) });
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 800 << 20)];
    await s.job.start();
    await flush();
    s.libvirt.migrationSucceeds(VM);
    await flush();
    expect(s.departures).toEqual([`started ${VM} ${VF_DEST}`, `ended ${VM} ${VF_DEST}`]);
    expect(s.ends()).toEqual([]);
    expect(s.job.state.phase.kind).toBe("running");
    // an evacuation hears at once that the VM left (its next VM may start), before the end is said
    expect(s.events.filter(e => e.kind === "left")).toHaveLength(1);
    // meanwhile no poll: the only timer is the bound on the wait
    expect(s.queue.map(t => t.ms)).toEqual([10000]);
    written();
    await flush();
    expect(s.ends()).toEqual([{ kind: "completed", attached: false }]);
    expect(s.job.state.phase).toEqual({ kind: "done" });
    expect(s.queue).toHaveLength(0);
});

test("a note that never finishes does not hold the end back: it is shown after a bounded wait", async () => {
    const s = setup({ endedWrite: new Promise<void>(() => {}) });
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 800 << 20)];
    await s.job.start();
    await flush();
    s.libvirt.migrationSucceeds(VM);
    await flush();
    expect(s.ends()).toEqual([]);
    // the only timer left is the wait for the note
    expect(s.queue).toHaveLength(1);
    s.queue.shift()?.fn();
    expect(s.job.state.phase).toEqual({ kind: "done" });
});

test("a page left while the end waits for its note: the wait's timer goes with it, and no end is said", async () => {
    const s = setup({ endedWrite: new Promise<void>(() => {}) });
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 800 << 20)];
    await s.job.start();
    await flush();
    s.libvirt.migrationSucceeds(VM);
    await flush();
    s.job.close();
    expect(s.queue).toEqual([]);
    expect(s.ends()).toEqual([]);
});

test("near the end of our own call libvirt is not asked for figures (its lookup would wait while QEMU stops); the call tells the outcome", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 50 << 20)];
    await s.job.start();
    await flush();
    // less than END_MS left: the next question comes only after QUIET_END_MS, in case the estimate was wrong
    expect(s.queue.map(q => q.ms)).toEqual([QUIET_END_MS]);
    s.libvirt.migrationSucceeds(VM);
    await flush();
    expect(s.ends()).toEqual([{ kind: "completed", attached: false }]);
});

test("the start of our own call is not taken for its end: no job yet, then libvirt's zeros while it sets up, are asked again soon", async () => {
    const s = setup();
    await s.job.open();
    const zeros = stats("unbounded", { operation: 5, timeElapsedMs: 0, dataTotal: 0, dataRemaining: 0, dataProcessed: 0 });
    s.libvirt.jobStats = [stats("none"), zeros, running(1000, 800 << 20)];
    await s.job.start();
    await flush();
    expect(s.queue.map(q => q.ms)).toEqual([FAST_POLL_MS]);
    expect(await s.poll()).toBe(FAST_POLL_MS);
    expect(s.queue.map(q => q.ms)).toEqual([FAST_POLL_MS]);
    expect(await s.poll()).toBe(FAST_POLL_MS);
    expect(s.queue.map(q => q.ms)).toEqual([POLL_MS]);
    expect(s.job.state.progress.view.percent).toBeGreaterThan(0);
    expect(s.libvirt.downtimes).toHaveLength(1);
});

test("an estimate of the end that was wrong: after the quiet time the figures come again, every second while far from the end", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 50 << 20), running(1000, 800 << 20)];
    await s.job.start();
    await flush();
    expect(await s.poll()).toBe(QUIET_END_MS);
    expect(s.queue.map(q => q.ms)).toEqual([POLL_MS]);
});

test("a job followed after the page opened again has no call of ours: near its end it is asked every FAST_POLL_MS", async () => {
    const s = setup();
    s.libvirt.jobStats = [running(30_000, 50 << 20)];
    await s.job.open();
    await flush();
    expect(s.job.state.phase).toEqual({ kind: "running", attached: true });
    expect(s.queue.map(q => q.ms)).toEqual([FAST_POLL_MS]);
});

test("libvirt's event that the VM stopped here because it migrated ends the job at once; the late answer of the call changes nothing", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 50 << 20)];
    await s.job.start();
    await flush();
    expect(s.job.state.callPending).toBe(true);
    // another VM's migration, and this VM's other events, are not this end
    s.libvirt.domainEvent("other-vm", 5, 3);
    s.libvirt.domainEvent(VM, 4, 0);
    s.libvirt.domainEvent(VM, 5, 1);
    await flush();
    expect(s.ends()).toEqual([]);
    s.libvirt.domains.delete(VM);
    s.libvirt.domainEvent(VM, 5, 3);
    await flush();
    expect(s.ends()).toEqual([{ kind: "completed", attached: false }]);
    expect(s.events.filter(e => e.kind === "left")).toHaveLength(1);
    expect(s.job.state.phase).toEqual({ kind: "done" });
    // libvirt-dbus's thread is held until the call answers, about a second later (docs/performance.md)
    expect(s.job.state.callPending).toBe(true);
    s.libvirt.migrationSucceeds(VM);
    await flush();
    expect(s.job.state.callPending).toBe(false);
    expect(s.ends()).toHaveLength(1);
    expect(s.libvirt.eventListenerCount).toBe(0);
});

test("a call that fails is not taken back by a later event, and no event listener is left", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 50 << 20)];
    await s.job.start();
    await flush();
    s.libvirt.migrationFails(new LibvirtCallError("org.libvirt.Domain.MigrateToURI3", "operation failed: migration out job: unexpectedly failed"));
    await flush();
    s.libvirt.domainEvent(VM, 5, 3);
    await flush();
    expect(s.ends().map(e => e.kind)).toEqual(["failed"]);
    expect(s.job.state.callPending).toBe(false);
    expect(s.libvirt.eventListenerCount).toBe(0);
});

test("abort: AbortJob, and the migration's failure is told as cancelled, however libvirt words it", async () => {
    const messages = ["operation aborted: migration out job: canceled by client", "Failed to connect to remote libvirt URI qemu+ssh://x"];
    for (const message of messages) {
        const s = setup();
        await s.job.open();
        s.libvirt.jobStats = [running(1000, 800 << 20)];
        await s.job.start();
        await s.job.abort();
        expect(s.libvirt.calls).toContain(`AbortJob ${VM}`);
        s.libvirt.migrationFails(new LibvirtCallError("org.libvirt.Domain.MigrateToURI3", message));
        await flush();
        const [end] = s.ends();
        expect(end).toMatchObject({ kind: "cancelled", where: "running-here", error: { kind: "cancelled", detail: message } });
        expect(s.job.state.phase).toMatchObject({ kind: "failed", where: "running-here" });
        // the VM did not leave: the note made at the call is taken back, and no one hears that it left
        expect(s.departures).toEqual([`started ${VM} ${VF_DEST}`, `stayed ${VM}`]);
        expect(s.events.some(e => e.kind === "left")).toBe(false);
    }
});

test("abort refused by libvirt: the error is thrown to the dialog, and a later failure is not called a cancel", async () => {
    const s = setup();
    await s.job.open();
    await s.job.start();
    s.libvirt.abortError = new LibvirtCallError("org.libvirt.Domain.AbortJob",
                                                "Requested operation is not valid: no job is active on the domain");
    await expect(s.job.abort()).rejects.toThrow(/no job is active/);
    s.libvirt.migrationFails(new LibvirtCallError("org.libvirt.Domain.MigrateToURI3", "unable to connect to server at 'x:49152'"));
    await flush();
    expect(s.ends()[0]).toMatchObject({ kind: "failed", error: { kind: "unreachable" } });
});

test("a connection that ends after data went is told as broken, one that ends before as not reached (libvirt says EOF for both)", async () => {
    const eof = () => new LibvirtCallError("org.libvirt.Domain.MigrateToURI3", "End of file while reading data: : Input/output error");
    const before = setup();
    await before.job.open();
    await before.job.start();
    before.libvirt.migrationFails(eof());
    await flush();
    expect(before.ends()[0]).toMatchObject({ kind: "failed", where: "running-here", error: { kind: "unreachable" } });

    const during = setup();
    await during.job.open();
    during.libvirt.jobStats = [running(1000, 800 << 20)];
    await during.job.start();
    await during.poll();
    during.libvirt.migrationFails(eof());
    await flush();
    expect(during.ends()[0]).toMatchObject({
        kind: "failed", where: "running-here",
        error: { kind: "connection-lost", summary: "The connection to the destination broke during the migration" },
    });

    // data went, then the next sample was already the failed job, with no figures, before the call's error came
    const gone = setup();
    await gone.job.open();
    gone.libvirt.jobStats = [running(1000, 800 << 20), stats("failed")];
    await gone.job.start();
    await gone.poll();
    await gone.poll();
    gone.libvirt.migrationFails(eof());
    await flush();
    expect(gone.ends()[0]).toMatchObject({ kind: "failed", error: { kind: "connection-lost" } });

    // the call failed before its job began (the destination's libvirtd stopped): the completed statistics are an
    // earlier migration's, with data, and are not read
    const early = setup();
    await early.job.open();
    early.libvirt.jobStats = (flags: number) => (flags & 1 ? stats("completed", { dataProcessed: 40 << 20 }) : stats("none"));
    await early.job.start();
    early.libvirt.migrationFails(eof());
    await flush();
    expect(early.ends()[0]).toMatchObject({ kind: "failed", error: { kind: "unreachable" } });
});

test("an error of MigrateToURI3 goes through src/migration/errors.ts, with where the VM is now", async () => {
    const s = setup();
    await s.job.open();
    await s.job.start();
    s.libvirt.migrationFails(new LibvirtCallError("org.libvirt.Domain.MigrateToURI3",
        "Requested operation is not valid: PCI device 0000:81:00.3 is in use by driver QEMU, domain other-vm"));
    await flush();
    expect(s.ends()[0]).toMatchObject({
        kind: "failed", where: "running-here",
        error: { kind: "vf-in-use", summary: "The destination VF 0000:81:00.3 is in use by the VM other-vm" },
    });
    expect(failedCallEnd({ message: "canceled by client" }, false, "running-here").kind).toBe("cancelled");
});

test("the page re-opened while a job runs: followed (re-attach), not started again; it ends with the VM on the destination", async () => {
    const s = setup();
    s.libvirt.jobStats = [running(30_000, 512 << 20), running(31_000, 400 << 20), stats("none")];
    await s.job.open();
    expect(s.job.state.phase).toEqual({ kind: "running", attached: true });
    expect(s.job.state.busy).toBe(true);
    await flush();
    expect(s.job.state.progress.view.percent).toBe(60);
    expect(s.libvirt.migrateRequests).toHaveLength(0);
    // no MigrateSetMaxDowntime for a job this page did not start
    expect(s.libvirt.downtimes).toEqual([]);
    s.libvirt.domains.delete(VM);
    s.libvirt.jobStats = [stats("none")];
    await s.poll();
    expect(s.ends()).toEqual([{ kind: "completed", attached: true }]);
    expect(s.destination.runs).toEqual(["virsh -c qemu:///system domstate --domain rhel9-vf --reason"]);
});

test("a followed job whose VM stays defined here, shut off, after the switch-over: it ends, with the VM on the destination", async () => {
    const s = setup({ domstate: () => ({ stdout: "running (migrated)\n" }) });
    s.libvirt.jobStats = [running(30_000, 512 << 20)];
    await s.job.open();
    await flush();
    // libvirt now refuses the job's figures ("domain is not running") instead of saying the job ended
    s.libvirt.domains.set(VM, { active: false, persistent: true, xml: LIVE_XML });
    await s.poll();
    expect(s.ends()).toEqual([{ kind: "completed", attached: true }]);
});

test("job figures refused while the VM still runs here: said as libvirt's error at open, and a followed job keeps being followed", async () => {
    const busy = new LibvirtCallError("org.libvirt.Domain.GetJobStats", "Timed out during operation: cannot acquire state change lock", "org.libvirt.Error");
    const s = setup();
    s.libvirt.jobStats = () => { throw busy };
    await s.job.open();
    expect(s.job.state.phase).toMatchObject({ kind: "blocked" });
    expect(JSON.stringify(s.job.state.phase)).toContain("cannot acquire state change lock");

    const f = setup();
    f.libvirt.jobStats = [running(30_000, 512 << 20)];
    await f.job.open();
    await flush();
    f.libvirt.jobStats = () => { throw busy };
    await f.poll();
    await f.poll();
    expect(f.ends()).toEqual([]);
    expect(f.job.state.phase).toEqual({ kind: "running", attached: true });
});

test("a job that vanished with the VM gone from both hosts fails loudly: no VM is ever reported moved when it is lost", async () => {
    const s = setup({ domstate: () => ({ exit: 1, stderr: "error: failed to get domain 'rhel9-vf'\n" }) });
    s.libvirt.jobStats = [running(30_000, 512 << 20)];
    await s.job.open();
    await flush();
    s.libvirt.domains.delete(VM);
    await s.poll();
    const [end] = s.ends();
    expect(end.kind).toBe("vanished");
    expect(end).toMatchObject({ where: "not-here", error: { summary: expect.stringMatching(/on neither host/) } });
    expect(s.job.state.phase).toMatchObject({ kind: "failed", where: "not-here" });
    expect(s.job.state.busy).toBe(false);
});

test("a followed job that ended with the VM still here: failed or cancelled, from the last job's statistics", async () => {
    const cases = [["failed", "migration out job: unexpectedly failed", "failed"], ["cancelled", "", "cancelled"]] as const;
    for (const [type, errmsg, kind] of cases) {
        const s = setup();
        s.libvirt.jobStats = [running(30_000, 512 << 20)];
        await s.job.open();
        await flush();
        s.libvirt.jobStats = flags => (flags === 1 ? stats(type, { errmsg }) : stats("none"));
        await s.poll();
        expect(s.ends()).toMatchObject([{ kind, where: "running-here" }]);
    }
});

test("a followed job that had sent data and ended on libvirt's \"End of file\": a broken connection, as for our own call", async () => {
    const s = setup();
    s.libvirt.jobStats = [running(30_000, 512 << 20)];
    await s.job.open();
    await flush();
    s.libvirt.jobStats = flags => (flags === 1 ? stats("failed", { errmsg: "End of file while reading data: : Input/output error" }) : stats("none"));
    await s.poll();
    expect(s.ends()).toMatchObject([{ kind: "failed", where: "running-here", error: { kind: "connection-lost" } }]);
});

test("the same when only the completed job's own figures show the data that went (the page's samples had none yet)", async () => {
    const s = setup();
    s.libvirt.jobStats = [running(100, 1 << 30)];
    await s.job.open();
    await flush();
    s.libvirt.jobStats = flags => (flags === 1
        ? stats("failed", { errmsg: "End of file while reading data: : Input/output error", dataProcessed: 64 << 20 }) : stats("none"));
    await s.poll();
    expect(s.ends()).toMatchObject([{ kind: "failed", error: { kind: "connection-lost" } }]);
});

test("open: a VM not here, a VM shut off, invalid options; start refused when the VF is no longer ready", async () => {
    const gone = setup();
    gone.libvirt.domains.clear();
    await gone.job.open();
    expect(gone.job.state.phase).toEqual({ kind: "absent" });

    // found by name, gone at the next call: its migration ended in between (a page opened while it ran)
    const left = setup();
    left.libvirt.jobStats = () => { left.libvirt.domains.clear(); return stats("none") };
    await left.job.open();
    expect(left.job.state.phase).toEqual({ kind: "absent" });

    // shut off between the lookup and the job's figures, as a migration that ends leaves it: libvirt refuses the
    // figures ("domain is not running"), and the VM is looked at as one not running (here: gone to the destination)
    const ending = setup({ domuuid: () => ({ stdout: `uuid-${VM}\n` }) });
    ending.libvirt.lookupByName = async (name: string) => {
        ending.libvirt.domains.set(VM, { active: false, persistent: true, xml: LIVE_XML });
        return { path: `/org/libvirt/QEMU/domain/_${name}`, name };
    };
    await ending.job.open();
    expect(ending.job.state.phase).toEqual({ kind: "absent" });

    const off = setup({ domstate: () => ({ stdout: "shut off\n" }) });
    off.libvirt.domains.set(VM, { active: false, persistent: true, xml: LIVE_XML });
    await off.job.open();
    expect(off.job.state.phase).toMatchObject({ kind: "blocked", message: "rhel9-vf is not running: only a running VM is live-migrated" });
    // nor when the destination does not answer
    const unanswered = setup({ domstate: () => ({ exit: 255, stderr: "ssh: connect to host 192.0.2.2 port 22: No route to host\n" }) });
    unanswered.libvirt.domains.set(VM, { active: false, persistent: true, xml: LIVE_XML });
    await unanswered.job.open();
    expect(unanswered.job.state.phase).toMatchObject({ kind: "blocked" });

    // shut off here and running on the destination: its migration just ended (libvirt drops it from here next), or
    // its definition stayed here. Either way it is not this host's to migrate. Only this very VM (its UUID) counts
    const shutOffHere = (destinationUuid: string) => {
        const s = setup({ domuuid: () => ({ stdout: `${destinationUuid}\n` }) });
        s.libvirt.domains.set(VM, { active: false, persistent: true, xml: LIVE_XML });
        return s;
    };
    const moved = shutOffHere(`uuid-${VM}`);
    await moved.job.open();
    expect(moved.job.state.phase).toEqual({ kind: "absent" });
    const namesake = shutOffHere("0efa434a-f359-44ac-a6f4-53d85b546a76");
    await namesake.job.open();
    expect(namesake.job.state.phase).toMatchObject({ kind: "blocked", message: "rhel9-vf is not running: only a running VM is live-migrated" });

    const invalid = setup({ maxDowntimeMs: "abc" });
    await invalid.job.open();
    expect(invalid.job.state.phase)
        .toMatchObject({ kind: "blocked", message: "The migration options are not valid: go back and correct them" });
    expect(invalid.job.state.phase.kind === "blocked" && invalid.job.state.phase.details).toHaveLength(1);

    const refused = setup({ verdict: "fail" });
    await refused.job.open();
    await refused.job.start();
    expect(refused.job.state.phase).toMatchObject({ kind: "refused", check: { verdict: "fail" } });
    expect(refused.job.state.busy).toBe(false);
    expect(refused.libvirt.migrateRequests).toHaveLength(0);
    // the note made beside the re-check is taken back
    expect(refused.departures).toEqual([`started ${VM} ${VF_DEST}`, `stayed ${VM}`]);
});

test("this host's VF is checked with the destination's: a refusal of either holds the call back, this host's shown first", async () => {
    const ok = setup({ sourceVerdict: "pass" });
    await ok.job.open();
    expect(ok.job.state.sourceVfCheck).toMatchObject({ id: "source-vf-recheck", verdict: "pass", vf: VF_SOURCE, usedBy: VM });
    expect(ok.job.state.vfCheck).toMatchObject({ verdict: "pass", vf: VF_DEST });
    ok.libvirt.jobStats = [running(1000, 800 << 20)];
    await ok.job.start();
    expect(ok.libvirt.migrateRequests).toHaveLength(1);

    const refused = setup({ sourceVerdict: "fail" });
    await refused.job.open();
    await refused.job.start();
    expect(refused.job.state.phase).toMatchObject({ kind: "refused", check: { id: "source-vf-recheck", verdict: "fail", summary: "source fail" } });
    expect(refused.job.state.vfCheck).toMatchObject({ verdict: "pass" });
    expect(refused.libvirt.migrateRequests).toHaveLength(0);
    expect(refused.departures).toEqual([`started ${VM} ${VF_DEST}`, `stayed ${VM}`]);

    // no local host given (as before this check): the destination's alone decides
    const alone = setup();
    await alone.job.open();
    expect(alone.job.state.sourceVfCheck).toBeNull();
});

test("started, then the page left: the note made at the call stays, so the VM is still named if it leaves unwatched", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(30_000, 512 << 20)];
    await s.job.start();
    s.job.close();
    s.libvirt.migrationSucceeds(VM);
    await flush();
    expect(s.departures).toEqual([`started ${VM} ${VF_DEST}`]);
});

test("the page left during the VF's re-check: no call is made, and the note made beside it is taken back", async () => {
    let answer: (r: VfRecheck) => void = () => {};
    let calls = 0;
    // the open's check answers at once; the start's waits
    const s = setup({ recheck: () => (++calls === 1 ? Promise.resolve(okVf()) : new Promise(resolve => { answer = resolve })) });
    await s.job.open();
    const started = s.job.start();
    await flush();
    s.job.close();
    answer(okVf());
    await started;
    await flush();
    expect(s.libvirt.migrateRequests).toHaveLength(0);
    expect(s.departures).toEqual([`started ${VM} ${VF_DEST}`, `stayed ${VM}`]);
    // only this start's note goes: one written by a newer start of the VM (a page opened since) is later than this
    expect(s.noteTimes.stayedSince).toBeGreaterThanOrEqual(s.noteTimes.started ?? Infinity);
});

test("closed (the page left): no more polls, no more events; the migration itself is not touched", async () => {
    const s = setup();
    s.libvirt.jobStats = [running(30_000, 512 << 20)];
    await s.job.open();
    await flush();
    expect(s.queue).toHaveLength(1);
    s.job.close();
    expect(s.queue).toHaveLength(0);
    const n = s.events.length;
    s.libvirt.domains.delete(VM);
    await flush();
    expect(s.events).toHaveLength(n);
    expect(s.libvirt.calls.filter(c => c.startsWith("AbortJob"))).toEqual([]);
});

test("a job built while our own call is not answered yet (the stage re-rendered) follows that call, never offers to start again", async () => {
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: LIVE_XML, inactiveXml: INACTIVE_XML });
    const client = libvirt.asClient();
    const destination = fakeDestination(() => ({ stdout: "running (migrated)\n" }));
    const make = (destinationVf = VF_DEST) => new MigrationJob({
        libvirt: client, vm: VM, destination, destinationVf,
        sourceVf: VF_SOURCE, timers: fakeTimers().timers, form: { transport: "ssh", host: "192.0.2.2", maxDowntimeMs: "500" },
        recheckVf: async () => okVf(),
    });
    const first = make();
    await first.open();
    await first.start();
    first.close();
    // libvirt shows no job yet: the call was just made
    libvirt.jobStats = [stats("none")];
    const second = make();
    await second.open();
    await flush();
    expect(second.state.phase).toEqual({ kind: "running", attached: false });
    expect(libvirt.migrateRequests).toHaveLength(1);
    // a job for another migration (another destination VF) does not take that call for its own
    const other = make("0000:c1:00.7");
    await other.open();
    expect(other.state.phase.kind).not.toBe("running");
    other.close();
    libvirt.migrationSucceeds(VM);
    await flush();
    expect(second.state.phase).toEqual({ kind: "done" });
    // answered: a job opened now reads libvirt again (the VM is gone from this host)
    const third = make();
    await third.open();
    expect(third.state.phase).toEqual({ kind: "absent" });
});

test("a job opened after libvirt's end but before the call answers reads libvirt again, never follows that call a second time", async () => {
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: LIVE_XML, inactiveXml: INACTIVE_XML });
    const client = libvirt.asClient();
    const destination = fakeDestination(() => ({ stdout: "running (migrated)\n" }));
    const ended: string[] = [];
    const make = () => new MigrationJob({
        libvirt: client, vm: VM, destination, destinationVf: VF_DEST,
        sourceVf: VF_SOURCE, timers: fakeTimers().timers, form: { transport: "ssh", host: "192.0.2.2", maxDowntimeMs: "500" },
        recheckVf: async () => okVf(),
        departures: { started: async () => {}, ended: async vm => { ended.push(vm) }, stayed: async () => {} },
    });
    const first = make();
    await first.open();
    await first.start();
    await flush();
    libvirt.domains.delete(VM);
    libvirt.domainEvent(VM, 5, 3);
    await flush();
    expect(first.state.phase).toEqual({ kind: "done" });
    // the stage re-renders: its new job finds the VM gone, not a migration to follow
    const second = make();
    await second.open();
    expect(second.state.phase).toEqual({ kind: "absent" });
    // the late answer ends nothing twice
    libvirt.migrationSucceeds(VM);
    await flush();
    expect(ended).toEqual([VM]);
    second.close();
    first.close();
    expect(libvirt.eventListenerCount).toBe(0);
});

test("after libvirt's end, a call that fails late (the page's connection closed) does not turn the completed migration into a failure", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 50 << 20)];
    await s.job.start();
    await flush();
    s.libvirt.domains.delete(VM);
    s.libvirt.domainEvent(VM, 5, 3);
    await flush();
    s.libvirt.migrationFails(new LibvirtCallError("org.libvirt.Domain.MigrateToURI3", "Connection closed"));
    await flush();
    expect(s.ends()).toEqual([{ kind: "completed", attached: false }]);
    expect(s.job.state.callPending).toBe(false);
});

test("a job closed while its call is out stops listening to libvirt's events at once", async () => {
    const s = setup();
    await s.job.open();
    s.libvirt.jobStats = [running(1000, 50 << 20)];
    await s.job.start();
    await flush();
    expect(s.libvirt.eventListenerCount).toBe(1);
    s.job.close();
    expect(s.libvirt.eventListenerCount).toBe(0);
});

test("a plain live migration (a VM without a VF, in an evacuation): no VF is checked or moved, the XML goes as it is", async () => {
    // no VF interface, and no PCI <hostdev> either (the fixture has one)
        const strip = (xml: string) => xml.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>\n/, "").replace(/<hostdev [\s\S]*?<\/hostdev>\n?/g, "");
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: strip(LIVE_XML), inactiveXml: strip(INACTIVE_XML) });
    let rechecks = 0;
    const job = new MigrationJob({
        libvirt: libvirt.asClient(), vm: VM, destination: fakeDestination(() => ({ stdout: "running (migrated)\n" })),
        destinationVf: null, sourceVf: null, plain: true, timers: fakeTimers().timers,
        form: { transport: "ssh", host: "192.0.2.2" },
        recheckVf: async () => { rechecks++; return okVf() },
    });
    await job.open();
    expect(job.state.phase).toEqual({ kind: "ready" });
    await job.start();
    await flush();
    expect(rechecks).toBe(0);
    expect(job.state.vfCheck).toBeNull();
    expect(libvirt.migrateRequests).toHaveLength(1);
    expect(libvirt.migrateRequests[0].params.destination_xml).toEqual({ t: "s", v: strip(LIVE_XML) });
    libvirt.migrationSucceeds(VM);
    await flush();
    expect(job.state.phase).toEqual({ kind: "done" });
});
