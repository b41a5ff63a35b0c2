/*
 * An evacuation, without React: one migration job per VM of the plan (src/session/migration-job.ts, the same job the
 * wizard runs: VF re-check, departure note, MigrateToURI3, progress), started in the plan's order with at most
 * `limit` of one port running on either host. A failure stops new starts; the running ones go on. Every
 * migration runs inside libvirtd: a page that opens again attaches to the running ones (attach) and asks before
 * starting the rest.
 */
import { _, format } from "../lib/cockpit";
import type { ProgressView } from "../migration/progress";
import { nextToStart, type EvacuationRow } from "../migration/evacuation-plan";
import type { MigrationJobEvent, MigrationJobState, VmWhere } from "./migration-job";
import { Events } from "./emitter";
import { END_MS, WARM_REFRESH_MS, keepWarm } from "./migration-job-model";

/** What the run needs of a migration job (MigrationJob has it). */
export interface EvacuationJob {
    readonly state: MigrationJobState;
    subscribe(fn: (e: MigrationJobEvent) => void): () => void;
    open(o?: { checkVf?: boolean; plan?: boolean }): Promise<void>;
    /** begins what start() reads, for a start that comes within seconds; reads younger than `keepMs` are kept */
    readAhead(keepMs?: number): void;
    start(): Promise<void>;
    abort(): Promise<void>;
    close(): void;
}

export type RowStatus =
    | "waiting" | "checking" | "running"
    /** libvirt completed the migration; the page is noting the departure on this host before it says "moved" */
    | "finishing"
    | "moved"
    /** not on this host when the page looked again: moved before (a page that closed), or gone */
    | "not-here"
    | "failed" | "cancelled"
    /** not started: the run stopped first (a new start takes it again) */
    | "stopped"
    /** not started: the admin skipped it (no start takes it again) */
    | "skipped";

/** The outcomes a page that opens again keeps, rather than looking at the VM again. */
export const FINAL: readonly RowStatus[] = ["moved", "failed", "cancelled", "skipped"];

/** A final outcome as the record keeps it: where the VM was then, and why it did not move. */
export interface Outcome {
    status: RowStatus;
    where?: VmWhere;
    error?: string | null;
}

export const outcomeOf = (r: RowState): Outcome =>
    ({ status: r.status, ...(r.where ? { where: r.where } : {}), ...(r.error ? { error: r.error } : {}) });

export interface RowState {
    row: EvacuationRow;
    status: RowStatus;
    progress: ProgressView | null;
    /** why it failed, in plain words, with libvirt's message */
    error: string | null;
    startedAt: number | null;
    endedAt: number | null;
    /** where the VM is after a migration that did not complete (libvirt's view on this host) */
    where?: VmWhere;
}

export interface EvacuationState {
    rows: RowState[];
    /** idle: nothing started by this page; attaching: looking at each VM; running; finished */
    phase: "idle" | "attaching" | "running" | "finished";
    /** why no new migration starts (a failure, or the admin's abort); null while the run goes on */
    halted: string | null;
    /** the admin started the run from this page: a page that attached starts nothing before */
    started: boolean;
}

/** a migration under way: it counts against the limits, and it can be cancelled */
export const isActive = (s: RowStatus): boolean => s === "checking" || s === "running";
/** the run is not over while a row is active or finishing */
export const isBusy = (s: RowStatus): boolean => isActive(s) || s === "finishing";
export const isTerminal = (s: RowStatus): boolean => !isActive(s) && s !== "waiting";
/** the VM left this host: moved by this run, or found gone when a page looked again (moved by one that closed) */
export const leftHere = (s: RowStatus): boolean => s === "moved" || s === "not-here";

export interface EvacuationRunInput {
    rows: readonly EvacuationRow[];
    limit: number;
    /** migrations at once in all (EvacuationPlan.atOnce) */
    atOnce: number;
    makeJob: (row: EvacuationRow) => EvacuationJob;
    now?: () => number;
    /** the outcomes a page noted before it closed (FINAL ones), by VM */
    outcomes?: Record<string, Outcome>;
    /** how long a cancel asked before libvirt shows the job retries (ms between tries) */
    abortRetryMs?: number;
}

export class EvacuationRun {
    private readonly events = new Events<EvacuationState>();
    private snapshot: EvacuationState;
    private readonly jobs = new Map<string, EvacuationJob>();
    private readonly offs: (() => void)[] = [];
    private readonly now: () => number;
    private closed = false;
    /** VMs the admin cancelled, one by one, while their VF was being checked: skipped if their call is not made */
    private readonly cancelWanted = new Set<string>();
    /** VMs cancelled (alone, or by Cancel all) while being checked: aborted if their call was made meanwhile */
    private readonly abortWanted = new Set<string>();
    /** running VMs seen with less than END_MS left to send: the rows their ends let start read ahead, for all of them */
    private readonly nearEnd = new Set<string>();
    /** stops the refresh of the reads begun while the admin reads the confirmation (warm) */
    private warmStop: (() => void) | null = null;
    /** the opening of a waiting VM's job, begun when the run starts */
    private readonly opening = new Map<string, Promise<void>>();

    constructor(private readonly input: EvacuationRunInput) {
        this.now = input.now ?? Date.now;
        this.snapshot = {
            phase: "idle", halted: null, started: false,
            rows: input.rows.map(row => {
                const blank: RowState = { row, status: "waiting", progress: null, error: null, startedAt: null, endedAt: null };
                const noted = input.outcomes?.[row.vm];
                return noted && FINAL.includes(noted.status)
                    ? { ...blank, status: noted.status, error: noted.error ?? null, ...(noted.where ? { where: noted.where } : {}) }
                    : blank;
            }),
        };
    }

    get state(): EvacuationState {
        return this.snapshot;
    }

    subscribe(fn: (s: EvacuationState) => void): () => void {
        return this.events.subscribe(fn);
    }

    private set(patch: Partial<EvacuationState>): void {
        if (this.closed)
            return;
        this.snapshot = { ...this.snapshot, ...patch };
        const s = this.snapshot;
        if (s.phase === "running" && !s.rows.some(r => isBusy(r.status))) {
            const waiting = s.rows.some(r => r.status === "waiting");
            // followed after a page opened again, and those ended: the rest waits for the admin
            if (!s.started && waiting && s.halted === null)
                this.snapshot = { ...s, phase: "idle" };
            else if (s.halted !== null || !waiting)
                this.snapshot = { ...s, phase: "finished" };
        }
        this.events.emit(this.snapshot);
    }

    private setRow(vm: string, patch: Partial<RowState>): void {
        this.set({ rows: this.snapshot.rows.map(r => (r.row.vm === vm ? { ...r, ...patch } : r)) });
    }

    private rowOf(vm: string): RowState | undefined {
        return this.snapshot.rows.find(r => r.row.vm === vm);
    }

    private job(row: EvacuationRow): EvacuationJob {
        let job = this.jobs.get(row.vm);
        if (!job) {
            job = this.input.makeJob(row);
            this.jobs.set(row.vm, job);
            const j = job;
            this.offs.push(job.subscribe(e => this.onJob(row.vm, j, e)));
        }
        return job;
    }

    private onJob(vm: string, job: EvacuationJob, e: MigrationJobEvent): void {
        if (e.kind === "progress") {
            this.setRow(vm, { progress: e.progress.view });
            const v = e.progress.view;
            // not before data went: libvirt reports 0 remaining while the migration sets up
            if (v.etaMs !== undefined && v.etaMs < END_MS && (v.processedBytes ?? 0) > 0 && this.rowOf(vm)?.status === "running") {
                this.nearEnd.add(vm);
                for (const row of this.startable(this.nearEnd))
                    this.jobs.get(row.vm)?.readAhead();
            } else {
                // further from its end again (the guest dirties memory faster than it goes)
                this.nearEnd.delete(vm);
            }
        } else if (e.kind === "state") {
            // a call that answers after libvirt's end frees its thread of libvirt-dbus: another may start
            const r = this.rowOf(vm);
            if (!job.state.callPending && r && (r.status === "finishing" || r.status === "moved"))
                this.pump();
        } else if (e.kind === "left") {
            // the next one starts now, not after the note (a failure's end halts first, so only a completion does this)
            this.setRow(vm, { status: "finishing", progress: job.state.progress.view });
            this.pump();
        } else if (e.kind === "end") {
            const end = e.end;
            const progress = job.state.progress.view;
            if (end.kind === "completed")
                this.setRow(vm, { status: "moved", progress, endedAt: this.now() });
            else {
                const error = `${end.error.summary}${end.error.detail ? ` (${end.error.detail})` : ""}`;
                this.setRow(vm, { status: end.kind === "cancelled" ? "cancelled" : "failed", error, progress, endedAt: this.now(), where: end.where });
                if (end.kind !== "cancelled")
                    this.halt(format(_("The migration of $0 failed: no other migration starts"), vm));
            }
            this.pump();
        }
    }

    /** No new start; the waiting rows are marked stopped (they can be started again by a new run). */
    private halt(reason: string): void {
        if (this.snapshot.halted !== null)
            return;
        this.set({
            halted: reason,
            rows: this.snapshot.rows.map(r => (r.status === "waiting" ? { ...r, status: "stopped" } : r)),
        });
        // the ones being checked stop before their call
        for (const r of this.snapshot.rows)
            if (r.status === "checking")
                this.jobs.get(r.row.vm)?.close();
    }

    /**
     * Looks at each VM of the plan without starting anything: a migration libvirt runs is followed, a VM no longer
     * here is said so, the others wait. Resolves with the number waiting.
     */
    async attach(): Promise<number> {
        this.set({ phase: "attaching" });
        await Promise.all(this.snapshot.rows.filter(r => r.status === "waiting").map(async r => {
            const job = this.job(r.row);
            await job.open();
            const phase = job.state.phase;
            if (phase.kind === "running")
                this.setRow(r.row.vm, { status: "running", startedAt: this.now(), progress: job.state.progress.view });
            else if (phase.kind === "absent")
                this.setRow(r.row.vm, { status: "not-here" });
            else if (phase.kind === "blocked")
                this.setRow(r.row.vm, { error: [phase.message, ...phase.details].join(": ") });
        }));
        const waiting = this.snapshot.rows.filter(r => r.status === "waiting").length;
        this.set({ phase: this.snapshot.rows.some(r => isBusy(r.status)) ? "running" : "idle" });
        return waiting;
    }

    /**
     * While the admin reads the confirmation: the VMs that would start first begin the reads their starts make (both
     * VFs; measured, the destination VF's re-check over SSH held the first calls 0.7 s after the click), made again
     * every WARM_REFRESH_MS while the confirmation stays open (at most WARM_FOR_MS), so that a start() takes them
     * younger than AHEAD_MS. Nothing starts here; start() and close() end it.
     */
    warm(): void {
        this.stopWarm();
        if (this.closed || this.snapshot.started || this.snapshot.phase !== "idle")
            return;
        this.warmStop = keepWarm(() => {
            const waiting = this.snapshot.rows.filter(r => r.status === "waiting").map(r => r.row);
            for (const row of nextToStart(this.input.rows, [], waiting, this.input.limit, this.input.atOnce))
                this.job(row).readAhead(WARM_REFRESH_MS);
        }, this.now);
    }

    private stopWarm(): void {
        this.warmStop?.();
        this.warmStop = null;
    }

    /** Starts the waiting migrations, and those a halt stopped, `limit` per port at a time. */
    start(): void {
        this.stopWarm();
        if (this.closed)
            return;
        this.cancelWanted.clear();
        this.abortWanted.clear();
        this.set({
            phase: "running", halted: null, started: true,
            rows: this.snapshot.rows.map(r => (r.status === "stopped" ? { ...r, status: "waiting", endedAt: null } : r)),
        });
        this.pump();
        // each VM that waits is looked up meanwhile (a migration under way, or gone); its start reads its plan and both VFs
        for (const r of this.snapshot.rows)
            if (r.status === "waiting")
                this.opening.set(r.row.vm, this.job(r.row).open({ checkVf: false, plan: false }));
    }

    /**
     * The rows that may start now, or once those `ending` have ended: those begin their reads when one has less than
     * END_MS left to send, so that their calls follow its end at once (measured: the reads took 0.4–0.7 s while five
     * guests loaded the simulated pair). All that are near their end count as ended: the second to near its end
     * while the first still runs lets the next row read ahead, not the one the first already let. None when the
     * run does not start more.
     */
    private startable(ending?: ReadonlySet<string>): EvacuationRow[] {
        if (this.closed || this.snapshot.phase !== "running" || !this.snapshot.started || this.snapshot.halted !== null)
            return [];
        const running = this.snapshot.rows.filter(r => isActive(r.status) && !ending?.has(r.row.vm)).map(r => r.row);
        const waiting = this.snapshot.rows.filter(r => r.status === "waiting").map(r => r.row);
        // a migration libvirt ended whose call has not answered still holds its thread (not its port)
        const held = this.snapshot.rows.filter(r => !isActive(r.status) && this.jobs.get(r.row.vm)?.state.callPending).length;
        return nextToStart(this.input.rows, running, waiting, this.input.limit, this.input.atOnce - held);
    }

    private pump(): void {
        for (const row of this.startable())
            void this.startRow(row);
    }

    private async startRow(row: EvacuationRow): Promise<void> {
        this.setRow(row.vm, { status: "checking", startedAt: this.now(), error: null });
        const job = this.job(row);
        // the VFs are read while the VM is looked up
        job.readAhead();
        const failed = (error: string) => {
            this.setRow(row.vm, { status: "failed", error, endedAt: this.now() });
            this.halt(format(_("$0 could not start: no other migration starts"), row.vm));
            this.pump();
        };
        // cancelled while it was looked at, or another failed meanwhile (the job was closed): it does not start
        const held = () => this.cancelWanted.has(row.vm) || this.snapshot.halted !== null;
        const gone = () => {
            this.setRow(row.vm, { status: "not-here", endedAt: this.now() });
            this.pump();
        };
        const notStarted = () => {
            this.setRow(row.vm, { status: this.cancelWanted.has(row.vm) ? "skipped" : "stopped", endedAt: null, startedAt: null });
            this.pump();
        };
        await this.opening.get(row.vm);
        this.opening.delete(row.vm);
        // the page went: nothing more starts from it (a closed job must not be opened again here)
        if (this.closed)
            return;
        if (held())
            return notStarted();
        // its start reads the plan and both VFs: the open only finds the VM (and a migration already under way)
        if (job.state.phase.kind !== "ready")
            await job.open({ checkVf: false, plan: false });
        if (this.closed)
            return;
        let phase = job.state.phase;
        if (phase.kind === "absent")
            return gone();
        if (phase.kind === "running")
            return this.setRow(row.vm, { status: "running" });
        if (held())
            return notStarted();
        if (phase.kind !== "ready")
            return failed(phase.kind === "blocked" ? [phase.message, ...phase.details].join(": ") : _("The migration could not be prepared"));
        await job.start();
        if (this.closed)
            return;
        phase = job.state.phase;
        if (phase.kind === "running" && held()) {
            // the job was closed during its start, after its call: it is followed again, from what libvirt says
            await job.open({ checkVf: false });
            phase = job.state.phase;
            if (phase.kind === "absent")
                return gone();
            if (phase.kind !== "running") {
                // its migration already ended, and the VM runs here
                this.setRow(row.vm, { status: this.abortWanted.has(row.vm) ? "cancelled" : "failed", endedAt: this.now(), where: "running-here",
                                      error: _("Its migration ended while the page was not following it; it runs on this host") });
                return this.pump();
            }
        }
        if (phase.kind === "running") {
            this.setRow(row.vm, { status: "running" });
            if (this.abortWanted.has(row.vm)) {
                const e = await this.abortRetrying(row.vm, job);
                if (e !== null)
                    this.setRow(row.vm, { error: format(_("The cancel did not reach libvirt: $0"), e instanceof Error ? e.message : String(e)) });
            }
        } else if (phase.kind === "refused")
            // this host's VF check and the VLAN's say themselves what they are about
            failed(phase.check.id === "source-vf-recheck" || phase.check.id === "vlan-mismatch" ? phase.check.summary : format(_("The destination VF was refused: $0"), phase.check.summary));
        else if (phase.kind === "blocked")
            failed([phase.message, ...phase.details].join(": "));
        else if (held())
            notStarted();
    }

    /**
     * AbortJob, tried again while the migration runs: right after MigrateToURI3 libvirt shows the job only some
     * milliseconds later, and refuses an abort before. Resolves with libvirt's last refusal, or null.
     */
    private async abortRetrying(vm: string, job: EvacuationJob): Promise<unknown> {
        let last: unknown = null;
        for (let i = 0; i < 10; i++) {
            try {
                await job.abort();
                return null;
            } catch (e) {
                last = e;
                if (isTerminal(this.rowOf(vm)?.status ?? "moved"))
                    return null;
                await new Promise(r => setTimeout(r, this.input.abortRetryMs ?? 300));
            }
        }
        return last;
    }

    /** Cancels one: a running migration is aborted in libvirt, a waiting one is skipped. Throws when libvirt refuses. */
    async abortOne(vm: string): Promise<void> {
        const r = this.rowOf(vm);
        if (!r)
            return;
        if (r.status === "waiting" || r.status === "stopped")
            return this.setRow(vm, { status: "skipped" });
        const job = this.jobs.get(vm);
        if (r.status === "checking") {
            // its start stops before the call (MigrationJob.start drops a closed generation)
            this.cancelWanted.add(vm);
            this.abortWanted.add(vm);
            job?.close();
        } else if (r.status === "running" && job) {
            const e = await this.abortRetrying(vm, job);
            if (e !== null)
                throw e instanceof Error ? e : new Error(String(e));
        }
    }

    /** No new start, and every running migration aborted; resolves once libvirt has been asked for each. */
    async abortAll(): Promise<string[]> {
        // the ones being checked: their jobs close with the halt and they stay here, not started (a new start may
        // take them); if a call was made meanwhile, it is cancelled
        for (const r of this.snapshot.rows)
            if (r.status === "checking")
                this.abortWanted.add(r.row.vm);
        this.halt(_("Aborted: no other migration starts"));
        const errors: string[] = [];
        await Promise.all(this.snapshot.rows.filter(r => r.status === "running").map(r =>
            this.abortOne(r.row.vm).catch((e: unknown) => { errors.push(`${r.row.vm}: ${e instanceof Error ? e.message : String(e)}`) })));
        return errors;
    }

    /** Stops following (the migrations go on inside libvirtd). */
    close(): void {
        this.stopWarm();
        this.closed = true;
        for (const off of this.offs)
            off();
        for (const job of this.jobs.values())
            job.close();
    }
}
