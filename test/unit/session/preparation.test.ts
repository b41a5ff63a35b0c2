/*
 * The preparation run without any UI: two scripted hosts, the admin's answers injected, every branch of the loop —
 * nothing to do, confirm declined, a step failing and its undo, a step needing a reboot of either host, the page
 * re-opened with a record (after this host's own reboot), cancel.
 */
import { TextEncoder as NodeTextEncoder } from "util";
import type { HostFacts, Role } from "../../../src/checks/facts";
import { TransportError } from "../../../src/host/transport";
import { DEFAULT_OPTIONS } from "../../../src/steps";
import type { AskKind } from "../../../src/session/ask";
import { PreparationRun, type Waiting } from "../../../src/session/preparation";
import { installFakeCockpit } from "../fake-cockpit";
import { facts, k, nic } from "../steps/fixtures";
import { FakeHostModel, ScriptedHost } from "./fake-hosts";

globalThis.TextEncoder ??= NodeTextEncoder as typeof TextEncoder;

const FILE = "/var/lib/cockpit-vf-migration/prepare.json";
/** IOMMU off, in the running kernel and the next boot's arguments: one step to confirm, then a reboot */
const noIommu = () => facts({ nextBootArgs: k(["ro"]), cmdline: k(["ro"]), iommuActive: k(false) });
/** after grubby: the next boot has the arguments, the running kernel not yet */
const argsSet = () => facts({ cmdline: k(["ro"]), iommuActive: k(false) });

let hosts: Record<Role, ScriptedHost>;
let models: Record<Role, FakeHostModel>;
let asked: { kind: AskKind; role: Role; step: string }[];
let answer: (kind: AskKind) => boolean;

function setup(source: HostFacts, destination: HostFacts) {
    hosts = { source: new ScriptedHost("localhost", source), destination: new ScriptedHost("root@rhel-dst", destination) };
    openPage();
}

/** The page (re-)opened: new models and a new run over the same hosts. */
function openPage(options = DEFAULT_OPTIONS): PreparationRun {
    models = { source: new FakeHostModel("source", hosts.source), destination: new FakeHostModel("destination", hosts.destination) };
    asked = [];
    answer = () => true;
    return new PreparationRun({
        hosts: models, options: () => options, sleep: async () => {},
        confirm: async (kind, planned, about) => {
            asked.push({ kind, role: about.role, step: planned.step.id });
            return answer(kind);
        },
    });
}

const record = (role: Role) => JSON.parse(hosts[role].files.get(FILE) ?? "null");
const ran = (role: Role, word: string) => hosts[role].calls.filter(c => c.argv[0] === word).map(c => c.argv.join(" "));

beforeAll(() => { installFakeCockpit() });

test("both hosts ready: done, nothing asked, nothing run, no record written", async () => {
    setup(facts(), facts());
    const run = openPage();
    await run.start();
    expect(run.state.phase).toEqual({ kind: "done" });
    expect(asked).toEqual([]);
    expect(hosts.source.files.has(FILE)).toBe(false);
});

test("confirm declined: stopped before the step, which never ran", async () => {
    setup(noIommu(), facts());
    const run = openPage();
    answer = () => false;
    await run.start();
    expect(asked).toEqual([{ kind: "confirm", role: "source", step: "iommu-kernel-args" }]);
    expect(run.state.phase).toEqual({ kind: "stopped", message: "Stopped before “Enable the IOMMU in the kernel”." });
    expect(ran("source", "grubby")).toEqual([]);
});

test("a second start while the run goes on (another button, pressed during a confirmation) runs nothing twice", async () => {
    setup(noIommu(), facts());
    const run = openPage();
    await Promise.all([run.start(), run.start()]);
    // one confirmation asked, grubby run once: one loop
    expect(asked.filter(a => a.kind === "confirm")).toHaveLength(1);
    expect(ran("source", "grubby").filter(c => c.includes("--args="))).toHaveLength(1);
    // once it stopped, a start runs again
    await run.start();
    expect(asked.length).toBeGreaterThan(1);
});

test("a step fails: the tool's words, recorded on the host; undo is asked, runs and is recorded", async () => {
    setup(noIommu(), facts());
    hosts.source.on.grubby = () => ({ exitStatus: 1, stderr: "grubby: error: bad boot entry" });
    const run = openPage();
    await run.start();
    const message = "grubby: error: bad boot entry";
    expect(run.state.phase).toMatchObject({ kind: "failed", role: "source", stepId: "iommu-kernel-args", message });
    expect(run.state.runs.source["iommu-kernel-args"]).toMatchObject({ state: "failed", kind: "run", error: message });
    expect(record("source").steps["iommu-kernel-args"]).toMatchObject({ state: "failed", failure: { kind: "exit" } });
    expect(models.source.state.record?.steps["iommu-kernel-args"].state).toBe("failed");

    hosts.source.on.grubby = () => {};
    await run.undo("source", "iommu-kernel-args");
    expect(asked.at(-1)).toEqual({ kind: "undo", role: "source", step: "iommu-kernel-args" });
    expect(run.state.phase).toEqual({ kind: "idle" });
    expect(ran("source", "grubby").at(-1)).toMatch(/--remove-args/);
    expect(record("source").steps["iommu-kernel-args"].state).toBe("undone");
});

test("undo declined: nothing runs, the run is idle", async () => {
    setup(noIommu(), facts());
    const run = openPage();
    answer = kind => kind !== "undo";
    await run.undo("source", "iommu-kernel-args");
    expect(run.state.phase).toEqual({ kind: "idle" });
    expect(ran("source", "grubby")).toEqual([]);
});

test("the destination needs a reboot: asked, run, waited for until it is back, then done", async () => {
    setup(facts(), noIommu());
    hosts.destination.on.grubby = () => { hosts.destination.facts = argsSet() };
    let waited = 0;
    hosts.destination.on.systemctl = () => {
        hosts.destination.down = true;
        // the connection drops before the command reports back
        throw new TransportError("unreachable", "root@rhel-dst", "Connection closed");
    };
    const run = openPage();
    const sleep = (run as unknown as { sleep: () => Promise<void> });
    sleep.sleep = async () => {
        // the host comes back rebooted after two polls
        if (++waited === 2) {
            hosts.destination.down = false;
            hosts.destination.facts = facts();
        }
    };
    const phases: string[] = [];
    run.subscribe(s => { if (phases.at(-1) !== s.phase.kind) phases.push(s.phase.kind) });
    await run.start();
    expect(asked.map(a => `${a.kind}:${a.step}`)).toEqual(["confirm:iommu-kernel-args", "reboot:reboot"]);
    expect(phases).toEqual(["reading", "running", "waiting", "done"]);
    // the record says the reboot was asked for, and once back the host no longer needs one
    const rec = record("destination");
    expect(rec.rebootRequestedAt).toEqual(expect.any(Number));
    expect(rec.pending).toEqual({});
    expect(rec.steps.reboot.state).toBe("ok");
});

test("after a step that cannot change the firmware the host is read without querying it; the reboot is decided on a full reading", async () => {
    setup(facts(), noIommu());
    hosts.destination.on.grubby = () => { hosts.destination.facts = argsSet() };
    hosts.destination.vms = ["guest9"];
    await openPage().start();
    expect(ran("destination", "grubby")).toHaveLength(1);
    // the records' reading, the run's first, the one after the kernel arguments, then the one the reboot is decided on
    expect(models.destination.keptFirmware).toEqual([false, false, true, false]);
});

test("after a firmware step the host is read with a new firmware query", async () => {
    const fw = facts({ nics: k([nic({ params: k({
        VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "DEVICE_DEFAULT(0)" },
        SRIOV_EN: { name: "SRIOV_EN", current: "True(1)", nextBoot: "True(1)" },
        NUM_OF_VFS: { name: "NUM_OF_VFS", current: "8", nextBoot: "8" },
        LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "ETH(2)", nextBoot: "ETH(2)" },
    }) })]) });
    setup(facts(), fw);
    await openPage().start();
    expect(ran("destination", "mstconfig")).toEqual(["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2"]);
    // the records' reading, the run's first, then the one after the settings were written: none keeps the old answer
    expect(models.destination.keptFirmware).toEqual([false, false, false]);
});

test("a reboot blocked by the host's running VMs: stopped before it, naming them, for the page to offer moving them off", async () => {
    setup(facts(), noIommu());
    hosts.destination.vms = ["guest1", "db"];
    hosts.destination.on.grubby = () => { hosts.destination.facts = argsSet() };
    const run = openPage();
    await run.start();
    expect(run.state.phase).toMatchObject({ kind: "blocked", role: "destination", stepId: "reboot", vms: ["guest1", "db"] });
    expect(ran("destination", "systemctl")).toEqual([]);
    // moved off (an evacuation), "Check again" goes on with the reboot
    hosts.destination.vms = [];
    let waited = 0;
    hosts.destination.on.systemctl = () => { hosts.destination.down = true; throw new TransportError("unreachable", "root@rhel-dst", "Connection closed") };
    (run as unknown as { sleep: () => Promise<void> }).sleep = async () => {
        if (++waited === 2) {
            hosts.destination.down = false;
            hosts.destination.facts = facts();
        }
    };
    await run.start();
    expect(run.state.phase).toEqual({ kind: "done" });
});

test("this host needs a reboot: the page stops there; re-opened after it, the record resumes and the run ends done", async () => {
    setup(noIommu(), facts());
    hosts.source.on.grubby = () => { hosts.source.facts = argsSet() };
    let run = openPage();
    await run.start();
    expect(run.state.phase).toEqual({ kind: "rebooting-self" });
    expect(ran("source", "systemctl")).toEqual(["systemctl reboot"]);
    expect(record("source")).toMatchObject({
        steps: { reboot: { state: "running" } }, pending: { reboot: { why: ["Enable the IOMMU in the kernel"] } },
    });

    // the host rebooted; the page opens again with fresh models
    hosts.source.facts = facts();
    run = openPage();
    const detach = run.attach();
    await models.source.refresh();
    await models.destination.refresh();
    await new Promise(r => setTimeout(r, 0));
    expect(run.state.runs.source.reboot).toMatchObject({ recordedOn: expect.any(String), state: "failed" });
    expect(models.source.state.record?.pending.reboot).toBeDefined();
    await run.start();
    detach();
    expect(run.state.phase).toEqual({ kind: "done" });
    expect(asked).toEqual([]);
    expect(record("source")).toMatchObject({ pending: {}, steps: { reboot: { state: "ok" }, "iommu-kernel-args": { state: "ok" } } });
});

test("whether the run resumes is known only once each host's record is read: a record, none, or one the page cannot use", async () => {
    setup(noIommu(), facts());
    hosts.source.files.set(FILE, "{ half a record");
    const run = openPage();
    expect(run.state.recordsRead).toEqual({ source: false, destination: false });
    const detach = run.attach();
    await models.source.refresh();
    await new Promise(r => setTimeout(r, 0));
    expect(run.state.recordsRead).toEqual({ source: true, destination: false });
    expect(models.source.state.recordError).not.toBeNull();
    await models.destination.refresh();
    await new Promise(r => setTimeout(r, 0));
    detach();
    expect(run.state.recordsRead).toEqual({ source: true, destination: true });
    expect(models.destination.state.record).toBeNull();
});

test("a record read that does not answer does not hold the start button back: the run reads the record itself", async () => {
    setup(noIommu(), facts());
    const run = openPage();
    await models.source.refresh();
    hosts.source.down = true;
    await expect(run.loadProgress("source")).rejects.toThrow("does not answer");
    expect(run.state.recordsRead.source).toBe(true);
});

test("a record the page did not write: nothing runs until it is discarded", async () => {
    setup(noIommu(), facts());
    hosts.destination.files.set(FILE, "{ half a record");
    const run = openPage();
    await run.start();
    expect(run.state.phase.kind).toBe("stopped");
    expect(models.destination.state.recordError?.message).toMatch(`${FILE} on root@rhel-dst is not a progress record`);
    expect(ran("source", "grubby")).toEqual([]);
    await run.discardRecord("destination");
    expect(models.destination.state.recordError).toBeNull();
    answer = () => false;
    await run.start();
    expect(asked.map(a => a.step)).toEqual(["iommu-kernel-args"]);
});

test("cancel: the running command sees the abort; the run stops as failed, and the host's record says cancelled", async () => {
    setup(noIommu(), facts());
    let started!: () => void;
    const running = new Promise<void>(r => { started = r });
    hosts.source.on.grubby = (_argv, o) => new Promise(resolve => {
        started();
        o.signal?.addEventListener("abort", () => resolve({ exitStatus: 130, stderr: "interrupted" }));
    });
    const run = openPage();
    const done = run.start();
    await running;
    expect(run.active).toBe(true);
    run.cancel();
    await done;
    expect(run.state.phase).toMatchObject({ kind: "failed", stepId: "iommu-kernel-args", message: "interrupted" });
    expect(record("source").steps["iommu-kernel-args"]).toMatchObject({ state: "failed", failure: { kind: "cancelled" } });
});

test("a step that succeeds yet the host does not show done: said so, not run again", async () => {
    setup(noIommu(), facts());
    const run = openPage();
    await run.start();
    expect(ran("source", "grubby")).toHaveLength(1);
    expect(run.state.phase).toMatchObject({ kind: "failed", stepId: "iommu-kernel-args",
        message: expect.stringContaining("The commands succeeded, but the host still does not show it done") });
});

test("the VF count stored in NetworkManager's profile: run once per host, then read done from the profile", async () => {
    const UUID = "7b3e4f1c-9a22-4d0e-8c55-1f0a2b3c4d5e";
    const nm = (stored: boolean) => facts({
        nics: k([nic({ nm: k({ dev: "enp225s0np0", uuid: UUID, file: "/etc/NetworkManager/system-connections/pf.nmconnection",
                                totalVfs: stored ? 1 : null, eswitchMode: stored ? 1 : null }) })]),
        packages: k({ mstflint: "4.28.0-1.el9", "openvswitch3.3": "3.3.0-49.el9fdp", NetworkManager: "1.48.10-5.el9_5" }),
    });
    setup(nm(false), nm(false));
    for (const role of ["source", "destination"] as const)
        hosts[role].on["vfm-nm-sriov"] = () => { hosts[role].facts = nm(true) };
    const run = openPage({ ...DEFAULT_OPTIONS, persist: true });
    await run.start();
    expect(run.state.phase).toEqual({ kind: "done" });
    expect([ran("source", "bash"), ran("destination", "bash")].map(r => r.filter(l => l.includes("vfm-nm-sriov")).length)).toEqual([1, 1]);
    // opened again: done from the hosts' profiles, nothing runs
    await openPage({ ...DEFAULT_OPTIONS, persist: true }).start();
    expect(ran("source", "bash").filter(l => l.includes("vfm-nm-sriov"))).toHaveLength(1);
});

test("the step's start cannot be recorded: nothing runs, and its row ends failed with the reason, not 'running'", async () => {
    setup(noIommu(), facts());
    // the host's disk is full: the record cannot be written
    hosts.source.on["vfm-state-write"] = () => ({ exitStatus: 1, stderr: "cat: write error: No space left on device" });
    const run = openPage();
    await run.start();
    expect(ran("source", "grubby")).toEqual([]);
    const row = run.state.runs.source["iommu-kernel-args"];
    expect(row.state).toBe("failed");
    expect(row.error).toContain("No space left on device");
    expect(run.state.phase).toMatchObject({ kind: "stopped", message: expect.stringContaining("its start could not be recorded") });
});

test("the view goes away while a host reboots: the wait ends, no further step starts on either host", async () => {
    setup(facts(), noIommu());
    hosts.destination.on.grubby = () => { hosts.destination.facts = argsSet() };
    hosts.destination.on.systemctl = () => {
        hosts.destination.down = true;
        throw new TransportError("unreachable", "root@rhel-dst", "Connection closed");
    };
    const run = openPage();
    let polls = 0;
    (run as unknown as { sleep: () => Promise<void> }).sleep = async () => {
        // the page is left during the wait; the host would come back later
        if (++polls === 2)
            run.close();
        if (polls === 4) {
            hosts.destination.down = false;
            hosts.destination.facts = facts();
        }
    };
    await run.start();
    expect(polls).toBe(2);
    expect(run.state.phase).toEqual({ kind: "stopped", message: "The preparation stopped: its page was left." });
    expect(run.active).toBe(false);
});

test("facts read seconds ago are taken when they leave nothing to run; a step to run is decided on a new reading", async () => {
    setup(facts(), noIommu());
    for (const m of Object.values(models)) {
        (m as unknown as { fresh: () => boolean }).fresh = () => true;
        await m.refresh();
        m.refreshes = 0;
    }
    // the destination's facts say it needs a step: it is read again before anything runs there
    hosts.destination.on.grubby = () => { hosts.destination.facts = argsSet() };
    answer = kind => kind !== "reboot";
    const run = new PreparationRun({ hosts: models, options: () => DEFAULT_OPTIONS, sleep: async () => {},
                                     confirm: async (kind, planned, about) => { asked.push({ kind, role: about.role, step: planned.step.id }); return answer(kind) } });
    await run.start();
    expect(models.source.refreshes).toBe(0);
    expect(models.destination.refreshes).toBeGreaterThanOrEqual(2);
    expect(asked.map(a => `${a.role}:${a.step}`)).toEqual(["destination:iommu-kernel-args", "destination:reboot"]);
});

describe("waiting for a host that reboots", () => {
    /** The destination needs a reboot; it goes down when asked. The pauses between reads wait for the test. */
    function rebooting() {
        setup(facts(), noIommu());
        hosts.destination.on.grubby = () => { hosts.destination.facts = argsSet() };
        hosts.destination.on.systemctl = () => {
            hosts.destination.down = true;
            throw new TransportError("unreachable", "root@rhel-dst", "Connection closed");
        };
        let clock = 1_000_000;
        let pending: (() => void)[] = [];
        const run = new PreparationRun({
            hosts: models, options: () => DEFAULT_OPTIONS, now: () => clock,
            // a pause ends when the page wakes it (Check now, Stop waiting) or the test lets the time pass
            sleep: () => new Promise(resolve => { pending.push(resolve) }),
            confirm: async () => true,
        });
        const waits: Waiting[] = [];
        run.subscribe(s => { if (s.phase.kind === "waiting") waits.push({ ...s.phase }) });
        const tick = () => new Promise(r => setTimeout(r, 0));
        /** the pause under way ends, as after POLL_MS */
        const elapse = async () => {
            const p = pending;
            pending = [];
            p.forEach(r => r());
            await tick();
        };
        return { run, waits, tick, elapse, advance: (ms: number) => { clock += ms } };
    }

    test("Check now reads the host at once; each try says what answered; once back the run ends done", async () => {
        const { run, waits, tick } = rebooting();
        const done = run.start();
        await tick();
        expect(run.state.phase).toMatchObject({ kind: "waiting", role: "destination", attempts: 0, limitMs: 15 * 60_000, nextAt: expect.any(Number) });
        run.checkNow();
        await tick();
        expect(run.state.phase).toMatchObject({ kind: "waiting", attempts: 1, trying: false, lastError: "root@rhel-dst does not answer" });
        hosts.destination.down = false;
        hosts.destination.facts = facts();
        run.checkNow();
        await done;
        expect(run.state.phase).toEqual({ kind: "done" });
        expect(waits.some(w => w.trying)).toBe(true);
    });

    test("Stop waiting: the run stops with a way on, and the host's record still says the reboot was asked for", async () => {
        const { run, tick } = rebooting();
        const done = run.start();
        await tick();
        run.stopWaiting();
        await done;
        expect(run.state.phase).toEqual({ kind: "stopped",
            message: "Stopped waiting for root@rhel-dst. Once it answers, “Continue preparation” goes on from where it was." });
        expect(run.active).toBe(false);
        expect(record("destination").steps.reboot.state).toBe("running");
        // once it answers, Continue resumes from the record: nothing is asked again
        hosts.destination.down = false;
        hosts.destination.facts = facts();
        asked = [];
        await run.start();
        expect(run.state.phase).toEqual({ kind: "done" });
    });

    test("it gives up after the stated limit, saying so", async () => {
        const { run, tick, advance } = rebooting();
        const done = run.start();
        await tick();
        advance(15 * 60_000);
        run.checkNow();
        await done;
        expect(run.state.phase).toMatchObject({ kind: "stopped", message: expect.stringContaining("did not come back within 15 minutes") });
    });

    test.each(["host-key-unknown", "host-key-changed"] as const)("%s: not read again until the admin confirms the key or asks to check now, then the run goes on", async kind => {
        const { run, tick, elapse } = rebooting();
        hosts.destination.downAs = kind;
        const done = run.start();
        await tick();
        await elapse();
        const reads = models.destination.refreshes;
        await elapse();
        await elapse();
        expect(run.state.phase).toMatchObject({ kind: "waiting", keyPending: true, nextAt: null });
        expect(models.destination.refreshes).toBe(reads);
        // the dialog was closed: Check now reads the host again (which offers the key again)
        run.checkNow();
        await tick();
        expect(models.destination.refreshes).toBe(reads + 1);
        // the admin confirms the key: the model reads the host, which is back
        hosts.destination.down = false;
        hosts.destination.facts = facts();
        await models.destination.refresh();
        await elapse();
        await done;
        expect(run.state.phase).toEqual({ kind: "done" });
    });

    test("Stop waiting during a read wins, even when the host answers", async () => {
        const { run, tick } = rebooting();
        const done = run.start();
        await tick();
        hosts.destination.down = false;
        hosts.destination.facts = facts();
        // the read under way is held until the test lets it end
        const model = models.destination;
        const read = model.refresh.bind(model);
        let release!: () => void;
        const gate = new Promise<void>(r => { release = r });
        model.refresh = async () => { await gate; return read() };
        run.checkNow();
        await tick();
        expect(run.state.phase).toMatchObject({ kind: "waiting", trying: true });
        run.stopWaiting();
        release();
        await done;
        expect(run.state.phase).toMatchObject({ kind: "stopped", message: expect.stringContaining("Stopped waiting for root@rhel-dst") });
    });

    test("a refused login stops the wait with its message: waiting longer cannot mend it", async () => {
        const { run, tick } = rebooting();
        hosts.destination.downAs = "auth-refused";
        const done = run.start();
        await tick();
        run.checkNow();
        await done;
        expect(run.state.phase).toEqual({ kind: "stopped", message: "root@rhel-dst does not answer" });
    });
});
