/*
 * The wizard's shared state: what the admin chose, kept in the browser (localStorage) so that a reload lands on the
 * same stage. What happened on the hosts is never kept here: each stage reads it back from the hosts (preparation
 * progress from the host's own record, a migration from libvirt's job), so the page tells the truth after a reload.
 */
import type { Protocol } from "../../checks/facts";
import type { Outcome, StageId } from "../../session/wizard-flow";

export { STAGES, type StageId } from "../../session/wizard-flow";

export interface WizardDestination {
    host: string;
    user: string;
    /** the SSH port as typed; empty or absent: 22 */
    port?: string;
    protocol: Protocol;
}

export interface WizardState {
    stage: StageId;
    /** the VM on this host (its libvirt name) */
    vm: string | null;
    destination: WizardDestination | null;
    /** the migration form as typed (src/migration/plan.ts MigrationForm fields other than host/user/transport) */
    options: Record<string, unknown>;
    /** the destination VF the checks picked, and the source VF attached (PCI addresses) */
    destinationVf: string | null;
    sourceVf: string | null;
    /** when the guest was pinged from this host before the migration call: the departure note keeps that answer */
    reachAt?: number | null;
    /** the VM and destination came from a link (`#/migrate?vm=…&destination=…`): never contacted before the admin asks */
    fromLink?: boolean;
}

export const INITIAL_STATE: WizardState = {
    stage: "choose", vm: null, destination: null, options: {}, destinationVf: null, sourceVf: null,
};

/** What every stage component receives. A stage renders its own content; the frame renders Back / Next. */
export interface StageProps {
    state: WizardState;
    update: (patch: Partial<WizardState>) => void;
    /** what the stage found (src/session/wizard-flow.ts decides where Next leads from it, or why it cannot) */
    report: (o: Outcome) => void;
    /** a stage that runs something on a host sets busy: Back and the stepper are disabled meanwhile */
    setBusy: (busy: boolean) => void;
}
