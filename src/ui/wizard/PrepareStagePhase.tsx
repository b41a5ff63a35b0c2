import { useEffect, useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format, ngettext } from "../../lib/cockpit";
import type { Role } from "../../checks/facts";
import type { Phase, Waiting } from "../../session/preparation";

function useNow(): number {
    const [now, setNow] = useState(Date.now());
    useEffect(() => {
        const t = window.setInterval(() => setNow(Date.now()), 1000);
        return () => window.clearInterval(t);
    }, []);
    return now;
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** The wait for a host coming back: how long so far and at most, what is tried now or when next, the last answer. */
function WaitingFor({ w }: { w: Waiting }) {
    const now = useNow();
    // the try under way has not answered yet
    const answered = w.trying ? w.attempts - 1 : w.attempts;
    const next = w.keyPending
        ? _("It answers with an SSH host key not confirmed yet: confirm it in the dialog, and the preparation goes on.")
        : w.trying || w.nextAt === null
            ? _("Trying to reach it now…")
            : format(_("Next try in $0 s."), seconds(w.nextAt - now));
    return (
        <>
            <p id="vfm-prepare-waiting-time">
                {format(_("$0 s so far; the page stops waiting after $1 minutes."), seconds(now - w.since), Math.round(w.limitMs / 60_000))}
                {" "}{_("The preparation continues by itself once the host answers again.")}
            </p>
            <p id="vfm-prepare-waiting-next">{next}</p>
            {w.lastError &&
                <p id="vfm-prepare-waiting-last">
                    {format(ngettext("Last answer ($0 try): $1", "Last answer ($0 tries): $1", answered), answered, w.lastError)}
                </p>}
        </>
    );
}

/**
 * How the VMs that block a host's reboot or firmware reset move to the other host: on this host, a maintenance run
 * (`maintain`); on the destination, that host's own evacuation view (`href`): a migration runs from the host that
 * holds the VM.
 */
export type EvacuateWay = { maintain: () => void; peer: string } | { href: string; peer: string };

/** Where the run is, and what the admin can do about it (retry, undo, check again, stop waiting, move the VMs off). */
export function PrepareStagePhase({ phase, label, evacuate, onRetry, onUndo, onCheckNow, onStopWaiting }: {
    phase: Phase;
    label: (role: Role) => string;
    evacuate: (role: Role, vms: readonly string[]) => EvacuateWay | null;
    onRetry: () => void;
    onUndo: (role: Role, stepId: string) => void;
    onCheckNow: () => void;
    onStopWaiting: () => void;
}) {
    const common = { isInline: true, id: "vfm-prepare-phase", "data-phase": phase.kind };
    switch (phase.kind) {
    case "idle":
        return null;
    case "reading":
        return <Alert {...common} variant="info" title={_("Reading the hosts…")} />;
    case "running":
        return <Alert {...common} variant="info" title={format(_("Running “$0” on $1…"), phase.title, label(phase.role))} />;
    case "waiting":
        return (
            <Alert {...common} variant="info" title={format(_("Waiting for $0 to come back…"), label(phase.role))}
                   actionLinks={<>
                       <AlertActionLink id="vfm-prepare-check-now" isDisabled={phase.trying} onClick={onCheckNow}>{_("Check now")}</AlertActionLink>
                       <AlertActionLink id="vfm-prepare-stop-waiting" onClick={onStopWaiting}>{_("Stop waiting")}</AlertActionLink>
                   </>}>
                <WaitingFor w={phase} />
            </Alert>
        );
    case "failed":
        return (
            <Alert {...common} variant="danger" title={format(_("“$0” failed on $1"), phase.title, label(phase.role))}
                   actionLinks={<>
                       <AlertActionLink id="vfm-prepare-retry" onClick={onRetry}>{_("Retry")}</AlertActionLink>
                       <AlertActionLink id="vfm-prepare-undo" onClick={() => onUndo(phase.role, phase.stepId)}>{_("Undo")}</AlertActionLink>
                   </>}>
                <pre id="vfm-prepare-failure" className="vfm-evidence vfm-mono">{phase.message}</pre>
                <p>{_("The preparation stopped here. The host is as the step list shows it, read again from the host.")}</p>
            </Alert>
        );
    case "blocked": {
        const way = phase.vms?.length ? evacuate(phase.role, phase.vms) : null;
        const n = phase.vms?.length ?? 0;
        return (
            <Alert {...common} variant="warning" title={format(_("“$0” cannot run on $1 now"), phase.title, label(phase.role))}
                   actionLinks={<>
                       {way && "maintain" in way &&
                           <AlertActionLink id="vfm-prepare-maintenance" onClick={way.maintain}>
                               {format(ngettext("Maintenance: move its VM to $0 first", "Maintenance: move its $1 VMs to $0 first", n), way.peer, n)}
                           </AlertActionLink>}
                       <AlertActionLink id="vfm-prepare-check-again" onClick={onRetry}>{_("Check again")}</AlertActionLink>
                   </>}>
                <p id="vfm-prepare-blocked-reason">{phase.message}</p>
                {way && "maintain" in way &&
                    <p>{_("Maintenance moves them there, then this host's preparation goes on, then the page offers to bring them back; each phase asks first.")}</p>}
                {way && "href" in way && <>
                    {/* the VMs run on the destination: they move from its own page, which opens with this host as their destination */}
                    <p><a id="vfm-prepare-evacuate" href={way.href} target="_blank" rel="noopener noreferrer">
                        {format(ngettext("Move its VM to $0 (Evacuate host)", "Move its $1 VMs to $0 (Evacuate host)", n), way.peer, n)}
                    </a></p>
                    <p>{_("Once they run there, come back and choose Check again: the preparation goes on. The evacuation's report then offers to bring them back.")}</p>
                </>}
            </Alert>
        );
    }
    case "stopped":
        return <Alert {...common} variant="info" title={phase.message} />;
    case "rebooting-self":
        return (
            <Alert {...common} variant="warning" title={_("This host is rebooting")}>
                {_("The page loses its connection now. Once the host is back, log in again and open this page: the preparation continues where it was.")}
            </Alert>
        );
    case "done":
        return <Alert {...common} variant="success" title={_("Both hosts are prepared")} />;
    }
}
