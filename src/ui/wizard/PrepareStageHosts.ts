/*
 * One host as the preparation stage sees it: its facts (the status page's probe), the VMs running there, the plan
 * built from both, and the progress record kept on the host. `read()` refreshes all of it and resolves with the new
 * plan, so the stage's run loop can wait for the host's real state after each step.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { HostFacts, Role } from "../../checks/facts";
import { virshListRunning } from "../../host/commands/virsh";
import type { HostTransport } from "../../host/transport";
import { contextFromFacts, planHost, type PlannedStep, type PrepareOptions, type StepContext } from "../../steps";
import { useHostProbe, type HostProbeState } from "../status/useHostChecks";

/** Names of the running VMs; when virsh cannot tell, a stand-in that keeps reboots refused. */
export async function runningVms(t: HostTransport): Promise<string[]> {
    try {
        const r = await t.run(virshListRunning(), { superuser: true, timeoutMs: 20_000 });
        if (r.exitStatus === 0)
            return r.stdout.split("\n").map(s => s.trim()).filter(Boolean);
    } catch {
        // fall through
    }
    return ["?"];
}

export interface HostPlan {
    ctx: StepContext;
    plan: PlannedStep[];
}

export interface PreparedHost {
    probe: HostProbeState & { refresh: () => void };
    vms: string[] | null;
    current: HostPlan | null;
    /** refreshes facts and running VMs; rejects when the host cannot be reached */
    read: () => Promise<HostPlan>;
}

export function usePreparedHost(role: Role, transport: HostTransport | null, superuser: boolean, options: PrepareOptions): PreparedHost {
    const probe = useHostProbe(transport, superuser);
    const [vms, setVms] = useState<string[] | null>(null);
    const waiters = useRef<{ resolve: (f: HostFacts) => void; reject: (e: Error) => void; seenBusy: boolean }[]>([]);
    const latest = useRef(probe);
    latest.current = probe;

    // a refresh the run loop asked for has ended: hand its facts (or error) over
    useEffect(() => {
        if (probe.busy) {
            waiters.current.forEach(w => { w.seenBusy = true });
            return;
        }
        const ws = waiters.current.filter(w => w.seenBusy);
        if (ws.length === 0)
            return;
        waiters.current = waiters.current.filter(w => !w.seenBusy);
        if (probe.error)
            ws.forEach(w => w.reject(probe.error!));
        else if (probe.facts)
            ws.forEach(w => w.resolve(probe.facts!));
    }, [probe.busy, probe.refreshedAt, probe.error, probe.facts]);

    useEffect(() => {
        setVms(null);
        if (transport && superuser)
            runningVms(transport).then(setVms, () => setVms(["?"]));
    }, [transport, superuser, probe.refreshedAt]);

    const optionsRef = useRef(options);
    optionsRef.current = options;

    const read = useCallback(async (): Promise<HostPlan> => {
        if (!transport)
            throw new Error("no host");
        const facts = await new Promise<HostFacts>((resolve, reject) => {
            waiters.current.push({ resolve, reject, seenBusy: false });
            latest.current.refresh();
        });
        const running = await runningVms(transport);
        const ctx = contextFromFacts(role, facts, optionsRef.current, running);
        return { ctx, plan: planHost(ctx) };
    }, [role, transport]);

    const current = useMemo(() => {
        if (!probe.facts || vms === null)
            return null;
        const ctx = contextFromFacts(role, probe.facts, options, vms);
        return { ctx, plan: planHost(ctx) };
    }, [role, probe.facts, vms, options]);

    return { probe, vms, current, read };
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
