/*
 * Runs a step's commands (or its undo) on a host, in order, stopping at the first failure. Every command's result
 * is kept, raw: it is the evidence the page shows. A command that exits non-zero, a transport failure and a
 * cancelled run all end the run with `ok: false` and the tool's own words in `failure.message`.
 */
import { _, format } from "../lib/cockpit";
import { quoteArgv } from "../host/quote";
import { dnfInstall } from "../host/commands/dnf-rpm";
import { type CommandResult, type HostTransport, TransportError } from "../host/transport";
import { explainToolFailure } from "../parsers/tool-failure";
import type { InstallName, StepCommand, StepContext, StepDef } from "./types";
import { sysfsLine } from "./common";

/** Installs packages on the host the transport reaches (PackageKit on this host: src/host/packagekit.ts). */
export interface PackageInstaller {
    install(names: InstallName[], options: {
        signal?: AbortSignal;
        onProgress?: (p: { percent: number | null; status: string; packages: string[]; cancellable: boolean }) => void;
    }): Promise<CommandResult>;
}

export type RunEvent =
    | { type: "start"; index: number; command: StepCommand; line: string }
    | { type: "progress"; index: number; percent: number | null; status: string; packages: string[]; cancellable: boolean }
    | { type: "done"; index: number; result: CommandResult };

export interface RunStepOptions {
    signal?: AbortSignal;
    onOutput?: (e: RunEvent) => void;
    /** PackageKit for "install" commands; without it they run `dnf -y install` through the transport */
    installer?: PackageInstaller;
    /** the admin confirmed the guard's override (a guard without one always refuses) */
    override?: boolean;
}

export interface StepRun {
    stepId: string;
    host: string;
    mode: "run" | "undo";
    startedAt: number;
    finishedAt: number;
    ok: boolean;
    /** every command run, in order, the failed one last */
    results: CommandResult[];
    /** the commands that were to run (the failed one and those after it did not all run) */
    commands: string[];
    failure?: { index: number; kind: "exit" | "transport" | "cancelled" | "guard"; message: string };
}

/** A step command as the admin would type it (and as the page shows it). */
export function commandLine(c: StepCommand): string {
    switch (c.kind) {
    case "run": return quoteArgv(c.argv);
    case "sysfs": return sysfsLine(c.path, c.value);
    case "install": return quoteArgv(dnfInstall(c.packages));
    }
}

/** What the tool's error means, when its parser knows it, then the last lines the tool said (stderr, else stdout). */
function toolMessage(r: CommandResult): string {
    const text = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-6).join("\n");
    const said = text || format(_("“$0” exited with status $1"), r.argv[0] ?? "", r.exitStatus);
    const meaning = explainToolFailure(r.argv, r.stdout, r.stderr);
    return meaning ? `${meaning}\n${said}` : said;
}

async function runOne(t: HostTransport, c: StepCommand, index: number, opts: RunStepOptions): Promise<CommandResult> {
    switch (c.kind) {
    case "run":
        return t.run(c.argv, { superuser: true, changes: true, signal: opts.signal, input: c.input,
            ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}) });
    case "sysfs":
        return t.writeSysfs(c.path, c.value, { signal: opts.signal });
    case "install":
        if (opts.installer)
            return opts.installer.install(c.packages, {
                signal: opts.signal,
                onProgress: p => opts.onOutput?.({ type: "progress", index, ...p }),
            });
        return t.run(dnfInstall(c.packages), { superuser: true, changes: true, signal: opts.signal, timeoutMs: 30 * 60_000 });
    }
}

async function runCommands(t: HostTransport, step: StepDef, mode: "run" | "undo", commands: StepCommand[],
                           opts: RunStepOptions): Promise<StepRun> {
    const startedAt = Date.now();
    const results: CommandResult[] = [];
    const lines = commands.map(commandLine);
    const done = (failure?: StepRun["failure"]): StepRun => ({
        stepId: step.id, host: t.host, mode, startedAt, finishedAt: Date.now(), ok: !failure, results, commands: lines,
        ...(failure ? { failure } : {}),
    });
    for (const [index, c] of commands.entries()) {
        if (opts.signal?.aborted)
            return done({ index, kind: "cancelled", message: _("Cancelled before this command ran") });
        opts.onOutput?.({ type: "start", index, command: c, line: lines[index] });
        let r: CommandResult;
        try {
            r = await runOne(t, c, index, opts);
        } catch (e) {
            if (e instanceof TransportError)
                return done({ index, kind: e.kind === "cancelled" ? "cancelled" : "transport", message: e.detail ? `${e.message}\n${e.detail}` : e.message });
            return done({ index, kind: "transport", message: String((e as Error)?.message ?? e) });
        }
        results.push(r);
        opts.onOutput?.({ type: "done", index, result: r });
        if (r.exitStatus !== 0)
            return done({ index, kind: opts.signal?.aborted ? "cancelled" : "exit", message: toolMessage(r) });
    }
    return done();
}

function refused(t: HostTransport, step: StepDef, mode: "run" | "undo", message: string): StepRun {
    const now = Date.now();
    return { stepId: step.id, host: t.host, mode, startedAt: now, finishedAt: now, ok: false, results: [], commands: [],
        failure: { index: 0, kind: "guard", message } };
}

/** Runs the step's commands for this host now (its guard is checked first; see RunStepOptions.override). */
export async function runStep(t: HostTransport, step: StepDef, ctx: StepContext, opts: RunStepOptions = {}): Promise<StepRun> {
    const guard = step.guard(ctx);
    if (guard && !(guard.override && opts.override))
        return refused(t, step, "run", guard.reason);
    return runCommands(t, step, "run", step.commands(ctx), opts);
}

/** Runs the step's undo commands; a step without undo ends at once with its undoNote as the failure. */
export async function undoStep(t: HostTransport, step: StepDef, ctx: StepContext, opts: RunStepOptions = {}): Promise<StepRun> {
    const commands = step.undo(ctx);
    if (commands === null)
        return refused(t, step, "undo", step.undoNote ?? _("This step cannot be undone from here"));
    const blocked = step.undoBlocked?.(ctx);
    if (blocked)
        return refused(t, step, "undo", blocked);
    // undoing cuts the same traffic or removes the same VFs as doing: the same guard applies
    const guard = step.guard(ctx);
    if (guard && !(guard.override && opts.override))
        return refused(t, step, "undo", guard.reason);
    return runCommands(t, step, "undo", commands, opts);
}
