/*
 * A failed libvirt-dbus call (libvirt's message in the D-Bus error, or Cockpit's problem code) in plain words,
 * with what to check. libvirt's message is the text `virsh` prints after "error: ", so the classification of
 * `virsh migrate` errors (src/parsers/virsh-migrate-errors.ts) applies; a few D-Bus and Cockpit cases are added.
 */
import { _, format } from "../lib/cockpit";
import { parse } from "../parsers";
import type { MigrateErrorKind } from "../parsers";
import { toCallError } from "../libvirt/client";

export type MigrationErrorKind = MigrateErrorKind | "cancelled" | "vf-in-use" | "domain-not-found" | "no-admin" |
    "libvirt-dbus-missing" | "wait-timeout" | "disconnected" | "connection-lost" | "unknown";

export interface ExplainedError {
    kind: MigrationErrorKind;
    /** one sentence in plain words */
    summary: string;
    /** what the admin should look at */
    checks: string[];
    /** libvirt's own message, unchanged (shown as evidence) */
    detail: string;
    /** false when the migration may still be running or its end is not known: look where the VM is */
    outcomeKnown: boolean;
}

/** Cases the `virsh migrate` classification does not cover; tried only when it finds nothing. */
const EXTRA: [RegExp, MigrationErrorKind][] = [
    [/cancell?ed by client|migration (out )?job: cancell?ed/, "cancelled"],
    [/PCI device \S+ is in use by driver \S+, domain /, "vf-in-use"],
    [/Failed to connect to remote libvirt URI|unable to connect to server/, "unreachable"],
    [/Domain not found|no domain with matching/, "domain-not-found"],
    // QEMU's words when the migration stream's socket fails mid-transfer
    [/Unable to (read from|write to) socket|Connection reset by peer|Broken pipe/, "connection-lost"],
];

function classify(message: string): MigrationErrorKind {
    const lines = message.split("\n").map(l => l.trim()).filter(l => l !== "");
    if (lines.length > 0) {
        const r = parse("virsh-migrate-errors", lines.map(l => `error: ${l}`).join("\n"));
        if (r.ok)
            return r.value.kind;
    }
    return EXTRA.find(([re]) => re.test(message))?.[1] ?? "unknown";
}

function words(kind: MigrationErrorKind, detail: string): { summary: string; checks: string[] } {
    switch (kind) {
    case "vfio-migration-blocker":
    case "migration-blocked":
        return {
            summary: _("QEMU refused to migrate the VM: a device in it does not support migration"),
            checks: [_("The VF's port function has “migratable enable” (devlink port show) on the source"),
                _("The VF is bound to mlx5_vfio_pci, not to plain vfio-pci"),
                _("VF_MIGRATION_MODE is MIGRATION_ENABLED in the Current column of mstconfig -e query")],
        };
    case "hostdev-not-migratable":
        return { summary: _("This libvirt refuses to migrate a VM with a PCI device"), checks: [_("libvirt 8.6 or later and QEMU 8.1 or later on both hosts")] };
    case "postcopy-not-allowed":
        return { summary: _("Post-copy migration is not possible with a VF attached"), checks: [] };
    case "same-host":
        return { summary: _("The destination is this same host"), checks: [_("The destination host name or address"), _("Both hosts have different host UUIDs (virsh sysinfo)")] };
    case "cpu-incompatible":
        return { summary: _("The destination's CPU cannot run the VM's CPU model"), checks: [_("virsh hypervisor-cpu-compare on the destination with the VM's CPU definition")] };
    case "unreachable":
        return {
            summary: _("The source's libvirt could not connect to libvirt on the destination"),
            checks: [_("The destination is up and reachable from the source"), _("libvirt runs on the destination, with the socket for the chosen connection type active"),
                _("The firewall on the destination lets through the port of the connection type (22, 16509 or 16514)")],
        };
    case "auth":
        return { summary: _("The destination refused the source's login"), checks: [_("root on the source can log in to the destination with its SSH key, without a password"), _("The destination's host key is known to root on the source")] };
    case "connection-lost":
        return {
            summary: _("The connection to the destination broke during the migration"),
            checks: [_("The network between the two hosts, and the firewall on the destination for ports 49152–49215"),
                _("The destination's system log (journalctl -u virtqemud) for why the incoming migration stopped")],
        };
    case "port-in-use":
        return { summary: _("No free port for the migration data on the destination"), checks: [_("Ports 49152–49215 on the destination: other migrations, or other programs")] };
    case "domain-exists":
        return { summary: _("A VM of the same name or UUID already exists on the destination"), checks: [_("virsh list --all on the destination")] };
    case "unsafe-storage":
    case "unsafe-cache":
        return { summary: _("libvirt considers the VM's disks unsafe to migrate"), checks: [_("The disks are on shared storage, with cache='none' or 'directsync'"), _("Or choose to copy the storage")] };
    case "snapshots":
        return { summary: _("The VM has snapshots, which cannot be migrated"), checks: [_("virsh snapshot-list of the VM")] };
    case "block-job":
        return { summary: _("A disk job is running on the VM"), checks: [_("virsh blockjob for each disk of the VM")] };
    case "invtsc":
        return { summary: _("The VM's CPU has the invtsc feature without a fixed TSC frequency"), checks: [_("The <clock> and <cpu> sections of the VM's definition")] };
    case "cancelled":
        return { summary: _("The migration was cancelled; the VM keeps running on the source"), checks: [] };
    case "vf-in-use": {
        const m = /PCI device (\S+) is in use by driver \S+, domain (\S+)/.exec(detail);
        return {
            summary: m ? format(_("The destination VF $0 is in use by the VM $1"), m[1], m[2].replace(/[.,]$/, "")) : _("The destination VF is in use by another VM"),
            checks: [_("Choose another free, prepared VF on the destination")],
        };
    }
    case "domain-not-found":
        return { summary: _("libvirt no longer knows this VM here"), checks: [_("Whether the VM has moved to the destination already")] };
    case "no-admin":
        return { summary: _("This needs administrative access"), checks: [_("Turn on administrative access in the web console")] };
    case "libvirt-dbus-missing":
        return { summary: _("libvirt's D-Bus service is not available on this host"), checks: [_("The libvirt-dbus package is installed"), _("libvirt is running")] };
    case "wait-timeout":
        return { summary: _("No answer from libvirt in time; the migration may still be running"), checks: [_("The migration's progress, and where the VM runs now")] };
    case "disconnected":
        return { summary: _("The connection to this host was lost; the migration may still be running inside libvirt"), checks: [_("Reload the page: a running migration is shown again")] };
    default:
        return { summary: _("libvirt reported an error"), checks: [] };
    }
}

/**
 * Any rejection of a LibvirtClient call (or of cockpit.dbus directly). `dataSent`: the migration had sent data, so
 * the peer connection had opened: libvirt says "End of file while reading data" both when it cannot open it and
 * when it breaks.
 */
export function explainLibvirtError(e: unknown, { dataSent = false }: { dataSent?: boolean } = {}): ExplainedError {
    const err = toCallError("", e);
    let kind: MigrationErrorKind;
    if (err.dbusName === "org.freedesktop.DBus.Error.ServiceUnknown" || err.dbusName === "org.freedesktop.DBus.Error.NameHasNoOwner" ||
        (err.problem === "not-found" && !err.dbusName))
        kind = "libvirt-dbus-missing";
    else if (err.problem === "access-denied" || err.dbusName === "org.freedesktop.DBus.Error.AccessDenied")
        kind = "no-admin";
    else if (err.problem === "timeout" || err.dbusName === "org.freedesktop.DBus.Error.NoReply" || err.dbusName === "org.freedesktop.DBus.Error.Timeout")
        kind = "wait-timeout";
    else if (err.problem === "disconnected" || err.problem === "terminated")
        kind = "disconnected";
    else
        kind = classify(err.message);
    if (kind === "unreachable" && dataSent)
        kind = "connection-lost";
    const { summary, checks } = words(kind, err.message);
    return { kind, summary, checks, detail: err.message, outcomeKnown: kind !== "wait-timeout" && kind !== "disconnected" };
}
