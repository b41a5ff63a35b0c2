import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../lib/cockpit";
import { evaluateHost, evaluateHostSoFar, PAIR_CHECKS, unlessReading } from "../session/findings";
import { ValueError } from "../session/input";
import { isHostKeyUnknown } from "../session/host-model";
import { type Destination, destinationFrom, localModel, saveDestination, savedDestination, sshUserError } from "../session/hosts";
import { HostColumn } from "./status/HostColumn";
import { PortPicker } from "./status/PortPicker";
import { DestinationForm, type DestinationField, type DestinationInput } from "./status/DestinationForm";
import { HostKeyFirstContact } from "./status/HostKeyDialog";
import { useHostModel } from "./useHostModel";
import { useSuperuser } from "./useSuperuser";
import { StatusAutomationScriptButton } from "./wizard/AutomationScriptButton";

function errorText(e: Error | null): string | null {
    return e ? e.message : null;
}

/** The per-host status page: this host and a destination typed by the admin, side by side. */
export function HostStatusView() {
    const admin = useSuperuser();
    const local = localModel();
    const source = useHostModel(admin === null ? null : local, admin === true);

    const [dest, setDest] = useState<DestinationInput>(savedDestination);
    const [destError, setDestError] = useState<{ field: DestinationField; message: string } | null>(null);
    const [remote, setRemote] = useState<Destination | null>(null);
    const ssh = remote?.ssh ?? null;
    const destination = useHostModel(admin ? remote?.model ?? null : null, true);

    const connect = (d: DestinationInput) => {
        const userError = sshUserError(d.user);
        if (userError !== null) {
            setDestError({ field: "user", message: userError });
            return;
        }
        try {
            const next = destinationFrom(d);
            setDestError(null);
            setDest(d);
            saveDestination(d);
            if (next === remote) {
                destination.refresh();
            } else {
                // the shared SSH connection to the previous destination is not kept alive for its ControlPersist time
                void remote?.ssh.close();
                setRemote(next);
            }
        } catch (e) {
            if (e instanceof ValueError)
                setDestError({ field: e.field === "ssh-user" ? "user" : e.field === "port" ? "port" : "host", message: e.message });
            else
                throw e;
        }
    };

    // first contact: the key is shown to the admin (HostKeyFirstContact) rather than an error
    const keyUnknown = isHostKeyUnknown(destination.error);

    // verdicts as their facts come: the facts read so far first, the slow firmware query's checks when it answers;
    // before any, while the host is read, the last known ones, marked with their age
    const lastKnownAt = (h: typeof source) => (h.busy && !h.error && !h.soFar && !h.facts && h.lastKnown ? h.lastKnown.at : null);
    const shownFacts = (h: typeof source) => h.soFar ?? h.facts ?? (lastKnownAt(h) !== null ? h.lastKnown?.facts ?? null : null);
    const verdicts = (h: typeof source, role: "source" | "destination") => {
        const facts = shownFacts(h);
        return facts ? (h.soFar ? evaluateHostSoFar : evaluateHost)({ facts, role, protocol: dest.protocol }) : null;
    };
    const sourceResults = verdicts(source, "source");
    const destResults = verdicts(destination, "destination");
    const sourceFacts = shownFacts(source);
    const destFacts = shownFacts(destination);
    // the pair checks compare this reading of both hosts, never a last known one
    const pair = sourceFacts && destFacts && lastKnownAt(source) === null && lastKnownAt(destination) === null
        ? PAIR_CHECKS.map(def => ({ def, result: unlessReading(c => def.evaluate(c), { source: sourceFacts, destination: destFacts }) }))
        : [];

    return (
        <>
            {admin === false &&
                <Alert id="vfm-limited" variant="info" isInline
                       title={_("Administrative access is needed for most checks and to reach the destination")}>
                    {_("This is a read-only view: checks that need root show “Unknown”. Turn on administrative access with the “Limited access” button at the top of the page.")}
                </Alert>}
            {admin &&
                <p><StatusAutomationScriptButton source={source.facts} destination={destination.facts} protocol={dest.protocol}
                                                 sourceLabel={source.facts?.hostname ?? local.host}
                                                 destinationLabel={ssh?.host ?? _("Destination")} /></p>}
            <div className="vfm-columns">
                <div>
                    <HostColumn hostKey="source" title={format(_("This host ($0)"), sourceFacts?.hostname ?? local.host)} results={sourceResults}
                                error={errorText(source.error)} busy={source.busy} onRefresh={source.refresh} extra={pair}
                                partial={!!source.soFar || !!destination.soFar || lastKnownAt(destination) !== null}
                                lastKnownAt={lastKnownAt(source)}>
                        <PortPicker hostKey="source" host={sourceFacts?.hostname ?? local.host} facts={sourceFacts} onChoose={pf => local.choosePort(pf)} />
                    </HostColumn>
                </div>
                <div>
                    <HostColumn hostKey="destination" title={ssh ? format(_("Destination ($0)"), ssh.host) : _("Destination")}
                                results={destResults} error={keyUnknown ? null : errorText(destination.error)} partial={!!destination.soFar}
                                lastKnownAt={lastKnownAt(destination)}
                                busy={destination.busy} onRefresh={ssh ? destination.refresh : undefined}>
                        {admin
                            ? <DestinationForm initial={dest} error={destError} busy={destination.busy} onSubmit={connect} onCancel={destination.cancel} />
                            : <p>{_("Checking a destination needs administrative access on this host: the SSH connection runs as root.")}</p>}
                        <PortPicker hostKey="destination" host={ssh?.host ?? ""} facts={destFacts} onChoose={pf => remote?.model.choosePort(pf)} />
                    </HostColumn>
                </div>
            </div>
            {admin && <HostKeyFirstContact model={remote?.model ?? null} />}
        </>
    );
}
