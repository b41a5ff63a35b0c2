/*
 * The vocabulary of every check: facts read from a host (each with the command output that established it), and
 * checks that turn facts into a finding (a verdict, a reason, the evidence and a fix). Everything here is pure data.
 */

import type { CommandRecord } from "../host/record";
import type { Argv } from "../host/argv";
import type { SysfsPath, SysfsValue } from "../host/values";

export type Verdict = "pass" | "warn" | "fail" | "unknown" | "pending-reboot";

export type CheckGroup = "hardware" | "kernel" | "packages" | "sriov" | "ovs" | "libvirt";

/**
 * What ran on a host and what it printed: the raw material of every verdict. The part of a command record
 * (src/host/record.ts) a verdict needs; `truncated`: only the first `outputLimit` bytes of that stream were kept; `stoppedAfterS`: a time limit stopped it.
 */
export type CommandEvidence = Pick<CommandRecord, "host" | "argv" | "stdout" | "stderr" | "exitStatus" | "durationMs" | "truncated"
    | "outputLimit" | "stoppedAfterS">;

/** The evidence that decided: a command and the lines of its output that mattered. */
export interface Evidence {
    command: CommandEvidence;
    lines: string[];
}

/** A fact is known (with its evidence) or unknown (with why, and the raw output that could not be read). */
export type Fact<T> =
    | { known: true; value: T; evidence: Evidence[] }
    | { known: false; reason: string; evidence: Evidence[] };

export function known<T>(value: T, ...evidence: Evidence[]): Fact<T> {
    return { known: true, value, evidence };
}

export function unknown<T>(reason: string, ...evidence: Evidence[]): Fact<T> {
    return { known: false, reason, evidence };
}

/**
 * A fix is a command the admin can copy (and the preparation stage can run), or something outside the host: a
 * command from the argv builders (src/host), or a sysfs attribute to write (shown as `echo VALUE | tee -- PATH`).
 * A check whose failure a preparation step repairs shows that step's commands (both come from src/rules).
 */
export type FixCommand = Argv | { path: SysfsPath; value: SysfsValue };

export type Fix =
    | { kind: "command"; argv: FixCommand[]; note?: string }
    | { kind: "manual"; text: string };

/**
 * One verdict with its evidence, as every check reports it: the status page's checks, the per-VM checks, the
 * verification after a migration and the destination VF's re-check before it.
 */
export interface Finding<Id extends string = string> {
    id: Id;
    title: string;
    verdict: Verdict;
    /** one line: what was found */
    summary: string;
    /** one line per item that decided (a disk, a VF, a figure) */
    details: string[];
    evidence: Evidence[];
    fix?: Fix;
}

/** A status check's finding: its title is its definition's. */
export type CheckResult = Omit<Finding, "title">;

/** What a pure check over facts already read decides (the prechecks); its caller adds the title and the evidence. */
export type Judgement<Id extends string = string> = Pick<Finding<Id>, "id" | "verdict" | "summary" | "details">;

export interface CheckDef<F> {
    id: string;
    group: CheckGroup;
    title: string;
    /** One sentence: what it checks. */
    description: string;
    /** Why it matters for the migration. */
    why: string;
    docs?: string;
    evaluate(facts: F): CheckResult;
}

/** The worst verdict first, for summaries and sorting. */
export const VERDICT_ORDER: Verdict[] = ["fail", "unknown", "pending-reboot", "warn", "pass"];

export function worst(verdicts: Verdict[]): Verdict {
    for (const v of VERDICT_ORDER)
        if (verdicts.includes(v))
            return v;
    return "pass";
}
