/*
 * Checks before anything changes, as pure functions over facts already read: vIOMMU in the domain, disks the
 * destination cannot see, the 4-VFs-per-port limit of mlx5 migration, and whether the memory transfer converges.
 */
import { _, format, ngettext } from "../lib/cockpit";
import type { Judgement } from "../checks/types";
import type { DomainDisk, DomainXml } from "../parsers/libvirt-domain-xml";

/** The part of a finding a precheck decides; the caller adds the title and the evidence. */
export type PrecheckResult = Judgement<"viommu" | "storage" | "memory" | "concurrent-vfs" | "convergence">;

/** RHEL: no virtual IOMMU in a VM whose Mellanox VF is to be migrated. */
export function checkViommu(d: DomainXml): PrecheckResult {
    if (!d.viommu)
        return { id: "viommu", verdict: "pass", summary: _("No virtual IOMMU"), details: [] };
    const where = d.viommu.source === "element"
        ? format(_("<iommu model='$0'> on line $1 of the domain XML"), d.viommu.model ?? "?", d.viommu.line)
        : format(_("a $0 IOMMU added through <qemu:commandline> (line $1)"), d.viommu.model ?? "?", d.viommu.line);
    return {
        id: "viommu", verdict: "fail", details: [where],
        summary: _("The VM has a virtual IOMMU: a VM with a Mellanox VF cannot be live-migrated with one. Remove it from the VM's definition (shut down the VM first)."),
    };
}

/** What the destination said about one disk path: it exists there, and on which file system type (stat -f -c %T). */
export interface DestinationPath { exists: boolean; fsType?: string }

/** File system types whose contents two hosts see alike (network or cluster file systems). */
const SHARED_FS = /^(nfs|nfs4|cifs|smb2|smb3|ceph|fuse\.ceph|glusterfs|fuse\.glusterfs|gpfs|ocfs2|gfs2|lustre|beegfs|fuse\.beegfs|virtiofs|9p)$/;

function diskPath(d: DomainDisk): string | undefined {
    return d.sourceFile ?? d.sourceDev;
}

/**
 * The disks must be on storage the destination sees at the same path — network disks (rbd, iscsi, …) always are.
 * Heuristic for file and block disks: the destination's answer for the same path. Missing there → refused unless
 * the admin chose to copy the storage. Present on a local file system → warning: it may be a different copy.
 * A path the destination was not asked about → unknown.
 */
export function checkStorage(disks: readonly DomainDisk[], destination: Readonly<Record<string, DestinationPath>>,
                             copyStorage: boolean): PrecheckResult {
    const missing: string[] = [];
    const local: string[] = [];
    const unasked: string[] = [];
    for (const d of disks) {
        if (d.type === "network")
            continue;
        const path = diskPath(d);
        if (path === undefined)
            continue; // an empty CD-ROM drive
        const answer = destination[path];
        if (!answer)
            unasked.push(path);
        else if (!answer.exists)
            missing.push(path);
        else if (!SHARED_FS.test(answer.fsType ?? "") && d.type !== "block")
            local.push(format(_("$0 (on $1 there)"), path, answer.fsType ?? _("an unknown file system")));
    }
    const details = [...missing.map(p => format(_("missing on the destination: $0"), p)),
        ...local.map(p => format(_("present on a local file system: $0"), p)),
        ...unasked.map(p => format(_("not checked: $0"), p))];
    if (missing.length > 0 && !copyStorage)
        return {
            id: "storage", verdict: "fail", details,
            summary: format(ngettext("$0 disk is not on storage the destination sees at the same path. Use shared storage, or choose to copy the storage.",
                                     "$0 disks are not on storage the destination sees at the same path. Use shared storage, or choose to copy the storage.",
                                     missing.length), missing.length),
        };
    if (missing.length > 0)
        return { id: "storage", verdict: "warn", details, summary: _("The disks will be copied to the destination: the migration takes longer") };
    if (unasked.length > 0)
        return { id: "storage", verdict: "unknown", details, summary: _("Not every disk could be checked on the destination") };
    if (local.length > 0)
        return {
            id: "storage", verdict: "warn", details,
            summary: _("A disk path exists on the destination but on a local file system: make sure both hosts see the same storage, not two copies"),
        };
    return { id: "storage", verdict: "pass", details, summary: _("Every disk is on storage the destination sees") };
}

/** mlx5: at most 4 VFs of one port (PF) may be migrating at the same time. */
export const MAX_VFS_MIGRATING_PER_PF = 4;

/** `migrating`: the PF of every VF now migrating from or to this host; `pf`: the PF of the VF about to move. */
export function checkConcurrentVfs(migrating: readonly string[], pf: string): PrecheckResult {
    const already = migrating.filter(p => p === pf).length;
    const details = [format(_("VFs of $0 migrating now: $1"), pf, already)];
    if (already + 1 > MAX_VFS_MIGRATING_PER_PF)
        return {
            id: "concurrent-vfs", verdict: "fail", details,
            summary: format(_("$0 VFs of port $1 are already migrating; at most $2 may migrate at the same time. Wait for one to finish."),
                            already, pf, MAX_VFS_MIGRATING_PER_PF),
        };
    return { id: "concurrent-vfs", verdict: "pass", details, summary: format(_("$0 of at most $1 VFs of this port migrating"), already + 1, MAX_VFS_MIGRATING_PER_PF) };
}

export interface EstimateInput {
    /** measured with domdirtyrate-calc BEFORE the VF was attached (not possible after), MiB/s */
    dirtyRateMiBps: number;
    /** link speed between the hosts, Mb/s (ethtool's "Speed") */
    linkMbps: number;
    /** the VM's memory, MiB */
    ramMiB: number;
    /** the bandwidth cap chosen for the migration, MiB/s */
    bandwidthMiBps?: number;
    /** the switch-over pause allowed, ms (QEMU's default 300) */
    maxDowntimeMs?: number;
}

export interface Estimate {
    /** what the transfer runs at: the link (less TCP/IP overhead) or the cap, MiB/s */
    transferMiBps: number;
    /** dirty rate / transfer rate: below 1 each pass is shorter than the one before */
    ratio: number;
    converges: boolean;
    /** ratio ≥ 0.8: converges only slowly, and the estimate is fragile */
    marginal: boolean;
    /** pre-copy passes before the rest fits in the downtime window */
    iterations?: number;
    /** estimated total time, seconds (undefined when it does not converge) */
    seconds?: number;
}

/** TCP/IP and QEMU stream overhead: about 10 % of the line rate does not carry guest memory. */
export const LINK_EFFICIENCY = 0.9;
export const DEFAULT_DOWNTIME_MS = 300;

/**
 * Pre-copy model. B = min(link × efficiency, cap) in MiB/s, D = dirty rate, M = RAM, r = D / B.
 * Pass 0 sends M in t0 = M / B; pass k+1 resends what was dirtied during pass k: t(k+1) = r · t(k), so pass k
 * sends M·r^k. The switch-over happens once what is left fits in the downtime: M·r^n ≤ B·downtime, i.e.
 * n = ceil(ln(B·downtime / M) / ln r). Total ≈ t0 · (1 − r^(n+1)) / (1 − r). It converges only if r < 1.
 * Real dirtying is bounded by the working set, so long passes resend less than D·t: the estimate errs long.
 * With a VF attached the VF's device state is also sent at the switch-over; it is not in this estimate.
 */
export function estimateMigration(i: EstimateInput): Estimate {
    const linkMiBps = (i.linkMbps * 1e6 / 8 / 1048576) * LINK_EFFICIENCY;
    const B = i.bandwidthMiBps !== undefined ? Math.min(linkMiBps, i.bandwidthMiBps) : linkMiBps;
    if (!(B > 0) || !(i.ramMiB > 0) || !(i.dirtyRateMiBps >= 0))
        return { transferMiBps: Math.max(0, B || 0), ratio: Infinity, converges: false, marginal: false };
    const r = i.dirtyRateMiBps / B;
    const t0 = i.ramMiB / B;
    const window = B * (i.maxDowntimeMs ?? DEFAULT_DOWNTIME_MS) / 1000;
    if (r >= 1)
        return { transferMiBps: B, ratio: r, converges: false, marginal: false };
    if (r === 0 || i.ramMiB <= window)
        return { transferMiBps: B, ratio: r, converges: true, marginal: false, iterations: 0, seconds: t0 };
    const n = Math.max(0, Math.ceil(Math.log(window / i.ramMiB) / Math.log(r)));
    const seconds = t0 * (1 - r ** (n + 1)) / (1 - r);
    return { transferMiBps: B, ratio: r, converges: true, marginal: r >= 0.8, iterations: n, seconds };
}

export function checkConvergence(e: Estimate): PrecheckResult {
    const details = [format(_("transfer $0 MiB/s, dirtying $1 % of it"), Math.round(e.transferMiBps), Math.round(e.ratio * 100))];
    if (!e.converges)
        return {
            id: "convergence", verdict: "fail", details,
            summary: _("The VM writes to its memory faster than the link can carry it: the migration would never finish. Lower the VM's load, raise the bandwidth, or use a faster link."),
        };
    const passes = (e.iterations ?? 0) + 1;
    const time = format(ngettext("about $0 s in $1 pass", "about $0 s in $1 passes", passes), Math.ceil(e.seconds ?? 0), passes);
    return e.marginal
        ? { id: "convergence", verdict: "warn", details: [...details, time], summary: format(_("Converges slowly: $0"), time) }
        : { id: "convergence", verdict: "pass", details: [...details, time], summary: format(_("Estimated migration time: $0"), time) };
}

/**
 * A VM with a VFIO device has all its memory pinned (VFIO locks every guest page for the device's DMA): the
 * destination must have it available (MemAvailable), or QEMU fails to start there during the migration.
 */
export function checkMemory(needMiB: number | null, availableMiB: number | null): PrecheckResult {
    if (needMiB === null || availableMiB === null)
        return { id: "memory", verdict: "unknown", details: [],
            summary: needMiB === null ? _("The VM's memory size could not be read from its XML") : _("The destination's free memory could not be read") };
    const [need, have] = [Math.round(needMiB), Math.round(availableMiB)];
    return needMiB > availableMiB
        ? { id: "memory", verdict: "fail", details: [],
            summary: format(_("The VM needs $0 MiB, all pinned for its VF; the destination has $1 MiB available: free memory there, or choose another destination"), need, have) }
        : { id: "memory", verdict: "pass", details: [], summary: format(_("The VM's $0 MiB, pinned for its VF, fit in the destination's $1 MiB available"), need, have) };
}
