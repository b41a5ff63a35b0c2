/*
 * The preparation's progress, kept on the host itself (/var/lib/cockpit-vf-migration/prepare.json): which steps ran,
 * how they ended (with their commands' output, shortened), and a reboot or firmware reset still to do with why. A
 * closed browser, a lost session or the host's own reboot does not lose the admin's place.
 */
import { _, format } from "../lib/cockpit";
import { PROGRESS_FILE, progressCommit, progressMkdir, progressRead, progressRemove, progressWriteNew } from "../host/commands-steps";
import type { HostTransport } from "../host/transport";
import type { PlannedStep, PrepareOptions, StepContext, StepDef } from "./types";
import { type RunStepOptions, type StepRun, runStep, undoStep } from "./runner";

const KEEP = 4000;

export interface StepRecord {
    state: "running" | "ok" | "failed" | "undone" | "undo-failed";
    startedAt: number;
    finishedAt: number | null;
    commands: { line: string; exitStatus: number; stdout: string; stderr: string; durationMs: number }[];
    failure?: StepRun["failure"];
}

export interface ProgressRecord {
    version: 1;
    updatedAt: number;
    /** the PF being prepared, and what the admin chose */
    pf: string;
    options: PrepareOptions;
    /** by step id: its latest run */
    steps: Record<string, StepRecord>;
    /** a reboot or firmware reset still to do, and the steps that call for it */
    pending: { reboot?: { why: string[]; since: number }; firmwareReset?: { why: string[]; since: number } };
    /** set just before a reboot is started: the page knows, when it comes back, that the host rebooted on purpose */
    rebootRequestedAt?: number;
}

export function emptyProgress(pf: string, options: PrepareOptions): ProgressRecord {
    return { version: 1, updatedAt: Date.now(), pf, options, steps: {}, pending: {} };
}

const cut = (s: string) => (s.length > KEEP ? "…" + s.slice(-KEEP) : s);

/** The record with this run in it (a run that started is recorded as "running" by recordStart). */
export function recordRun(record: ProgressRecord, run: StepRun, impact?: { needsReboot: boolean; needsFirmwareReset: boolean; title: string }): ProgressRecord {
    const state: StepRecord["state"] = run.mode === "undo" ? (run.ok ? "undone" : "undo-failed") : (run.ok ? "ok" : "failed");
    const entry: StepRecord = {
        state,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        commands: run.results.map((r, i) => ({ line: run.commands[i] ?? r.argv.join(" "), exitStatus: r.exitStatus, stdout: cut(r.stdout), stderr: cut(r.stderr), durationMs: r.durationMs })),
        ...(run.failure ? { failure: run.failure } : {}),
    };
    let next: ProgressRecord = { ...record, updatedAt: Date.now(), steps: { ...record.steps, [run.stepId]: entry } };
    if (run.ok && run.mode === "run" && impact) {
        if (impact.needsReboot)
            next = recordPending(next, "reboot", impact.title);
        if (impact.needsFirmwareReset)
            next = recordPending(next, "firmwareReset", impact.title);
    }
    if (run.ok && run.mode === "run" && run.stepId === "reboot")
        next = { ...next, pending: {}, rebootRequestedAt: run.startedAt };
    if (run.ok && run.mode === "run" && run.stepId === "firmware-reset")
        next = { ...next, pending: { ...next.pending, firmwareReset: undefined } };
    return next;
}

/** The record with a step marked as running (written before a step that may cut the connection, e.g. a reboot). */
export function recordStart(record: ProgressRecord, stepId: string): ProgressRecord {
    return { ...record, updatedAt: Date.now(), steps: { ...record.steps, [stepId]: { state: "running", startedAt: Date.now(), finishedAt: null, commands: [] } } };
}

export function recordPending(record: ProgressRecord, what: "reboot" | "firmwareReset", why: string): ProgressRecord {
    const old = record.pending[what];
    const entry = { why: [...(old?.why ?? []).filter(w => w !== why), why], since: old?.since ?? Date.now() };
    return { ...record, updatedAt: Date.now(), pending: { ...record.pending, [what]: entry } };
}

/** Drops pending entries the host's facts no longer call for (after the reboot or reset happened). */
export function reconcileProgress(record: ProgressRecord, plan: PlannedStep[]): ProgressRecord {
    const still = (action: "reboot" | "firmware-reset") => plan.some(p => p.step.action === action && p.status.state === "needed");
    const pending = { ...record.pending };
    if (pending.reboot && !still("reboot"))
        delete pending.reboot;
    if (pending.firmwareReset && !still("firmware-reset"))
        delete pending.firmwareReset;
    const steps = { ...record.steps };
    // a reboot that was running when the connection dropped has happened once nothing waits for it
    if (steps.reboot?.state === "running" && !still("reboot"))
        steps.reboot = { ...steps.reboot, state: "ok", finishedAt: Date.now() };
    return { ...record, pending, steps };
}

/** The record on the host, null if there is none yet; an unreadable record is an error (with the file's text). */
export async function readProgress(t: HostTransport, signal?: AbortSignal): Promise<ProgressRecord | null> {
    const r = await t.run(progressRead(), { superuser: true, signal });
    if (r.exitStatus !== 0) {
        if (/No such file/i.test(r.stderr))
            return null;
        throw new Error(format(_("Could not read $0 on $1: $2"), PROGRESS_FILE, t.host, r.stderr.trim()));
    }
    try {
        const v = JSON.parse(r.stdout) as ProgressRecord;
        if (v?.version !== 1 || typeof v.steps !== "object")
            throw new Error(_("unknown format"));
        return { ...v, pending: v.pending ?? {} };
    } catch (e) {
        throw new Error(format(_("$0 on $1 is not a progress record ($2)"), PROGRESS_FILE, t.host, String((e as Error).message)));
    }
}

/** Writes the record: beside the old one, then renamed over it. */
export async function writeProgress(t: HostTransport, record: ProgressRecord, signal?: AbortSignal): Promise<void> {
    const steps = [
        { argv: progressMkdir() },
        { argv: progressWriteNew(), input: JSON.stringify(record, null, 1) + "\n" },
        { argv: progressCommit() },
    ];
    for (const s of steps) {
        const r = await t.run(s.argv, { superuser: true, signal, ...(s.input !== undefined ? { input: s.input } : {}) });
        if (r.exitStatus !== 0)
            throw new Error(format(_("Could not write $0 on $1: $2"), PROGRESS_FILE, t.host, r.stderr.trim()));
    }
}

/** Forgets the record (start the preparation over). */
export async function clearProgress(t: HostTransport, signal?: AbortSignal): Promise<void> {
    const r = await t.run(progressRemove(), { superuser: true, signal, changes: true });
    if (r.exitStatus !== 0)
        throw new Error(format(_("Could not remove $0 on $1: $2"), PROGRESS_FILE, t.host, r.stderr.trim()));
}

/**
 * Runs a step (or its undo) and keeps the host's record up to date: marked running before (a reboot may cut the
 * connection before anything else can be written), its result after. A record that cannot be written does not
 * stop the step; the error comes back beside the run.
 */
export async function runRecorded(t: HostTransport, step: StepDef, ctx: StepContext, record: ProgressRecord,
                                  opts: RunStepOptions & { undo?: boolean } = {}): Promise<{ run: StepRun; record: ProgressRecord; recordError?: string }> {
    let recordError: string | undefined;
    const save = async (r: ProgressRecord) => {
        try {
            await writeProgress(t, r, opts.signal);
        } catch (e) {
            recordError = String((e as Error).message ?? e);
        }
    };
    const started = recordStart(record, step.id);
    await save(step.action === "reboot" ? { ...started, rebootRequestedAt: Date.now() } : started);
    const run = opts.undo ? await undoStep(t, step, ctx, opts) : await runStep(t, step, ctx, opts);
    const next = recordRun(record, run, { ...step.impact, title: step.title });
    if (!(step.action === "reboot" && run.ok))
        await save(next);
    return { run, record: next, ...(recordError ? { recordError } : {}) };
}
