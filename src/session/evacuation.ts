/*
 * What an evacuation reads and keeps: the running VMs of this host with their VF and memory (libvirt-dbus), the
 * destination's available memory (over SSH), the migration job of each VM (the wizard's own), and the record of a
 * started run in the browser, so that a page opened again finds the run and follows it.
 */
import { ListDomainsFlags, type LibvirtClient } from "../libvirt";
import { assignedPciAddresses, parseDomainXml, vfAddresses } from "../parsers/libvirt-domain-xml";
import { parse } from "../parsers";
import { libvirtDbusProcess } from "../host/commands/system";
import { writeSysfsVia, type HostTransport } from "../host/transport";
import { sharedProbes } from "../host/shared-probes";
import type { HostFacts } from "../checks/facts";
import { prepareVfCommands } from "../rules/sriov";
import { _, format } from "../lib/cockpit";
import { findVf, memoryMiB, readAvailableMemory } from "../migration/vm-checks";
import { isPlain, type EvacueeVm, type EvacuationRow } from "../migration/evacuation-plan";
import type { MigrationForm } from "../migration/plan";
import { MigrationJob } from "./migration-job";
import type { EvacuationJob, Outcome } from "./evacuation-run";
import type { DepartureRecorder } from "./departures";
import type { DestinationInput } from "./hosts";
import { perHostKey, restore, save } from "./saved";

export {
    planEvacuation, blockingFailures, clampLimit, isPlain, VF_MIGRATIONS_PER_PORT, type EvacuationPlan, type EvacuationRow,
} from "../migration/evacuation-plan";

/** The running VMs of this host, each with the VFs it holds and its memory. */
export async function readEvacuees(libvirt: LibvirtClient): Promise<EvacueeVm[]> {
    const doms = await libvirt.listDomains(ListDomainsFlags.ACTIVE);
    const out: EvacueeVm[] = [];
    for (const d of doms.sort((a, b) => a.name.localeCompare(b.name))) {
        try {
            const xml = await libvirt.getXmlDesc(d, 0);
            const dom = parseDomainXml(xml);
            const vfs = vfAddresses(dom);
            const otherPci = assignedPciAddresses(dom).filter(p => !vfs.includes(p));
            out.push({ name: d.name, vfs, otherPci, memoryMiB: memoryMiB(xml) });
        } catch (e) {
            out.push({ name: d.name, vfs: [], memoryMiB: null, problem: e instanceof Error ? e.message : String(e) });
        }
    }
    return out;
}

/** MemAvailable of a host in MiB; null when it could not be read (the command log has why). */
export async function availableMemoryMiB(t: HostTransport): Promise<number | null> {
    try {
        return (await readAvailableMemory(t)).mib;
    } catch {
        return null;
    }
}

/**
 * Prepares these VFs of a host as the preparation's VF steps do (src/rules/sriov.ts prepareVfCommands: off mlx5_core,
 * port function migratable), one after the other; stops at the first command that fails, and says which.
 */
export async function prepareVfs(t: HostTransport, facts: HostFacts, vfs: readonly string[]): Promise<void> {
    for (const pci of vfs) {
        const found = findVf(facts, pci);
        if (!found)
            throw new Error(format(_("$0 is not a VF of $1's ConnectX-7 any more: read the host again"), pci, t.host));
        for (const c of prepareVfCommands(found.vf)) {
            const r = "path" in c
                ? await writeSysfsVia(t, c.path, c.value)
                : await t.run(c, { superuser: true, changes: true });
            if (r.exitStatus !== 0)
                throw new Error(format(_("Preparing VF $0 failed: $1"), pci, (r.stderr || r.stdout).trim() || format(_("exit status $0"), r.exitStatus)));
        }
    }
}

/** libvirt-dbus's worker threads on this host; null when it does not run (or its line was not understood). */
export async function libvirtDbusThreads(t: HostTransport): Promise<number | null> {
    try {
        const r = await t.run(libvirtDbusProcess());
        const p = parse("libvirt-dbus-threads", r.stdout);
        return p.ok ? p.value : null;
    } catch {
        return null;
    }
}

export interface EvacuationJobDeps {
    libvirt: LibvirtClient;
    destination: HostTransport;
    form: MigrationForm;
    departures: DepartureRecorder;
    /** this host, for the check of each VM's VF */
    local: HostTransport;
}

/** The wizard's migration job for one row of the plan; the VF re-checks that start together share their reads. */
export function evacuationJob(d: EvacuationJobDeps): (row: EvacuationRow) => EvacuationJob {
    const destination = sharedProbes(d.destination), local = sharedProbes(d.local);
    return row => new MigrationJob({
        libvirt: d.libvirt, vm: row.vm, form: d.form, destination,
        destinationVf: row.destinationVf, sourceVf: row.sourceVf, departures: d.departures, plain: isPlain(row), local,
    });
}

/** A started evacuation, kept in the browser until the admin clears its report. */
export interface EvacuationRecord {
    destination: DestinationInput;
    rows: EvacuationRow[];
    limit: number;
    atOnce: number;
    /** MiB/s per migration; "" for no cap */
    bandwidth: string;
    startedAt: number;
    /** the final outcome of each VM that has one (evacuation-run.ts FINAL) */
    outcomes?: Record<string, Outcome>;
}

/* one per host (saved.ts perHostKey); before, one key held every host's: a record there is still read on its host */
const LEGACY_KEY = "vf-migration:evacuation";
const evacuationKey = (): string => perHostKey(LEGACY_KEY);

const isRow = (r: unknown): r is EvacuationRow => {
    const x = r as Record<string, unknown> | null;
    const vf = ["sourceVf", "sourcePort", "destinationVf", "destinationPort"];
    return !!x && typeof x.vm === "string" &&
        (vf.every(k => typeof x[k] === "string") || vf.every(k => x[k] === null));
};

function acceptRecord(v: unknown): EvacuationRecord | null {
    const x = v as Partial<EvacuationRecord> | null;
    if (!x || typeof x !== "object" || !Array.isArray(x.rows) || !x.rows.every(isRow) || typeof x.limit !== "number" || typeof x.atOnce !== "number" ||
        typeof x.startedAt !== "number" || typeof x.bandwidth !== "string" || !x.destination || typeof x.destination.host !== "string")
        return null;
    return x as EvacuationRecord;
}

export const savedEvacuation = (): EvacuationRecord | null =>
    restore(evacuationKey(), acceptRecord).value ?? restore(LEGACY_KEY, acceptRecord).value;
export const saveEvacuation = (r: EvacuationRecord): void => save(evacuationKey(), r);
export function forgetEvacuation(): void {
    localStorage.removeItem(evacuationKey());
    if (restore(LEGACY_KEY, acceptRecord).value)
        localStorage.removeItem(LEGACY_KEY);
}
