/*
 * The migration of one VM, without React: open (find the VM and any migration job it already has, build the plan,
 * check the destination VF), start (check the VF again, MigrateToURI3), follow GetJobStats, abort, and tell how it
 * ended. The migration runs inside libvirtd: closing the page stops nothing, and a job that opens on a VM with an
 * outgoing migration follows that job (re-attach) instead of starting another. The UI subscribes and renders.
 */
import { _, format } from "../lib/cockpit";
import { PciAddress, VmName } from "../host/values";
import { TransportError } from "../host/transport";
import type { DomainRef, LibvirtClient } from "../libvirt/client";
import { DomainEventType, JobStatsFlags, StoppedDetail } from "../libvirt/constants";
import { recheckDestinationVf, vfNotRead, type VfRecheck } from "../migration/destination-vf";
import { recheckSourceVf, sourceVfNotRead } from "../migration/source-vf";
import { explainLibvirtError } from "../migration/errors";
import { DESTINATION_XML_FLAGS, PERSISTENT_XML_FLAGS, PlanError, buildMigrationPlan, parseMigrationForm } from "../migration/plan";
import { advance, initialProgress, isOutgoingMigration } from "../migration/progress";
import { runsOnDestination, vmOnDestination, vmWhereHere } from "../migration/vm-where";
import type { ReachBefore } from "../migration/guest-reach";
import { Events } from "./emitter";
import {
    AHEAD_MS, END_MS, FAST_POLL_MS, NOTE_WAIT_MS, POLL_MS, QUIET_END_MS, cancelledError, failedCallEnd, realTimers, vanishedError, vfGate,
    type MigratePhase, type MigrationEnd, type MigrationJobEvent, type MigrationJobInput, type MigrationJobState, type PlanSource, type Timers,
} from "./migration-job-model";

export type { VmWhere } from "../migration/vm-where";
export * from "./migration-job-model";

class Blocked extends Error {
    constructor(message: string, readonly details: string[] = []) {
        super(message);
    }
}

const notFound = (e: unknown) => explainLibvirtError(e).kind === "domain-not-found";
/**
 * Whether a poll refused (`e`) because the VM no longer runs here: gone, or shut off, as a migration that ends
 * leaves it for a moment ("domain is not running"; for good if its definition stays). A state not read: running.
 */
const stoppedHere = async (libvirt: LibvirtClient, d: DomainRef, e: unknown): Promise<boolean> =>
    notFound(e) || libvirt.domainProperties(d.path).then(p => !p.active, (e2: unknown) => notFound(e2));
/**
 * MigrateToURI3 calls made from this page and not answered yet, by VM. The stage may build a new job while one runs
 * (its inputs changed identity); libvirt shows the migration job only some milliseconds after the call, so a new job
 * that looked only at GetJobStats could find none and offer to start again while the VM moves. It follows the call.
 */
const pendingCalls = new Map<string, { libvirt: LibvirtClient; to: string; call: Promise<void>; downtime: number | undefined; ended?: boolean }>();

/** Which migration a call is: the same VM to the same destination VF, over the same host and options. */
const callKey = (i: MigrationJobInput) => JSON.stringify([i.destination?.host ?? null, i.destinationVf, i.form]);

export class MigrationJob {
    private readonly events = new Events<MigrationJobEvent>();
    private readonly timers: Timers;
    private snapshot: MigrationJobState = {
        phase: { kind: "loading" }, source: null, vfCheck: null, sourceVfCheck: null, progress: initialProgress(), notes: [], busy: false,
        callPending: false,
    };
    private dom: DomainRef | null = null;
    /** the maximum pause, set once the job runs */
    private downtime: number | undefined;
    /** the admin confirmed an abort */
    /** some sample of this run showed data sent (the last one may be the "none" of a job that just failed) */
    private sentData = false;
    private aborted = false;
    /** each open, start or close starts a new generation: answers of an older one are dropped */
    private generation = 0;
    private timer: unknown = null;
    /** the wait for this host's note at the end: no poll meanwhile; cleared with the job */
    private noteWait: unknown = null;
    private closed = false;
    /** the subscription to libvirt's lifecycle events of the call followed */
    private offEvent: (() => void) | null = null;
    /** start()'s reads begun ahead (readAhead), when, and the VM's reference the plan was read with */
    private ahead: { at: number; dom: DomainRef | null; plan: Promise<PlanSource> | null; destination: Promise<VfRecheck> | null; source: Promise<VfRecheck | null> | null } | null = null;
    /** whether the VM is persistent, as the last open read it, and when */
    private opened: { persistent: boolean; at: number; dom: DomainRef } | null = null;

    constructor(private readonly input: MigrationJobInput) {
        this.timers = input.timers ?? realTimers;
    }

    get state(): MigrationJobState {
        return this.snapshot;
    }

    subscribe(fn: (e: MigrationJobEvent) => void): () => void {
        return this.events.subscribe(fn);
    }

    /** Stops following the job (the migration itself goes on inside libvirtd); no event after this until open(). */
    close(): void {
        this.closed = true;
        this.ahead = null;
        this.offEvent?.();
        this.offEvent = null;
        this.generation++;
        this.stopPolling();
        this.stopNoteWait();
    }

    private stopNoteWait(): void {
        if (this.noteWait !== null)
            this.timers.clear(this.noteWait);
        this.noteWait = null;
    }

    private set(patch: Partial<MigrationJobState>, event: MigrationJobEvent = { kind: "state" }): void {
        if (this.closed)
            return;
        this.snapshot = { ...this.snapshot, ...patch };
        this.events.emit(event);
    }

    private setPhase(phase: MigratePhase, busy: boolean = this.snapshot.busy): void {
        this.set({ phase, busy }, { kind: "phase", phase });
    }

    private end(end: MigrationEnd): void {
        this.stopPolling();
        if (this.closed)
            return;
        const { departures, vm, destinationVf } = this.input;
        const gen = this.generation;
        const note = end.kind === "completed"
            ? departures?.ended(vm, destinationVf)
            : end.kind !== "vanished" && (end.where === "running-here" || end.where === "stopped-here") ? departures?.stayed(vm) : undefined;
        const say = () => {
            if (gen !== this.generation)
                return;
            this.setPhase(end.kind === "completed" ? { kind: "done" } : { kind: "failed", error: end.error, where: end.where }, false);
            this.events.emit({ kind: "end", end });
        };
        if (end.kind === "completed")
            this.events.emit({ kind: "left" });
        if (!note)
            return say();
        // the end is shown once its note is written: an admin who closes the page at "done" would otherwise cut the
        // note's commands with the session, and the VM list would say that no page followed the migration
        let said = false;
        const once = () => {
            if (said)
                return;
            said = true;
            // a newer end (the job opened again) has a wait of its own
            if (this.noteWait === wait)
                this.stopNoteWait();
            say();
        };
        const wait = this.timers.set(once, NOTE_WAIT_MS);
        this.noteWait = wait;
        note.catch(() => {}).then(once);
    }

    /** At open, libvirt's error with what to check; at start, with libvirt's message only (as the page always showed). */
    private blocked(e: unknown, withChecks = true): MigratePhase {
        if (e instanceof Blocked)
            return { kind: "blocked", message: e.message, details: e.details };
        const x = explainLibvirtError(e);
        return { kind: "blocked", message: x.summary, details: withChecks ? [...x.checks, x.detail] : [x.detail] };
    }

    /** The plan from the VM's XML as it is now. */
    private async readPlan(d: DomainRef, persistent: boolean): Promise<PlanSource> {
        const { libvirt, form, destinationVf, sourceVf, vm } = this.input;
        const plain = this.input.plain === true;
        if (!form || (!destinationVf && !plain))
            throw new Blocked(_("The earlier stages have not chosen a destination and its VF yet"));
        const parsed = parseMigrationForm(form);
        if (!parsed.ok)
            throw new Blocked(_("The migration options are not valid: go back and correct them"), parsed.errors.map(e => e.message));
        const [liveXml, inactiveXml] = await Promise.all([
            libvirt.getXmlDesc(d, DESTINATION_XML_FLAGS),
            persistent && parsed.value.persistOnDestination ? libvirt.getXmlDesc(d, PERSISTENT_XML_FLAGS) : undefined,
        ]);
        try {
            const plan = buildMigrationPlan({
                vm: VmName.of(vm), liveXml, inactiveXml, destinationVf: plain || !destinationVf ? null : PciAddress.of(destinationVf),
                ...(sourceVf && !plain ? { sourceVf: PciAddress.of(sourceVf) } : {}), options: parsed.value,
            });
            return { plan, liveXml, ...(inactiveXml !== undefined ? { inactiveXml } : {}) };
        } catch (e) {
            if (e instanceof PlanError)
                throw new Blocked(e.message);
            throw e;
        }
    }

    private async recheckDestination(): Promise<VfRecheck> {
        const vf = this.input.destinationVf ?? "";
        const dest = this.input.destination;
        if (!dest)
            return vfNotRead(vf, _("No destination chosen"));
        try {
            return await (this.input.recheckVf ?? recheckDestinationVf)(dest, PciAddress.of(vf));
        } catch (e) {
            const message = e instanceof TransportError ? e.message : String(e);
            return vfNotRead(vf, format(_("The destination VF $0 could not be checked: $1"), vf, message));
        }
    }

    /** `vf`: the plan's by default (the one the wizard attached, else the one the VM's XML names) */
    private async recheckSource(vf: string | null = this.snapshot.source?.plan.sourceVf ?? null): Promise<VfRecheck | null> {
        const { local, vm } = this.input;
        if (!local || !vf)
            return null;
        try {
            return await (this.input.recheckSourceVf ?? recheckSourceVf)(local, PciAddress.of(vf), vm);
        } catch (e) {
            const message = e instanceof TransportError ? e.message : String(e);
            return sourceVfNotRead(vf, format(_("This host's VF $0 could not be read: $1"), vf, message));
        }
    }

    /** Both VFs, read at once, and the one that decides (vfGate). */
    private async recheck(destination = this.recheckDestination(), source = this.recheckSource()):
        Promise<{ gate: VfRecheck; checks: Pick<MigrationJobState, "vfCheck" | "sourceVfCheck"> }> {
        const [sourceVfCheck, vfCheck] = await Promise.all([source, destination]);
        return { gate: vfGate(sourceVfCheck, vfCheck), checks: { sourceVfCheck, vfCheck } };
    }

    /**
     * The VM, a migration already running (followed), else the plan and a first look at the destination VF. Not with
     * `checkVf: false`, nor the plan with `plan: false`: an evacuation starts right away, and start() reads both.
     */
    async open({ checkVf = true, plan = true }: { checkVf?: boolean; plan?: boolean } = {}): Promise<void> {
        const gen = ++this.generation;
        const { libvirt, vm } = this.input;
        this.closed = false;
        this.stopPolling();
        this.setPhase({ kind: "loading" });
        try {
            if (!vm || !VmName.parse(vm).ok)
                throw new Blocked(_("No VM has been chosen yet"));
            let d: DomainRef;
            try {
                d = await libvirt.lookupByName(vm);
            } catch (e) {
                if (!notFound(e))
                    throw e;
                if (gen === this.generation)
                    this.setPhase({ kind: "absent" });
                return;
            }
            this.dom = d;
            if (gen !== this.generation)
                return;
            const pending = pendingCalls.get(vm);
            // a call whose migration libvirt already ended (its answer still to come) is not followed again
            if (pending?.libvirt === libvirt && pending.to === callKey(this.input) && !pending.ended) {
                this.aborted = false;
                this.downtime = pending.downtime;
                this.run(false);
                this.follow(pending.call, gen);
                return;
            }
            // asked beside the job's figures: one libvirt-dbus round trip less before an evacuation's start. A migration
            // (another page's) that ends between the two answers reads as ready: the start then gets libvirt's refusal
            const propsRead = libvirt.domainProperties(d.path);
            propsRead.catch(() => {});
            const stats = await libvirt.getJobStats(d).catch(async (e: unknown) => {
                // shut off between the two calls, as a migration that ends leaves it ("domain is not running"): looked
                // at below as a VM not running (seen on a page opened again while its migrations ran); its state not
                // read: that error
                if (notFound(e) || (await libvirt.domainProperties(d.path)).active)
                    throw e;
                return null;
            });
            if (gen !== this.generation)
                return;
            if (stats && isOutgoingMigration(stats)) {
                this.aborted = false;
                const progress = advance(initialProgress(), stats);
                this.set({ progress }, { kind: "progress", progress });
                this.run(true);
                return;
            }
            const props = await propsRead;
            if (gen === this.generation)
                this.opened = { persistent: props.persistent, at: Date.now(), dom: d };
            if (!props.active) {
                // a migration that ends leaves the VM shut off here for a moment before libvirt drops it (for good if
                // its definition stays): running on the destination, it is not this host's to migrate any more
                const t = this.input.destination;
                if (!t || !(await runsOnDestination(t, vm, props.uuid)))
                    throw new Blocked(format(_("$0 is not running: only a running VM is live-migrated"), vm));
                if (gen === this.generation)
                    this.setPhase({ kind: "absent" });
                return;
            }
            if (!plan) {
                this.setPhase({ kind: "ready" });
                return;
            }
            const readAt = Date.now();
            const source = await this.readPlan(d, props.persistent);
            if (gen !== this.generation)
                return;
            this.set({ source });
            this.setPhase({ kind: "ready" });
            if (!checkVf || this.input.plain)
                return;
            const sourceVf = this.recheckSource();
            // the plan and this host's VF as the stage shows them serve a start within AHEAD_MS, as read-ahead does
            // (the wizard keeps them warm); the destination's VF is read again by the start itself
            this.ahead = { at: readAt, dom: d, plan: Promise.resolve(source), destination: null, source: this.input.sourceVf ? sourceVf : null };
            const { checks } = await this.recheck(this.recheckDestination(), sourceVf);
            if (gen === this.generation)
                this.set(checks);
        } catch (e) {
            // found, then gone before the next call: a migration ended between the two (seen on a page opened again
            // while its migrations ran)
            if (gen === this.generation)
                this.setPhase(notFound(e) ? { kind: "absent" } : this.blocked(e));
        }
    }

    /** The plan from the VM's XML, its persistence taken from an open made just before. */
    private async planNow(d: DomainRef): Promise<PlanSource> {
        const o = this.opened;
        this.opened = null;
        const persistent = o?.dom === d && Date.now() - o.at < AHEAD_MS ? o.persistent : (await this.input.libvirt.domainProperties(d.path)).persistent;
        return this.readPlan(d, persistent);
    }

    /**
     * Begins what start() reads (the plan once the VM is found, both VFs), so that a start() within AHEAD_MS makes
     * its call without waiting for them: an evacuation asks this as a VM's turn comes, as a running one nears its end,
     * and while the admin reads its confirmation; the wizard while the admin reads the plan, without the destination's
     * VF (`destination: false`: its start reads that VF right before the call). Reads younger than `keepMs` are kept.
     */
    readAhead(keepMs = AHEAD_MS, { destination = true }: { destination?: boolean } = {}): void {
        const d = this.dom;
        const plan = () => {
            const p = d ? this.planNow(d) : null;
            // read by the start that takes it; one that never comes leaves nothing unhandled
            p?.catch(() => {});
            return p;
        };
        const a = this.ahead;
        if (a && Date.now() - a.at < keepMs) {
            // the VFs were read before the VM was found: its plan now
            if (!a.plan && d)
                Object.assign(a, { dom: d, plan: plan() });
            return;
        }
        const vfs = !this.input.plain;
        this.input.departures?.warm?.();
        this.ahead = {
            at: Date.now(), dom: d, plan: plan(), destination: vfs && destination ? this.recheckDestination() : null,
            source: vfs && this.input.sourceVf ? this.recheckSource(this.input.sourceVf) : null,
        };
    }

    /**
     * Both VFs checked again (this host's, and the plan, may come from a read-ahead younger than AHEAD_MS), then
     * MigrateToURI3; resolves once the call is made (the end comes as an event).
     * `reach`: the guest pinged from this host just before, kept in the departure note for the verification.
     */
    async start(reach?: ReachBefore): Promise<void> {
        const d = this.dom;
        if (!d)
            return;
        const gen = ++this.generation;
        const { libvirt } = this.input;
        const ahead = this.ahead && Date.now() - this.ahead.at < AHEAD_MS ? this.ahead : null;
        this.ahead = null;
        this.set({ notes: [] });
        this.setPhase({ kind: "rechecking" }, true);
        // the destination's VF is read over SSH while the plan is read from libvirt here: it needs no plan; so is this
        // host's when the input names it (readPlan takes that one), else it is read after the plan, which names it
        // what was read ahead serves when it passed; anything else (an SSH timeout among them) is read again
        const again = <T extends VfRecheck | null>(early: Promise<T> | null | undefined, read: () => Promise<T>): Promise<T> =>
            early ? early.then(c => (c?.verdict === "pass" ? c : read())) : read();
        const destinationCheck = this.input.plain ? null : again(ahead?.destination, () => this.recheckDestination());
        const sourceCheck = !this.input.plain && this.input.sourceVf ? again(ahead?.source, () => this.recheckSource(this.input.sourceVf)) : null;
        let source: PlanSource;
        // an open that did not read the plan (an evacuation's) has not said what to check when libvirt refuses it
        const firstRead = this.snapshot.source === null;
        try {
            const early = ahead?.dom === d ? ahead.plan : null;
            source = await (early?.catch(() => this.planNow(d)) ?? this.planNow(d));
        } catch (e) {
            if (gen === this.generation)
                this.setPhase(this.blocked(e, firstRead), false);
            return;
        }
        if (gen !== this.generation)
            return;
        this.set({ source });
        const { vm, destinationVf, departures } = this.input;
        // noted before the call, beside the VF's re-check (so it costs no time): an admin who closes the page right
        // after the start would otherwise stop the note's commands with the session
        const noted = departures?.started(vm, destinationVf, reach).catch(() => {});
        const since = Date.now();
        // no call after all: this start's note goes (the page left meanwhile; a newer start, here or on a page
        // opened since, keeps its own)
        const noCall = () => { if (this.closed || gen === this.generation) departures?.stayed(vm, since).catch(() => {}) };
        const check = destinationCheck
            ? await this.recheck(destinationCheck, sourceCheck ?? undefined)
            : null;
        if (gen !== this.generation)
            return noCall();
        if (check) {
            this.set(check.checks);
            if (check.gate.verdict !== "pass") {
                noCall();
                this.setPhase({ kind: "refused", check: check.gate }, false);
                return;
            }
        }
        await noted;
        if (gen !== this.generation)
            return noCall();
        this.downtime = source.plan.maxDowntimeMs;
        this.aborted = false;
        this.sentData = false;
        this.set({ progress: initialProgress() }, { kind: "progress", progress: initialProgress() });
        this.run(false);
        const call = libvirt.migrateToUri3(d, source.plan.request);
        pendingCalls.set(vm, { libvirt, to: callKey(this.input), call, downtime: this.downtime });
        const answered = () => { if (pendingCalls.get(vm)?.call === call) pendingCalls.delete(vm) };
        call.then(answered, answered);
        this.follow(call, gen);
    }

    /**
     * The end of our own MigrateToURI3 call: completed, or failed or cancelled in libvirt's words. Completed also as
     * soon as libvirt says the VM stopped here because it migrated: libvirt stops the source only once the destination
     * runs it, and libvirt may answer the call about a second later (docs/performance.md, "Evacuation").
     */
    private follow(call: Promise<void>, gen: number): void {
        const { libvirt } = this.input;
        const d = this.dom;
        let settled = false;
        const completed = () => {
            if (settled || gen !== this.generation)
                return;
            settled = true;
            this.end({ kind: "completed", attached: false });
        };
        const off = d ? libvirt.onDomainEvent((path, event, detail) => {
            if (path !== d.path || event !== DomainEventType.STOPPED || detail !== StoppedDetail.MIGRATED)
                return;
            const pending = pendingCalls.get(this.input.vm);
            if (pending?.call === call)
                pending.ended = true;
            completed();
        }) : () => {};
        this.offEvent?.();
        this.offEvent = off;
        this.set({ callPending: true });
        const answered = () => {
            off();
            if (this.offEvent === off)
                this.offEvent = null;
            // the thread is free whether or not the job is still followed
            this.snapshot = { ...this.snapshot, callPending: false };
            if (!this.closed)
                this.events.emit({ kind: "state" });
        };
        call.then(
            () => {
                answered();
                completed();
            },
            async (e: unknown) => {
                answered();
                // a job closed or opened again since reads nothing more for this call
                if (settled || gen !== this.generation)
                    return;
                const where = await vmWhereHere(libvirt, this.input.vm);
                // not the completed job's statistics: when this call failed before its job began, they are those of
                // an earlier migration of this VM (a destination libvirtd stopped then read as a broken transfer)
                if (gen === this.generation && !settled) {
                    settled = true;
                    this.end(failedCallEnd(e, this.aborted, where, this.dataSent()));
                }
            });
    }

    /** The job's last statistics showed data sent: the connection to the destination had opened. */
    private dataSent(): boolean {
        const last = this.state.progress.last;
        return this.sentData || (last?.dataProcessed ?? last?.memoryProcessed ?? 0) > 0;
    }

    /** Asks libvirt to cancel the job; the end (cancelled) comes as an event. Throws when libvirt refuses. */
    async abort(): Promise<void> {
        const d = this.dom;
        if (!d)
            throw new Error(_("No VM"));
        try {
            // set first: the migration call may fail before AbortJob's own reply arrives
            this.aborted = true;
            await this.input.libvirt.abortJob(d);
        } catch (e) {
            this.aborted = false;
            const x = explainLibvirtError(e);
            throw new Error(x.summary + ": " + x.detail);
        }
    }

    /** After a refusal: both VFs checked again. */
    async checkAgain(): Promise<void> {
        const gen = this.generation;
        this.setPhase({ kind: "rechecking" });
        const at = Date.now();
        const sourceVf = this.recheckSource();
        // kept as the open keeps its reads: a warm-up that follows reads the plan, not this host's VF again
        if (this.input.sourceVf)
            this.ahead = { at, dom: this.dom, plan: null, destination: null, source: sourceVf };
        const { gate, checks } = await this.recheck(this.recheckDestination(), sourceVf);
        if (gen !== this.generation)
            return;
        this.set(checks);
        this.setPhase(gate.verdict === "pass" ? { kind: "ready" } : { kind: "refused", check: gate });
    }

    private stopPolling(): void {
        if (this.timer !== null)
            this.timers.clear(this.timer);
        this.timer = null;
    }

    /** Follows the job with GetJobStats; a job of our own call also ends with the call, a job found at open only here. */
    private run(attached: boolean): void {
        const gen = this.generation;
        const { libvirt } = this.input;
        this.setPhase({ kind: "running", attached }, true);
        const live = () => gen === this.generation && !this.closed && this.snapshot.phase.kind === "running" && this.noteWait === null;
        const tick = async () => {
            this.timer = null;
            const d = this.dom;
            if (!d || !live())
                return;
            // after an error: the VM gone from here after the switch-over (its lookup fails at once), or a refusal
            let next = FAST_POLL_MS;
            try {
                const s = await libvirt.getJobStats(d);
                if (!live())
                    return;
                this.sentData ||= (s.dataProcessed ?? s.memoryProcessed ?? 0) > 0;
                const progress = advance(this.snapshot.progress, s);
                this.set({ progress }, { kind: "progress", progress });
                const eta = progress.view.etaMs;
                const nearEnd = s.type === "none" || (eta !== undefined && eta < END_MS);
                // before our call is made and while it sets up, libvirt reports no job, or zeros: not its end
                const sending = this.sentData && progress.sawJob;
                next = !nearEnd ? POLL_MS : attached || !sending ? FAST_POLL_MS : QUIET_END_MS;
                if (this.downtime !== undefined && (s.type === "bounded" || s.type === "unbounded"))
                    this.setDowntime(d, this.downtime);
                if (attached && s.type === "none") {
                    await this.settleAttached(gen);
                    return;
                }
            } catch (e) {
                // after the switch-over the VM is gone from this host, or shut off if its definition stays: our own
                // call tells the outcome, else look
                if (attached && live() && await stoppedHere(libvirt, d, e)) {
                    await this.settleAttached(gen);
                    return;
                }
            }
            if (live())
                this.timer = this.timers.set(() => { void tick() }, next);
        };
        void tick();
    }

    private setDowntime(d: DomainRef, ms: number): void {
        this.downtime = undefined;
        const note = (text: string) => this.set({ notes: [...this.snapshot.notes, text] }, { kind: "note", note: text });
        this.input.libvirt.migrateSetMaxDowntime(d, ms).then(
            () => note(format(_("Maximum pause at the switch-over set to $0 ms"), ms)),
            (e: unknown) => note(format(_("The maximum pause could not be set: $0"), explainLibvirtError(e).detail)));
    }

    /**
     * A job found at open has no call of ours to tell its end: the VM's state does. Still running here: the job
     * failed or was cancelled (its last statistics say which). Gone from here: the destination must run it, else
     * the VM is lost and the page says so.
     */
    private async settleAttached(gen: number): Promise<void> {
        const { libvirt, vm, destination } = this.input;
        const where = await vmWhereHere(libvirt, vm);
        if (where === "running-here") {
            const d = this.dom;
            const done = d ? await libvirt.getJobStats(d, JobStatsFlags.COMPLETED).catch(() => null) : null;
            const detail = done?.errmsg ?? "";
            const cancelled = this.aborted || done?.type === "cancelled" || /cancel/.test(detail);
            const sent = this.dataSent() || (done?.dataProcessed ?? done?.memoryProcessed ?? 0) > 0;
            const failed = () => explainLibvirtError({ message: detail || _("The migration ended without moving the VM") }, { dataSent: sent });
            if (gen === this.generation)
                this.end(cancelled ? { kind: "cancelled", error: cancelledError(detail), where } : { kind: "failed", where, error: failed() });
            return;
        }
        const there = destination ? await vmOnDestination(destination, vm) : "unknown";
        if (gen !== this.generation)
            return;
        // a destination that does not answer, or has the VM shut off: the verification stage looks closer
        if (there !== "absent" || where === "unknown")
            this.end({ kind: "completed", attached: true });
        else if (where === "not-here")
            this.end({ kind: "vanished", where, error: vanishedError(vm, destination?.host ?? "?") });
        else
            this.end({ kind: "failed", where, error: explainLibvirtError({ message: _("The migration ended without moving the VM") }) });
    }
}
