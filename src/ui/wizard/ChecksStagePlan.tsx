import { _, format } from "../../lib/cockpit";
import type { HostFacts, Protocol, Role } from "../../checks/facts";
import { DEFAULT_OPTIONS } from "../../session/exports";
import { hostPlan } from "../../session/preparation-plan";
import { PrepareStageReboots } from "./PrepareStageReboots";

interface HostRead {
    facts: HostFacts | null;
    vms: string[] | null;
    label: string;
}

/**
 * Before any change: what the host preparation will run on each host (the same plan the preparation stage runs),
 * and the reboots it will ask for, with the VMs that would block them, so the admin knows the cost up front.
 */
export function ChecksStagePlan({ hosts, protocol }: { hosts: Record<Role, HostRead>; protocol: Protocol }) {
    const roles = (["source", "destination"] as const);
    const plans = Object.fromEntries(roles.map(role => {
        const h = hosts[role];
        return [role, h.facts ? hostPlan(role, h.facts, h.vms, { ...DEFAULT_OPTIONS, protocol }).plan : null];
    })) as Record<Role, ReturnType<typeof hostPlan>["plan"] | null>;
    const label = (role: Role) => hosts[role].label;
    return (
        <div id="vfm-checks-plan">
            {roles.map(role => {
                const steps = (plans[role] ?? []).filter(p => p.status.state === "needed" && !p.step.action);
                return steps.length > 0 &&
                    <p key={role} id={`vfm-checks-plan-${role}`}>
                        {format(_("The preparation will run on $0: $1."), label(role), steps.map(p => p.step.title).join(", "))}
                    </p>;
            })}
            <PrepareStageReboots plans={plans} label={label} idPrefix="vfm-checks-needs" />
        </div>
    );
}
