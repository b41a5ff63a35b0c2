import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";

/** Confirmation before AbortJob: what cancelling does (and does not) do to the VM. */
export function MigrateStageAbortDialog({ vm, onConfirm, onClose }: {
    vm: string;
    /** resolves once libvirt accepted the abort; rejects with a message to show */
    onConfirm: () => Promise<void>;
    onClose: () => void;
}) {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<string | null>(null);
    const confirm = () => {
        setBusy(true);
        setError(null);
        onConfirm().then(onClose, (e: unknown) => {
            setBusy(false);
            setError(e instanceof Error ? e.message : String(e));
        });
    };
    return (
        <Modal id="vfm-migrate-abort-dialog" isOpen variant="small" onClose={busy ? undefined : onClose} aria-labelledby="vfm-migrate-abort-title">
            <ModalHeader title={_("Cancel the migration?")} labelId="vfm-migrate-abort-title" titleIconVariant="warning" />
            <ModalBody>
                <p>{format(_("libvirt stops copying $0 to the destination. The VM keeps running on this host, with its VF; the destination's copy is discarded."), vm)}</p>
                <p>{_("If the switch-over has already begun, libvirt may finish the migration anyway.")}</p>
                {error && <Alert id="vfm-migrate-abort-error" variant="danger" isInline isPlain title={error} />}
            </ModalBody>
            <ModalFooter>
                <Button id="vfm-migrate-abort-confirm" variant="danger" isLoading={busy} isDisabled={busy} onClick={confirm}>
                    {_("Cancel migration")}
                </Button>
                <Button id="vfm-migrate-abort-keep" variant="link" isDisabled={busy} onClick={onClose}>{_("Keep migrating")}</Button>
            </ModalFooter>
        </Modal>
    );
}
