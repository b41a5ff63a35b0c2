/*
 * Words and figures of the migration stage: libvirt's flags in plain words, sizes and rates, and the lines of a
 * domain XML that the plan changed (the hostdev's source address) as a small diff.
 */
import { _, format } from "../../lib/cockpit";

export function flagWords(name: string): string {
    switch (name) {
    case "LIVE": return _("live: the VM keeps running while its memory is copied");
    case "PEER2PEER": return _("peer-to-peer: this host's libvirt connects to the destination's libvirt itself");
    case "ABORT_ON_ERROR": return _("stop on a disk I/O error, leaving the VM running here");
    case "PERSIST_DEST": return _("define the VM on the destination afterwards");
    case "UNDEFINE_SOURCE": return _("remove the VM's definition from this host afterwards");
    case "PARALLEL": return _("several parallel connections for the memory");
    case "NON_SHARED_DISK": return _("copy the disks to the destination");
    case "TLS": return _("the VM's memory is encrypted with TLS, with the certificates in /etc/pki/qemu on both hosts");
    default: return name;
    }
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function bytes(n: number | undefined): string {
    if (n === undefined)
        return "—";
    let v = n;
    let i = 0;
    while (v >= 1024 && i < UNITS.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}

export const rate = (bps: number | undefined): string => (bps === undefined ? "—" : format(_("$0/s"), bytes(bps)));

export function duration(ms: number | undefined): string {
    if (ms === undefined)
        return "—";
    if (ms < 1000)
        return format(_("$0 ms"), Math.round(ms));
    const s = ms / 1000;
    if (s < 120)
        return format(_("$0 s"), s.toFixed(1));
    return format(_("$0 min $1 s"), Math.floor(s / 60), Math.round(s % 60));
}

export interface DiffLine { line: number; before: string; after: string }

/**
 * The lines that differ between a document and its rewrite. The plan's rewrite replaces attribute values in place
 * (never adds or removes a line), so lines are compared by position; a rewrite with another line count is shown
 * whole as changed.
 */
export function changedLines(before: string, after: string): DiffLine[] {
    const a = before.split("\n");
    const b = after.split("\n");
    if (a.length !== b.length)
        return [{ line: 1, before, after }];
    return a.flatMap((l, i) => (l === b[i] ? [] : [{ line: i + 1, before: l.trim(), after: b[i].trim() }]));
}
