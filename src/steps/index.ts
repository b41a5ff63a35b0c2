/*
 * The preparation steps in dependency order, and the plan of one host: every step for its role, with its status
 * (from the facts, through the status page's checks), its guard and its commands. The reboot and firmware-reset
 * actions are also marked needed when an earlier step still to run will call for them.
 */
import { _, format } from "../lib/cockpit";
import type { HostFacts, Role } from "../checks/facts";
import type { PlannedStep, PrepareOptions, StepContext, StepDef, StepStatus } from "./types";
import { STEPS } from "./all";
import { primaryNic } from "../checks/hardware";

export { FIRMWARE_STEPS, STEPS, stepById } from "./all";

export const DEFAULT_OPTIONS: PrepareOptions = { protocol: "ssh", bridge: "br-vf", numVfs: 1, persist: false };

/** The PF to prepare: the port the checks are about (checks/hardware.ts primaryNic); "" if none. */
export function choosePf(facts: HostFacts): string {
    return primaryNic(facts)?.pci ?? "";
}

export function contextFromFacts(role: Role, facts: HostFacts, options: PrepareOptions, runningVms: string[]): StepContext {
    return { role, facts, pf: choosePf(facts), options, runningVms };
}

function plannedOne(step: StepDef, ctx: StepContext): PlannedStep {
    let status: StepStatus;
    try {
        status = step.detect(ctx);
    } catch (e) {
        status = { state: "unknown", summary: format(_("Could not tell: $0"), String((e as Error).message ?? e)), evidence: [] };
    }
    let commands: PlannedStep["commands"] = [];
    if (status.state !== "unknown") {
        try {
            commands = step.commands(ctx);
        } catch (e) {
            status = { state: "unknown", summary: format(_("Could not build the commands: $0"), String((e as Error).message ?? e)), evidence: status.evidence };
        }
    }
    const guard = status.state === "needed" ? step.guard(ctx) : null;
    return { step, status, guard, commands };
}

/** Every step for the host's role, in order, with its status, guard and commands. */
export function planHost(ctx: StepContext): PlannedStep[] {
    const plan = STEPS.filter(s => s.roles.includes(ctx.role)).map(s => plannedOne(s, ctx));
    // an earlier step still to run calls for a reboot or a firmware reset: the action is needed too (not for a step
    // refused outright, which will not run: no IOMMU in the firmware must never bring a reboot)
    const needed = (p: PlannedStep) => p.status.state === "needed";
    const canRun = (p: PlannedStep) => !p.guard || p.guard.override !== undefined;
    const callers = (flag: "needsReboot" | "needsFirmwareReset") =>
        plan.filter(p => !p.step.action && needed(p) && canRun(p) && p.step.impact[flag]).map(p => p.step.title);
    const rebootP = plan.find(p => p.step.action === "reboot");
    const resetP = plan.find(p => p.step.action === "firmware-reset");
    const forReboot = callers("needsReboot");
    if (rebootP && !needed(rebootP) && forReboot.length) {
        rebootP.status = { state: "needed", summary: format(_("After: $0"), forReboot.join(", ")), evidence: [] };
        rebootP.commands = rebootP.step.commands(ctx);
        rebootP.guard = rebootP.step.guard(ctx);
    }
    const forReset = callers("needsFirmwareReset");
    if (resetP && rebootP && needed(rebootP) && (needed(resetP) || forReset.length)) {
        resetP.status = { state: "not-applicable", summary: _("The reboot also activates the firmware settings"), evidence: [] };
        resetP.guard = null;
    } else if (resetP && !needed(resetP) && forReset.length) {
        resetP.status = { state: "needed", summary: format(_("After: $0"), forReset.join(", ")), evidence: [] };
        resetP.commands = resetP.step.commands(ctx);
        resetP.guard = resetP.step.guard(ctx);
    }
    return plan;
}

/** Planned steps still to run (needed), in order. */
export const neededSteps = (plan: PlannedStep[]): PlannedStep[] => plan.filter(p => p.status.state === "needed");

export type { PlannedStep, PrepareOptions, StepCommand, StepContext, StepDef, StepGuard, StepImpact, StepScript, StepStatus } from "./types";
export { runStep, undoStep, commandLine } from "./runner";
export type { StepRun, RunEvent, RunStepOptions, PackageInstaller } from "./runner";
export { readProgress, writeProgress, discardProgress, serializeProgress, ProgressRecordError, recordRun, recordStart, recordPending, reconcileProgress, emptyProgress, runRecorded } from "./progress";
export type { ProgressRecord, StepRecord } from "./progress";
export { exportShell } from "./export-shell";
export { exportAnsible } from "./export-ansible";
