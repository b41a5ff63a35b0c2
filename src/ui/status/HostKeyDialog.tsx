import { Fragment } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";

export interface HostKeyOffer {
    host: string;
    /** each key the host offered: type ("ED25519") and fingerprint ("SHA256:Jq0…" as ssh-keygen -l prints it) */
    keys: { type: string; fingerprint: string }[];
}

/**
 * First contact with a host over SSH: the admin compares the fingerprint with the one the host itself shows
 * (`ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub` on its console) before it is remembered.
 */
export function HostKeyDialog({ offer, onAccept, onCancel }: { offer: HostKeyOffer; onAccept: () => void; onCancel: () => void }) {
    return (
        <Modal id="vfm-hostkey-dialog" isOpen variant="small" onClose={onCancel} aria-labelledby="vfm-hostkey-title">
            <ModalHeader title={format(_("Unknown host key for $0"), offer.host)} labelId="vfm-hostkey-title" titleIconVariant="warning" />
            <ModalBody>
                <p>{_("This host has not been contacted over SSH from here before. Check that the fingerprint below is the one the host shows on its own console, then trust it.")}</p>
                <p>{_("On the host, run:")} <code className="vfm-mono">ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub</code></p>
                <dl className="vfm-hostkey">
                    {offer.keys.map(k => <Fragment key={k.type}>
                        <dt>{k.type}</dt>
                        <dd id={`vfm-hostkey-fingerprint-${k.type}`} className="vfm-mono">{k.fingerprint}</dd>
                    </Fragment>)}
                </dl>
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" id="vfm-hostkey-accept" onClick={onAccept}>{_("Trust and connect")}</Button>
                <Button variant="link" id="vfm-hostkey-cancel" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
