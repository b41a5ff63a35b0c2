/**
 * `virsh domjobinfo <vm> [--completed]`: "%-17s value" lines (tools/virsh-domain.c cmdDomjobinfo).
 * Times "%-12llu ms"; sizes "%.3lf <B|KiB|MiB|GiB|TiB|PiB|EiB>" (converted to bytes, so approximate);
 * bandwidths "<size>/s"; "Dirty rate: N pages/s"; counts bare. Numeric fields carry trailing padding.
 * With a Mellanox VF attached, memory figures leave out the VF's device state (progress is an estimate).
 */
import { fail, failWhole, Line, oneOf, requireContent, uint } from "./common";

/** virDomainJobType in enum order, as virsh prints it (src/libvirt/constants.ts takes the numbering from here) */
export const VIRSH_JOB_TYPES = ["None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled"] as const;
export const JOB_OPERATIONS = [
    "Unknown", "Start", "Save", "Restore", "Incoming migration", "Outgoing migration", "Snapshot",
    "Snapshot revert", "Dump", "Backup", "Snapshot delete",
] as const;
export type VirshJobType = typeof VIRSH_JOB_TYPES[number];
export type JobOperation = typeof JOB_OPERATIONS[number];

type Unit = "ms" | "bytes" | "bytesPerSecond" | "pagesPerSecond" | "count" | "percent" | "text";

const LABELS = {
    "Time elapsed": ["timeElapsedMs", "ms"],
    "Time elapsed w/o network": ["timeElapsedNetMs", "ms"],
    "Time remaining": ["timeRemainingMs", "ms"],
    "Data processed": ["dataProcessedBytes", "bytes"],
    "Data remaining": ["dataRemainingBytes", "bytes"],
    "Data total": ["dataTotalBytes", "bytes"],
    "Memory processed": ["memoryProcessedBytes", "bytes"],
    "Memory remaining": ["memoryRemainingBytes", "bytes"],
    "Memory total": ["memoryTotalBytes", "bytes"],
    "Memory bandwidth": ["memoryBytesPerSecond", "bytesPerSecond"],
    "Dirty rate": ["dirtyRatePagesPerSecond", "pagesPerSecond"],
    "Page size": ["pageSizeBytes", "bytes"],
    "Iteration": ["iteration", "count"],
    "Postcopy requests": ["postcopyRequests", "count"],
    "File processed": ["fileProcessedBytes", "bytes"],
    "File remaining": ["fileRemainingBytes", "bytes"],
    "File total": ["fileTotalBytes", "bytes"],
    "File bandwidth": ["fileBytesPerSecond", "bytesPerSecond"],
    "Constant pages": ["constantPages", "count"],
    "Normal pages": ["normalPages", "count"],
    "Normal data": ["normalDataBytes", "bytes"],
    "Expected downtime": ["expectedDowntimeMs", "ms"],
    "Total downtime": ["totalDowntimeMs", "ms"],
    "Downtime w/o network": ["downtimeNetMs", "ms"],
    "Setup time": ["setupTimeMs", "ms"],
    "Compression cache": ["compressionCacheBytes", "bytes"],
    "Compressed data": ["compressedDataBytes", "bytes"],
    "Compressed pages": ["compressedPages", "count"],
    "Compression cache misses": ["compressionCacheMisses", "count"],
    "Compression overflows": ["compressionOverflows", "count"],
    "Auto converge throttle": ["autoConvergeThrottlePercent", "percent"],
    "Temporary disk space use": ["tempDiskUsedBytes", "bytes"],
    "Temporary disk space total": ["tempDiskTotalBytes", "bytes"],
    "Error message": ["errorMessage", "text"],
} as const satisfies Record<string, readonly [string, Unit]>;

type NumericKey = Exclude<(typeof LABELS)[keyof typeof LABELS][0], "errorMessage">;

export type DomJobInfo = { jobType: VirshJobType; operation?: JobOperation; errorMessage?: string } &
    Partial<Record<NumericKey, number>>;

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

function size(v: string, line: Line, perSecond: boolean): number {
    const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)(\/s)?$/.exec(v);
    if (!m || (m[3] !== undefined) !== perSecond)
        fail(line, `expected a size like "1024.000 MiB${perSecond ? "/s" : ""}"`);
    const unit = m[2] === "bytes" ? 0 : UNITS.indexOf(m[2]);
    if (unit < 0)
        fail(line, `unknown unit "${m[2]}"`);
    return Math.round(Number(m[1]) * 1024 ** unit);
}

function numberWith(v: string, suffix: string, line: Line, label: string): number {
    const m = new RegExp(`^([0-9]+)\\s*${suffix}$`).exec(v);
    if (!m)
        fail(line, `${label}: expected "<n>${suffix ? " " + suffix : ""}", got "${v}"`);
    return uint(m[1], line, label);
}

export function parseDomJobInfo(text: string): DomJobInfo {
    const out: Record<string, string | number> = {};
    for (const line of requireContent(text)) {
        const m = /^([A-Za-z][A-Za-z /]*?):\s+(.*?)\s*$/.exec(line.text);
        if (!m)
            fail(line, 'expected "Label:   value"');
        const [, label, v] = m;
        if (label === "Job type") {
            out.jobType = oneOf(v, VIRSH_JOB_TYPES, line, label);
            continue;
        }
        if (label === "Operation") {
            out.operation = oneOf(v, JOB_OPERATIONS, line, label);
            continue;
        }
        if (!(label in LABELS))
            fail(line, `unknown label "${label}"`);
        const [key, unit] = LABELS[label as keyof typeof LABELS] as readonly [string, Unit];
        if (key in out)
            fail(line, `"${label}" appears twice`);
        switch (unit) {
        case "ms": out[key] = numberWith(v, "ms", line, label); break;
        case "bytes": out[key] = /^[0-9]+$/.test(v) ? uint(v, line, label) : size(v, line, false); break;
        case "bytesPerSecond": out[key] = size(v, line, true); break;
        case "pagesPerSecond": out[key] = numberWith(v, "pages/s", line, label); break;
        case "count": out[key] = numberWith(v, "", line, label); break;
        case "percent": out[key] = numberWith(v, "%", line, label); break;
        case "text": out[key] = v; break;
        }
    }
    if (out.jobType === undefined)
        failWhole('no "Job type:" line');
    return out as DomJobInfo;
}
