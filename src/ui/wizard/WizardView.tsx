import { useCallback, useState } from "react";
import { ActionGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Card, CardBody } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { ProgressStep, ProgressStepper } from "@patternfly/react-core/dist/esm/components/ProgressStepper/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../../lib/cockpit";
import { STAGES, type StageId, type StageProps } from "./types";
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

const COMPONENTS: Record<StageId, (p: StageProps) => JSX.Element> = {
    choose: ChooseStage, checks: ChecksStage, prepare: PrepareStage,
    attach: AttachStage, migrate: MigrateStage, verify: VerifyStage,
};

/** The migration wizard: one stage at a time, in order; the stepper shows where the admin is. */
export function WizardView() {
    const [state, update, reset, foreign] = useWizardState();
    const [canContinue, setCanContinue] = useState(false);
    const [busy, setBusy] = useState(false);
    const [nextStage, setNextStage] = useState<StageId | null>(null);
    const index = STAGES.indexOf(state.stage);
    const go = useCallback((stage: StageId) => {
        setCanContinue(false);
        setNextStage(null);
        update({ stage });
    }, [update]);
    const next = useCallback(() => {
        const i = STAGES.indexOf(state.stage);
        // a stage may send Next back (the checks again, once preparation made what they lacked)
        if (nextStage !== null && nextStage !== state.stage)
            go(nextStage);
        else if (i + 1 < STAGES.length)
            go(STAGES[i + 1]);
    }, [state.stage, nextStage, go]);

    const Stage = COMPONENTS[state.stage];
    return (
        <Stack hasGutter id="vfm-wizard" data-stage={state.stage}>
            {foreign &&
                <StackItem>
                    <Alert id="vfm-wizard-foreign" variant="info" isInline isPlain
                           title={format(_("This browser holds a wizard in progress on $0: it is not restored on this host, and starting here replaces it."), foreign)} />
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
                <Card isPlain>
                    <CardBody>
                        <ViewErrorBoundary key={state.stage} id={`stage-${state.stage}`} title={TITLES[state.stage]()}>
                            <Stage state={state} update={update} setCanContinue={setCanContinue}
                                   next={next} setBusy={setBusy} setNextStage={setNextStage} />
                        </ViewErrorBoundary>
                    </CardBody>
                </Card>
            </StackItem>
            <StackItem>
                <ActionGroup>
                    {state.stage !== "verify" &&
                        <Button id="vfm-wizard-next" variant="primary" isDisabled={!canContinue || busy} onClick={next}>
                            {_("Next")}
                        </Button>}
                    {index > 0 && state.stage !== "verify" &&
                        <Button id="vfm-wizard-back" variant="secondary" isDisabled={busy}
                                onClick={() => go(STAGES[index - 1])}>
                            {_("Back")}
                        </Button>}
                    <Button id="vfm-wizard-restart" variant="link" isDisabled={busy}
                            onClick={() => { setNextStage(null); setCanContinue(false); reset() }}>
                        {state.stage === "verify" ? _("Migrate another VM") : _("Start over")}
                    </Button>
                </ActionGroup>
            </StackItem>
        </Stack>
    );
}
