import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";

export interface UndoRequest {
    hostLabel: string;
    title: string;
    /** the undo commands, or null when the step cannot be undone from here */
    lines: string[] | null;
    note?: string;
    /** why it cannot run now (another step must be undone first) */
    blocked?: string;
}

/** After a failure: put back what the failed step (and the steps done in this run before it) changed. */
export function PrepareStageUndoDialog({ request, onRun, onCancel }: { request: UndoRequest; onRun: () => void; onCancel: () => void }) {
    return (
        <Modal id="vfm-prepare-undo-dialog" isOpen variant="medium" onClose={onCancel} aria-labelledby="vfm-prepare-undo-title">
            <ModalHeader title={format(_("Undo “$0” on $1?"), request.title, request.hostLabel)} labelId="vfm-prepare-undo-title" />
            <ModalBody>
                {request.note && <p id="vfm-prepare-undo-note">{request.note}</p>}
                {request.blocked
                    ? <p id="vfm-prepare-undo-blocked">{request.blocked}</p>
                    : request.lines
                    ? <>
                        <p>{_("Commands that will run:")}</p>
                        <ClipboardCopy isReadOnly isCode variant="expansion" isExpanded hoverTip={_("Copy")} clickTip={_("Copied")}
                                       className="vfm-mono">
                            {request.lines.join("\n")}
                        </ClipboardCopy>
                    </>
                    : <p>{_("This step cannot be undone from here.")}</p>}
            </ModalBody>
            <ModalFooter>
                <Button id="vfm-prepare-undo-run" variant="primary" isDisabled={!request.lines || !!request.blocked} onClick={onRun}>{_("Undo")}</Button>
                <Button id="vfm-prepare-undo-cancel" variant="link" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
