/*
 * The record read back from a host is host data: one that is not what the page wrote (wrong shape, wrong version,
 * another host's PF, huge, binary, hostile options) is refused with the file's path and what was wrong; fields the
 * page does not write are dropped; the page never writes a record it would refuse.
 */
import {
    DEFAULT_OPTIONS, ProgressRecordError, discardProgress, emptyProgress, readProgress, recordRun, serializeProgress, writeProgress,
} from "../../../src/steps";
import type { StepRun } from "../../../src/steps";
import { FileHost } from "./file-host";

const FILE = "/var/lib/cockpit-vf-migration/prepare.json";
const PFS = ["0000:e1:00.0", "0000:e1:00.1"];

function good(): Record<string, unknown> {
    const run: StepRun = {
        stepId: "firmware-settings", host: "localhost", mode: "run", startedAt: 1000, finishedAt: 2000, ok: true,
        commands: ["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2"],
        results: [{ host: "localhost", argv: ["mstconfig"], stdout: "Applying... Done!\n", stderr: "", exitStatus: 0, durationMs: 3000, startedAt: 1000, wire: [] }],
    };
    const rec = recordRun(emptyProgress("0000:e1:00.0", DEFAULT_OPTIONS), run, { needsReboot: false, needsFirmwareReset: true, title: "Firmware" });
    return JSON.parse(JSON.stringify(rec)) as Record<string, unknown>;
}

async function refusal(content: string, pfs: string[] | null = PFS): Promise<ProgressRecordError> {
    const t = new FileHost("root@rhel-dst");
    t.files.set(FILE, content);
    const e = await readProgress(t, pfs).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ProgressRecordError);
    const err = e as ProgressRecordError;
    // the message names the file and the host
    expect(err.message.startsWith(`${FILE} on root@rhel-dst is not a progress record written by this page: `)).toBe(true);
    return err;
}

const with_ = (patch: (r: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = good();
    patch(r);
    return JSON.stringify(r);
};

describe("a record that is not what the page wrote is refused, saying what was wrong", () => {
    test.each([
        ["not JSON", "{ half a rec", /not JSON/],
        ["binary (bytes that are not UTF-8)", "\u007fELF\u0002\ufffd\u0000", /^not UTF-8 text \(iconv: illegal input sequence at position 5\)$/],
        ["control characters and NUL (UTF-8, not JSON)", "\u0000\u0001\u007fELF", /not JSON/],
        ["JSON but not an object", "[1, 2]", /the file is not an object/],
        ["null", "null", /the file is not an object/],
        ["another version", with_(r => { r.version = 2 }), /version 2 is not one this page knows/],
        ["no version", with_(r => { delete r.version }), /version none is not one/],
        ["steps null", with_(r => { r.steps = null }), /steps is not an object/],
        ["a step without commands (the review's crash)", with_(r => { r.steps["firmware-settings"] = { state: "ok" } }), /steps.firmware-settings.startedAt is not a number/],
        ["a state the page never writes", with_(r => { r.steps["firmware-settings"].state = "great" }), /state is not one of running, ok/],
        ["a command line that is an object", with_(r => { r.steps["firmware-settings"].commands[0].line = { $$typeof: 1 } }), /commands\[0\].line is not text/],
        ["a failure message that is an object", with_(r => { r.steps["firmware-settings"].failure = { index: 0, kind: "exit", message: ["x"] } }), /failure.message is not text/],
        ["an exit status that is not a whole number", with_(r => { r.steps["firmware-settings"].commands[0].exitStatus = "0" }), /exitStatus is not a whole number/],
        ["an output longer than the page keeps", with_(r => { r.steps["firmware-settings"].commands[0].stdout = "x".repeat(4002) }), /stdout is longer than 4001 characters/],
        ["too many commands", with_(r => { r.steps["firmware-settings"].commands = Array(101).fill(r.steps["firmware-settings"].commands[0]) }), /commands has more than 100 entries/],
        ["another host's PF", with_(r => { r.pf = "0000:41:00.0" }), /the PF 0000:41:00.0 is not one of this host's ConnectX-7 PFs \(0000:e1:00.0, 0000:e1:00.1\)/],
        ["a PF that is no PCI address", with_(r => { r.pf = "$(reboot)" }), /the PF \$\(reboot\) is not one of this host's/],
        ["a hostile bridge name", with_(r => { r.options.bridge = "br0\nid -u #" }), /^options.bridge: /],
        ["a bridge name that is an option", with_(r => { r.options.bridge = "-x" }), /^options.bridge: /],
        ["a VF count that is code", with_(r => { r.options.numVfs = "1; reboot" }), /^options.numVfs: /],
        ["a VF count beyond what PCI allows", with_(r => { r.options.numVfs = 70000 }), /^options.numVfs: /],
        ["an unknown protocol", with_(r => { r.options.protocol = "rsh" }), /options.protocol is not one of ssh, tls, tcp/],
        ["persist not a boolean", with_(r => { r.options.persist = "yes" }), /options.persist is not true or false/],
        ["a pending reboot without reasons", with_(r => { r.pending = { reboot: { since: 1 } } }), /pending.reboot.why is not a list/],
    ])("%s", async (_what, content, problem) => {
        expect((await refusal(content)).problem).toMatch(problem);
    });

    test("a file of 10 MB: only the first MiB and a byte are read, in one command, and it is refused as too large", async () => {
        const t = new FileHost();
        t.files.set(FILE, JSON.stringify({ ...good(), junk: "x".repeat(10 * 1024 * 1024) }));
        const e = await readProgress(t, PFS).catch((x: unknown) => x);
        expect((e as ProgressRecordError).problem).toBe("larger than 1024 KiB");
        expect(t.calls.map(c => c.argv.slice(3))).toEqual([["vfm-state-read", FILE, "1048577"]]);
    });

    test("a host with no ConnectX-7 found refuses a record naming a PF; one naming none is read", async () => {
        expect((await refusal(JSON.stringify(good()), [])).problem).toMatch(/\(none found\)/);
        const t = new FileHost();
        t.files.set(FILE, with_(r => { r.pf = "" }));
        expect((await readProgress(t, []))?.pf).toBe("");
    });

    test("a host whose adapters could not be read: a record naming a PF is refused as unchecked, not as another host's", async () => {
        expect((await refusal(JSON.stringify(good()), null)).problem)
                .toBe("the PF 0000:e1:00.0 cannot be checked: this host's ConnectX-7 PFs could not be read");
    });

    test("a file the host cannot read (a directory in its place) is refused with the tool's words", async () => {
        const t = new FileHost();
        t.run = async argv => ({ host: t.host, argv: [...argv], stdout: "", stderr: "iconv: error while reading the input: Is a directory\n", exitStatus: 1, durationMs: 1, startedAt: 0, wire: [] });
        const e = await readProgress(t, PFS).catch((x: unknown) => x);
        expect((e as ProgressRecordError).problem).toBe("iconv: error while reading the input: Is a directory");
    });
});

describe("what the page reads back is what it writes, and only that", () => {
    test("fields and steps the page does not write are dropped; the options come back as their value types", async () => {
        const t = new FileHost();
        t.files.set(FILE, with_(r => {
            r.extra = "x";
            r.steps["no-such-step"] = { anything: true };
            r.steps["__proto__"] = { state: "ok" };
            r.steps["firmware-settings"].commands[0].html = "<b>";
            r.options.colour = "red";
        }));
        const rec = await readProgress(t, PFS);
        expect(Object.keys(rec ?? {}).sort()).toEqual(["options", "pending", "pf", "steps", "updatedAt", "version"]);
        expect(Object.keys(rec?.steps ?? {})).toEqual(["firmware-settings"]);
        expect(Object.keys(rec?.steps["firmware-settings"].commands[0] ?? {}).sort()).toEqual(["durationMs", "exitStatus", "line", "stderr", "stdout"]);
        expect(rec?.options).toEqual(DEFAULT_OPTIONS);
    });

    test("the page never writes what it would refuse: huge outputs full of control characters are shortened to fit", async () => {
        const t = new FileHost();
        let rec = emptyProgress("0000:e1:00.0", DEFAULT_OPTIONS);
        const noisy = "\u0001".repeat(50_000);
        for (const id of ["install-mstflint", "firmware-settings", "iommu-kernel-args", "eswitch-switchdev", "create-vfs", "ovs-service"]) {
            const results = Array.from({ length: 8 }, () => ({ host: "localhost", argv: ["x"], stdout: noisy, stderr: noisy, exitStatus: 1, durationMs: 1, startedAt: 0, wire: [] }));
            rec = recordRun(rec, { stepId: id, host: "localhost", mode: "run", startedAt: 1, finishedAt: 2, ok: false,
                commands: results.map(() => "x ".repeat(5000)), results, failure: { index: 0, kind: "exit", message: noisy } });
        }
        expect(new TextEncoder().encode(serializeProgress(rec)).length).toBeLessThanOrEqual(1024 * 1024);
        await writeProgress(t, rec);
        const back = await readProgress(t, PFS);
        expect(Object.keys(back?.steps ?? {})).toHaveLength(6);
        expect(back?.steps["create-vfs"].failure?.message.length).toBeLessThanOrEqual(4000);
    });

    test("discarding sets the file aside through the journaled transport, as a change", async () => {
        const t = new FileHost();
        t.files.set(FILE, "garbage");
        expect(await discardProgress(t)).toBe(`${FILE}.discarded`);
        expect(t.calls).toEqual([{ argv: ["mv", "-f", "-T", "--", FILE, `${FILE}.discarded`], changes: true }]);
        expect(t.files.get(`${FILE}.discarded`)).toBe("garbage");
        expect(await readProgress(t, PFS)).toBeNull();
    });
});
