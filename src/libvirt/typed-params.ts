/*
 * libvirt typed parameters over D-Bus: libvirt-dbus maps each virTypedParameter to an a{sv} entry whose variant
 * type follows the parameter's type (INT i, UINT u, LLONG x, ULLONG t, DOUBLE d, BOOLEAN b, STRING s), and back.
 * cockpit.dbus represents a variant as { t: "<signature>", v: <value> }. libvirt checks the type of every
 * parameter it receives, so "bandwidth" must be a 't' and "parallel.connections" an 'i' (libvirt 11.3 answers a
 * string bandwidth with "invalid type 'string' for parameter 'bandwidth', expected 'ullong'").
 * Replies (GetJobStats, GetStats, Properties.GetAll) wrap each value twice: libvirt-dbus adds a variant of a
 * variant, so cockpit gives { t: "v", v: { t: "t", v: 5000 } } (seen with busctl --json and through Cockpit 337).
 */
import { JOB_TYPES, JobType } from "./constants";

export interface Variant { t: string; v: unknown }
export type TypedParams = Record<string, Variant>;

export const variant = {
    string: (v: string): Variant => ({ t: "s", v }),
    int: (v: number): Variant => ({ t: "i", v: intIn(v, -0x80000000, 0x7fffffff) }),
    uint: (v: number): Variant => ({ t: "u", v: intIn(v, 0, 0xffffffff) }),
    ullong: (v: number): Variant => ({ t: "t", v: intIn(v, 0, Number.MAX_SAFE_INTEGER) }),
    boolean: (v: boolean): Variant => ({ t: "b", v }),
};

function intIn(n: number, min: number, max: number): number {
    if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new RangeError(`typed parameter out of range ${min}..${max}: ${n}`);
    return n;
}

/** A variant as it arrived, unwrapped when its type is one libvirt uses; undefined otherwise. */
export function fromVariant(x: unknown, depth = 0): number | string | boolean | undefined {
    if (typeof x !== "object" || x === null || !("t" in x) || !("v" in x))
        return undefined;
    const { t, v } = x as Variant;
    if (t === "v")
        return depth < 3 ? fromVariant(v, depth + 1) : undefined;
    if ("iuxtd".includes(t) && t.length === 1) {
        // cockpit may send 64-bit integers as strings when they exceed 2^53
        const n = typeof v === "string" ? Number(v) : v;
        return typeof n === "number" && Number.isFinite(n) ? n : undefined;
    }
    if (t === "b" && typeof v === "boolean")
        return v;
    if (t === "s" && typeof v === "string")
        return v;
    return undefined;
}

/** Unwraps every entry of an a{sv} that has a libvirt type; other entries are dropped. */
export function unwrapParams(params: unknown): Record<string, number | string | boolean> {
    const out: Record<string, number | string | boolean> = {};
    if (typeof params !== "object" || params === null)
        return out;
    for (const [k, x] of Object.entries(params as Record<string, unknown>)) {
        const v = fromVariant(x);
        if (v !== undefined)
            out[k] = v;
    }
    return out;
}

/**
 * virDomainGetJobStats as the UI uses it (VIR_DOMAIN_JOB_* names). Every figure is optional: libvirt reports
 * what QEMU gives, and older versions fewer (vfio_data_transferred since 10.6).
 */
export interface JobStats {
    type: JobType;
    /** the raw virDomainJobType number (an unknown one is reported as type "none") */
    typeCode: number;
    /** VIR_DOMAIN_JOB_OPERATION_*: 4 incoming migration, 5 outgoing migration */
    operation?: number;
    timeElapsedMs?: number;
    timeRemainingMs?: number;
    /** expected downtime while running, total downtime once completed */
    downtimeMs?: number;
    setupTimeMs?: number;
    dataTotal?: number;
    dataProcessed?: number;
    dataRemaining?: number;
    memoryTotal?: number;
    memoryProcessed?: number;
    memoryRemaining?: number;
    /** bytes per second */
    memoryBps?: number;
    /** pages per second */
    memoryDirtyRate?: number;
    memoryIteration?: number;
    memoryPageSize?: number;
    diskTotal?: number;
    diskProcessed?: number;
    diskRemaining?: number;
    diskBps?: number;
    autoConvergeThrottle?: number;
    /** VFIO device state sent so far (libvirt >= 10.6): the VF's share, absent from the data_* totals */
    vfioDataTransferred?: number;
    success?: boolean;
    errmsg?: string;
    /** every parameter as received, unwrapped */
    raw: Record<string, number | string | boolean>;
}

const NUMERIC: [keyof JobStats, string][] = [
    ["operation", "operation"], ["timeElapsedMs", "time_elapsed"], ["timeRemainingMs", "time_remaining"],
    ["downtimeMs", "downtime"], ["setupTimeMs", "setup_time"], ["dataTotal", "data_total"],
    ["dataProcessed", "data_processed"], ["dataRemaining", "data_remaining"], ["memoryTotal", "memory_total"],
    ["memoryProcessed", "memory_processed"], ["memoryRemaining", "memory_remaining"], ["memoryBps", "memory_bps"],
    ["memoryDirtyRate", "memory_dirty_rate"], ["memoryIteration", "memory_iteration"],
    ["memoryPageSize", "memory_page_size"], ["diskTotal", "disk_total"], ["diskProcessed", "disk_processed"],
    ["diskRemaining", "disk_remaining"], ["diskBps", "disk_bps"], ["autoConvergeThrottle", "auto_converge_throttle"],
    ["vfioDataTransferred", "vfio_data_transferred"],
];

/** GetJobStats' reply, (ia{sv}), to JobStats. */
export function jobStatsFrom(typeCode: unknown, params: unknown): JobStats {
    const code = typeof typeCode === "number" && Number.isInteger(typeCode) ? typeCode : 0;
    const raw = unwrapParams(params);
    const out: JobStats = { type: JOB_TYPES[code] ?? "none", typeCode: code, raw };
    const o = out as unknown as Record<string, unknown>;
    for (const [key, name] of NUMERIC)
        if (typeof raw[name] === "number")
            o[key] = raw[name];
    if (typeof raw.success === "boolean")
        out.success = raw.success;
    if (typeof raw.errmsg === "string")
        out.errmsg = raw.errmsg;
    return out;
}
