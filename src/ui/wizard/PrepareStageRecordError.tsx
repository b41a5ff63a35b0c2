import { useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";
import type { Role } from "../../checks/facts";
import type { ProgressRecordError } from "../../steps";

/**
 * A host keeps a preparation record the page did not write (or cannot read): what was wrong, with the file's path,
 * and the one way on, setting the file aside after the admin confirms. Nothing runs on either host until then.
 */
export function PrepareStageRecordError({ role, error, label, onDiscard }: {
    role: Role;
    error: ProgressRecordError;
    label: string;
    onDiscard: (role: Role) => Promise<void>;
}) {
    const [asking, setAsking] = useState(false);
    const [busy, setBusy] = useState(false);
    const [failed, setFailed] = useState<string | null>(null);
    const discard = () => {
        setBusy(true);
        setFailed(null);
        onDiscard(role).then(() => setAsking(false), (e: unknown) => setFailed(String((e as Error)?.message ?? e)))
                .finally(() => setBusy(false));
    };
    return (
        <>
            <Alert isInline variant="danger" id={`vfm-prepare-record-error-${role}`} data-file={error.file}
                   title={format(_("The preparation record on $0 cannot be used"), label)}
                   actionLinks={<AlertActionLink id={`vfm-prepare-record-discard-${role}`} onClick={() => setAsking(true)}>
                       {_("Discard the record…")}
                   </AlertActionLink>}>
                <p className="vfm-prepare-record-problem">{error.message}</p>
                <p>{_("Nothing runs on either host until it is discarded.")}</p>
            </Alert>
            {asking &&
                <Modal id="vfm-prepare-record-discard-dialog" isOpen variant="small" onClose={() => setAsking(false)}
                       aria-labelledby="vfm-prepare-record-discard-title">
                    <ModalHeader title={format(_("Discard the preparation record on $0?"), label)} labelId="vfm-prepare-record-discard-title" />
                    <ModalBody>
                        <p>{format(_("$0 is renamed to $1. The preparation of this host starts over from what the host shows; steps that only the record can show done run again."), error.file, error.discardedAs)}</p>
                        {failed && <Alert isInline variant="danger" id="vfm-prepare-record-discard-error" title={failed} />}
                    </ModalBody>
                    <ModalFooter>
                        <Button id="vfm-prepare-record-discard-confirm" variant="danger" isLoading={busy} isDisabled={busy} onClick={discard}>
                            {_("Discard")}
                        </Button>
                        <Button id="vfm-prepare-record-discard-cancel" variant="link" onClick={() => setAsking(false)}>{_("Cancel")}</Button>
                    </ModalFooter>
                </Modal>}
        </>
    );
}
