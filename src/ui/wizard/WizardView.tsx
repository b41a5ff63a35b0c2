import { useCallback, useEffect, useState } from "react";
import { ActionGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ProgressStep, ProgressStepper } from "@patternfly/react-core/dist/esm/components/ProgressStepper/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../../lib/cockpit";
import { SimpleCard } from "../SimpleCard";
import { type Move, type Outcome, entry, move } from "../../session/wizard-flow";
import { savedMaintenance } from "../../session/maintenance";
import { STAGES, type StageId, type StageProps } from "./types";
import { WizardWhy } from "./WizardWhy";
import { useWizardState } from "./useWizardState";
import { ChooseStage } from "./ChooseStage";
import { ChecksStage } from "./ChecksStage";
import { PrepareStage } from "./PrepareStage";
import { AttachStage } from "./AttachStage";
import { MigrateStage } from "./MigrateStage";
import { VerifyStage } from "./VerifyStage";
import { ViewErrorBoundary } from "../ViewErrorBoundary";

const TITLES: Record<StageId, () => string> = {
    choose: () => _("VM and destination"),
    checks: () => _("Checks"),
    prepare: () => _("Host preparation"),
    attach: () => _("VF attach"),
    migrate: () => _("Migration"),
    verify: () => _("Verification"),
};

const COMPONENTS: Record<StageId, (p: StageProps) => JSX.Element | null> = {
    choose: ChooseStage, checks: ChecksStage, prepare: PrepareStage,
    attach: AttachStage, migrate: MigrateStage, verify: VerifyStage,
};

/**
 * The migration wizard: one stage at a time; the stepper shows where the admin is. Where Next leads, or why it cannot
 * be pressed and what fixes it, comes from the stage's outcome (src/session/wizard-flow.ts).
 */
export function WizardView() {
    const [state, update, reset, foreign] = useWizardState();
    const [outcome, setOutcome] = useState<Outcome | null>(null);
    const [busy, setBusy] = useState(false);
    // Start over mounts the stage afresh, so that it reports its outcome again
    const [round, setRound] = useState(0);
    const index = STAGES.indexOf(state.stage);
    const go = useCallback((stage: StageId) => {
        setOutcome(null);
        update({ stage });
    }, [update]);
    const report = useCallback((o: Outcome) => setOutcome(o), []);
    const entered = entry(state.stage, state);
    const current: Move = entered
        ?? (outcome && outcome.stage === state.stage ? move(outcome) : { kind: "wait", why: _("Reading…") });
    const to = current.kind === "next" ? current.to : null;
    const auto = current.kind === "next" && current.auto === true;
    // a migration that completed moves on by itself
    useEffect(() => {
        if (auto && to)
            go(to);
    }, [auto, to, go]);

    const Stage = COMPONENTS[state.stage];
    return (
        <Stack hasGutter id="vfm-wizard" data-stage={state.stage}>
            {foreign &&
                <StackItem>
                    <Alert id="vfm-wizard-foreign" variant="info" isInline isPlain
                           title={format(_("This browser holds a wizard in progress on $0: it is not restored on this host, and starting here replaces it."), foreign)} />
                </StackItem>}
            {state.stage !== "prepare" && savedMaintenance() &&
                // its phases, and the way back of the VMs it moved, are shown in that stage alone
                <StackItem>
                    <Alert id="vfm-wizard-maintenance" variant="info" isInline isPlain
                           title={_("A maintenance of this host is under way: its phases are in the Host preparation stage.")} />
                </StackItem>}
            <StackItem>
                <ProgressStepper aria-label={_("Migration stages")} id="vfm-wizard-stepper">
                    {STAGES.map((s, i) =>
                        <ProgressStep key={s} id={`vfm-wizard-step-${s}`} titleId={`vfm-wizard-step-${s}-title`}
                                      variant={i < index ? "success" : i === index ? "info" : "pending"}
                                      isCurrent={i === index} aria-label={TITLES[s]()}>
                            {TITLES[s]()}
                        </ProgressStep>)}
                </ProgressStepper>
            </StackItem>
            <StackItem isFilled>
                <SimpleCard plain>
                    {entered === null &&
                        <ViewErrorBoundary key={`${state.stage}-${round}`} id={`stage-${state.stage}`} title={TITLES[state.stage]()}>
                            <Stage state={state} update={update} report={report} setBusy={setBusy} />
                        </ViewErrorBoundary>}
                </SimpleCard>
            </StackItem>
            <StackItem>
                <ActionGroup>
                    {state.stage !== "verify" &&
                        <Button id="vfm-wizard-next" variant="primary" isDisabled={to === null || busy}
                                onClick={() => { if (to) go(to) }}>
                            {to && to !== STAGES[index + 1] ? format(_("Next: $0"), TITLES[to]()) : _("Next")}
                        </Button>}
                    {index > 0 && state.stage !== "verify" &&
                        <Button id="vfm-wizard-back" variant="secondary" isDisabled={busy}
                                onClick={() => go(STAGES[index - 1])}>
                            {_("Back")}
                        </Button>}
                    <Button id="vfm-wizard-restart" variant="link" isDisabled={busy}
                            onClick={() => { setOutcome(null); setRound(r => r + 1); reset() }}>
                        {state.stage === "verify" ? _("Migrate another VM") : _("Start over")}
                    </Button>
                </ActionGroup>
            </StackItem>
            {(current.kind === "act" || current.kind === "wait") &&
                <StackItem>
                    <WizardWhy move={current} onGo={go} />
                </StackItem>}
        </Stack>
    );
}
