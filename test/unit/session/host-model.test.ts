/**
 * @jest-environment jsdom
 */
/*
 * A host's model without any UI: a refresh probes (discovery first, then one round trip once the adapters are
 * remembered), emits, and resolves with the facts and running VMs; calls while a probe runs share it; a host that
 * refuses an unknown key offers it. The registry builds a destination from what the admin typed, once.
 */
import { TextEncoder as NodeTextEncoder } from "util";
import type { Argv } from "../../../src/host/argv";
import { type CommandResult, type HostTransport, type ProbeCommand, type ProbeOptions, type ProbeResult, TransportError } from "../../../src/host/transport";
import type { SshTransport } from "../../../src/host/ssh";
import { HostModel, type HostState } from "../../../src/session/host-model";
import type { HostReading } from "../../../src/session/host-probe";
import { FACTS_FORMAT, lastKnownStore } from "../../../src/session/last-known";
import { CommandJournal } from "../../../src/host/journal";
import { destinationFrom, destinationOrNull, localModel, modelOf, saveDestination, savedDestination, splitLogin } from "../../../src/session/hosts";
import { installFakeCockpit } from "../fake-cockpit";
import { portChoices } from "../../../src/session/ports";

globalThis.TextEncoder ??= NodeTextEncoder as typeof TextEncoder;

const result = (host: string, argv: readonly string[], stdout = ""): CommandResult =>
    ({ host, argv: [...argv], stdout, stderr: "", exitStatus: 0, durationMs: 1, startedAt: 0, wire: [...argv] });

/** A host with no ConnectX-7 adapter and one running VM; each probe waits for `gate` when one is set. */
class ProbeHost implements HostTransport {
    probes: string[][][] = [];
    gate: Promise<void> | null = null;
    fail: Error | null = null;
    constructor(readonly host = "rhel-src") {}
    signals: (AbortSignal | undefined)[] = [];
    async probe(commands: readonly ProbeCommand[], options: ProbeOptions = {}): Promise<ProbeResult> {
        this.probes.push(commands.map(c => [...c.argv]));
        this.signals.push(options.signal);
        if (this.gate)
            await this.gate;
        // as a transport does: a command whose signal was aborted ends as cancelled
        if (options.signal?.aborted)
            throw new TransportError("cancelled", this.host, "cancelled");
        if (this.fail)
            throw this.fail;
        const vmList = (argv: readonly string[]) => argv.includes("--name") && argv.includes("list");
        const records = commands.map(c => result(this.host, c.argv, vmList(c.argv) ? "guest1\n" : ""));
        return { host: this.host, startedAt: 0, durationMs: 1, records, complete: true, stderr: "", wire: [] };
    }
    async run(argv: Argv): Promise<CommandResult> {
        return result(this.host, argv);
    }
    writeSysfs(): never {
        throw new Error("no");
    }
    async close() {}
}

beforeAll(() => { installFakeCockpit() });
beforeEach(() => localStorage.clear());

describe("HostModel", () => {
    test("refresh emits busy then the facts, and resolves with them and the running VMs; the adapters are remembered", async () => {
        const t = new ProbeHost();
        const m = new HostModel("source", t);
        const seen: Partial<HostState>[] = [];
        m.subscribe(s => seen.push({ busy: s.busy, facts: s.facts }));
        const r = await m.refresh();
        expect(seen[0]).toEqual({ busy: true, facts: null });
        expect(seen.at(-1)).toEqual({ busy: false, facts: r.facts });
        expect(r.vms).toEqual(["guest1"]);
        expect(m.state.vms).toEqual(["guest1"]);
        // discovery (lspci alone), then the full probe
        expect(r.roundTrips).toBe(2);
        expect(t.probes[0]).toHaveLength(1);
        expect(localStorage.getItem("vf-migration:pfs:rhel-src")).toBe("[]");
        // a new model of the same host needs no discovery
        const again = await new HostModel("source", t).refresh();
        expect(again.roundTrips).toBe(1);
    });

    // #16 W3: the admin chooses which port of a dual-port adapter carries VFs; the checks and the preparation follow it
    test("the port chosen for VFs is remembered for the host, and the facts are about it at once and at every read", async () => {
        const lspci = ["0000:e1:00.0", "0000:e1:00.1"]
            .map(p => `${p} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n`).join("");
        class DualPort extends ProbeHost {
            override async probe(commands: readonly ProbeCommand[], options: ProbeOptions = {}): Promise<ProbeResult> {
                const r = await super.probe(commands, options);
                return { ...r, records: r.records.map(x => (x.argv[0] === "lspci" ? { ...x, stdout: lspci } : x)) };
            }
        }
        const t = new DualPort();
        const m = new HostModel("source", t);
        await m.refresh();
        // the port the checks are about
        const chosen = (f: HostState["facts"]) => (f ? portChoices(f).find(p => p.chosen)?.pci : null);
        expect(chosen(m.state.facts)).toBe("0000:e1:00.0");
        m.choosePort("0000:e1:00.1");
        expect(chosen(m.state.facts)).toBe("0000:e1:00.1");
        // a new visit: read again, still about port 2
        const again = new HostModel("source", t);
        expect(chosen((await again.refresh()).facts)).toBe("0000:e1:00.1");
        expect(chosen(again.state.facts)).toBe("0000:e1:00.1");
        // another host reached under another name keeps its own choice
        expect(chosen((await new HostModel("destination", new DualPort("rhel-dst")).refresh()).facts)).toBe("0000:e1:00.0");
    });

    test("the facts read so far come first, while the slow firmware query runs in a probe of its own; then the full facts", async () => {
        const PF = "0000:e1:00.0";
        class Cx7Host extends ProbeHost {
            release!: () => void;
            slowAsked = 0;
            held = new Promise<void>(r => { this.release = r });
            override async probe(commands: readonly ProbeCommand[], options: ProbeOptions = {}): Promise<ProbeResult> {
                const slow = commands.some(c => c.argv[0] === "mstconfig");
                if (slow) {
                    this.slowAsked = commands.length;
                    await this.held;
                }
                const r = await super.probe(commands, options);
                const lspci = `${PF} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n`;
                return { ...r, records: r.records.map(x => (x.argv[0] === "lspci" ? { ...x, stdout: lspci } : x)) };
            }
        }
        const t = new Cx7Host();
        localStorage.setItem("vf-migration:pfs:rhel-src", JSON.stringify([PF]));
        const m = new HostModel("source", t);
        const done = m.refresh();
        await new Promise(r => setTimeout(r, 0));
        await new Promise(r => setTimeout(r, 0));
        // the fast probe answered: its facts are there, the firmware settings still being read, nothing final yet
        expect(m.state).toMatchObject({ busy: true, facts: null });
        const early = m.state.soFar;
        expect(early?.nics.known && early.nics.value[0].params).toMatchObject({ known: false, reason: "still being read" });
        // the slow probe was asked at once, with the firmware query alone; the fast one holds none
        expect(t.slowAsked).toBe(1);
        expect(t.probes.map(p => p.some(argv => argv[0] === "mstconfig"))).toEqual([false]);
        t.release();
        const r = await done;
        expect(m.state).toMatchObject({ busy: false, soFar: null, facts: r.facts });
        expect(r.facts.nics.known && r.facts.nics.value[0].params.known).toBe(false);
        expect(r.facts.nics.known && !r.facts.nics.value[0].params.known && r.facts.nics.value[0].params.reason).not.toBe("still being read");
        expect(r.roundTrips).toBe(1);
    });

    describe("keepFirmware", () => {
        const PF = "0000:e1:00.0";
        class Cx7Host extends ProbeHost {
            queries = 0;
            /** how the next firmware query ends */
            queryExit = 0;
            override async probe(commands: readonly ProbeCommand[], options: ProbeOptions = {}): Promise<ProbeResult> {
                const r = await super.probe(commands, options);
                const lspci = `${PF} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n`;
                return {
                    ...r, records: r.records.map(x => (x.argv[0] === "lspci" ? { ...x, stdout: lspci }
                        : x.argv[0] === "mstconfig" ? { ...x, stdout: `query ${++this.queries}\n`, exitStatus: this.queryExit } : x)),
                };
            }
        }
        const queried = (r: HostReading) => {
            const params = r.facts.nics.known ? r.facts.nics.value[0].params : null;
            return params?.evidence[0]?.command?.stdout;
        };
        const setup = () => {
            const t = new Cx7Host();
            localStorage.setItem("vf-migration:pfs:rhel-src", JSON.stringify([PF]));
            return { t, m: new HostModel("source", t) };
        };

        test("the next read runs no firmware query and keeps the last one's answer; a plain refresh queries again", async () => {
            const { t, m } = setup();
            expect(queried(await m.refresh())).toBe("query 1\n");
            const before = t.probes.length;
            const kept = await m.refresh({ keepFirmware: true });
            // one probe, with no firmware query in it; the facts still hold the last answer
            expect(t.probes.length - before).toBe(1);
            expect(t.probes.at(-1)?.some(argv => argv[0] === "mstconfig")).toBe(false);
            expect(queried(kept)).toBe("query 1\n");
            expect(kept.roundTrips).toBe(1);
            expect(queried(await m.refresh())).toBe("query 2\n");
            // nothing to keep after the model forgot its reading: the firmware is queried
            m.forget();
            expect(queried(await m.refresh({ keepFirmware: true }))).toBe("query 3\n");
        });

        test("a query that failed is not kept: the next read asks again", async () => {
            const { t, m } = setup();
            t.queryExit = 3;
            expect(queried(await m.refresh())).toBe("query 1\n");
            t.queryExit = 0;
            expect(queried(await m.refresh({ keepFirmware: true }))).toBe("query 2\n");
        });

        test("an answer read with other access is not kept", async () => {
            const { m } = setup();
            await m.refresh({ superuser: false });
            expect(queried(await m.refresh({ superuser: true, keepFirmware: true }))).toBe("query 2\n");
        });

        test("a read queued behind one under way queries the firmware: other callers that join it may want it read", async () => {
            const { t, m } = setup();
            await m.refresh();
            let open!: () => void;
            t.gate = new Promise(r => { open = r });
            const running = m.refresh();
            const kept = m.refresh({ newer: true, keepFirmware: true });
            const full = m.refresh();
            open();
            await running;
            expect(await full).toBe(await kept);
            expect(queried(await kept)).toBe("query 3\n");
        });

        test("a reading with a kept answer is not stored as the last known one", async () => {
            const { m } = setup();
            await m.refresh();
            const at = m.state.lastKnown?.at;
            await new Promise(r => setTimeout(r, 5));
            await m.refresh({ keepFirmware: true });
            expect(m.state.lastKnown?.at).toBe(at);
        });
    });

    test("calls while a probe runs share it; `newer` waits for a probe that starts after the call", async () => {
        const t = new ProbeHost();
        localStorage.setItem("vf-migration:pfs:rhel-src", "[]");
        const m = new HostModel("source", t);
        let open!: () => void;
        t.gate = new Promise(r => { open = r });
        const a = m.refresh();
        const b = m.refresh();
        expect(b).toBe(a);
        const c = m.refresh({ newer: true });
        expect(m.refresh({ newer: true })).toBe(c);
        expect(t.probes).toHaveLength(1);
        open();
        await Promise.all([a, c]);
        expect(t.probes).toHaveLength(2);
    });

    test("a view that opens seconds after a read takes its facts, until the page changes the host, time passes or access differs", async () => {
        const t = new ProbeHost();
        let clock = 1_000_000, changed = 0;
        const m = new HostModel("source", t, { lastChange: () => changed, now: () => clock });
        expect(m.fresh(true)).toBe(false);
        await m.refresh({ superuser: true });
        clock += 5_000;
        expect(m.fresh(true)).toBe(true);
        // another view reads as a user without administrative access: it reads the host itself
        expect(m.fresh(false)).toBe(false);
        // a step ran on the host after that read started
        changed = clock;
        expect(m.fresh(true)).toBe(false);
        clock += 1_000;
        await m.refresh({ superuser: true, newer: true });
        expect(m.fresh(true)).toBe(true);
        clock += 31_000;
        expect(m.fresh(true)).toBe(false);
        // a model with no way to know what changed never reuses
        const blind = new HostModel("source", new ProbeHost(), { now: () => clock });
        await blind.refresh();
        expect(blind.fresh(true)).toBe(false);
    });

    test("a view that opens while a read it could take runs joins it: one probe; not one with other access, older, or from before a change", async () => {
        const t = new ProbeHost();
        localStorage.setItem("vf-migration:pfs:rhel-src", "[]");
        let clock = 1_000_000, changed = 0;
        const m = new HostModel("source", t, { lastChange: () => changed, now: () => clock });
        let open!: () => void;
        t.gate = new Promise(r => { open = r });
        expect(m.readingNow(true)).toBe(false);
        // the page starts the read before it draws the view (index.tsx); the view, as useHostModel does, takes it
        const early = m.refresh({ superuser: true });
        clock += 300;
        expect(m.readingNow(true)).toBe(true);
        const view = () => { if (!m.readingNow(true)) { m.forget(); void m.refresh({ superuser: true }) } };
        view();
        expect(t.probes).toHaveLength(1);
        expect(m.readingNow(false)).toBe(false);
        changed = clock;
        expect(m.readingNow(true)).toBe(false);
        changed = 0;
        clock += 31_000;
        expect(m.readingNow(true)).toBe(false);
        open();
        await early;
        expect(t.probes).toHaveLength(1);
        expect(m.readingNow(true)).toBe(false);
        // a read while facts are shown (a Refresh, a read after a step): a view that opens reads afresh, as before
        t.gate = new Promise(r => { open = r });
        void m.refresh({ superuser: true, newer: true });
        expect(m.readingNow(true)).toBe(false);
        view();
        expect(t.probes).toHaveLength(3);
        open();
    });

    test("the journal knows when the page last changed each host; a migration changes its destination too", () => {
        const j = new CommandJournal();
        const base = { argv: ["true"], line: "true", user: "admin", startedAt: 0, durationMs: 1, exitStatus: 0, stdout: "", stderr: "", probe: false };
        j.add({ ...base, host: "localhost", changes: false, syslog: "not-needed" });
        expect(j.lastChange("localhost")).toBe(0);
        j.add({ ...base, host: "localhost", changes: true, syslog: "pending", peer: { host: "root@rhel-dst", syslog: "pending" } });
        expect(j.lastChange("localhost")).toBeGreaterThan(0);
        expect(j.lastChange("root@rhel-dst")).toBe(j.lastChange("localhost"));
        expect(j.lastChange("other")).toBe(0);
    });

    test("a second visit: the last full reading is there at once, with its time, while the host is read again; one without root is not kept", async () => {
        const t = new ProbeHost();
        const store = () => lastKnownStore("rhel-src");
        const first = new HostModel("source", t, { lastKnown: store() });
        expect(first.state.lastKnown).toBeNull();
        const r = await first.refresh();
        const kept = first.state.lastKnown;
        expect(kept?.facts).toEqual(r.facts);
        // the next page load: a new model of the same host has it before any read
        const second = new HostModel("source", t, { lastKnown: store() });
        expect(second.state.lastKnown).toEqual(kept);
        t.gate = new Promise(() => {});
        void second.refresh();
        second.forget();
        expect(second.state).toMatchObject({ facts: null, lastKnown: kept });
        // read without administrative access: "unknown" where root reads, so the last known reading stays the older one
        t.gate = null;
        const limited = new HostModel("source", t, { lastKnown: store() });
        await limited.refresh({ superuser: false });
        expect(new HostModel("source", t, { lastKnown: store() }).state.lastKnown).toEqual(kept);
        // a reading that fails: the last known one is no longer shown (a Refresh after it shows nothing old)
        t.fail = new Error("connection lost");
        await expect(second.refresh()).rejects.toThrow("connection lost");
        expect(second.state.lastKnown).toBeNull();
        t.fail = null;
        // another host's reading, or one kept by another version of the page, is not shown
        expect(lastKnownStore("rhel-dst").read()).toBeNull();
        const key = "vf-migration:last-known:rhel-src";
        const saved = JSON.parse(localStorage.getItem(key) ?? "");
        localStorage.setItem(key, JSON.stringify({ ...saved, value: { ...saved.value, format: FACTS_FORMAT + 1 } }));
        expect(store().read()).toBeNull();
    });

    test("a host that cannot be read: the promise rejects, the facts go, the error is kept", async () => {
        const t = new ProbeHost();
        const m = new HostModel("destination", t);
        await m.refresh();
        t.fail = new TransportError("unreachable", t.host, "rhel-src does not answer");
        await expect(m.refresh()).rejects.toThrow("rhel-src does not answer");
        expect(m.state).toMatchObject({ facts: null, busy: false, error: t.fail, offer: null });
    });

    test("first contact: an unknown host key is offered, trusted through SSH, then the host is read", async () => {
        const t = new ProbeHost("rhel-dst");
        t.fail = new TransportError("host-key-unknown", t.host, "unknown host key");
        const offer = { target: {}, keys: [], fingerprints: [{ type: "ED25519", sha256: "SHA256:real" }] };
        const trusted: unknown[] = [];
        const ssh = {
            offerHostKeys: async () => offer,
            trustHostKeys: async (o: unknown) => { trusted.push(o); t.fail = null },
        } as unknown as SshTransport;
        const m = new HostModel("destination", t, { ssh });
        await expect(m.refresh()).rejects.toThrow("unknown host key");
        await new Promise(r => setTimeout(r, 0));
        expect(m.state.offer).toBe(offer);
        await m.trustHostKey();
        expect(trusted).toEqual([offer]);
        expect(m.state.offer).toBeNull();
        await m.refresh();
        expect(m.state.facts).not.toBeNull();
    });

    test("Cancel stops a read under way: its commands get the abort, the host shows as not read, without an error", async () => {
        const t = new ProbeHost("rhel-dst");
        let open!: () => void;
        t.gate = new Promise(r => { open = r });
        const m = new HostModel("destination", t);
        const read = m.refresh();
        await new Promise(r => setTimeout(r, 0));
        expect(m.state.busy).toBe(true);
        m.cancel();
        expect(t.signals[0]?.aborted).toBe(true);
        expect(m.state).toMatchObject({ busy: false, error: null, facts: null });
        // the stopped read ending later changes nothing
        open();
        await read.catch(() => {});
        expect(m.state).toMatchObject({ busy: false, error: null, facts: null });
        // a new read goes on as usual
        await m.refresh();
        expect(m.state.facts).not.toBeNull();
    });

    test("Cancel also stops a read asked for while the cancelled one ran: it rejects, and nothing more is read", async () => {
        const t = new ProbeHost("rhel-dst");
        let open!: () => void;
        t.gate = new Promise(r => { open = r });
        const m = new HostModel("destination", t);
        const first = m.refresh();
        const next = m.refresh({ newer: true });
        await new Promise(r => setTimeout(r, 0));
        const probes = t.probes.length;
        m.cancel();
        open();
        await first.catch(() => {});
        await expect(next).rejects.toThrow("Reading the host was cancelled");
        expect(t.probes.length).toBe(probes);
        expect(m.state).toMatchObject({ busy: false, error: null, facts: null });
    });

    test("a key changed since it was confirmed is offered too, as replacing the old one", async () => {
        const t = new ProbeHost("rhel-dst");
        t.fail = new TransportError("host-key-changed", t.host, "changed host key");
        const asked: boolean[] = [];
        const ssh = { offerHostKeys: async (replaces: boolean) => { asked.push(replaces); return { replaces } } } as unknown as SshTransport;
        const m = new HostModel("destination", t, { ssh });
        await expect(m.refresh()).rejects.toThrow("changed host key");
        await new Promise(r => setTimeout(r, 0));
        expect(asked).toEqual([true]);
        expect(m.state.offer).toEqual({ replaces: true });
        // the error stays: the page says the key changed, under the dialog
        expect(m.state.error).toBe(t.fail);
    });

    test("this host's model installs through PackageKit and says so in the run log; a destination's has no installer", () => {
        expect(localModel().installer).toBeDefined();
        expect(localModel().installLine(["mstflint"])).toBe("PackageKit: install mstflint");
        const d = destinationFrom({ host: "rhel-dst.example.test", user: "root" });
        expect(d.model.installer).toBeUndefined();
        expect(d.model.installLine(["mstflint"])).toBeNull();
        expect(modelOf(d.transport)).toBe(d.model);
        expect(modelOf(localModel().transport)).toBe(localModel());
    });
});

describe("destinations", () => {
    test("one object per user@host:port; the port is the target's, 22 when none is given", () => {
        const a = destinationFrom({ host: "rhel-dst.example.test", user: "" });
        expect(destinationFrom({ host: "rhel-dst.example.test", user: "root" })).toBe(a);
        const b = destinationFrom({ host: "rhel-dst.example.test", user: "root", port: 2222 });
        expect(b).not.toBe(a);
        expect(b.ssh.host).toMatch(/:2222$/);
        // as typed in the SSH port field: blank is 22, spaces around are not part of it
        expect(destinationFrom({ host: "rhel-dst.example.test", user: "root", port: "" })).toBe(a);
        expect(destinationFrom({ host: "rhel-dst.example.test", user: "root", port: " 2222 " })).toBe(b);
    });

    test("user@host typed in the host field: the user moves to its field, unless that field names another user", () => {
        expect(splitLogin({ host: "admin@rhel-dst", user: "root" })).toEqual({ host: "rhel-dst", user: "admin", moved: "admin" });
        expect(splitLogin({ host: "admin@rhel-dst", user: "" })).toEqual({ host: "rhel-dst", user: "admin", moved: "admin" });
        expect(splitLogin({ host: "rhel-dst", user: "bob" })).toEqual({ host: "rhel-dst", user: "bob", moved: null });
        expect(splitLogin({ host: "admin@rhel-dst", user: "bob" })).toEqual({ error: expect.stringMatching(/names the user admin, but the SSH user field says bob/) });
    });

    test("a host or user that cannot be one is refused with the value's error, naming the field", () => {
        const refused = (field: string) => expect.objectContaining({ name: "ValueError", field });
        expect(() => destinationFrom({ host: "-oProxyCommand=sh", user: "root" })).toThrow(refused("host"));
        expect(() => destinationFrom({ host: "rhel-dst", user: "root; reboot" })).toThrow(refused("ssh-user"));
        expect(() => destinationFrom({ host: "rhel-dst", user: "root", port: "22 -oProxyCommand=sh" })).toThrow(refused("port"));
        expect(() => destinationFrom({ host: "rhel-dst", user: "root", port: "70000" })).toThrow(refused("port"));
        expect(destinationOrNull({ host: "", user: "root" })).toBeNull();
        expect(destinationOrNull(null)).toBeNull();
    });

    test("the destination last used is remembered for both views; anything else reads as the default", () => {
        expect(savedDestination()).toEqual({ host: "", user: "root", port: "", protocol: "ssh" });
        saveDestination({ host: "rhel-dst", user: "admin", port: "2222", protocol: "tls" });
        expect(savedDestination()).toEqual({ host: "rhel-dst", user: "admin", port: "2222", protocol: "tls" });
        localStorage.setItem("vf-migration:destination", JSON.stringify({ host: "rhel-dst", user: "root", protocol: "ftp" }));
        expect(savedDestination().protocol).toBe("ssh");
        localStorage.setItem("vf-migration:destination", "{ not json");
        expect(savedDestination().host).toBe("");
    });
});
