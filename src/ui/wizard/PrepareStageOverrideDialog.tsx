import { useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { _, format } from "../../lib/cockpit";
import type { StepGuard } from "../../steps/types";

/**
 * A guard refused a step (e.g. switchdev while the session runs through the PF). When the guard names an override,
 * the admin may run it anyway after ticking that statement: the page cannot know about another way in.
 */
export function PrepareStageOverrideDialog({ hostLabel, title, guard, onRun, onCancel }: {
    hostLabel: string; title: string; guard: StepGuard; onRun: () => void; onCancel: () => void;
}) {
    const [sure, setSure] = useState(false);
    return (
        <Modal id="vfm-prepare-override" isOpen variant="medium" onClose={onCancel} aria-labelledby="vfm-prepare-override-title">
            <ModalHeader title={format(_("Run “$0” on $1 despite the warning?"), title, hostLabel)} labelId="vfm-prepare-override-title"
                         titleIconVariant="danger" />
            <ModalBody>
                <p id="vfm-prepare-override-reason">{guard.reason}</p>
                {guard.override &&
                    <Checkbox id="vfm-prepare-override-check" label={guard.override} isChecked={sure}
                              onChange={(_ev, v) => setSure(v)} />}
            </ModalBody>
            <ModalFooter>
                <Button id="vfm-prepare-override-run" variant="danger" isDisabled={!sure} onClick={onRun}>{_("Run anyway")}</Button>
                <Button id="vfm-prepare-override-cancel" variant="link" onClick={onCancel}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
