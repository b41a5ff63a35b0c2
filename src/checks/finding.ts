/*
 * One verdict with its evidence, as every check outside the status page's definitions reports it: the per-VM
 * checks, the verification after a migration, the pure prechecks (which decide the verdict, summary and details;
 * their caller adds the title and the evidence). The status page's CheckResult is the same shape without a title
 * or details.
 */
import type { Evidence, Fix, Verdict } from "./types";

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

/** What a pure check over facts already read decides. */
export type Judgement<Id extends string = string> = Pick<Finding<Id>, "id" | "verdict" | "summary" | "details">;
