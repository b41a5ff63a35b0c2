import { useEffect } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ProgressStep, ProgressStepper } from "@patternfly/react-core/dist/esm/components/ProgressStepper/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format } from "../../lib/cockpit";
import { evacuateBackUrl } from "../../session/departures";
import { sameDestination } from "../../session/hosts";
import {
    evacuationOutcome, notBack, noteMoved, outcomeWithoutEvacuation, type EvacuationOutcome, type MaintenancePhase, type MaintenanceRecord,
} from "../../session/maintenance";
import { hostIdentity } from "../../session/saved";
import { EvacuationPanel } from "../evacuate/EvacuationPanel";
import { useEvacuation } from "../evacuate/useEvacuation";

const STEPS = ["evacuate", "prepare", "return"] as const;

interface Props {
    m: MaintenanceRecord;
    phase: MaintenancePhase;
    peer: string;
    runningHere: readonly string[] | null;
    /** the preparation can go on now (no run under way, its records read) */
    canContinue: boolean;
    onContinue: (o: EvacuationOutcome) => void;
    onChange: (m: MaintenanceRecord) => void;
    onLookAgain: () => void;
    onForget: () => void;
}

/** The maintenance's first phase: the evacuation of its VMs, then the way on once none of it runs or waits. */
function MaintenanceEvacuation({ m, peer, runningHere, canContinue, onContinue, onChange }: Props) {
    const e = useEvacuation(m.peer);
    // with no evacuation kept, the VMs running here as the evacuation's own reading says (read again when its report is cleared)
    const here = e.reading.vms?.map(v => v.name) ?? (e.reading.busy ? null : runningHere);
    const o = evacuationOutcome(m, e.state, e.record) ?? (e.record ? null : outcomeWithoutEvacuation(m, here));
    // what moved is noted at once: a report cleared before Continue does not lose the way back
    const noted = o && noteMoved(m, o);
    useEffect(() => { if (noted) onChange(noted) }, [noted, onChange]);
    return (
        <>
            {e.record && (e.record.startedAt < m.startedAt || !sameDestination(e.record.destination, m.peer)) &&
                <p id="vfm-maintenance-earlier">{_("Below, an evacuation kept in this browser that is not this maintenance's (started before it, or toward another host): once it is over, “Clear this report” shows this maintenance's plan.")}</p>}
            <EvacuationPanel e={e} dest={m.peer} only={m.vms} plain back={false} hostKey={false} />
            {o &&
                <Alert id="vfm-maintenance-evacuated" isInline variant={o.left.length ? "warning" : "success"}
                       title={o.left.length ? format(_("Still running here: $0"), o.left.join(", "))
                           : e.record ? format(_("The VMs run on $0"), peer) : _("None of its VMs runs here any more")}
                       actionLinks={<AlertActionLink id="vfm-maintenance-continue" isDisabled={!canContinue} onClick={() => onContinue(o)}>
                           {_("Continue the preparation")}
                       </AlertActionLink>}>
                    {o.left.length > 0 && _("The reboot or reset waits until no VM runs here: move them or shut them down, then continue.")}
                </Alert>}
        </>
    );
}

/**
 * Maintenance of this host, when its preparation needs a reboot or a firmware reset while VMs run: the VMs move to
 * the peer, the preparation goes on, and the VMs come back from the peer's page. Each phase asks first.
 */
export function MaintenancePanel(props: Props) {
    const { m, phase, peer, runningHere, onLookAgain, onForget } = props;
    // the way back runs in the peer's page, in another tab: coming back to this one looks again
    useEffect(() => {
        if (phase !== "return")
            return;
        const look = () => document.visibilityState === "visible" && onLookAgain();
        document.addEventListener("visibilitychange", look);
        return () => document.removeEventListener("visibilitychange", look);
    }, [phase, onLookAgain]);

    const away = notBack(m, runningHere);
    const here = hostIdentity()?.hostname ?? "";
    const at = STEPS.indexOf(phase as typeof STEPS[number]);
    const titles = [format(_("Move the VMs to $0"), peer), _("Reboot or reset, and finish the preparation"), _("Bring the VMs back")];
    return (
        <Stack hasGutter id="vfm-maintenance" data-phase={phase} component="section" aria-labelledby="vfm-maintenance-title">
            <Title headingLevel="h2" id="vfm-maintenance-title">{_("Maintenance of this host")}</Title>
            <ProgressStepper aria-label={_("Maintenance phases")}>
                {STEPS.map((s, i) =>
                    <ProgressStep key={s} id={`vfm-maintenance-step-${s}`} titleId={`vfm-maintenance-step-${s}-title`}
                                  variant={phase === "done" || i < at ? "success" : i === at ? "info" : "pending"} isCurrent={i === at}>
                        {titles[i]}
                    </ProgressStep>)}
            </ProgressStepper>
            {phase === "evacuate" && <MaintenanceEvacuation {...props} />}
            {phase === "prepare" &&
                <p id="vfm-maintenance-prepare">{format(_("The VMs moved run on $0. The preparation goes on below; its reboot or reset asks first."), peer)}</p>}
            {phase === "return" &&
                <Alert id="vfm-maintenance-return" isInline variant="info"
                       title={format(_("This host is prepared. Not back here yet: $0"), away.join(", "))}
                       actionLinks={<AlertActionLink id="vfm-maintenance-look" onClick={onLookAgain}>{_("Look again")}</AlertActionLink>}>
                    {/* a migration runs from the host that holds the VM: the way back is the peer's evacuation, for these VMs */}
                    {here && <a id="vfm-maintenance-back" href={evacuateBackUrl(m.peer.host, here, away, m.plain)} target="_blank" rel="noopener noreferrer">
                        {format(_("Bring them back: open the evacuation on $0"), peer)}
                    </a>}
                </Alert>}
            {phase === "done" &&
                <Alert id="vfm-maintenance-done" isInline variant="success" title={_("Maintenance finished: every VM it moved runs here again")} />}
            <div>
                <Button id="vfm-maintenance-forget" variant={phase === "done" ? "secondary" : "link"} isInline={phase !== "done"} onClick={onForget}>
                    {phase === "done" ? _("Close") : _("Forget this maintenance")}
                </Button>
            </div>
        </Stack>
    );
}
