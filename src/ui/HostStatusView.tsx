import { useEffect, useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Grid, GridItem } from "@patternfly/react-core/dist/esm/layouts/Grid/index.js";
import { _, format, watchSuperuser } from "../lib/cockpit";
import type { HostKeyOffer as SshKeyOffer } from "../host/ssh-argv";
import { TransportError } from "../host/transport";
import { Host, Port, SshUser, ValueError } from "../host/values";
import { evaluateHost, PAIR_CHECKS } from "../checks";
import { HostColumn } from "./status/HostColumn";
import { DestinationForm, type DestinationInput } from "./status/DestinationForm";
import { HostKeyDialog } from "./status/HostKeyDialog";
import { useHostProbe } from "./status/useHostChecks";
import { type Destination, destinationHost, localHost } from "./hosts";
import { StatusAutomationScriptButton } from "./wizard/AutomationScriptButton";

const STORAGE_KEY = "vf-migration:destination";

function savedDestination(): DestinationInput {
    try {
        const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as DestinationInput | null;
        if (v && typeof v.host === "string" && typeof v.user === "string")
            return { host: v.host, user: v.user, protocol: ["ssh", "tls", "tcp"].includes(v.protocol) ? v.protocol : "ssh" };
    } catch {
        // nothing remembered
    }
    return { host: "", user: "root", protocol: "ssh" };
}

function errorText(e: Error | null): string | null {
    return e ? e.message : null;
}

/** The per-host status page: this host and a destination typed by the admin, side by side. */
export function HostStatusView() {
    const [admin, setAdmin] = useState<boolean | null>(null);
    useEffect(() => watchSuperuser(setAdmin), []);

    const local = useMemo(localHost, []);
    const source = useHostProbe(admin === null ? null : local, admin === true);

    const [dest, setDest] = useState<DestinationInput>(savedDestination);
    const [destError, setDestError] = useState<{ field: "host" | "user"; message: string } | null>(null);
    const [remote, setRemote] = useState<Destination | null>(null);
    const ssh = remote?.ssh ?? null;
    const [offer, setOffer] = useState<SshKeyOffer | null>(null);
    const destination = useHostProbe(admin ? remote?.transport ?? null : null, true);

    const connect = (d: DestinationInput) => {
        try {
            const target = { host: Host.of(d.host), user: SshUser.of(d.user || "root"), port: Port.of(22) };
            setDestError(null);
            setDest(d);
            localStorage.setItem(STORAGE_KEY, JSON.stringify(d));
            const next = destinationHost(target);
            if (next === remote) {
                destination.refresh();
            } else {
                // the shared SSH connection to the previous destination is not kept alive for its ControlPersist time
                void remote?.ssh.close();
                setRemote(next);
            }
        } catch (e) {
            if (e instanceof ValueError)
                setDestError({ field: e.field === "ssh-user" ? "user" : "host", message: e.message });
            else
                throw e;
        }
    };

    // first contact: show the key to the admin before anything is trusted
    const keyUnknown = destination.error instanceof TransportError && destination.error.kind === "host-key-unknown";
    useEffect(() => {
        if (keyUnknown && ssh)
            ssh.offerHostKeys().then(setOffer, () => setOffer(null));
    }, [keyUnknown, ssh]);

    const sourceResults = source.facts ? evaluateHost({ facts: source.facts, role: "source", protocol: dest.protocol }) : null;
    const destResults = destination.facts ? evaluateHost({ facts: destination.facts, role: "destination", protocol: dest.protocol }) : null;
    const pair = source.facts && destination.facts
        ? PAIR_CHECKS.map(def => ({ def, result: def.evaluate({ source: source.facts!, destination: destination.facts! }) }))
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
            <Grid hasGutter>
                <GridItem md={6}>
                    <HostColumn hostKey="source" title={format(_("This host ($0)"), source.facts?.hostname ?? local.host)} results={sourceResults}
                                error={errorText(source.error)} busy={source.busy} onRefresh={source.refresh} extra={pair} />
                </GridItem>
                <GridItem md={6}>
                    <HostColumn hostKey="destination" title={ssh ? format(_("Destination ($0)"), ssh.host) : _("Destination")}
                                results={destResults} error={keyUnknown ? null : errorText(destination.error)}
                                busy={destination.busy} onRefresh={ssh ? destination.refresh : undefined}>
                        {admin
                            ? <DestinationForm initial={dest} error={destError} busy={destination.busy} onSubmit={connect} />
                            : <p>{_("Checking a destination needs administrative access on this host: the SSH connection runs as root.")}</p>}
                    </HostColumn>
                </GridItem>
            </Grid>
            {offer && ssh &&
                <HostKeyDialog offer={{ host: ssh.host, keys: offer.fingerprints.map(f => ({ type: f.type, fingerprint: f.sha256 })) }}
                               onCancel={() => setOffer(null)}
                               trust={() => ssh.trustHostKeys(offer)}
                               onTrusted={() => { setOffer(null); destination.refresh() }} />}
        </>
    );
}
