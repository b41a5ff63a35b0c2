/*
 * The migration call, built from the source domain's XML, the destination VF and the admin's choices: the
 * destination URI, the MigrateToURI3 parameters and flags, and the equivalent `virsh migrate` line for the record.
 * Pure: no host, no D-Bus. Form values are checked by the validated value types; a refused value names its field.
 */
import { _, format } from "../lib/cockpit";
import {
    Bandwidth, Host, PciAddress, Port, SshUser, ValueError, VmName, parseInteger, valueError,
} from "../host/values";
import { LibvirtTransport, libvirtUri, migrationUri } from "../host/uri";
import { virshShown } from "../host/commands/virsh";
import { MigrateFlags, migrateFlagNames } from "../libvirt/constants";
import { TypedParams, variant } from "../libvirt/typed-params";
import type { MigrateToUri3Request } from "../libvirt/client";
import { XmlDescFlags } from "../libvirt/constants";
import { assignedPciAddresses, parseDomainXml, vfAddresses, type DomainXml } from "../parsers/libvirt-domain-xml";
import { retargetHostdevInterface, XmlEditError } from "./xml-edit";
import { maskDomainSecrets } from "./xml-secrets";

/** GetXMLDesc flags for destination_xml (live, migratable, with secrets such as a VNC password kept). */
export const DESTINATION_XML_FLAGS = XmlDescFlags.SECURE | XmlDescFlags.MIGRATABLE;
/** GetXMLDesc flags for persistent_xml (the inactive definition, migratable). */
export const PERSISTENT_XML_FLAGS = XmlDescFlags.SECURE | XmlDescFlags.INACTIVE | XmlDescFlags.MIGRATABLE;

/** What the admin chose, as the form holds it (strings or numbers, not yet checked). */
export interface MigrationForm {
    transport: string;
    host: unknown;
    /** SSH only; empty = libvirt's default (root, from the source libvirtd's ssh) */
    user?: unknown;
    port?: unknown;
    /** the address the data stream goes to (the migration network); empty = the destination's own name */
    migrationAddress?: unknown;
    migrationPort?: unknown;
    /** default true: the VM is defined on the destination afterwards */
    persistOnDestination?: boolean;
    /** default true: the VM's definition is removed from the source afterwards (needs persistOnDestination) */
    undefineSource?: boolean;
    /** MiB/s; empty = no cap */
    bandwidth?: unknown;
    /** 1 = one stream; more = QEMU multifd (PARALLEL) */
    parallelConnections?: unknown;
    /** copy the disks (NON_SHARED_DISK) — only when chosen explicitly */
    copyStorage?: boolean;
    /** ms; applied with MigrateSetMaxDowntime once the job runs; empty = QEMU's default (300 ms) */
    maxDowntimeMs?: unknown;
}

export interface MigrationOptions {
    transport: LibvirtTransport;
    host: Host;
    user?: SshUser;
    port?: Port;
    migrationAddress?: Host;
    migrationPort?: Port;
    persistOnDestination: boolean;
    undefineSource: boolean;
    bandwidth?: Bandwidth;
    parallelConnections: number;
    copyStorage: boolean;
    maxDowntimeMs?: number;
}

const blank = (v: unknown) => v === undefined || v === null || v === "";

/** Checks every field; all refusals at once, each naming its field (ValueError.field). */
export function parseMigrationForm(f: MigrationForm): { ok: true; value: MigrationOptions } | { ok: false; errors: ValueError[] } {
    const errors: ValueError[] = [];
    /** the value, or its error recorded (under `field` when the value type's own name would be ambiguous) */
    const take = <T>(r: { ok: true; value: T } | { ok: false; error: ValueError }, field?: string): T | undefined => {
        if (r.ok)
            return r.value;
        const e = r.error;
        errors.push(field ? new ValueError(field, e.rule, e.value, e.message) : e);
        return undefined;
    };
    let transport: LibvirtTransport = "ssh";
    if (f.transport === "ssh" || f.transport === "tls" || f.transport === "tcp")
        transport = f.transport;
    else
        errors.push(valueError("transport", "form", f.transport, _("Connection type “$0” is not one of ssh, tls, tcp")));
    const host = take(Host.parse(f.host));
    const user = blank(f.user) ? undefined : take(SshUser.parse(f.user));
    if (user !== undefined && transport !== "ssh")
        errors.push(valueError("ssh-user", "transport", f.user, _("A user name “$0” is only used with SSH")));
    const port = blank(f.port) ? undefined : take(Port.parse(f.port));
    const migrationAddress = blank(f.migrationAddress) ? undefined : take(Host.parse(f.migrationAddress), "migration-address");
    const migrationPort = blank(f.migrationPort) ? undefined : take(Port.parse(f.migrationPort), "migration-port");
    if (migrationPort !== undefined && blank(f.migrationAddress))
        errors.push(valueError("migration-port", "address", f.migrationPort, _("Migration port “$0” needs a migration address")));
    const bandwidth = blank(f.bandwidth) ? undefined : take(Bandwidth.parse(f.bandwidth));
    const parallel = blank(f.parallelConnections) ? 1
        : take(parseInteger("parallel-connections", f.parallelConnections, 1, 255, _("Parallel connections")));
    const downtime = blank(f.maxDowntimeMs) ? undefined
        : take(parseInteger("max-downtime", f.maxDowntimeMs, 1, 600_000, _("Maximum downtime in milliseconds")));
    const persist = f.persistOnDestination ?? true;
    const undefine = f.undefineSource ?? true;
    if (undefine && !persist)
        errors.push(valueError("undefine-source", "persist", "", _("Removing the VM's definition from the source needs it defined on the destination: the VM would otherwise exist only while it runs")));
    if (errors.length > 0 || host === undefined || parallel === undefined)
        return { ok: false, errors };
    const out: MigrationOptions = {
        transport, host, persistOnDestination: persist, undefineSource: undefine, parallelConnections: parallel,
        copyStorage: f.copyStorage === true,
    };
    if (user !== undefined) out.user = user;
    if (port !== undefined) out.port = port;
    if (migrationAddress !== undefined) out.migrationAddress = migrationAddress;
    if (migrationPort !== undefined) out.migrationPort = migrationPort;
    if (bandwidth !== undefined) out.bandwidth = bandwidth;
    if (downtime !== undefined) out.maxDowntimeMs = downtime;
    return { ok: true, value: out };
}

/**
 * LIVE | PEER2PEER | ABORT_ON_ERROR, plus PERSIST_DEST / UNDEFINE_SOURCE as chosen, PARALLEL with more than one
 * connection, NON_SHARED_DISK only when copying storage was chosen. Never POSTCOPY (not allowed with a Mellanox VF).
 * ABORT_ON_ERROR: an I/O error during the migration cancels it and leaves the VM running on the source, rather
 * than carrying a VM with failed disk writes over.
 * TLS with the tls transport: qemu+tls:// only protects libvirt's own connection; QEMU's memory stream goes over
 * plain TCP unless VIR_MIGRATE_TLS asks for it (then with the certificates of /etc/pki/qemu on both hosts).
 */
export function migrationFlags(o: Pick<MigrationOptions, "persistOnDestination" | "undefineSource" | "parallelConnections" | "copyStorage"> & { transport?: LibvirtTransport }): number {
    let flags = MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.ABORT_ON_ERROR;
    if (o.transport === "tls") flags |= MigrateFlags.TLS;
    if (o.persistOnDestination) flags |= MigrateFlags.PERSIST_DEST;
    if (o.undefineSource && o.persistOnDestination) flags |= MigrateFlags.UNDEFINE_SOURCE;
    if (o.parallelConnections > 1) flags |= MigrateFlags.PARALLEL;
    if (o.copyStorage) flags |= MigrateFlags.NON_SHARED_DISK;
    return flags & ~MigrateFlags.POSTCOPY;
}

export interface PlanInput {
    vm: VmName;
    /** GetXMLDesc(DESTINATION_XML_FLAGS) of the running VM */
    liveXml: string;
    /** GetXMLDesc(PERSISTENT_XML_FLAGS); needed when persisting on the destination */
    inactiveXml?: string;
    /** the VF the VM holds on the source; found in liveXml when it holds exactly one */
    sourceVf?: PciAddress;
    /** null: a plain live migration of a VM that holds no VF (an evacuation moves those too); its XML goes as it is */
    destinationVf: PciAddress | null;
    options: MigrationOptions;
}

export interface MigrationPlan {
    transport: LibvirtTransport;
    /** QEMU encrypts the guest's memory on the network (VIR_MIGRATE_TLS): only with the tls transport */
    memoryEncrypted: boolean;
    destUri: string;
    migrateUri?: string;
    /** both null for a plain live migration (the VM holds no VF) */
    sourceVf: PciAddress | null;
    destinationVf: PciAddress | null;
    destinationXml: string;
    persistentXml?: string;
    flags: number;
    flagNames: string[];
    params: TypedParams;
    /** what LibvirtClient.migrateToUri3 takes */
    request: MigrateToUri3Request;
    /** to apply with MigrateSetMaxDowntime once the job runs */
    maxDowntimeMs?: number;
    /**
     * the equivalent `virsh migrate` line; it reads the documents from these files. The files are for the page to
     * show and copy: their console passwords are masked (`masked` counts them); only `request` carries the real ones.
     */
    virsh: { argv: string[]; files: { name: string; content: string }[]; masked: number };
}

export class PlanError extends Error {
    constructor(readonly field: string, message: string) {
        super(message);
        this.name = "PlanError";
    }
}

export const DESTINATION_XML_FILE = "destination.xml";
export const PERSISTENT_XML_FILE = "persistent.xml";

function domainOf(xml: string): DomainXml {
    try {
        return parseDomainXml(xml);
    } catch (e) {
        throw new PlanError("destination_xml", format(_("The VM's XML cannot be read: $0"), (e as Error).message));
    }
}

function findSourceVf(liveXml: string): PciAddress {
    const vfs = vfAddresses(domainOf(liveXml));
    if (vfs.length !== 1)
        throw new PlanError("source-vf", vfs.length === 0
            ? _("The VM has no VF interface (<interface type='hostdev'>) to migrate")
            : format(_("The VM has $0 VF interfaces; choose the one to move"), vfs.length));
    return PciAddress.of(vfs[0]);
}

function retarget(field: string, xml: string, from: PciAddress, to: PciAddress): string {
    try {
        return retargetHostdevInterface(xml, from, to);
    } catch (e) {
        if (e instanceof XmlEditError)
            throw new PlanError(field, field === "persistent_xml"
                ? format(_("The VM's persistent definition: $0"), e.message)
                : format(_("The VM's running definition: $0"), e.message));
        throw e;
    }
}

export function buildMigrationPlan(input: PlanInput): MigrationPlan {
    const o = input.options;
    const vm = VmName.of(input.vm);
    const destinationVf = input.destinationVf === null ? null : PciAddress.of(input.destinationVf);
    let sourceVf: PciAddress | null = null;
    if (destinationVf !== null)
        sourceVf = input.sourceVf !== undefined ? PciAddress.of(input.sourceVf) : findSourceVf(input.liveXml);
    // a plain migration sends both definitions as they are: neither may name a host PCI device (a VF as an interface
    // or as a <hostdev>, which the destination would take by the same address)
    else if ([input.liveXml, input.inactiveXml].some(x => x !== undefined && assignedPciAddresses(domainOf(x)).length > 0))
        throw new PlanError("source-vf", _("The VM holds a VF: its migration needs a VF on the destination"));
    const destUri = libvirtUri({ transport: o.transport, host: o.host, user: o.user, port: o.port });
    const migrateUri = o.migrationAddress !== undefined ? migrationUri(o.migrationAddress, o.migrationPort) : undefined;
    const move = (field: string, xml: string) => (sourceVf !== null && destinationVf !== null ? retarget(field, xml, sourceVf, destinationVf) : xml);
    const destinationXml = move("destination_xml", input.liveXml);
    let persistentXml: string | undefined;
    if (o.persistOnDestination) {
        if (input.inactiveXml === undefined)
            throw new PlanError("persistent_xml", _("The VM's persistent definition is needed to define it on the destination"));
        persistentXml = move("persistent_xml", input.inactiveXml);
    }
    const flags = migrationFlags(o);
    const params: TypedParams = { destination_xml: variant.string(destinationXml) };
    if (persistentXml !== undefined) params.persistent_xml = variant.string(persistentXml);
    if (migrateUri !== undefined) params.migrate_uri = variant.string(migrateUri);
    if (o.bandwidth !== undefined) params.bandwidth = variant.ullong(Bandwidth.of(o.bandwidth));
    if (o.parallelConnections > 1) params["parallel.connections"] = variant.int(o.parallelConnections);

    const argv = virshShown.migrate(vm, {
        destUri, xmlFile: DESTINATION_XML_FILE,
        ...(migrateUri !== undefined ? { migrateUri } : {}),
        ...(persistentXml !== undefined ? { persistentXmlFile: PERSISTENT_XML_FILE } : {}),
        persistent: (flags & MigrateFlags.PERSIST_DEST) !== 0, undefineSource: (flags & MigrateFlags.UNDEFINE_SOURCE) !== 0,
        copyStorageAll: (flags & MigrateFlags.NON_SHARED_DISK) !== 0, tls: (flags & MigrateFlags.TLS) !== 0,
        ...(flags & MigrateFlags.PARALLEL ? { parallelConnections: o.parallelConnections } : {}),
        ...(o.bandwidth !== undefined ? { bandwidth: o.bandwidth } : {}),
    });
    const shown = [{ name: DESTINATION_XML_FILE, ...maskDomainSecrets(destinationXml) },
        ...(persistentXml !== undefined ? [{ name: PERSISTENT_XML_FILE, ...maskDomainSecrets(persistentXml) }] : [])];

    const plan: MigrationPlan = {
        transport: o.transport, memoryEncrypted: (flags & MigrateFlags.TLS) !== 0,
        destUri, sourceVf, destinationVf, destinationXml, flags, flagNames: migrateFlagNames(flags), params,
        request: { destUri, params, flags, virsh: argv },
        virsh: { argv, files: shown.map(f => ({ name: f.name, content: f.text })), masked: shown.reduce((n, f) => n + f.masked, 0) },
    };
    if (migrateUri !== undefined) plan.migrateUri = migrateUri;
    if (persistentXml !== undefined) plan.persistentXml = persistentXml;
    if (o.maxDowntimeMs !== undefined) plan.maxDowntimeMs = o.maxDowntimeMs;
    return plan;
}
