import { useEffect, useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../../lib/cockpit";
import type { Role } from "../../checks/facts";
import type { Phase } from "../../session/preparation";

function Elapsed({ since }: { since: number }) {
    const [now, setNow] = useState(Date.now());
    useEffect(() => {
        const t = window.setInterval(() => setNow(Date.now()), 1000);
        return () => window.clearInterval(t);
    }, []);
    return <>{format(_("$0 s"), Math.round((now - since) / 1000))}</>;
}

/** Where the run is, and what the admin can do about it (retry, undo, check again). */
export function PrepareStagePhase({ phase, label, onRetry, onUndo }: {
    phase: Phase;
    label: (role: Role) => string;
    onRetry: () => void;
    onUndo: (role: Role, stepId: string) => void;
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
            <Alert {...common} variant="info" title={format(_("Waiting for $0 to come back…"), label(phase.role))}>
                <Elapsed since={phase.since} /> {_("The preparation continues by itself once the host answers again.")}
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
    case "blocked":
        return (
            <Alert {...common} variant="warning" title={format(_("“$0” cannot run on $1 now"), phase.title, label(phase.role))}
                   actionLinks={<AlertActionLink id="vfm-prepare-check-again" onClick={onRetry}>{_("Check again")}</AlertActionLink>}>
                <p id="vfm-prepare-blocked-reason">{phase.message}</p>
            </Alert>
        );
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
