import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { _, format } from "../../lib/cockpit";
import { measureAhead, type RunningVm } from "../../session/vms";
import { DestinationContact, contactKey } from "../../session/destination-contact";
import { HostKeyDialog, fingerprintList } from "../status/HostKeyDialog";
import { useStore } from "../useHostModel";
import type { StageProps, WizardDestination } from "./types";
import { savedDestination } from "./useDestination";
import { ChooseStageVms } from "./ChooseStageVms";
import { ChooseStageFields } from "./ChooseStageFields";
import { destinationOf, formFromState, optionsOf, validateChoice, type ChooseFormValues } from "./ChooseStageForm";
import { useLoginSplit } from "../destination-fields";
import { localHost } from "../../session/hosts";

/** Stage 1: the VM to move, where to, and how. Next once the destination answered over SSH and the form is valid. */
export function ChooseStage({ state, update, report }: StageProps) {
    const [values, setValues] = useState<ChooseFormValues>(() => formFromState(state, savedDestination()));
    const contacts = useMemo(() => new DestinationContact(), []);
    const [split, applySplit] = useLoginSplit();
    const { contact, offer } = useStore(contacts);
    const validation = useMemo(() => validateChoice(values), [values]);
    const errors = { ...(validation.ok ? {} : validation.errors), ...(split.error ? { host: split.error } : {}) };
    // an empty host is not yet an error: the admin has not typed it
    const shown = values.host.trim() === "" ? { ...errors, host: undefined } : errors;
    const currentKey = contactKey(values);

    const change = (patch: Partial<ChooseFormValues>) => {
        let v = { ...values, ...patch };
        if (patch.host !== undefined || patch.user !== undefined) {
            // user@host typed (or pasted) in the host field: the user goes to its own field; split again when the
            // user field changes, so fixing it clears the error
            v = { ...v, ...applySplit(v, patch.user !== undefined) };
        }
        setValues(v);
        contacts.typing(v);
        update({ destination: destinationOf(v), options: optionsOf(v), fromLink: false });
    };

    const check = useCallback((d: WizardDestination) => { void contacts.check(d) }, [contacts]);

    // coming back to this stage: check the destination chosen before again (not one a link named: the admin asks)
    useEffect(() => {
        if (state.destination && !state.fromLink && validateChoice(values).ok)
            check(state.destination);
    }, []); // eslint-disable-line react-hooks/exhaustive-deps

    const contactOk = contact?.status === "ok" && contact.key === currentKey;
    const checking = contact?.status === "checking" && contact.key === currentKey;
    const failed = contact?.status === "error" && contact.key === currentKey;
    const outcome = state.vm === null ? "no-vm" : !validation.ok || split.error ? "input-invalid"
        : checking ? "checking" : contactOk ? "answered" : failed ? "contact-failed" : "not-checked";
    useEffect(() => report({ stage: "choose", kind: outcome }), [outcome, report]);

    const onSelect = useCallback((vm: RunningVm, byAdmin: boolean) => {
        update({ vm: vm.name, sourceVf: vm.vfs[0]?.pci ?? null });
        // a VM a link named is the admin's choice only once they pick it
        if (byAdmin || !state.fromLink)
            measureAhead(localHost(), vm);
    }, [update, state.fromLink]);

    const destination = destinationOf(values);
    return (
        <div id="vfm-stage-choose">
            <div className="vfm-columns vfm-columns-5-7">
                <div>
                    <ChooseStageVms selected={state.vm} onSelect={onSelect} />
                </div>
                <div>
                    {state.fromLink &&
                        <Alert id="vfm-choose-from-link" variant="info" isInline isPlain
                               title={_("The VM and the destination come from the link you followed. Check them, then check the destination: nothing is contacted before.")} />}
                    <ChooseStageFields values={values} errors={shown} notes={{ host: split.note }} onChange={change} />
                    <div className="vfm-choose-contact">
                        <Button id="vfm-choose-connect" variant="secondary" isDisabled={!!errors.host || !!errors.user || !!errors.port || values.host.trim() === "" || checking}
                                isLoading={checking}
                                onClick={() => { update({ fromLink: false }); check(destination) }}>
                            {_("Check the destination")}
                        </Button>
                        {checking &&
                            <Button id="vfm-choose-connect-cancel" variant="link" onClick={() => contacts.cancel()}>{_("Cancel")}</Button>}
                        {contact && contact.key === currentKey && contact.status === "ok" &&
                            <Alert id="vfm-choose-contact-ok" variant="success" isInline isPlain
                                   title={format(_("$0 answered over SSH; libvirt there knows $1 VMs"), contact.key, contact.vms)} />}
                        {contact && contact.key === currentKey && contact.status === "error" &&
                            <Alert id="vfm-choose-contact-error" variant="danger" isInline title={contact.message}>
                                {contact.detail && <pre className="vfm-evidence vfm-mono">{contact.detail}</pre>}
                            </Alert>}
                        {!contactOk && validation.ok && contact?.status !== "checking" &&
                            <p className="vfm-hint">{_("Check the destination before going on: the next stage runs commands there.")}</p>}
                    </div>
                </div>
            </div>
            {offer &&
                <HostKeyDialog offer={fingerprintList(offer.host, offer.offer)}
                               onCancel={() => contacts.dismissOffer()} trust={() => contacts.trustOffered()}
                               onTrusted={() => void contacts.trusted()} />}
        </div>
    );
}
