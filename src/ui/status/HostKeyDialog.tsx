import { Fragment, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";
import { TransportError } from "../../session/input";
import type { HostKeyOffer, HostModel } from "../../session/host-model";
import { useModelState } from "../useHostModel";

export interface FingerprintList {
    host: string;
    /** each key that will be trusted: type ("ED25519") and fingerprint ("SHA256:Jq0…" as ssh-keygen -l prints it) */
    keys: { type: string; fingerprint: string }[];
    /** the host answered with another key than the one confirmed earlier */
    replaces: boolean;
}

/** What the dialog shows of an offer. */
export const fingerprintList = (host: string, offer: HostKeyOffer): FingerprintList =>
    ({ host, keys: offer.fingerprints.map(f => ({ type: f.type, fingerprint: f.sha256 })), replaces: offer.replaces });

/** Where RHEL's sshd keeps the public host key of a type ssh-keygen -l names (ED25519, ECDSA, RSA). */
const hostKeyFile = (type: string) => `/etc/ssh/ssh_host_${type.toLowerCase()}_key.pub`;

/**
 * First contact with a host over SSH, or a key that changed since: the admin compares each fingerprint shown with the
 * one the host itself shows (`ssh-keygen -l -f /etc/ssh/ssh_host_<type>_key.pub` on its console); only the keys shown
 * are trusted. `trust` writes them (removing a changed one first); its failure stays in the dialog.
 */
export function HostKeyDialog({ offer, trust, onTrusted, onCancel }: {
    offer: FingerprintList; trust: () => Promise<unknown>; onTrusted: () => void; onCancel: () => void;
}) {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<{ message: string; detail: string } | null>(null);
    const accept = () => {
        setBusy(true);
        setError(null);
        trust().then(onTrusted, (e: unknown) => {
            setBusy(false);
            setError({ message: e instanceof Error ? e.message : String(e), detail: e instanceof TransportError ? e.detail : "" });
        });
    };
    return (
        <Modal id="vfm-hostkey-dialog" isOpen variant="small" onClose={onCancel} aria-labelledby="vfm-hostkey-title">
            <ModalHeader title={format(offer.replaces ? _("The host key of $0 changed") : _("Unknown host key for $0"), offer.host)}
                         labelId="vfm-hostkey-title" titleIconVariant={offer.replaces ? "danger" : "warning"} />
            <ModalBody>
                {offer.replaces
                    ? <Alert id="vfm-hostkey-changed" variant="danger" isInline
                             title={_("It answered with another key than the one confirmed earlier. Unless it was reinstalled, someone may be intercepting the connection.")}>
                        {_("Replacing the key removes the old one from root's known_hosts.")}
                    </Alert>
                    : <p>{_("This host has not been contacted over SSH from here before.")}</p>}
                <p>{_("Check that the fingerprint below is the one the host shows on its own console, then trust it. Only this key is trusted: the host's other key types are not.")}</p>
                <dl className="vfm-hostkey">
                    {offer.keys.map(k => <Fragment key={k.type}>
                        <dt>{k.type}</dt>
                        <dd id={`vfm-hostkey-fingerprint-${k.type}`} className="vfm-mono">{k.fingerprint}</dd>
                        <dd>
                            {_("On the host, run:")} <code id={`vfm-hostkey-command-${k.type}`} className="vfm-mono">ssh-keygen -l -f {hostKeyFile(k.type)}</code>
                        </dd>
                    </Fragment>)}
                </dl>
                {error &&
                    <Alert id="vfm-hostkey-error" variant="danger" isInline title={error.message}>
                        {error.detail && <pre className="vfm-evidence vfm-mono">{error.detail}</pre>}
                    </Alert>}
            </ModalBody>
            <ModalFooter>
                <Button variant={offer.replaces ? "danger" : "primary"} id="vfm-hostkey-accept" onClick={accept} isLoading={busy} isDisabled={busy}>
                    {offer.replaces ? _("Replace the key and connect") : _("Trust and connect")}
                </Button>
                <Button variant="link" id="vfm-hostkey-cancel" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}

/** The first-contact dialog of a host reached over SSH, while its model offers a key to trust. */
export function HostKeyFirstContact({ model, onTrusted = () => {} }: { model: HostModel | null; onTrusted?: () => void }) {
    const { offer } = useModelState(model);
    if (!offer || !model)
        return null;
    return <HostKeyDialog offer={fingerprintList(model.host, offer)}
                          onCancel={() => model.dismissHostKey()} trust={() => model.trustHostKey()} onTrusted={onTrusted} />;
}
