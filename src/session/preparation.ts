/*
 * The preparation run: both hosts, in order, one step at a time, each chosen from the host's state read again after
 * the previous one. It asks the admin (through `confirm`) before every disruptive step, stops at a guard, at the
 * first failure, and before a reboot of this host (the page goes with it). Each step goes through the runner's
 * runRecorded, so each host's own record says what ran: a closed page, a lost session or a reboot resumes from it.
 */
import { _, format } from "../lib/cockpit";
import type { HostFacts, Role } from "../checks/facts";
import {
    FIRMWARE_STEPS, ProgressRecordError, discardProgress, emptyProgress, readProgress, reconcileProgress, runRecorded, writeProgress,
    type PlannedStep, type PrepareOptions, type ProgressRecord, type StepRun,
} from "../steps";
import type { Confirm } from "./ask";
import { Store } from "./emitter";
import type { HostModel } from "./host-model";
import { TransportError } from "../host/transport";
import { isHostKeyToConfirm } from "./host-model";
import { type HostPlan, hostPlan, nextAction, nextStep } from "./preparation-plan";
import { type StepRunView, runFromRecord, withEvent, withResult } from "./run-view";

export type Phase =
    | { kind: "idle" }
    | { kind: "reading" }
    | { kind: "running"; role: Role; title: string }
    | { kind: "waiting" } & Waiting
    | { kind: "failed"; role: Role; stepId: string; title: string; message: string }
    | { kind: "blocked"; role: Role; stepId: string; title: string; message: string; vms?: readonly string[] }
    | { kind: "stopped"; message: string }
    | { kind: "rebooting-self" }
    | { kind: "done" };

/** A host being waited for after its reboot or firmware reset: what is tried, what answered last, when next. */
export interface Waiting {
    role: Role;
    since: number;
    /** the wait gives up this long after `since` */
    limitMs: number;
    /** reads of the host tried so far */
    attempts: number;
    /** a read is under way */
    trying: boolean;
    /** when the next read starts (null while one runs, or while a host key waits for the admin) */
    nextAt: number | null;
    /** why the last read did not end the wait (null before any) */
    lastError: string | null;
    /** the host answered with an SSH key not confirmed yet: the wait goes on once the admin confirms it */
    keyPending: boolean;
}

export interface PreparationState {
    phase: Phase;
    /** by host, by step id: what ran (live, or read back from the host's record) */
    runs: Record<Role, Record<string, StepRunView>>;
    /** each host's record was read once since the page opened (until then, whether this is a resumed run is unknown) */
    recordsRead: Record<Role, boolean>;
}

export interface PreparationDeps {
    hosts: Record<Role, HostModel>;
    /** what the admin chose (read at every step) */
    options: () => PrepareOptions;
    confirm: Confirm;
    /** waits between reads of a host coming back (tests pass a fake) */
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
}

const ORDER: Role[] = ["source", "destination"];
export const WAIT_BACK_MS = 15 * 60_000;
export const POLL_MS = 3000;

/** This host's ConnectX-7 PFs, as its facts show them (a record names one of these or none); null if unknown. */
const pfsOf = (facts: HostFacts | null): string[] | null => (facts?.nics.known ? facts.nics.value.map(n => n.pci) : null);
const messageOf = (e: unknown) => String((e as Error)?.message ?? e);
type Advance = "clean" | "action" | "stopped";

/** The host's record, when it is this port's; one kept for another port (chosen before) gives way to a new one. */
const recordFor = (kept: ProgressRecord | null, hp: HostPlan): ProgressRecord =>
    (kept && kept.pf === hp.ctx.pf ? kept : emptyProgress(hp.ctx.pf, hp.ctx.options));

export class PreparationRun extends Store<PreparationState> {
    private abort: AbortController | null = null;
    private closed = false;
    private lastPlan: Record<Role, PlannedStep[] | null> = { source: null, destination: null };
    /** the record in the model is newer than the one on the host (not written after a reboot, or a write failed) */
    private dirty: Record<Role, boolean> = { source: false, destination: false };
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly now: () => number;
    /** ends the pause between two reads of a host waited for ("Check now", "Stop waiting") */
    private wake: (() => void) | null = null;
    private stopWait = false;
    /** "Check now": the next pass reads the host even while a host key waits for the admin */
    private forced = false;
    /** start() runs */
    private going = false;

    constructor(private readonly deps: PreparationDeps) {
        super({ phase: { kind: "idle" }, runs: { source: {}, destination: {} }, recordsRead: { source: false, destination: false } });
        this.sleep = deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms)));
        this.now = deps.now ?? Date.now;
    }

    private host(role: Role): HostModel {
        return this.deps.hosts[role];
    }

    private setPhase(phase: Phase): void {
        this.update({ phase });
    }

    private setRun(role: Role, id: string, run: (old: StepRunView | undefined) => StepRunView): void {
        const runs = this.state.runs;
        this.update({ runs: { ...runs, [role]: { ...runs[role], [id]: run(runs[role][id]) } } });
    }

    /** The host's record (null: none yet); one the page cannot use is kept as the host's record error, and thrown. */
    private async readRecord(role: Role, facts: HostFacts | null): Promise<ProgressRecord | null> {
        const m = this.host(role);
        try {
            const rec = await readProgress(m.transport, pfsOf(facts));
            m.setRecordError(null);
            return rec;
        } catch (e) {
            if (e instanceof ProgressRecordError)
                m.setRecordError(e);
            throw e;
        }
    }

    /**
     * Reads the record a host keeps (on open, and after a reboot), and shows what ran. A record the page cannot use
     * is kept as the host's record error (not thrown); other failures reject (read again later).
     */
    async loadProgress(role: Role): Promise<void> {
        const m = this.host(role);
        if (!m.state.facts)
            throw new Error("no facts yet");
        let rec: ProgressRecord | null;
        try {
            rec = await this.readRecord(role, m.state.facts);
        } catch (e) {
            if (!(e instanceof ProgressRecordError)) {
                // the read did not answer (read again at the host's next reading); a run reads the record itself,
                // so the button is not held back for it
                this.update({ recordsRead: { ...this.state.recordsRead, [role]: true } });
                throw e;
            }
            rec = null;
        }
        const recordsRead = { ...this.state.recordsRead, [role]: true };
        if (!rec) {
            this.update({ recordsRead });
            return;
        }
        m.setRecord(rec);
        const host = m.label;
        const runs = Object.fromEntries(Object.entries(rec.steps).map(([id, r]) => [id, runFromRecord(r, host)]));
        this.update({ runs: { ...this.state.runs, [role]: runs }, recordsRead });
    }

    /** Reads each host's record once its facts are first read (what ran before this page was opened). */
    attach(): () => void {
        const loaded: Record<Role, boolean> = { source: false, destination: false };
        const unsubscribe = ORDER.map(role => {
            const check = () => {
                if (loaded[role] || this.host(role).state.refreshedAt === null)
                    return;
                loaded[role] = true;
                // a record the page cannot use comes back as the host's record error; this is the host not answering yet
                this.loadProgress(role).catch(() => { loaded[role] = false });
            };
            check();
            return this.host(role).subscribe(check);
        });
        return () => unsubscribe.forEach(u => u());
    }

    /** Sets aside a host's record the page cannot use (the admin confirmed): the host starts over from its state. */
    async discardRecord(role: Role): Promise<void> {
        const m = this.host(role);
        await discardProgress(m.transport);
        m.setRecordError(null);
        m.setRecord(null);
        this.update({ runs: { ...this.state.runs, [role]: {} }, phase: { kind: "idle" } });
    }

    private async save(role: Role, rec: ProgressRecord): Promise<void> {
        const m = this.host(role);
        m.setRecord(rec);
        await writeProgress(m.transport, rec);
        this.dirty[role] = false;
    }

    /**
     * The host read again (after the last step), its plan, and its record reconciled with what the host shows. With
     * `reuse`, facts read moments ago (HostModel.fresh) are taken when they leave nothing to run; anything that runs
     * is decided on a reading made just before it (a VM started meanwhile must stop a reboot).
     */
    private async read(role: Role, reuse = false, keepFirmware = false): Promise<HostPlan> {
        const m = this.host(role);
        const known = reuse && m.fresh(true) && m.state.facts ? hostPlan(role, m.state.facts, m.state.vms, this.deps.options()) : null;
        let hp: HostPlan;
        if (known && !nextStep(known.plan) && !nextAction(known.plan))
            hp = known;
        else {
            const r = await m.refresh({ superuser: true, newer: true, keepFirmware });
            hp = hostPlan(role, r.facts, r.vms, this.deps.options());
        }
        this.lastPlan[role] = hp.plan;
        // never start a new record over one the host already keeps, nor over one the page cannot read
        if (!m.state.record) {
            const kept = await this.readRecord(role, m.state.facts);
            if (kept)
                m.setRecord(kept);
        }
        const old = recordFor(m.state.record, hp);
        const rec = reconcileProgress(old, hp.plan);
        const changed = JSON.stringify(rec.pending) !== JSON.stringify(old.pending) || rec.steps.reboot?.state !== old.steps.reboot?.state;
        if (this.dirty[role] || changed)
            await this.save(role, rec);
        else
            m.setRecord(rec);
        return hp;
    }

    /** Runs (or undoes) one step, live, recorded on the host before and after. */
    private async runOne(role: Role, p: PlannedStep, hp: HostPlan, mode: "run" | "undo", override = false): Promise<StepRun> {
        const m = this.host(role);
        const id = p.step.id;
        const base = recordFor(m.state.record, hp);
        this.setRun(role, id, () => ({ state: "running", kind: mode, commands: [], error: null }));
        this.abort = new AbortController();
        const installer = m.installer;
        let result: Awaited<ReturnType<typeof runRecorded>>;
        try {
            result = await runRecorded(m.transport, p.step, hp.ctx, base, {
                signal: this.abort.signal, override, undo: mode === "undo", recordFirst: true, ...(installer ? { installer } : {}),
                onOutput: e => this.setRun(role, id, old => withEvent(old, mode, e, packages => m.installLine(packages))),
            });
        } catch (e) {
            // the mark "this step starts" could not be written: nothing ran, and the row must not stay "running"
            const message = format(_("The step did not run: its start could not be recorded on $0: $1"), m.host, messageOf(e));
            this.setRun(role, id, old => ({ state: "failed", kind: mode, commands: old?.commands ?? [], error: message }));
            throw new Error(message);
        } finally {
            this.abort = null;
        }
        this.setRun(role, id, old => withResult(old, mode, result.run));
        m.setRecord(result.record);
        this.dirty[role] = !result.saved;
        // a reboot may already have taken the connection
        if (result.recordError && !p.step.action)
            throw new Error(result.recordError);
        return result.run;
    }

    private checkOpen(): void {
        if (this.closed)
            throw new Error(_("The preparation stopped: its page was left."));
    }

    private ask(kind: Parameters<Confirm>[0], role: Role, p: PlannedStep, hp: HostPlan): Promise<boolean> {
        return this.deps.confirm(kind, p, { role, ctx: hp.ctx });
    }

    /** Runs what can run on one host; says why it stopped. */
    private async advance(role: Role): Promise<Advance> {
        let last: string | null = null;
        for (;;) {
            this.checkOpen();
            // the first reading may be the one the view just made; after a step, the host is read again (with the
            // last firmware query, unless the step could change what it reads)
            const hp = await this.read(role, last === null, last !== null && !FIRMWARE_STEPS.has(last));
            const p = nextStep(hp.plan);
            if (!p)
                return nextAction(hp.plan) ? "action" : "clean";
            const stop = (kind: "failed" | "blocked", message: string): Advance => {
                this.setPhase({ kind, role, stepId: p.step.id, title: p.step.title, message, ...(kind === "blocked" && p.guard?.vms ? { vms: p.guard.vms } : {}) });
                return "stopped";
            };
            // it ran without error, yet the host does not show it done: say so rather than run it again
            if (p.step.id === last)
                return stop("failed", format(_("The commands succeeded, but the host still does not show it done: $0"), p.status.summary));
            last = p.step.id;
            let override = false;
            if (p.guard) {
                if (!p.guard.override || !await this.ask("override", role, p, hp))
                    return stop("blocked", p.guard.reason);
                override = true;
            } else if (p.step.impact.confirm && !await this.ask("confirm", role, p, hp)) {
                this.setPhase({ kind: "stopped", message: format(_("Stopped before “$0”."), p.step.title) });
                return "stopped";
            }
            this.checkOpen();
            this.setPhase({ kind: "running", role, title: p.step.title });
            const r = await this.runOne(role, p, hp, "run", override);
            if (!r.ok)
                return stop("failed", r.failure?.message ?? "");
        }
    }

    /** The pause between two reads of a host waited for; "Check now" and "Stop waiting" end it early. */
    private pause(ms: number): Promise<void> {
        return Promise.race([this.sleep(ms), new Promise<void>(resolve => { this.wake = resolve })])
                .finally(() => { this.wake = null });
    }

    /**
     * Waits until the host answers again and no longer waits for this action, for at most WAIT_BACK_MS. A host that
     * answers with a key not confirmed yet, or another key than the one confirmed, is not read again until the admin
     * confirms it (the host's model offers it); a refused login stops the wait: waiting longer cannot mend it.
     */
    private async waitBack(role: Role, stepId: string): Promise<boolean> {
        const m = this.host(role);
        const since = this.now();
        const w: Waiting = { role, since, limitMs: WAIT_BACK_MS, attempts: 0, trying: false, nextAt: since + POLL_MS, lastError: null, keyPending: false };
        const show = (change: Partial<Waiting>) => {
            Object.assign(w, change);
            this.setPhase({ kind: "waiting", ...w });
        };
        this.stopWait = false;
        this.forced = false;
        show({});
        await this.pause(POLL_MS);
        while (!this.stopWait && this.now() - since < WAIT_BACK_MS) {
            this.checkOpen();
            // a key to confirm: not read again until the admin does (the model's dialog), or asks to check now (the
            // read offers the key again, e.g. after the dialog was closed)
            if (isHostKeyToConfirm(m.state.error) && !this.forced) {
                show({ keyPending: true, trying: false, nextAt: null });
                await this.pause(POLL_MS);
                continue;
            }
            this.forced = false;
            show({ attempts: w.attempts + 1, trying: true, nextAt: null, keyPending: false });
            let back = false;
            try {
                const hp = await this.read(role);
                back = nextAction(hp.plan)?.step.id !== stepId;
                if (!back)
                    show({ lastError: _("It answers, but the reboot or reset has not taken effect yet.") });
            } catch (e) {
                if (e instanceof TransportError && e.kind === "auth-refused") {
                    this.setPhase({ kind: "stopped", message: messageOf(e) });
                    return false;
                }
                show({ lastError: messageOf(e) });
            }
            // "Stop waiting" pressed during the read wins, even over a host that is back
            if (this.stopWait)
                break;
            if (back)
                return true;
            show({ trying: false, nextAt: this.now() + POLL_MS });
            await this.pause(POLL_MS);
        }
        const host = this.host(role).host;
        const message = this.stopWait
            ? format(_("Stopped waiting for $0. Once it answers, “Continue preparation” goes on from where it was."), host)
            : format(_("$0 did not come back within $1 minutes. Check its console; once it answers, “Continue preparation” goes on from where it was."),
                     host, WAIT_BACK_MS / 60_000);
        this.setPhase({ kind: "stopped", message });
        return false;
    }

    /** Waiting for a host: reads it now instead of at the next try. */
    checkNow(): void {
        this.forced = true;
        this.wake?.();
    }

    /** Waiting for a host: gives up now (the host's record keeps the step, so a later run resumes). */
    stopWaiting(): void {
        if (this.state.phase.kind !== "waiting")
            return;
        this.stopWait = true;
        this.wake?.();
    }

    /** The reboot or firmware reset a host waits for: refused while VMs run there, confirmed, then waited for. */
    private async action(role: Role): Promise<boolean> {
        const hp = await this.read(role);
        const p = nextAction(hp.plan);
        if (!p)
            return true;
        if (p.guard) {
            this.setPhase({ kind: "blocked", role, stepId: p.step.id, title: p.step.title, message: p.guard.reason, ...(p.guard.vms ? { vms: p.guard.vms } : {}) });
            return false;
        }
        if (!await this.ask("reboot", role, p, hp)) {
            this.setPhase({ kind: "stopped", message: format(_("Stopped before “$0”."), p.step.title) });
            return false;
        }
        this.checkOpen();
        const selfReboot = role === "source" && p.step.action === "reboot";
        this.setPhase(selfReboot ? { kind: "rebooting-self" } : { kind: "running", role, title: p.step.title });
        const r = await this.runOne(role, p, hp, "run");
        // the connection may drop before the reboot command reports back
        if (!r.ok && !(p.step.action === "reboot" && r.failure?.kind === "transport")) {
            this.setPhase({ kind: "failed", role, stepId: p.step.id, title: p.step.title, message: r.failure?.message ?? "" });
            return false;
        }
        if (selfReboot)
            return false;
        return this.waitBack(role, p.step.id);
    }

    /** Both hosts' records read before anything runs on either: a record the page cannot use stops it here. */
    private async checkRecords(): Promise<void> {
        for (const role of ORDER) {
            const m = this.host(role);
            if (m.state.recordError)
                throw m.state.recordError;
            if (!m.state.record) {
                const facts = m.state.facts ?? (await m.refresh({ superuser: true })).facts;
                const kept = await this.readRecord(role, facts);
                if (kept)
                    m.setRecord(kept);
            }
        }
    }

    /**
     * Runs the preparation until both hosts are ready or something stops it; resolves when it stopped. A start
     * while a run goes on (two of the stage's buttons, one pressed during the other's confirmation) does nothing.
     */
    async start(): Promise<void> {
        if (this.going)
            return;
        this.going = true;
        try {
            await this.loop();
        } finally {
            this.going = false;
        }
    }

    private async loop(): Promise<void> {
        this.setPhase({ kind: "reading" });
        try {
            await this.checkRecords();
            for (;;) {
                const state: Partial<Record<Role, Advance>> = {};
                for (const role of ORDER) {
                    state[role] = await this.advance(role);
                    if (state[role] === "stopped")
                        return;
                }
                // the destination first: this page goes down with this host
                const next = state.destination === "action" ? "destination" : state.source === "action" ? "source" : null;
                if (!next)
                    break;
                if (!await this.action(next))
                    return;
            }
            // nothing more can run: say what is still not done (facts missing, a setting pending)
            const left = ORDER.flatMap(role => (this.lastPlan[role] ?? [])
                    .filter(p => p.status.state !== "done" && p.status.state !== "not-applicable")
                    .map(p => format(_("$0 on $1: $2"), p.step.title, this.host(role).host, p.status.summary)));
            this.setPhase(left.length
                ? { kind: "stopped", message: format(_("Nothing more can run from here. Still not done: $0"), left.join("; ")) }
                : { kind: "done" });
        } catch (e) {
            this.setPhase({ kind: "stopped", message: messageOf(e) });
        }
    }

    /** Undoes the step that failed (asked first), then reads the host again. */
    async undo(role: Role, stepId: string): Promise<void> {
        this.setPhase({ kind: "reading" });
        try {
            await this.checkRecords();
            const hp = await this.read(role);
            const p = hp.plan.find(x => x.step.id === stepId);
            if (!p || !await this.ask("undo", role, p, hp)) {
                this.setPhase({ kind: "idle" });
                return;
            }
            this.setPhase({ kind: "running", role, title: p.step.title });
            const r = await this.runOne(role, p, hp, "undo");
            await this.read(role);
            this.setPhase(r.ok ? { kind: "idle" }
                : { kind: "failed", role, stepId, title: p.step.title, message: r.failure?.message ?? "" });
        } catch (e) {
            this.setPhase({ kind: "stopped", message: messageOf(e) });
        }
    }

    /** Stops the step running now (its commands see the abort); the run then stops as at a failure. */
    cancel(): void {
        this.abort?.abort();
    }

    /**
     * The view that drove this run went away: no new step starts and no wait goes on. A step already running ends by
     * itself (stopping it half-way could leave the host half-changed); its outcome goes to the host's record.
     */
    close(): void {
        this.closed = true;
        this.wake?.();
    }

    /** A run is going on (reading, running, waiting for a host): the stage cannot be left. */
    get active(): boolean {
        const k = this.state.phase.kind;
        return k === "reading" || k === "running" || k === "waiting";
    }
}
