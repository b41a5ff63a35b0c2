import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";
import type { StepImpact } from "../../steps/types";

export interface ConfirmRequest {
    hostLabel: string;
    title: string;
    changes: string;
    impact: StepImpact;
    /** the commands as the admin would type them */
    lines: string[];
}

/** What running a disruptive step does, said before it runs: the admin confirms each such step. */
export function impactTexts(impact: StepImpact): string[] {
    const out: string[] = [];
    if (impact.disruptsNetwork)
        out.push(_("Traffic through the adapter stops for a moment: connections through this port drop until it forwards again."));
    if (impact.needsReboot)
        out.push(_("It takes effect only after the host reboots."));
    if (impact.needsFirmwareReset)
        out.push(_("It takes effect after a firmware reset of the adapter, or a reboot."));
    return out;
}

/** Confirms one disruptive step before it runs. */
export function PrepareStageConfirmDialog({ request, onRun, onCancel }: { request: ConfirmRequest; onRun: () => void; onCancel: () => void }) {
    return (
        <Modal id="vfm-prepare-confirm" isOpen variant="medium" onClose={onCancel} aria-labelledby="vfm-prepare-confirm-title">
            <ModalHeader title={format(_("Run “$0” on $1?"), request.title, request.hostLabel)} labelId="vfm-prepare-confirm-title"
                         titleIconVariant="warning" />
            <ModalBody>
                <p>{request.changes}</p>
                <ul id="vfm-prepare-confirm-impact">
                    {impactTexts(request.impact).map(t => <li key={t}>{t}</li>)}
                </ul>
                <p>{_("Commands that will run:")}</p>
                <ClipboardCopy isReadOnly isCode variant="expansion" isExpanded hoverTip={_("Copy")} clickTip={_("Copied")}
                               className="vfm-mono">
                    {request.lines.join("\n")}
                </ClipboardCopy>
            </ModalBody>
            <ModalFooter>
                <Button id="vfm-prepare-confirm-run" variant="warning" onClick={onRun}>{_("Run")}</Button>
                <Button id="vfm-prepare-confirm-cancel" variant="link" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
