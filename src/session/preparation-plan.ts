/* A host's preparation plan from its reading, and which step or action the run takes next. */
import type { HostFacts, Role } from "../checks/facts";
import { contextFromFacts, planHost, type PlannedStep, type PrepareOptions, type StepContext } from "../steps";

export interface HostPlan {
    ctx: StepContext;
    plan: PlannedStep[];
}

/** The plan for a host's facts; running VMs virsh could not list stand in as "?", which keeps reboots refused. */
export function hostPlan(role: Role, facts: HostFacts, vms: string[] | null, options: PrepareOptions): HostPlan {
    const ctx = contextFromFacts(role, facts, options, vms ?? ["?"]);
    return { ctx, plan: planHost(ctx) };
}

/** Every step is done or not for this host: nothing left to prepare. */
export const hostReady = (plan: PlannedStep[]): boolean =>
    plan.every(p => p.status.state === "done" || p.status.state === "not-applicable");

/**
 * The next step the run can take on this host now: needed, not an action (reboot, firmware reset), every step it
 * comes after done. Actions wait until nothing else can run before them.
 */
export function nextStep(plan: PlannedStep[]): PlannedStep | null {
    const byId = new Map(plan.map(p => [p.step.id, p]));
    const settled = (id: string) => {
        const p = byId.get(id);
        return !p || p.status.state === "done" || p.status.state === "not-applicable";
    };
    return plan.find(p => p.status.state === "needed" && !p.step.action && p.step.after.every(settled)) ?? null;
}

/** The reboot or firmware reset this host waits for, if nothing else can run first. */
export function nextAction(plan: PlannedStep[]): PlannedStep | null {
    return plan.find(p => p.status.state === "needed" && !!p.step.action) ?? null;
}
