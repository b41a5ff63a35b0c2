/*
 * A small typed client over libvirt-dbus (`org.libvirt` on the system bus, connection /org/libvirt/QEMU =
 * qemu:///system), with administrative access as cockpit-machines uses it. Signatures are those of
 * /usr/share/dbus-1/interfaces/org.libvirt.{Connect,Domain}.xml. Every call is described (method, a summary of its
 * arguments, the equivalent virsh line, outcome) to `onRecord` when it starts and when it ends: the command journal
 * keeps it (src/libvirt/journaled.ts); the client itself keeps no list of calls. There is no client without a
 * recorder, and no call without its virsh line.
 */
import { DBusClient, cockpit } from "../lib/cockpit";
import type { CommandRecord } from "../host/record";
import { AffectFlags, MigrateFlags, migrateFlagNames } from "./constants";
import { JobStats, TypedParams, jobStatsFrom, unwrapParams } from "./typed-params";
import { virshEq } from "./virsh-equivalent";

export const LIBVIRT_BUS_NAME = "org.libvirt";
export const CONNECT_PATH = "/org/libvirt/QEMU";
export const CONNECT_IFACE = "org.libvirt.Connect";
export const DOMAIN_IFACE = "org.libvirt.Domain";
const PROPERTIES_IFACE = "org.freedesktop.DBus.Properties";

export const TIMEOUTS = {
    /** most calls: libvirt answers at once or is stuck */
    default: 30_000,
    /** attaching a managed hostdev binds the VFIO driver and may reset the VF (seconds) */
    attach: 120_000,
    /**
     * MigrateToURI3 returns only when the migration has ended. If this wait runs out the migration goes on inside
     * libvirtd: the page then follows it with GetJobStats. 24 hours.
     */
    migrate: 86_400_000,
} as const;

/**
 * A libvirt-dbus call, from when it starts: the part of a command record (src/host/record.ts) it shares, its virsh
 * equivalent as the record's argv-to-be, and the D-Bus method and arguments it really was.
 */
export interface LibvirtCallRecord extends Pick<CommandRecord, "startedAt" | "error"> {
    id: number;
    /** "org.libvirt.Domain.MigrateToURI3" */
    method: string;
    path: string;
    /** the arguments in words: "flags=LIVE|PEER2PEER (3)", "xml=<document, 412 characters>" */
    args: string[];
    /** the virsh command line that does the same, for the record (display only) */
    virsh: string[];
    /** the document that virsh line reads on its standard input */
    input?: string;
    /** the call changes the host (attach, migrate, abort, tuning); false for reads */
    changes: boolean;
    /** a read the page repeats (polls, each domain's properties): not worth a command log entry each time */
    repeated?: boolean;
    /** set when the call has ended */
    durationMs?: number;
    outcome: "running" | "ok" | "error";
}

/** A libvirt-dbus call that failed: libvirt's message, the D-Bus error name, or Cockpit's problem code. */
export class LibvirtCallError extends Error {
    constructor(readonly method: string, message: string, readonly dbusName?: string, readonly problem?: string) {
        super(message);
        this.name = "LibvirtCallError";
    }
}

export function toCallError(method: string, e: unknown): LibvirtCallError {
    if (e instanceof LibvirtCallError)
        return e;
    const o = (typeof e === "object" && e !== null ? e : {}) as { name?: unknown; message?: unknown; problem?: unknown };
    const message = typeof o.message === "string" ? o.message : String(e);
    const name = typeof o.name === "string" && o.name.includes(".") ? o.name : undefined;
    const problem = typeof o.problem === "string" && o.problem !== "" ? o.problem : undefined;
    return new LibvirtCallError(method, message, name, problem);
}

export interface DomainRef {
    /** the D-Bus object path: /org/libvirt/QEMU/domain/_<uuid with _> */
    path: string;
    name: string;
}

export interface DomainSummary extends DomainRef {
    uuid: string;
    active: boolean;
    persistent: boolean;
}

/** What MigrateToURI3 receives; built by src/migration/plan.ts. */
export interface MigrateToUri3Request {
    destUri: string;
    params: TypedParams;
    flags: number;
    /** the equivalent `virsh migrate` line, recorded with the call */
    virsh: string[];
}

export interface LibvirtClientOptions {
    /** told of each call when it starts and again when it ends (same record object) */
    onRecord: (record: LibvirtCallRecord) => void;
}

const chars = (s: string) => `<document, ${s.length} characters>`;

function summariseParams(params: TypedParams): string {
    return "{" + Object.entries(params).map(([k, x]) =>
        `${k}: ${typeof x.v === "string" ? (x.v.trimStart().startsWith("<") ? chars(x.v) : JSON.stringify(x.v)) : String(x.v)} (${x.t})`).join(", ") + "}";
}

type How = {
    args: string[]; virsh: string[]; input?: string; timeout?: number; changes?: boolean; repeated?: boolean;
    /** a better virsh line, when only the reply tells it (the domain's name, for a call made by object path) */
    virshOf?: (reply: unknown[]) => string[] | undefined;
};

export class LibvirtClient {
    private client: DBusClient | null = null;
    private nextId = 1;
    /** calls not answered yet; once the view has gone (closeWhenIdle), the channel closes each time none is out */
    private inflight = 0;
    private disposed = false;

    constructor(private readonly options: LibvirtClientOptions) {}

    private bus(): DBusClient {
        if (!this.client)
            this.client = cockpit().dbus(LIBVIRT_BUS_NAME, { bus: "system", superuser: "require" });
        return this.client;
    }

    private async call(path: string, iface: string, method: string, args: unknown[], type: string,
                       how: How): Promise<unknown[]> {
        const record: LibvirtCallRecord = {
            id: this.nextId++, method: `${iface}.${method}`, path, args: how.args, startedAt: Date.now(), outcome: "running",
            changes: how.changes === true, virsh: how.virsh,
            ...(how.input !== undefined ? { input: how.input } : {}),
            ...(how.repeated ? { repeated: true } : {}),
        };
        this.options.onRecord(record);
        this.inflight++;
        try {
            const reply = await this.bus().call(path, iface, method, args, { type, timeout: how.timeout ?? TIMEOUTS.default });
            record.outcome = "ok";
            const virsh = how.virshOf?.(reply);
            if (virsh)
                record.virsh = virsh;
            return reply;
        } catch (e) {
            const err = toCallError(record.method, e);
            record.outcome = "error";
            record.error = { kind: "failed", message: err.problem && !err.dbusName ? `${err.problem}: ${err.message}` : err.message };
            throw err;
        } finally {
            if (--this.inflight === 0 && this.disposed)
                this.close();
            record.durationMs = Date.now() - record.startedAt;
            // the call is done: a recorder that fails must not turn its outcome into an error
            try {
                this.options.onRecord(record);
            } catch (e) {
                console.error("libvirt call record", e);
            }
        }
    }

    /** All domains (flags 0) or those selected by ListDomainsFlags, with their properties. */
    async listDomains(flags = 0): Promise<DomainSummary[]> {
        const [paths] = await this.call(CONNECT_PATH, CONNECT_IFACE, "ListDomains", [flags], "u",
                                        { args: [`flags=${flags}`], virsh: virshEq.list(), repeated: true });
        // a domain that went away in between (a transient VM migrated off or shut down) is left out, not an error
        const settled = await Promise.allSettled((paths as string[]).map(p => this.domainProperties(p)));
        return settled.flatMap(r => {
            if (r.status === "fulfilled")
                return [r.value];
            if (r.reason instanceof LibvirtCallError && /^Domain not found/.test(r.reason.message))
                return [];
            throw r.reason;
        });
    }

    async domainProperties(path: string): Promise<DomainSummary> {
        const [props] = await this.call(path, PROPERTIES_IFACE, "GetAll", [DOMAIN_IFACE], "s", {
            args: [`interface=${DOMAIN_IFACE}`], repeated: true, virsh: virshEq.dominfo(uuidOfPath(path)),
            virshOf: ([reply]) => {
                const name = unwrapParams(reply).Name;
                return typeof name === "string" ? virshEq.dominfo(name) : undefined;
            },
        });
        const p = unwrapParams(props);
        if (typeof p.Name !== "string" || typeof p.UUID !== "string")
            throw new LibvirtCallError(`${PROPERTIES_IFACE}.GetAll`, `libvirt-dbus gave no Name/UUID for ${path}`);
        return { path, name: p.Name, uuid: p.UUID, active: p.Active === true, persistent: p.Persistent === true };
    }

    async lookupByName(name: string): Promise<DomainRef> {
        const [path] = await this.call(CONNECT_PATH, CONNECT_IFACE, "DomainLookupByName", [name], "s",
                                       { args: [`name=${JSON.stringify(name)}`], virsh: virshEq.domuuid(name) });
        return { path: path as string, name };
    }

    /** flags: XmlDescFlags.* (SECURE 1, INACTIVE 2, UPDATE_CPU 4, MIGRATABLE 8) */
    async getXmlDesc(dom: DomainRef, flags: number): Promise<string> {
        const [xml] = await this.call(dom.path, DOMAIN_IFACE, "GetXMLDesc", [flags], "u",
                                      // its entry keeps no output: the same read again is counted in it
                                      { args: [`flags=${flags}`], virsh: virshEq.dumpxml(dom.name, flags), repeated: true });
        return xml as string;
    }

    /** flags: AffectFlags.LIVE | AffectFlags.CONFIG by default (`virsh attach-device --live --config`) */
    async attachDevice(dom: DomainRef, xml: string, flags: number = AffectFlags.LIVE | AffectFlags.CONFIG): Promise<void> {
        await this.call(dom.path, DOMAIN_IFACE, "AttachDevice", [xml, flags], "su",
                        { args: [`xml=${chars(xml)}`, `flags=${flags}`], virsh: virshEq.attachDevice(dom.name, "/dev/stdin", flags), input: xml,
                          timeout: TIMEOUTS.attach, changes: true });
    }

    /** flags: JobStatsFlags.COMPLETED for the last finished job's figures */
    async getJobStats(dom: DomainRef, flags = 0): Promise<JobStats> {
        const [reply] = await this.call(dom.path, DOMAIN_IFACE, "GetJobStats", [flags], "u",
                                        { args: [`flags=${flags}`], virsh: virshEq.domjobinfo(dom.name, flags), repeated: true });
        const [type, params] = Array.isArray(reply) ? reply : [undefined, undefined];
        return jobStatsFrom(type, params);
    }

    async abortJob(dom: DomainRef): Promise<void> {
        await this.call(dom.path, DOMAIN_IFACE, "AbortJob", [], "", { args: [], virsh: virshEq.domjobabort(dom.name), changes: true });
    }

    /** While a migration runs: the longest pause allowed at the switch-over, in milliseconds. */
    async migrateSetMaxDowntime(dom: DomainRef, ms: number): Promise<void> {
        positive(ms, "downtime");
        await this.call(dom.path, DOMAIN_IFACE, "MigrateSetMaxDowntime", [ms, 0], "tu",
                        { args: [`downtime=${ms} ms`, "flags=0"], virsh: virshEq.setMaxDowntime(dom.name, ms), changes: true });
    }

    /** Bandwidth cap in MiB/s (libvirt's unit for migration speed). */
    async migrateSetMaxSpeed(dom: DomainRef, mibps: number): Promise<void> {
        positive(mibps, "bandwidth");
        await this.call(dom.path, DOMAIN_IFACE, "MigrateSetMaxSpeed", [mibps, 0], "tu",
                        { args: [`bandwidth=${mibps} MiB/s`, "flags=0"], virsh: virshEq.setSpeed(dom.name, mibps), changes: true });
    }

    /**
     * Starts the migration and resolves when it has ended (successfully: the domain now runs on the destination).
     * Never with POSTCOPY: refused here too.
     */
    async migrateToUri3(dom: DomainRef, req: MigrateToUri3Request): Promise<void> {
        if (req.flags & MigrateFlags.POSTCOPY)
            throw new LibvirtCallError(`${DOMAIN_IFACE}.MigrateToURI3`, "post-copy migration is not allowed with a Mellanox VF attached");
        await this.call(dom.path, DOMAIN_IFACE, "MigrateToURI3", [req.destUri, req.params, req.flags], "sa{sv}u", {
            args: [`dconuri=${req.destUri}`, `params=${summariseParams(req.params)}`, `flags=${migrateFlagNames(req.flags).join("|")} (${req.flags})`],
            virsh: req.virsh,
            timeout: TIMEOUTS.migrate,
            changes: true,
        });
    }

    /**
     * libvirt's domain lifecycle events (virConnectDomainEventCallback), which libvirt-dbus sends as the signal
     * Connect.DomainEvent (domain path, event, detail) for every domain; returns the unsubscribe.
     */
    onDomainEvent(cb: (path: string, event: number, detail: number) => void): () => void {
        const sub = this.bus().subscribe({ path: CONNECT_PATH, interface: CONNECT_IFACE, member: "DomainEvent" }, (_p, _i, _s, args) => {
            const [path, event, detail] = args;
            if (typeof path === "string" && typeof event === "number" && typeof detail === "number")
                cb(path, event, detail);
        });
        return () => sub.remove();
    }

    close(): void {
        this.client?.close();
        this.client = null;
    }

    /**
     * Closes once every call made has answered, and again after any call work left behind still makes (a loop
     * of the view that went). A page that moves on as soon as libvirt's event says a migration ended must not cut the
     * MigrateToURI3 call still out: its answer would be recorded as a failure.
     */
    closeWhenIdle(): void {
        this.disposed = true;
        if (this.inflight === 0)
            this.close();
    }
}

/** libvirt-dbus names a domain's object by its UUID: /org/libvirt/QEMU/domain/_1b4e28ba_2fa1_… */
export const uuidOfPath = (path: string): string => path.slice(path.lastIndexOf("/") + 1).replace(/^_/, "").replaceAll("_", "-");

function positive(n: number, what: string): void {
    if (!Number.isSafeInteger(n) || n < 1)
        throw new RangeError(`${what} must be a whole number above 0: ${n}`);
}

