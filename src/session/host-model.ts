/*
 * One host of the session: its transport, how packages are installed there, its facts and running VMs (refreshed
 * on demand, one probe at a time), the host-key first contact when it is reached over SSH, and the preparation's
 * progress record it keeps. Subscribers hear every change; `refresh()` also resolves with the new reading, so a
 * loop can wait for the host's state without any UI.
 */
import type { HostFacts, Role } from "../checks/facts";
import type { SshTransport } from "../host/ssh";
import type { HostKeyOffer } from "../host/ssh-argv";

export type { HostKeyOffer };
import { TransportError, type HostTransport } from "../host/transport";
import type { PackageInstaller, ProgressRecord, ProgressRecordError } from "../steps";
import { _ } from "../lib/cockpit";
import { Store } from "./emitter";
import { type HostReading, readHost, rememberedPfs, type SlowPart } from "./host-probe";
import type { LastKnown, LastKnownStore } from "./last-known";
import { savePort, savedPort, withPort } from "./ports";

export interface HostState {
    facts: HostFacts | null;
    /**
     * During a read: the facts read so far, the slow ones still being read (checks/reading.ts). For showing
     * verdicts early only: nothing decides on them (the preparation and the wizard wait for `facts`).
     */
    soFar: HostFacts | null;
    /** the running VMs, read with the facts; null until read or when virsh could not tell */
    vms: string[] | null;
    busy: boolean;
    error: TransportError | Error | null;
    /** round trips of the last refresh (1 once the adapters are known) */
    roundTrips: number;
    refreshedAt: number | null;
    /** first contact over SSH: the host's key, shown to the admin before anything is trusted */
    offer: HostKeyOffer | null;
    /** the preparation's record on this host, as last read or written */
    record: ProgressRecord | null;
    /** a record on the host that is not one this page wrote: nothing runs until the admin sets it aside */
    recordError: ProgressRecordError | null;
    /** the last full reading with administrative access, also from an earlier visit: shown, marked with its age, while a read runs */
    lastKnown: LastKnown | null;
}

export interface HostModelOptions {
    /** packages go through this (PackageKit on this host); without it, `dnf` through the transport */
    installer?: PackageInstaller;
    /** how an install through `installer` is shown in the run log, instead of the dnf line */
    installLine?: (packages: string[]) => string;
    /** the SSH transport beneath `transport`, for host-key first contact */
    ssh?: SshTransport;
    /** when the page last changed this host (the journal's lastChange); without it, facts are never reused */
    lastChange?: () => number;
    now?: () => number;
    /** where the last full reading is kept between visits (session/last-known.ts) */
    lastKnown?: LastKnownStore;
}

/** How long a view that opens takes the facts read by the view before it, when nothing has changed the host since. */
export const REUSE_MS = 30_000;

/** A host not read yet. */
export const INITIAL_HOST_STATE: HostState = {
    facts: null, soFar: null, vms: null, busy: false, error: null, roundTrips: 0, refreshedAt: null, offer: null, record: null,
    recordError: null, lastKnown: null,
};

/** SSH refused the host's key as unknown: first contact, shown as the host-key dialog rather than an error. */
export const isHostKeyUnknown = (e: Error | null): boolean => e instanceof TransportError && e.kind === "host-key-unknown";
/** A key the admin is asked about: unknown, or changed since it was confirmed. */
export const isHostKeyToConfirm = (e: unknown): boolean =>
    e instanceof TransportError && (e.kind === "host-key-unknown" || e.kind === "host-key-changed");

export class HostModel extends Store<HostState> {
    private known: string[] | null;
    private inFlight: Promise<HostReading> | null = null;
    private stop: AbortController | null = null;
    private cancels = 0;
    private queued: Promise<HostReading> | null = null;
    private generation = 0;
    /** the firmware query's answer of the last read, with the access it was read with */
    private slow: SlowPart | null = null;
    private superuser = true;
    /** when the read that gave the facts shown started; 0: none */
    private readStartedAt = 0;
    /** when the read under way started (inFlight), and whether it keeps the last firmware answer; 0: none */
    private inFlightStartedAt = 0;
    private inFlightKept = false;

    /** the adapter port the admin chose for VFs (session/ports.ts); null: the default one */
    private port: string | null;

    constructor(readonly role: Role, readonly transport: HostTransport, readonly options: HostModelOptions = {}) {
        const port = savedPort(transport.host);
        const lastKnown = options.lastKnown?.read() ?? null;
        super({ ...INITIAL_HOST_STATE, lastKnown: lastKnown && { ...lastKnown, facts: withPort(lastKnown.facts, port) } });
        this.known = rememberedPfs(transport.host);
        this.port = port;
    }

    /** The admin chooses the port that carries VFs: remembered for this host; the facts shown are about it at once. */
    choosePort(pf: string): void {
        savePort(this.host, pf);
        this.port = pf;
        const { facts, soFar, lastKnown } = this.state;
        this.update({
            facts: facts && withPort(facts, pf), soFar: soFar && withPort(soFar, pf),
            lastKnown: lastKnown && { ...lastKnown, facts: withPort(lastKnown.facts, pf) },
        });
    }

    get host(): string {
        return this.transport.host;
    }

    get installer(): PackageInstaller | undefined {
        return this.options.installer;
    }

    /** The host's name as it reports it, else how it is reached. */
    get label(): string {
        return this.state.facts?.hostname || this.transport.host;
    }

    /**
     * The admin stops a read under way (a host slow to answer): its commands are stopped, and the host shows as not
     * read, without an error.
     */
    cancel(): void {
        if (!this.stop)
            return;
        this.stop.abort();
        this.stop = null;
        this.cancels++;
        this.generation++;
        this.inFlight = this.queued = null;
        this.update({ facts: null, soFar: null, vms: null, busy: false, error: null });
    }

    /** Drops what was read, the record too (a view opening reads the host afresh); the adapters stay remembered. */
    forget(): void {
        this.generation++;
        this.slow = null;
        this.readStartedAt = 0;
        this.inFlight = this.queued = null;
        this.update({ ...INITIAL_HOST_STATE, lastKnown: this.state.lastKnown });
    }

    /**
     * Reads the host again. Calls while a read runs share it; `newer` asks for one that starts after this call
     * (e.g. after a step changed the host). Rejects when the host cannot be read, and the facts are dropped then:
     * they no longer describe a host this refresh could not read.
     */
    refresh(opts: { superuser?: boolean; newer?: boolean; keepFirmware?: boolean } = {}): Promise<HostReading> {
        if (opts.superuser !== undefined && opts.superuser !== this.superuser) {
            // the read with the other access stops: its commands no longer run as root once access is dropped
            this.stop?.abort();
            this.stop = null;
            this.superuser = opts.superuser;
            this.inFlight = this.queued = null;
            this.slow = null;
        }
        if (this.inFlight && !opts.newer)
            return this.queued ?? this.inFlight;
        if (this.inFlight) {
            const cancels = this.cancels;
            this.queued ??= this.inFlight.catch(() => null).then(() => {
                this.queued = null;
                // a read asked for while one ran, then Cancel: it does not start either
                if (cancels !== this.cancels)
                    throw new TransportError("cancelled", this.host, _("Reading the host was cancelled"));
                // shared by every caller that joins it, some of which want the firmware read: a full read
                return this.start();
            });
            return this.queued;
        }
        return this.start(opts.keepFirmware);
    }

    /**
     * The facts shown still describe the host, so a view that opens can take them instead of reading it again: read
     * less than REUSE_MS ago, with the same access, and nothing the page ran has changed the host since that read
     * started (a step, an attach, a migration). A VM started from elsewhere is not seen: hence the short age.
     */
    fresh(superuser: boolean): boolean {
        const s = this.state;
        return s.facts !== null && !s.busy && s.error === null && this.stillTrue(this.readStartedAt, superuser);
    }

    /**
     * A first read under way (no facts shown from an earlier one), with the same access and the firmware queried,
     * started less than REUSE_MS ago and after anything the page changed on the host: a view that opens takes it
     * rather than starting another (the page starts the status view's read before drawing it, index.tsx).
     */
    readingNow(superuser: boolean): boolean {
        return this.inFlight !== null && this.queued === null && this.state.busy && this.state.facts === null
            && !this.inFlightKept && this.stillTrue(this.inFlightStartedAt, superuser);
    }

    /** A read started at `startedAt` (0: none) with this access, less than REUSE_MS ago and after the page's last change. */
    private stillTrue(startedAt: number, superuser: boolean): boolean {
        const lastChange = this.options.lastChange;
        const now = (this.options.now ?? Date.now)();
        return !!lastChange && superuser === this.superuser && startedAt > 0 && now - startedAt < REUSE_MS && lastChange() < startedAt;
    }

    /**
     * `keepFirmware`: the firmware query's answer of the last read is taken again instead of running it (seconds on
     * a real adapter), for a read after something that cannot change it (src/steps/all.ts FIRMWARE_STEPS).
     */
    private start(keepFirmware = false): Promise<HostReading> {
        const gen = ++this.generation;
        const kept = keepFirmware ? this.slow : null;
        this.slow = null;
        const startedAt = (this.options.now ?? Date.now)();
        this.update({ busy: true, error: null });
        const stop = new AbortController();
        this.stop = stop;
        const soFar = (r: HostReading) => { if (gen === this.generation && this.state.busy) this.update({ soFar: withPort(r.facts, this.port) }) };
        const p = readHost(this.transport, this.known, this.superuser, stop.signal, soFar, kept).then(read => {
            const r = { ...read, facts: withPort(read.facts, this.port) };
            this.known = r.pfs;
            if (gen === this.generation) {
                this.slow = r.slow;
                // a reading with a kept firmware answer is partly older than it says: other views read afresh, and it
                // is not stored as the last known one
                if (!kept)
                    this.readStartedAt = startedAt;
                const at = Date.now();
                // a reading without administrative access holds "unknown" where root would read: not kept
                let lastKnown = this.state.lastKnown;
                if (this.superuser && !kept) {
                    lastKnown = { facts: r.facts, at };
                    this.options.lastKnown?.write(lastKnown);
                }
                this.update({ facts: r.facts, soFar: null, vms: r.vms, busy: false, error: null, roundTrips: r.roundTrips, refreshedAt: at, lastKnown });
            }
            return { facts: r.facts, vms: r.vms, roundTrips: r.roundTrips };
        }, (e: unknown) => {
            const error = e instanceof Error ? e : new Error(String(e));
            if (gen === this.generation) {
                // a host that cannot be read is not shown as it was: not after a Refresh, nor after a changed key
                if (error instanceof TransportError && error.kind === "host-key-changed")
                    this.options.lastKnown?.forget();
                this.update({ facts: null, soFar: null, vms: null, busy: false, error, lastKnown: null });
                this.offerKey(error);
            }
            throw error;
        }).finally(() => {
            if (this.inFlight === p)
                this.inFlight = null;
            if (this.stop === stop)
                this.stop = null;
        });
        this.inFlight = p;
        this.inFlightStartedAt = startedAt;
        this.inFlightKept = kept !== null;
        return p;
    }

    /** The host's key, fetched to be shown when SSH refused an unknown one, or one that changed since it was confirmed. */
    private offerKey(error: Error): void {
        const ssh = this.options.ssh;
        if (!ssh || !isHostKeyToConfirm(error))
            return;
        const gen = this.generation;
        ssh.offerHostKeys((error as TransportError).kind === "host-key-changed").then(offer => {
            if (gen === this.generation)
                this.update({ offer });
        }, () => this.update({ offer: null }));
    }

    /** Trusts the key shown (its failure is the caller's to show), then reads the host. */
    async trustHostKey(): Promise<void> {
        const { offer } = this.state;
        if (!offer || !this.options.ssh)
            throw new Error("no host key offered");
        await this.options.ssh.trustHostKeys(offer);
        this.update({ offer: null });
        this.refresh().catch(() => {});
    }

    dismissHostKey(): void {
        this.update({ offer: null });
    }

    /** How a package install command shows in the run log on this host; null: the command's own line. */
    installLine(packages: string[]): string | null {
        return this.options.installLine ? this.options.installLine(packages) : null;
    }

    setRecord(record: ProgressRecord | null): void {
        this.update({ record });
    }

    setRecordError(recordError: ProgressRecordError | null): void {
        this.update({ recordError });
    }
}
