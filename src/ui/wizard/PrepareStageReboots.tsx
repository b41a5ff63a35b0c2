import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../../lib/cockpit";
import type { Role } from "../../checks/facts";
import type { PlannedStep } from "../../steps";
import { nextAction } from "../../session/preparation-plan";

/** Which host needs a reboot or a firmware reset, why, and (while VMs run there) why it is not offered yet. */
export function PrepareStageReboots({ plans, label, idPrefix = "vfm-prepare-needs" }: {
    plans: Record<Role, PlannedStep[] | null>; label: (role: Role) => string; idPrefix?: string;
}) {
    const items = (["source", "destination"] as const).flatMap(role => {
        const p = plans[role] ? nextAction(plans[role]!) : null;
        return p ? [{ role, p }] : [];
    });
    return (
        <>
            {items.map(({ role, p }) =>
                <Alert key={role} id={`${idPrefix}-${role}`} isInline variant={p.guard ? "warning" : "info"}
                       title={format(p.step.action === "reboot" ? _("$0 needs a reboot") : _("$0 needs a firmware reset of its adapter"), label(role))}>
                    <p>{p.status.summary}</p>
                    <p>{p.guard ? p.guard.reason : _("It is offered, with a confirmation, once the steps that can run before it are done.")}</p>
                </Alert>)}
        </>
    );
}
