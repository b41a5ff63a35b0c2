import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { Label } from "@patternfly/react-core/dist/esm/components/Label/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { _, format } from "../../lib/cockpit";
import { SimpleCard } from "../SimpleCard";
import type { PlannedStep } from "../../steps/types";
import { EvidenceBlock } from "../status/Evidence";
import { commandLine } from "../../session/show";
import { PrepareStageRunLog, type StepRunView } from "./PrepareStageRunLog";

/** What the admin sees of a step's state at a glance (data-state carries the same for tests). */
export type RowState = "done" | "needed" | "pending-reboot" | "pending-firmware-reset" | "blocked" | "unknown" |
    "not-applicable" | "running" | "failed";

export function rowState(p: PlannedStep, run: StepRunView | undefined): RowState {
    if (run?.state === "running")
        return "running";
    // a failure recorded earlier no longer counts once the host shows the step done
    if (run?.state === "failed" && p.status.state !== "done")
        return "failed";
    const s = p.status;
    if (s.state === "pending")
        return s.needs === "reboot" ? "pending-reboot" : "pending-firmware-reset";
    if (s.state === "needed" && p.guard)
        return "blocked";
    return s.state;
}

function StateLabel({ state }: { state: RowState }) {
    switch (state) {
    case "done": return <Label status="success">{_("Done")}</Label>;
    case "needed": return <Label status="info">{_("To run")}</Label>;
    case "pending-reboot": return <Label status="warning">{_("Active after reboot")}</Label>;
    case "pending-firmware-reset": return <Label status="warning">{_("Active after firmware reset")}</Label>;
    case "blocked": return <Label status="danger">{_("Blocked")}</Label>;
    case "unknown": return <Label>{_("Unknown")}</Label>;
    case "not-applicable": return <Label variant="outline">{_("Not needed here")}</Label>;
    case "running": return <Label status="info" icon={<Spinner size="sm" aria-label={_("Running")} />}>{_("Running")}</Label>;
    case "failed": return <Label status="danger">{_("Failed")}</Label>;
    }
}

function StepRow({ hostKey, planned, run }: { hostKey: string; planned: PlannedStep; run?: StepRunView }) {
    const [open, setOpen] = useState(false);
    const state = rowState(planned, run);
    const { step, status, guard, commands } = planned;
    const expanded = open || state === "running" || state === "failed";
    const toggle = (
        <span className="vfm-check-toggle">
            <span className="vfm-check-title">{step.title}</span>
            <StateLabel state={state} />
        </span>
    );
    return (
        <li id={`vfm-prepare-${hostKey}-${step.id}`} className="vfm-check" data-step={step.id} data-state={state}>
            <ExpandableSection toggleContent={toggle} isExpanded={expanded} onToggle={(_ev, v) => setOpen(v)}>
                <p className="vfm-check-summary">{status.summary}</p>
                <p>{step.changes}</p>
                {guard && state !== "done" &&
                    <Alert isInline variant="danger" title={_("Not run now")} className="vfm-prepare-guard"
                           id={`vfm-prepare-guard-${hostKey}-${step.id}`}>
                        {guard.reason}
                    </Alert>}
                {commands.length > 0 && status.state !== "done" &&
                    <><strong>{_("Commands")}</strong>
                        <ClipboardCopy isReadOnly isCode variant="expansion" hoverTip={_("Copy")} clickTip={_("Copied")}
                                       className="vfm-mono">
                            {commands.map(commandLine).join("\n")}
                        </ClipboardCopy></>}
                {run && <PrepareStageRunLog run={run} />}
                {status.evidence.length > 0 &&
                    <details>
                        <summary>{_("How this was found")}</summary>
                        {status.evidence.map((e, i) => <EvidenceBlock key={i} evidence={e} />)}
                    </details>}
            </ExpandableSection>
            {!expanded && <div className="vfm-check-summary-line">{status.summary}</div>}
        </li>
    );
}

export function prepareSummary(plan: PlannedStep[] | null): string {
    if (!plan)
        return _("Reading the host…");
    const todo = plan.filter(p => p.status.state === "needed" || p.status.state === "pending" || p.status.state === "unknown");
    return todo.length === 0 ? _("Prepared") : format(_("$0 of $1 steps to do"), todo.length, plan.length);
}

/** One host's preparation: every step with its state, what it changes, its commands, and what ran. */
export function PrepareStageHost({ hostKey, title, plan, runs, error, busy, children }: {
    hostKey: "source" | "destination";
    title: string;
    plan: PlannedStep[] | null;
    runs: Record<string, StepRunView>;
    error: string | null;
    busy: boolean;
    children?: React.ReactNode;
}) {
    const ready = plan !== null && plan.every(p => p.status.state === "done" || p.status.state === "not-applicable");
    return (
        <SimpleCard id={`vfm-prepare-host-${hostKey}`} title={<>
            <Title headingLevel="h2">{title}</Title>
            <span id={`vfm-prepare-summary-${hostKey}`} className={ready ? "vfm-summary-ok" : "vfm-summary-bad"}
                  data-ready={ready ? "yes" : "no"}>
                {busy && !plan ? <Spinner size="md" aria-label={_("Reading the host…")} /> : prepareSummary(plan)}
            </span>
        </>}>
            {error && <Alert variant="danger" isInline title={error} id={`vfm-prepare-error-${hostKey}`} />}
            {children}
            {plan &&
                <ul className="vfm-checks">
                    {plan.map(p => <StepRow key={p.step.id} hostKey={hostKey} planned={p} run={runs[p.step.id]} />)}
                </ul>}
        </SimpleCard>
    );
}
