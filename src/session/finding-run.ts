/*
 * A run of checks that report findings one by one (the per-VM checks, the verification), without React: the
 * findings so far by id, whether it still runs, and a new run that makes the answers of the one before it stale.
 * The UI subscribes and renders.
 */
import type { Finding } from "../checks/types";
import { runVmChecks, type VmCheck, type VmCheckInput } from "../migration/vm-checks";
import { recordPlan, runVerify, type VerifyCheck, type VerifyInput } from "../migration/verify";
import type { MigrationPlan } from "../migration/plan";
import { Events } from "./emitter";

export interface FindingRunState<F extends Finding> {
    findings: Partial<Record<F["id"], F>>;
    running: boolean;
}

export class FindingRun<F extends Finding> {
    private readonly events = new Events<FindingRunState<F>>();
    private generation = 0;
    private snapshot: FindingRunState<F> = { findings: {}, running: false };

    get state(): FindingRunState<F> {
        return this.snapshot;
    }

    subscribe(fn: (s: FindingRunState<F>) => void): () => void {
        return this.events.subscribe(fn);
    }

    private set(patch: Partial<FindingRunState<F>>): void {
        this.snapshot = { ...this.snapshot, ...patch };
        this.events.emit(this.snapshot);
    }

    /**
     * Starts `work` afresh (the findings emptied); each finding it reports is kept unless a later run or close()
     * came meanwhile (`isCurrent` tells the work the same for what else it produces). `seen` hears each kept finding.
     */
    async run(work: (report: (f: F) => void, isCurrent: () => boolean) => Promise<unknown>, seen?: (f: F) => void): Promise<void> {
        const gen = ++this.generation;
        this.set({ findings: {}, running: true });
        const isCurrent = () => gen === this.generation;
        try {
            await work(f => {
                if (!isCurrent())
                    return;
                this.set({ findings: { ...this.snapshot.findings, [f.id]: f } });
                seen?.(f);
            }, isCurrent);
        } finally {
            if (isCurrent())
                this.set({ running: false });
        }
    }

    /** Answers still on their way are dropped. */
    close(): void {
        this.generation++;
    }
}

/** The per-VM checks (src/migration/vm-checks.ts) as the work of a run. */
export const vmChecksWork = (input: VmCheckInput) => (report: (c: VmCheck) => void): Promise<void> => runVmChecks(input, report);

/** The verification, and the `virsh migrate` line rebuilt for the record (a string: why it could not be). */
export const verifyWork = (input: VerifyInput, plan: (p: MigrationPlan | string) => void) =>
    (report: (c: VerifyCheck) => void, isCurrent: () => boolean): Promise<unknown> => Promise.all([
        runVerify(input, report),
        recordPlan(input).then(p => { if (isCurrent()) plan(p) },
                               (e: unknown) => { if (isCurrent()) plan(String((e as Error)?.message ?? e)) }),
    ]);
