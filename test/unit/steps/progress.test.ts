/* The preparation's progress kept on the host: read back after a closed browser or a reboot, written safely. */
import {
    DEFAULT_OPTIONS, emptyProgress, planHost, readProgress, reconcileProgress, recordRun, recordStart, runRecorded, stepById, writeProgress,
} from "../../../src/steps";
import type { StepDef } from "../../../src/steps/types";
import type { StepRun } from "../../../src/steps";
import { ctxOf, facts, fresh } from "./fixtures";
import { FileHost, commandName } from "./file-host";
import { TransportError } from "../../../src/host/transport";

const FILE = "/var/lib/cockpit-vf-migration/prepare.json";
const PFS = ["0000:e1:00.0"];

function run(stepId: string, ok: boolean, mode: "run" | "undo" = "run"): StepRun {
    return {
        stepId, host: "localhost", mode, startedAt: 1000, finishedAt: 2000, ok, commands: ["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2"],
        results: [{ host: "localhost", argv: ["mstconfig"], stdout: "Apply new Configuration? (y/n) [n] : y\nApplying... Done!\n", stderr: ok ? "" : "-E- Failed", exitStatus: ok ? 0 : 1, durationMs: 3000, startedAt: 1000, wire: [] }],
        ...(ok ? {} : { failure: { index: 0, kind: "exit" as const, message: "-E- Failed" } }),
    };
}

describe("progress kept on the host", () => {
    test("no record yet: null; written in one command beside the file then renamed over it; read back the same", async () => {
        const t = new FileHost();
        expect(await readProgress(t, PFS)).toBeNull();
        const rec = recordRun(emptyProgress("0000:e1:00.0", DEFAULT_OPTIONS), run("firmware-settings", true),
                              { needsReboot: false, needsFirmwareReset: true, title: "Enable VF migration in the adapter's firmware" });
        await writeProgress(t, rec);
        expect(t.calls.slice(1).map(c => c.argv.slice(3))).toEqual([["vfm-state-write", "/var/lib/cockpit-vf-migration", `${FILE}.new`, FILE]]);
        expect(t.calls[0].argv.slice(3)).toEqual(["vfm-state-read", FILE, String(1024 * 1024 + 1)]);
        // the record goes on stdin, never in argv
        expect(t.calls.every(c => c.argv.every(w => !w.includes("firmware-settings")))).toBe(true);
        const back = await readProgress(t, PFS);
        // UTF-8 checked on the host, then read with a cap, in one command: a huge or binary file never reaches the page
        expect(t.calls.slice(2).map(c => c.argv.slice(3))).toEqual([["vfm-state-read", FILE, String(1024 * 1024 + 1)]]);
        expect(back?.steps["firmware-settings"]).toEqual(expect.objectContaining({ state: "ok", commands: [expect.objectContaining({ exitStatus: 0 })] }));
        expect(back?.pending.firmwareReset?.why).toEqual(["Enable VF migration in the adapter's firmware"]);
    });

    test("a failed step is recorded with the tool's message; an unreadable record is an error naming the file", async () => {
        const rec = recordRun(emptyProgress("0000:e1:00.0", DEFAULT_OPTIONS), run("firmware-settings", false));
        expect(rec.steps["firmware-settings"]).toEqual(expect.objectContaining({ state: "failed", failure: { index: 0, kind: "exit", message: "-E- Failed" } }));
        const t = new FileHost();
        t.files.set(FILE, "{ half a rec");
        await expect(readProgress(t, PFS)).rejects.toThrow(/^\/var\/lib\/cockpit-vf-migration\/prepare.json on localhost is not a progress record/);
    });

    test("a reboot started is recorded before it runs; once the host no longer needs one, the pending entries go", () => {
        let rec = emptyProgress("0000:e1:00.0", DEFAULT_OPTIONS);
        rec = recordRun(rec, run("iommu-kernel-args", true), { needsReboot: true, needsFirmwareReset: false, title: "Enable the IOMMU in the kernel" });
        expect(rec.pending.reboot?.why).toEqual(["Enable the IOMMU in the kernel"]);
        rec = recordStart(rec, "reboot");
        expect(rec.steps.reboot.state).toBe("running");
        // still needed (facts before the reboot): kept
        expect(reconcileProgress(rec, planHost(ctxOf(fresh({ nextBootArgs: facts().nextBootArgs })))).pending.reboot).toBeDefined();
        // after the reboot the facts no longer call for one
        const after = reconcileProgress(rec, planHost(ctxOf(facts())));
        expect(after.pending).toEqual({});
        expect(after.steps.reboot.state).toBe("ok");
    });

    test("runRecorded: the step is marked running on the host before its commands, its result after", async () => {
        const t = new FileHost();
        const ctx = ctxOf(fresh());
        const { run: r, record } = await runRecorded(t, stepById("iommu-kernel-args") as StepDef, ctx, emptyProgress(ctx.pf, DEFAULT_OPTIONS));
        expect(r.ok).toBe(true);
        const order = t.calls.map(c => commandName(c.argv));
        expect(order).toEqual(["vfm-state-write", "grubby", "vfm-state-write"]);
        expect(JSON.parse(t.calls[0].input ?? "").steps["iommu-kernel-args"].state).toBe("running");
        expect(record.pending.reboot?.why).toEqual(["Enable the IOMMU in the kernel"]);
        expect((await readProgress(t, PFS))?.steps["iommu-kernel-args"].state).toBe("ok");

        // a reboot: recorded as requested before it runs; nothing is written after (the host is going down)
        const t2 = new FileHost();
        await runRecorded(t2, stepById("reboot") as StepDef, ctx, record);
        expect(t2.calls.map(c => commandName(c.argv))).toEqual(["vfm-state-write", "systemctl"]);
        const saved = await readProgress(t2, PFS);
        expect(saved?.steps.reboot.state).toBe("running");
        expect(saved?.rebootRequestedAt).toEqual(expect.any(Number));
    });

    test("runRecorded: with recordFirst, a step whose running mark cannot be written does not run; a reboot whose connection dropped stays running", async () => {
        const ctx = ctxOf(fresh());
        const t = new FileHost();
        const run = t.run.bind(t);
        t.run = async (argv, o) => (commandName(argv) === "vfm-state-write"
            ? { ...await run(argv, o), exitStatus: 1, stderr: "install: cannot create directory '/var/lib/cockpit-vf-migration': Read-only file system" } : run(argv, o));
        await expect(runRecorded(t, stepById("iommu-kernel-args") as StepDef, ctx, emptyProgress(ctx.pf, DEFAULT_OPTIONS), { recordFirst: true }))
            .rejects.toThrow(/Read-only file system/);
        expect(t.calls.map(c => c.argv[0])).not.toContain("grubby");

        const t2 = new FileHost();
        const run2 = t2.run.bind(t2);
        t2.run = async (argv, o) => {
            if (argv[0] === "systemctl")
                throw new TransportError("unreachable", t2.host, "Connection closed");
            return run2(argv, o);
        };
        const r = await runRecorded(t2, stepById("reboot") as StepDef, ctx, emptyProgress(ctx.pf, DEFAULT_OPTIONS));
        expect(r).toMatchObject({ saved: false, run: { ok: false, failure: { kind: "transport" } } });
        expect(r.record.steps.reboot.state).toBe("running");
        expect(r.record.rebootRequestedAt).toEqual(expect.any(Number));
        expect((await readProgress(t2, PFS))?.steps.reboot.state).toBe("running");
    });
});
