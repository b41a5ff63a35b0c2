/*
 * The preparation run: both hosts, in order, one step at a time, each chosen from the host's state read again after
 * the previous one. It asks the admin before every disruptive step, stops at a guard, at the first failure, and
 * before a reboot of this host (the page goes with it). Progress is written to each host's own record before and
 * after each step, so a closed page, a lost session or a reboot resumes from the host's state.
 */
import { useCallback, useRef, useState } from "react";
import { _, format } from "../../lib/cockpit";
import type { HostFacts, Role } from "../../checks/facts";
import type { HostTransport } from "../../host/transport";
import {
    ProgressRecordError, commandLine, discardProgress, emptyProgress, readProgress, reconcileProgress, recordRun, recordStart, runStep, undoStep,
    writeProgress,
    type PlannedStep, type ProgressRecord, type RunEvent, type StepRun as RunnerResult,
} from "../../steps";
import { localInstaller } from "../hosts";
import type { CommandRun, StepRun } from "./PrepareStageRunLog";
import { type HostPlan, type PreparedHost, nextAction, nextStep } from "./PrepareStageHosts";

export type Ask =
    | { kind: "confirm" | "override" | "reboot" | "undo"; role: Role; planned: PlannedStep; ctx: HostPlan["ctx"] };

export type Phase =
    | { kind: "idle" }
    | { kind: "reading" }
    | { kind: "running"; role: Role; title: string }
    | { kind: "waiting"; role: Role; since: number }
    | { kind: "failed"; role: Role; stepId: string; title: string; message: string }
    | { kind: "blocked"; role: Role; stepId: string; title: string; message: string }
    | { kind: "stopped"; message: string }
    | { kind: "rebooting-self" }
    | { kind: "done" };

export interface HostSide {
    role: Role;
    transport: HostTransport | null;
    host: PreparedHost;
}

const ORDER: Role[] = ["source", "destination"];
const sleep = (ms: number) => new Promise(r => window.setTimeout(r, ms));
const WAIT_BACK_MS = 15 * 60_000;

/** This host's ConnectX-7 PFs, as its facts show them (a record names one of these or none); null if unknown. */
const pfsOf = (facts: HostFacts | null): string[] | null => (facts?.nics.known ? facts.nics.value.map(n => n.pci) : null);

/** A run as recorded on the host `host`, shown as such: the page did not just run it. */
export function runFromRecord(r: ProgressRecord["steps"][string], host: string): StepRun {
    const state = r.state === "running" ? "running" : r.state === "ok" || r.state === "undone" ? "ok" : "failed";
    return {
        state: state === "running" ? "failed" : state,
        kind: r.state === "undone" || r.state === "undo-failed" ? "undo" : "run",
        recordedOn: host,
        commands: r.commands.map(c => ({
            line: c.line, output: [c.stdout, c.stderr].filter(Boolean).join("\n"), exitStatus: c.exitStatus, durationMs: c.durationMs, error: null,
        })),
        error: r.state === "running"
            ? _("The page was closed or lost its connection while this step ran: its result is read from the host again.")
            : r.failure?.message ?? null,
    };
}

export function usePrepareRun(sides: Record<Role, HostSide>, onDone: () => void) {
    const [phase, setPhase] = useState<Phase>({ kind: "idle" });
    const [ask, setAsk] = useState<Ask | null>(null);
    const [runs, setRuns] = useState<Record<Role, Record<string, StepRun>>>({ source: {}, destination: {} });
    const [progress, setProgressState] = useState<Record<Role, ProgressRecord | null>>({ source: null, destination: null });
    const progressRef = useRef(progress);
    /** a record on a host that is not one this page wrote: nothing runs until the admin sets it aside */
    const [recordErrors, setRecordErrorsState] = useState<Record<Role, ProgressRecordError | null>>({ source: null, destination: null });
    const recordErrorsRef = useRef(recordErrors);
    const answer = useRef<((yes: boolean) => void) | null>(null);
    const abort = useRef<AbortController | null>(null);
    const sidesRef = useRef(sides);
    sidesRef.current = sides;

    const setProgress = (role: Role, p: ProgressRecord | null) => {
        progressRef.current = { ...progressRef.current, [role]: p };
        setProgressState(progressRef.current);
    };
    const setRecordError = (role: Role, e: ProgressRecordError | null) => {
        recordErrorsRef.current = { ...recordErrorsRef.current, [role]: e };
        setRecordErrorsState(recordErrorsRef.current);
    };
    /** The host's record (null: none yet); one the page cannot use is kept as this host's record error, and thrown. */
    const readRecord = async (role: Role, t: HostTransport, facts: HostFacts | null) => {
        try {
            const rec = await readProgress(t, pfsOf(facts));
            setRecordError(role, null);
            return rec;
        } catch (e) {
            if (e instanceof ProgressRecordError)
                setRecordError(role, e);
            throw e;
        }
    };
    const recordedOn = (role: Role, t: HostTransport) => sidesRef.current[role].host.probe.facts?.hostname || t.host;
    const setRun = (role: Role, id: string, run: StepRun | ((old: StepRun | undefined) => StepRun)) =>
        setRuns(rs => ({ ...rs, [role]: { ...rs[role], [id]: typeof run === "function" ? run(rs[role][id]) : run } }));

    /** The admin's answer to a dialog. */
    const ask1 = (a: Ask) => new Promise<boolean>(resolve => {
        answer.current = resolve;
        setAsk(a);
    });
    const reply = useCallback((yes: boolean) => {
        const r = answer.current;
        answer.current = null;
        setAsk(null);
        r?.(yes);
    }, []);

    /**
     * Reads the records both hosts keep (on open, and after a reboot), and shows what ran. A record the page cannot
     * use is shown as the host's record error (not thrown); other failures reject (read again later).
     */
    const loadProgress = useCallback(async (role: Role) => {
        const t = sidesRef.current[role].transport;
        const facts = sidesRef.current[role].host.probe.facts;
        if (!t)
            return;
        if (!facts)
            throw new Error("no facts yet");
        let rec: ProgressRecord | null;
        try {
            rec = await readRecord(role, t, facts);
        } catch (e) {
            if (e instanceof ProgressRecordError)
                return;
            throw e;
        }
        if (!rec)
            return;
        const host = recordedOn(role, t);
        setProgress(role, rec);
        setRuns(rs => ({ ...rs, [role]: Object.fromEntries(Object.entries(rec.steps).map(([id, r]) => [id, runFromRecord(r, host)])) }));
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, []);

    /** Sets aside a host's record the page cannot use (the admin confirmed): the host starts over from its state. */
    const discardRecord = useCallback(async (role: Role) => {
        const t = sidesRef.current[role].transport;
        if (!t)
            return;
        await discardProgress(t);
        setRecordError(role, null);
        setProgress(role, null);
        setRuns(rs => ({ ...rs, [role]: {} }));
        setPhase({ kind: "idle" });
    }, []);

    const save = async (role: Role, t: HostTransport, rec: ProgressRecord) => {
        setProgress(role, rec);
        await writeProgress(t, rec);
    };

    const lastPlan = useRef<Record<Role, PlannedStep[] | null>>({ source: null, destination: null });

    async function read(role: Role): Promise<HostPlan> {
        const hp = await sidesRef.current[role].host.read();
        lastPlan.current[role] = hp.plan;
        const t = sidesRef.current[role].transport!;
        // never start a new record over one the host already keeps, nor over one the page cannot read
        if (!progressRef.current[role]) {
            const kept = await readRecord(role, t, hp.ctx.facts);
            if (kept)
                setProgress(role, kept);
        }
        const old = progressRef.current[role] ?? emptyProgress(hp.ctx.pf, hp.ctx.options);
        const rec = reconcileProgress(old, hp.plan);
        if (JSON.stringify(rec.pending) !== JSON.stringify(old.pending) || rec.steps.reboot?.state !== old.steps.reboot?.state)
            await save(role, t, rec);
        else
            setProgress(role, rec);
        return hp;
    }

    /** Runs (or undoes) one step, live, recorded on the host before and after. */
    async function runOne(role: Role, p: PlannedStep, hp: HostPlan, mode: "run" | "undo", override = false): Promise<RunnerResult> {
        const t = sidesRef.current[role].transport!;
        const id = p.step.id;
        await save(role, t, recordStart(progressRef.current[role] ?? emptyProgress(hp.ctx.pf, hp.ctx.options), id));
        setRun(role, id, { state: "running", kind: mode, commands: [], error: null });
        const onOutput = (e: RunEvent) => setRun(role, id, old => {
            const commands: CommandRun[] = [...(old?.commands ?? [])];
            if (e.type === "start") {
                // on this host packages go through PackageKit, not the dnf line the scripts use
                const line = e.command.kind === "install" && role === "source"
                    ? format(_("PackageKit: install $0"), e.command.packages.join(" ")) : e.line;
                commands[e.index] = { line, output: "", exitStatus: null, durationMs: null, error: null };
            }
            else if (e.type === "progress" && commands[e.index])
                commands[e.index] = { ...commands[e.index], output: `${e.percent ?? "…"} % ${e.status} ${e.packages.join(" ")}` };
            else if (e.type === "done" && commands[e.index])
                commands[e.index] = {
                    ...commands[e.index], output: [e.result.stdout, e.result.stderr].filter(Boolean).join("\n"),
                    exitStatus: e.result.exitStatus, durationMs: e.result.durationMs,
                };
            return { state: "running", kind: mode, commands, error: null };
        });
        abort.current = new AbortController();
        const opts = { signal: abort.current.signal, onOutput, override, ...(role === "source" ? { installer: localInstaller() } : {}) };
        const r = mode === "run" ? await runStep(t, p.step, hp.ctx, opts) : await undoStep(t, p.step, hp.ctx, opts);
        abort.current = null;
        setRun(role, id, old => {
            const commands = [...(old?.commands ?? [])];
            if (r.failure?.kind === "transport" && commands[r.failure.index])
                commands[r.failure.index] = { ...commands[r.failure.index], error: r.failure.message };
            return { state: r.ok ? "ok" : "failed", kind: mode, commands, error: r.failure?.message ?? null };
        });
        const impact = { needsReboot: p.step.impact.needsReboot, needsFirmwareReset: p.step.impact.needsFirmwareReset, title: p.step.title };
        try {
            await save(role, t, recordRun(progressRef.current[role]!, r, impact));
        } catch (e) {
            // a reboot may already have taken the connection
            if (!p.step.action)
                throw e;
        }
        return r;
    }

    /** Runs what can run on one host; says why it stopped. */
    async function advance(role: Role): Promise<"clean" | "action" | "stopped"> {
        let last: string | null = null;
        for (;;) {
            const hp = await read(role);
            const p = nextStep(hp.plan);
            if (!p)
                return nextAction(hp.plan) ? "action" : "clean";
            // it ran without error, yet the host does not show it done: say so rather than run it again
            if (p.step.id === last) {
                setPhase({ kind: "failed", role, stepId: p.step.id, title: p.step.title,
                    message: format(_("The commands succeeded, but the host still does not show it done: $0"), p.status.summary) });
                return "stopped";
            }
            last = p.step.id;
            let override = false;
            if (p.guard) {
                if (!p.guard.override) {
                    setPhase({ kind: "blocked", role, stepId: p.step.id, title: p.step.title, message: p.guard.reason });
                    return "stopped";
                }
                if (!await ask1({ kind: "override", role, planned: p, ctx: hp.ctx })) {
                    setPhase({ kind: "blocked", role, stepId: p.step.id, title: p.step.title, message: p.guard.reason });
                    return "stopped";
                }
                override = true;
            } else if (p.step.impact.confirm && !await ask1({ kind: "confirm", role, planned: p, ctx: hp.ctx })) {
                setPhase({ kind: "stopped", message: format(_("Stopped before “$0”."), p.step.title) });
                return "stopped";
            }
            setPhase({ kind: "running", role, title: p.step.title });
            const r = await runOne(role, p, hp, "run", override);
            if (!r.ok) {
                setPhase({ kind: "failed", role, stepId: p.step.id, title: p.step.title, message: r.failure?.message ?? "" });
                return "stopped";
            }
        }
    }

    /** Waits until the host answers again and no longer waits for this action. */
    async function waitBack(role: Role, stepId: string): Promise<boolean> {
        const since = Date.now();
        setPhase({ kind: "waiting", role, since });
        await sleep(3000);
        while (Date.now() - since < WAIT_BACK_MS) {
            try {
                const hp = await read(role);
                if (nextAction(hp.plan)?.step.id !== stepId)
                    return true;
            } catch {
                // still down
            }
            await sleep(3000);
        }
        setPhase({ kind: "stopped", message: format(_("$0 did not come back within $1 minutes."), sidesRef.current[role].transport?.host ?? role, WAIT_BACK_MS / 60_000) });
        return false;
    }

    /** The reboot or firmware reset a host waits for: refused while VMs run there, confirmed, then waited for. */
    async function action(role: Role): Promise<boolean> {
        const hp = await read(role);
        const p = nextAction(hp.plan);
        if (!p)
            return true;
        if (p.guard) {
            setPhase({ kind: "blocked", role, stepId: p.step.id, title: p.step.title, message: p.guard.reason });
            return false;
        }
        if (!await ask1({ kind: "reboot", role, planned: p, ctx: hp.ctx })) {
            setPhase({ kind: "stopped", message: format(_("Stopped before “$0”."), p.step.title) });
            return false;
        }
        setPhase({ kind: "running", role, title: p.step.title });
        const selfReboot = role === "source" && p.step.action === "reboot";
        if (selfReboot)
            setPhase({ kind: "rebooting-self" });
        const r = await runOne(role, p, hp, "run");
        // the connection may drop before the reboot command reports back
        if (!r.ok && !(p.step.action === "reboot" && r.failure?.kind === "transport")) {
            setPhase({ kind: "failed", role, stepId: p.step.id, title: p.step.title, message: r.failure?.message ?? "" });
            return false;
        }
        if (selfReboot)
            return false;
        return waitBack(role, p.step.id);
    }

    /** Both hosts' records read before anything runs on either: a record the page cannot use stops it here. */
    async function checkRecords(): Promise<void> {
        for (const role of ORDER) {
            const refused = recordErrorsRef.current[role];
            if (refused)
                throw refused;
            const t = sidesRef.current[role].transport;
            if (t && !progressRef.current[role]) {
                const facts = sidesRef.current[role].host.probe.facts ?? (await sidesRef.current[role].host.read()).ctx.facts;
                const kept = await readRecord(role, t, facts);
                if (kept)
                    setProgress(role, kept);
            }
        }
    }

    const start = useCallback(() => {
        setPhase({ kind: "reading" });
        (async () => {
            try {
                await checkRecords();
                for (;;) {
                    const state: Partial<Record<Role, "clean" | "action" | "stopped">> = {};
                    for (const role of ORDER) {
                        state[role] = await advance(role);
                        if (state[role] === "stopped")
                            return;
                    }
                    // the destination first: this page goes down with this host
                    if (state.destination === "action") {
                        if (!await action("destination"))
                            return;
                        continue;
                    }
                    if (state.source === "action") {
                        if (!await action("source"))
                            return;
                        continue;
                    }
                    break;
                }
                // nothing more can run: say what is still not done (facts missing, a setting pending)
                const left = ORDER.flatMap(role => (lastPlan.current[role] ?? [])
                        .filter(p => p.status.state !== "done" && p.status.state !== "not-applicable")
                        .map(p => format(_("$0 on $1: $2"), p.step.title, sidesRef.current[role].transport?.host ?? role, p.status.summary)));
                if (left.length) {
                    setPhase({ kind: "stopped", message: format(_("Nothing more can run from here. Still not done: $0"), left.join("; ")) });
                    return;
                }
                setPhase({ kind: "done" });
                onDone();
            } catch (e) {
                setPhase({ kind: "stopped", message: String((e as Error)?.message ?? e) });
            }
        })();
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [onDone]);

    /** Undoes the step that failed (asked first), then reads the host again. */
    const undo = useCallback((role: Role, stepId: string) => {
        setPhase({ kind: "reading" });
        (async () => {
            try {
                await checkRecords();
                const hp = await read(role);
                const p = hp.plan.find(x => x.step.id === stepId);
                if (!p || !await ask1({ kind: "undo", role, planned: p, ctx: hp.ctx })) {
                    setPhase({ kind: "idle" });
                    return;
                }
                setPhase({ kind: "running", role, title: p.step.title });
                const r = await runOne(role, p, hp, "undo");
                await read(role);
                setPhase(r.ok ? { kind: "idle" } : { kind: "failed", role, stepId, title: p.step.title, message: r.failure?.message ?? "" });
            } catch (e) {
                setPhase({ kind: "stopped", message: String((e as Error)?.message ?? e) });
            }
        })();
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, []);

    const cancel = useCallback(() => abort.current?.abort(), []);

    return { phase, ask, reply, runs, progress, recordErrors, discardRecord, start, undo, cancel, loadProgress, undoLines: (p: PlannedStep, ctx: HostPlan["ctx"]) => p.step.undo(ctx)?.map(commandLine) ?? null };
}
