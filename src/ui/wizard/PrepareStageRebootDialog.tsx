import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";

export interface RebootRequest {
    hostLabel: string;
    kind: "reboot" | "firmware-reset";
    /** the titles of the steps waiting for it */
    reasons: string[];
    lines: string[];
    /** this host runs the page itself: the page goes away and must be reopened after it */
    isThisHost: boolean;
}

/** Confirms a reboot or a firmware reset of one host, saying why it is needed and what the admin loses meanwhile. */
export function PrepareStageRebootDialog({ request, onRun, onCancel }: { request: RebootRequest; onRun: () => void; onCancel: () => void }) {
    const reboot = request.kind === "reboot";
    return (
        <Modal id="vfm-prepare-reboot" isOpen variant="medium" onClose={onCancel} aria-labelledby="vfm-prepare-reboot-title">
            <ModalHeader labelId="vfm-prepare-reboot-title" titleIconVariant="warning"
                         title={format(reboot ? _("Reboot $0?") : _("Reset the adapter's firmware on $0?"), request.hostLabel)} />
            <ModalBody>
                <p>{_("Waiting for it:")}</p>
                <ul id="vfm-prepare-reboot-reasons">{request.reasons.map(r => <li key={r}>{r}</li>)}</ul>
                <p>{reboot
                    ? _("The host restarts: its services and connections stop for a few minutes. The VF settings that do not survive a reboot are made again afterwards.")
                    : _("The adapter reloads its firmware: its links go down for a while and its VFs are removed; they are made again afterwards.")}</p>
                {request.isThisHost &&
                    <p id="vfm-prepare-reboot-self"><strong>{_("This is the host this page runs on: the page disconnects. Log in again once it is back, and open this page: the preparation continues where it was.")}</strong></p>}
                <ClipboardCopy variant="expansion" isExpanded isReadOnly isCode hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">
                    {request.lines.join("\n")}
                </ClipboardCopy>
            </ModalBody>
            <ModalFooter>
                <Button id="vfm-prepare-reboot-run" variant="warning" onClick={onRun}>
                    {reboot ? _("Reboot") : _("Reset firmware")}
                </Button>
                <Button id="vfm-prepare-reboot-cancel" variant="link" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
