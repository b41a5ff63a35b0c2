/*
 * The preparation's record as the page writes it, checked when it is read back. The file lives on the host, so it
 * is host data like any other: every field typed, every string capped, unknown fields and steps dropped, the
 * options re-validated as their value types, and the PF one of this host's ConnectX-7 PFs. Anything else is not
 * a record this page wrote, and the caller says so rather than run from it.
 */
import { _, format } from "../lib/cockpit";
import { BridgeName, PciAddress, parseVfCount, shown } from "../host/values";
import type { RecordedCommand } from "../host/record";
import { stepById } from "./all";
import type { StepRun } from "./runner";
import type { PrepareOptions } from "./types";

/** What the page writes to prepare.json, one step's latest run. */
export interface StepRecord {
    state: "running" | "ok" | "failed" | "undone" | "undo-failed";
    startedAt: number;
    finishedAt: number | null;
    /** src/host/record.ts: the part of a command record prepare.json keeps, under the same field names */
    commands: RecordedCommand[];
    failure?: StepRun["failure"];
}

export interface ProgressRecord {
    version: 1;
    updatedAt: number;
    /** the PF being prepared, and what the admin chose */
    pf: string;
    options: PrepareOptions;
    /** by step id: its latest run */
    steps: Record<string, StepRecord>;
    /** a reboot or firmware reset still to do, and the steps that call for it */
    pending: { reboot?: { why: string[]; since: number }; firmwareReset?: { why: string[]; since: number } };
    /** set just before a reboot is started: the page knows, when it comes back, that the host rebooted on purpose */
    rebootRequestedAt?: number;
}

/** What a record may hold; the writer keeps within them (progress.ts) so that the page never refuses its own. */
export const LIMITS = {
    /** bytes of the file read at most */
    fileBytes: 1024 * 1024,
    /** characters kept of a command's stdout or stderr (the writer keeps the last ones, after "…") */
    output: 4000,
    line: 4096,
    message: 4000,
    commands: 100,
    why: 32,
    title: 512,
};
/** VF count of the PCI SR-IOV capability (TotalVFs is a 16-bit field) */
const MAX_VFS = 0xffff;

type Obj = Record<string, unknown>;
const is = (path: string, what: string) => new Error(format(_("$0 is not $1"), path, what));

function obj(v: unknown, path: string): Obj {
    if (typeof v !== "object" || v === null || Array.isArray(v))
        throw is(path, _("an object"));
    return v as Obj;
}

function list(v: unknown, path: string, max: number): unknown[] {
    if (!Array.isArray(v))
        throw is(path, _("a list"));
    if (v.length > max)
        throw new Error(format(_("$0 has more than $1 entries"), path, max));
    return v;
}

function text(v: unknown, path: string, max: number): string {
    if (typeof v !== "string")
        throw is(path, _("text"));
    if (v.length > max)
        throw new Error(format(_("$0 is longer than $1 characters"), path, max));
    return v;
}

function num(v: unknown, path: string, whole = false): number {
    if (typeof v !== "number" || !Number.isFinite(v) || (whole && !Number.isSafeInteger(v)))
        throw is(path, whole ? _("a whole number") : _("a number"));
    return v;
}

function time(v: unknown, path: string): number {
    const n = num(v, path);
    if (n < 0)
        throw is(path, _("a time"));
    return n;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v))
        throw is(path, format(_("one of $0"), allowed.join(", ")));
    return v as T;
}

function bool(v: unknown, path: string): boolean {
    if (typeof v !== "boolean")
        throw is(path, _("true or false"));
    return v;
}

const own = (o: Obj, k: string) => Object.hasOwn(o, k) && o[k] !== undefined && o[k] !== null;

function options(v: unknown): PrepareOptions {
    const o = obj(v, "options");
    const bridge = BridgeName.parse(o.bridge);
    if (!bridge.ok)
        throw new Error(`options.bridge: ${bridge.error.message}`);
    const numVfs = parseVfCount(o.numVfs, MAX_VFS);
    if (!numVfs.ok)
        throw new Error(`options.numVfs: ${numVfs.error.message}`);
    return { protocol: oneOf(o.protocol, "options.protocol", ["ssh", "tls", "tcp"]), bridge: bridge.value, numVfs: numVfs.value, persist: bool(o.persist, "options.persist") };
}

function command(v: unknown, path: string): StepRecord["commands"][number] {
    const c = obj(v, path);
    return {
        line: text(c.line, `${path}.line`, LIMITS.line),
        exitStatus: num(c.exitStatus, `${path}.exitStatus`, true),
        stdout: text(c.stdout, `${path}.stdout`, LIMITS.output + 1),
        stderr: text(c.stderr, `${path}.stderr`, LIMITS.output + 1),
        durationMs: time(c.durationMs, `${path}.durationMs`),
    };
}

function step(v: unknown, path: string): StepRecord {
    const s = obj(v, path);
    const rec: StepRecord = {
        state: oneOf(s.state, `${path}.state`, ["running", "ok", "failed", "undone", "undo-failed"]),
        startedAt: time(s.startedAt, `${path}.startedAt`),
        finishedAt: s.finishedAt === null ? null : time(s.finishedAt, `${path}.finishedAt`),
        commands: list(s.commands, `${path}.commands`, LIMITS.commands).map((c, i) => command(c, `${path}.commands[${i}]`)),
    };
    if (own(s, "failure")) {
        const f = obj(s.failure, `${path}.failure`);
        const index = num(f.index, `${path}.failure.index`, true);
        rec.failure = {
            index, kind: oneOf(f.kind, `${path}.failure.kind`, ["exit", "transport", "cancelled", "guard"]),
            message: text(f.message, `${path}.failure.message`, LIMITS.message),
        };
    }
    return rec;
}

function pendingOne(v: unknown, path: string): { why: string[]; since: number } {
    const p = obj(v, path);
    return { why: list(p.why, `${path}.why`, LIMITS.why).map((w, i) => text(w, `${path}.why[${i}]`, LIMITS.title)), since: time(p.since, `${path}.since`) };
}

/**
 * The record in `source`, or an Error saying what was wrong with it. `pfs`: this host's ConnectX-7 PFs (a record
 * names one of them, or none when the host had none to prepare); null when they could not be read.
 */
export function parseProgressRecord(source: string, pfs: readonly string[] | null): ProgressRecord {
    let json: unknown;
    try {
        json = JSON.parse(source);
    } catch (e) {
        throw new Error(format(_("not JSON: $0"), String((e as Error).message)));
    }
    const r = obj(json, _("the file"));
    if (r.version !== 1)
        throw new Error(format(_("version $0 is not one this page knows (1)"), shown(JSON.stringify(r.version) ?? _("none"))));
    const pf = text(r.pf, "pf", 64);
    if (pf !== "" && pfs === null)
        throw new Error(format(_("the PF $0 cannot be checked: this host's ConnectX-7 PFs could not be read"), shown(pf)));
    if (pf !== "" && !(PciAddress.parse(pf).ok && pfs?.includes(pf)))
        throw new Error(format(_("the PF $0 is not one of this host's ConnectX-7 PFs ($1)"), shown(pf), pfs?.join(", ") || _("none found")));
    const steps: Record<string, StepRecord> = {};
    for (const [id, s] of Object.entries(obj(r.steps, "steps"))) {
        if (stepById(id))
            steps[id] = step(s, `steps.${id}`);
    }
    const pending: ProgressRecord["pending"] = {};
    if (own(r, "pending")) {
        const p = obj(r.pending, "pending");
        if (own(p, "reboot"))
            pending.reboot = pendingOne(p.reboot, "pending.reboot");
        if (own(p, "firmwareReset"))
            pending.firmwareReset = pendingOne(p.firmwareReset, "pending.firmwareReset");
    }
    return {
        version: 1, updatedAt: time(r.updatedAt, "updatedAt"), pf, options: options(r.options), steps, pending,
        ...(own(r, "rebootRequestedAt") ? { rebootRequestedAt: time(r.rebootRequestedAt, "rebootRequestedAt") } : {}),
    };
}
