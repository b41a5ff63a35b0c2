import { Fragment, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";
import { TransportError } from "../../session/input";
import type { HostModel } from "../../session/host-model";
import { useModelState } from "../useHostModel";

export interface FingerprintList {
    host: string;
    /** each key that will be trusted: type ("ED25519") and fingerprint ("SHA256:Jq0…" as ssh-keygen -l prints it) */
    keys: { type: string; fingerprint: string }[];
}

/** Where RHEL's sshd keeps the public host key of a type ssh-keygen -l names (ED25519, ECDSA, RSA). */
const hostKeyFile = (type: string) => `/etc/ssh/ssh_host_${type.toLowerCase()}_key.pub`;

/**
 * First contact with a host over SSH: the admin compares each fingerprint shown with the one the host itself shows
 * (`ssh-keygen -l -f /etc/ssh/ssh_host_<type>_key.pub` on its console); only the keys shown are trusted. `trust`
 * writes them; its failure stays in the dialog.
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
            <ModalHeader title={format(_("Unknown host key for $0"), offer.host)} labelId="vfm-hostkey-title" titleIconVariant="warning" />
            <ModalBody>
                <p>{_("This host has not been contacted over SSH from here before. Check that the fingerprint below is the one the host shows on its own console, then trust it. Only this key is trusted: the host's other key types are not.")}</p>
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
                <Button variant="primary" id="vfm-hostkey-accept" onClick={accept} isLoading={busy} isDisabled={busy}>{_("Trust and connect")}</Button>
                <Button variant="link" id="vfm-hostkey-cancel" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}

/** The first-contact dialog of a host reached over SSH, while its model offers a key to trust. */
export function HostKeyFirstContact({ model }: { model: HostModel | null }) {
    const { offer } = useModelState(model);
    if (!offer || !model)
        return null;
    return <HostKeyDialog offer={{ host: model.host, keys: offer.fingerprints.map(f => ({ type: f.type, fingerprint: f.sha256 })) }}
                          onCancel={() => model.dismissHostKey()} trust={() => model.trustHostKey()} onTrusted={() => {}} />;
}
