/*
 * The preparation's progress, kept on the host itself (/var/lib/cockpit-vf-migration/prepare.json): which steps ran,
 * how they ended (with their commands' output, shortened), and a reboot or firmware reset still to do with why. A
 * closed browser, a lost session or the host's own reboot does not lose the admin's place.
 */
import { _, format } from "../lib/cockpit";
import { PROGRESS_DISCARDED, PROGRESS_FILE, PROGRESS_STATE, progressDiscard } from "../host/commands/progress-file";
import { StateFileUnreadable, readStateFile, writeStateFile } from "../host/state-io";
import type { HostTransport } from "../host/transport";
import { utf8Length } from "../host/values";
import type { PlannedStep, PrepareOptions, StepContext, StepDef } from "./types";
import { type RunStepOptions, type StepRun, runStep, undoStep } from "./runner";
import { LIMITS, parseProgressRecord, type ProgressRecord, type StepRecord } from "./progress-schema";

export type { ProgressRecord, StepRecord } from "./progress-schema";

export function emptyProgress(pf: string, options: PrepareOptions): ProgressRecord {
    return { version: 1, updatedAt: Date.now(), pf, options, steps: {}, pending: {} };
}

/** the end of a tool's output (where its errors are) */
const cut = (s: string, keep = LIMITS.output) => (s.length > keep ? "…" + s.slice(-keep) : s);
/** the start of a command line or a message */
const head = (s: string, keep: number) => (s.length > keep ? s.slice(0, keep - 1) + "…" : s);

/** The record with this run in it (a run that started is recorded as "running" by recordStart). */
export function recordRun(record: ProgressRecord, run: StepRun, impact?: { needsReboot: boolean; needsFirmwareReset: boolean; title: string }): ProgressRecord {
    const state: StepRecord["state"] = run.mode === "undo" ? (run.ok ? "undone" : "undo-failed") : (run.ok ? "ok" : "failed");
    const entry: StepRecord = {
        state,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        commands: run.results.slice(0, LIMITS.commands).map((r, i) => ({
            line: head(run.commands[i] ?? r.argv.join(" "), LIMITS.line), exitStatus: r.exitStatus, stdout: cut(r.stdout), stderr: cut(r.stderr), durationMs: r.durationMs,
        })),
        ...(run.failure ? { failure: { ...run.failure, message: head(run.failure.message, LIMITS.message) } } : {}),
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
    const entry = { why: [...(old?.why ?? []).filter(w => w !== why), head(why, LIMITS.title)].slice(-LIMITS.why), since: old?.since ?? Date.now() };
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

/** A record on the host that is not one this page wrote: nothing runs from it until the admin sets it aside. */
export class ProgressRecordError extends Error {
    /** where discardProgress puts it */
    readonly discardedAs = PROGRESS_DISCARDED;
    constructor(readonly file: string, readonly host: string, readonly problem: string) {
        super(format(_("$0 on $1 is not a progress record written by this page: $2"), file, host, problem));
        this.name = "ProgressRecordError";
    }
}

/**
 * The record on the host, null if there is none yet. `pfs`: the host's ConnectX-7 PFs, as its facts show them (null:
 * unknown, then a record naming a PF cannot be checked and is refused). A
 * record that cannot be read, is too large or is not what the page writes is a ProgressRecordError.
 */
export async function readProgress(t: HostTransport, pfs: readonly string[] | null, signal?: AbortSignal): Promise<ProgressRecord | null> {
    const refuse = (problem: string) => new ProgressRecordError(PROGRESS_FILE, t.host, problem);
    // bytes that are not UTF-8 would break the page's text channel: checked on the host, in the same command
    let text: string | null;
    try {
        text = await readStateFile(t, PROGRESS_STATE, LIMITS.fileBytes + 1, signal);
    } catch (e) {
        throw e instanceof StateFileUnreadable ? refuse(e.problem) : e;
    }
    if (text === null)
        return null;
    if (text.length > LIMITS.fileBytes || utf8Length(text) > LIMITS.fileBytes)
        throw refuse(format(_("larger than $0 KiB"), LIMITS.fileBytes / 1024));
    try {
        return parseProgressRecord(text, pfs);
    } catch (e) {
        throw refuse(String((e as Error).message));
    }
}

/** The record as written: within the limits the reader holds it to, the outputs shortened further if it must. */
export function serializeProgress(record: ProgressRecord): string {
    const text = (rec: ProgressRecord) => JSON.stringify(rec, null, 1) + "\n";
    let out = text(record);
    for (const keep of [400, 0]) {
        if (utf8Length(out) <= LIMITS.fileBytes)
            break;
        const steps = Object.fromEntries(Object.entries(record.steps).map(([id, s]) =>
            [id, { ...s, commands: s.commands.map(c => ({ ...c, stdout: keep ? cut(c.stdout, keep) : "", stderr: keep ? cut(c.stderr, keep) : "" })) }]));
        out = text({ ...record, steps });
    }
    return out;
}

/** Writes the record, root's alone: beside the old one, then renamed over it. */
export async function writeProgress(t: HostTransport, record: ProgressRecord, signal?: AbortSignal): Promise<void> {
    await writeStateFile(t, PROGRESS_STATE, serializeProgress(record), signal);
}

/** Sets aside a record the page cannot read (renamed, kept for the admin to look at); resolves with its new path. */
export async function discardProgress(t: HostTransport, signal?: AbortSignal): Promise<string> {
    const r = await t.run(progressDiscard(), { superuser: true, signal, changes: true });
    if (r.exitStatus !== 0 && !/No such file/i.test(r.stderr))
        throw new Error(format(_("Could not move $0 aside on $1: $2"), PROGRESS_FILE, t.host, r.stderr.trim()));
    return PROGRESS_DISCARDED;
}

/**
 * Runs a step (or its undo) and keeps the host's record up to date: marked running before (a reboot may cut the
 * connection before anything else can be written), its result after. A record that cannot be written after the
 * step does not undo it: the error comes back beside the run. With `recordFirst`, a step whose "running" mark
 * cannot be written does not run (the error is thrown). The record is written even when the run was cancelled;
 * nothing is written after a reboot (the host is going down).
 * `saved`: whether the record returned is the one on the host (not after a reboot, nor after a failed write).
 */
export async function runRecorded(t: HostTransport, step: StepDef, ctx: StepContext, record: ProgressRecord,
                                  opts: RunStepOptions & { undo?: boolean; recordFirst?: boolean } = {}):
    Promise<{ run: StepRun; record: ProgressRecord; saved: boolean; recordError?: string }> {
    let recordError: string | undefined;
    const save = async (r: ProgressRecord) => {
        try {
            await writeProgress(t, r);
            return true;
        } catch (e) {
            recordError = String((e as Error).message ?? e);
            return false;
        }
    };
    const started = step.action === "reboot" ? { ...recordStart(record, step.id), rebootRequestedAt: Date.now() } : recordStart(record, step.id);
    if (!await save(started) && opts.recordFirst)
        throw new Error(recordError);
    const run = opts.undo ? await undoStep(t, step, ctx, opts) : await runStep(t, step, ctx, opts);
    // a reboot whose connection dropped before it reported back stays "running": the host, once back, tells
    const next = step.action === "reboot" && !run.ok && run.failure?.kind === "transport" ? started
        : recordRun(record, run, { ...step.impact, title: step.title });
    const saved = !(step.action === "reboot" && (run.ok || next === started)) && await save(next);
    return { run, record: next, saved, ...(recordError ? { recordError } : {}) };
}
