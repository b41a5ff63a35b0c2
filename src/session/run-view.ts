/*
 * A step's run as the page shows it: each command's line, its output so far and how it ended. Built live from the
 * runner's events, or read back from the record a host keeps (then labelled with that host: the page did not just
 * run it).
 */
import { _ } from "../lib/cockpit";
import type { CommandRecord } from "../host/record";
import type { ProgressRecord, RunEvent, StepRun } from "../steps";

/**
 * One command of a step as it ran (or runs): the line and exit status of a command record (src/host/record.ts), its
 * output so far as one text, and how it ended.
 */
export interface CommandRun extends Pick<CommandRecord, "line" | "exitStatus"> {
    output: string;
    durationMs: number | null;
    /** the command could not run or its outcome is unknown (connection lost, timeout): the transport's message */
    error: string | null;
}

export interface StepRunView {
    state: "running" | "ok" | "failed";
    /** "run" or "undo" */
    kind: "run" | "undo";
    commands: CommandRun[];
    /** why it failed, in the tool's own words when it printed some */
    error: string | null;
    /** read back from the record this host keeps (the host's name): not something this page just ran */
    recordedOn?: string;
}

/** A run as recorded on the host `host`, shown as such: the page did not just run it. */
export function runFromRecord(r: ProgressRecord["steps"][string], host: string): StepRunView {
    const state = r.state === "running" ? "running" : r.state === "ok" || r.state === "undone" ? "ok" : "failed";
    return {
        state: state === "running" ? "failed" : state,
        kind: r.state === "undone" || r.state === "undo-failed" ? "undo" : "run",
        recordedOn: host,
        commands: r.commands.map(c => ({
            line: c.line, output: [c.stdout, c.stderr].filter(Boolean).join("\n"), exitStatus: c.exitStatus, durationMs: c.durationMs,
            error: null,
        })),
        error: r.state === "running"
            ? _("The page was closed or lost its connection while this step ran: its result is read from the host again.")
            : r.failure?.message ?? null,
    };
}

/** The live view with one runner event in it; `installLine` shows an install as the host's installer does it. */
export function withEvent(old: StepRunView | undefined, kind: StepRunView["kind"], e: RunEvent,
                          installLine: (packages: string[]) => string | null): StepRunView {
    const commands: CommandRun[] = [...(old?.commands ?? [])];
    if (e.type === "start") {
        const line = (e.command.kind === "install" ? installLine([...e.command.packages]) : null) ?? e.line;
        commands[e.index] = { line, output: "", exitStatus: null, durationMs: null, error: null };
    } else if (e.type === "progress" && commands[e.index])
        commands[e.index] = { ...commands[e.index], output: `${e.percent ?? "…"} % ${e.status} ${e.packages.join(" ")}` };
    else if (e.type === "done" && commands[e.index])
        commands[e.index] = {
            ...commands[e.index], output: [e.result.stdout, e.result.stderr].filter(Boolean).join("\n"),
            exitStatus: e.result.exitStatus, durationMs: e.result.durationMs,
        };
    return { state: "running", kind, commands, error: null };
}

/** The live view once the run ended. */
export function withResult(old: StepRunView | undefined, kind: StepRunView["kind"], r: StepRun): StepRunView {
    const commands = [...(old?.commands ?? [])];
    if (r.failure?.kind === "transport" && commands[r.failure.index])
        commands[r.failure.index] = { ...commands[r.failure.index], error: r.failure.message };
    return { state: r.ok ? "ok" : "failed", kind, commands, error: r.failure?.message ?? null };
}
