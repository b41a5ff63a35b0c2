/*
 * A fake libvirt-dbus client for the session and migration tests: domains by name, job statistics answered from a
 * script, and MigrateToURI3 as a promise the test settles. Errors are libvirt's own words, as LibvirtCallError.
 */
import {
    LibvirtCallError, type DomainRef, type DomainSummary, type LibvirtClient, type MigrateToUri3Request,
} from "../../../src/libvirt/client";
import { JOB_TYPES } from "../../../src/libvirt/constants";
import type { JobStats } from "../../../src/libvirt/typed-params";
import type { HostTransport } from "../../../src/host/transport";
import { fakeTransport, type Answer } from "./fake-transport";

export interface FakeDomain {
    active: boolean;
    persistent: boolean;
    xml: string;
    inactiveXml?: string;
}

export const notFound = (method: string, name: string) =>
    new LibvirtCallError(`org.libvirt.${method}`, `Domain not found: no domain with matching name '${name}'`, "org.libvirt.Error.NoDomain");

export function stats(type: JobStats["type"], more: Partial<JobStats> = {}): JobStats {
    return { type, typeCode: JOB_TYPES.indexOf(type), raw: {}, ...more };
}

/** An outgoing migration's sample: `remaining` of 1 GiB left, 100 MiB/s on the wire. */
export const running = (elapsedMs: number, remaining: number, more: Partial<JobStats> = {}) => stats("unbounded", {
    operation: 5, timeElapsedMs: elapsedMs, dataTotal: 1 << 30, dataRemaining: remaining, dataProcessed: (1 << 30) - remaining,
    memoryBps: 100 << 20, ...more,
});

export class FakeLibvirt {
    readonly domains = new Map<string, FakeDomain>();
    readonly calls: string[] = [];
    /** what GetJobStats answers: a function of the flags, or the next sample of a list (the last one repeats) */
    jobStats: ((flags: number) => JobStats) | JobStats[] = [stats("none")];
    migrateRequests: MigrateToUri3Request[] = [];
    private migrateSettle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
    abortError: unknown = null;
    downtimes: number[] = [];

    asClient(): LibvirtClient {
        return this as unknown as LibvirtClient;
    }

    private domain(method: string, name: string): FakeDomain {
        const d = this.domains.get(name);
        if (!d)
            throw notFound(method, name);
        return d;
    }

    async lookupByName(name: string): Promise<DomainRef> {
        this.calls.push(`DomainLookupByName ${name}`);
        this.domain("Connect.DomainLookupByName", name);
        return { path: `/org/libvirt/QEMU/domain/_${name}`, name };
    }

    async domainProperties(path: string): Promise<DomainSummary> {
        const name = path.replace(/^.*\/_/, "");
        const d = this.domain("Domain.GetAll", name);
        return { path, name, uuid: `uuid-${name}`, active: d.active, persistent: d.persistent };
    }

    async listDomains(): Promise<DomainSummary[]> {
        return Promise.all([...this.domains.keys()].map(n => this.domainProperties(`/org/libvirt/QEMU/domain/_${n}`)));
    }

    async getXmlDesc(dom: DomainRef, flags: number): Promise<string> {
        this.calls.push(`GetXMLDesc ${dom.name} ${flags}`);
        const d = this.domain("Domain.GetXMLDesc", dom.name);
        return flags & 2 ? d.inactiveXml ?? d.xml : d.xml;
    }

    async getJobStats(dom: DomainRef, flags = 0): Promise<JobStats> {
        this.calls.push(`GetJobStats ${dom.name} ${flags}`);
        // libvirt's qemuDomainGetJobStats: only the completed job's figures of a domain that is not running
        if (!this.domain("Domain.GetJobStats", dom.name).active && !(flags & 1))
            throw new LibvirtCallError("org.libvirt.Domain.GetJobStats", "Requested operation is not valid: domain is not running", "org.libvirt.Error");
        if (typeof this.jobStats === "function")
            return this.jobStats(flags);
        return this.jobStats.length > 1 ? this.jobStats.shift() as JobStats : this.jobStats[0];
    }

    /** AttachDevice: the device lands in both definitions unless `attachIgnored` */
    attachIgnored = false;
    async attachDevice(dom: DomainRef, xml: string, flags: number): Promise<void> {
        this.calls.push(`AttachDevice ${dom.name} ${flags}`);
        const d = this.domain("Domain.AttachDevice", dom.name);
        if (this.attachIgnored)
            return;
        const add = (doc: string) => doc.replace("</devices>", `${xml}\n</devices>`);
        this.domains.set(dom.name, { ...d, xml: add(d.xml), inactiveXml: add(d.inactiveXml ?? d.xml) });
    }

    async abortJob(dom: DomainRef): Promise<void> {
        this.calls.push(`AbortJob ${dom.name}`);
        if (this.abortError)
            throw this.abortError;
    }

    async migrateSetMaxDowntime(dom: DomainRef, ms: number): Promise<void> {
        this.calls.push(`MigrateSetMaxDowntime ${dom.name} ${ms}`);
        this.downtimes.push(ms);
    }

    migrateToUri3(dom: DomainRef, req: MigrateToUri3Request): Promise<void> {
        this.calls.push(`MigrateToURI3 ${dom.name}`);
        this.migrateRequests.push(req);
        return new Promise((resolve, reject) => { this.migrateSettle = { resolve, reject } });
    }

    /** MigrateToURI3 returns: the VM now runs on the destination (gone from here when transient here). */
    migrationSucceeds(vm: string, undefineSource = true): void {
        if (undefineSource)
            this.domains.delete(vm);
        else
            this.domains.set(vm, { ...this.domain("", vm), active: false });
        this.migrateSettle?.resolve();
    }

    migrationFails(e: unknown): void {
        this.migrateSettle?.reject(e);
    }

    private readonly eventListeners = new Set<(path: string, event: number, detail: number) => void>();

    onDomainEvent(cb: (path: string, event: number, detail: number) => void): () => void {
        this.eventListeners.add(cb);
        return () => this.eventListeners.delete(cb);
    }

    /** libvirt's lifecycle event (libvirt-dbus's Connect.DomainEvent signal) for a domain of this fake */
    domainEvent(vm: string, event: number, detail: number): void {
        for (const cb of [...this.eventListeners])
            cb(`/org/libvirt/QEMU/domain/_${vm}`, event, detail);
    }

    /** listeners of the lifecycle events, to show that a job leaves none behind */
    get eventListenerCount(): number {
        return this.eventListeners.size;
    }

    close(): void {}

    /** as LibvirtClient: how often a view asked to close once idle */
    closesWhenIdle = 0;
    closeWhenIdle(): void {
        this.closesWhenIdle++;
    }
}

/** A destination whose `virsh domstate` (and `virsh domuuid`, if given) answers as told; every other command fails. */
export function fakeDestination(domstate: () => Answer, domuuid?: () => Answer): HostTransport & { runs: string[] } {
    return fakeTransport("root@dst", line => (line.includes(" domstate ") ? domstate() : line.includes(" domuuid ") ? domuuid?.() : undefined));
}
