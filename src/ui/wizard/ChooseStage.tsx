import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Grid, GridItem } from "@patternfly/react-core/dist/esm/layouts/Grid/index.js";
import { _, format } from "../../lib/cockpit";
import type { HostKeyOffer, SshTransport } from "../../session/input";
import { contactDestination, type RunningVm } from "../../session/vms";
import { HostKeyDialog } from "../status/HostKeyDialog";
import type { StageProps, WizardDestination } from "./types";
import { saveDestination, savedDestination, sshTo, useWizardHosts } from "./useDestination";
import { ChooseStageVms } from "./ChooseStageVms";
import { ChooseStageFields } from "./ChooseStageFields";
import { formFromState, optionsOf, validateChoice, type ChooseFormValues } from "./ChooseStageForm";

type Contact =
    | { status: "checking"; key: string }
    | { status: "ok"; key: string; vms: number }
    | { status: "error"; key: string; message: string; detail: string };

const keyOf = (d: { host: string; user: string }) => `${d.user.trim() || "root"}@${d.host.trim()}`;

/** Stage 1: the VM to move, where to, and how. Next once the destination answered over SSH and the form is valid. */
export function ChooseStage({ state, update, setCanContinue }: StageProps) {
    const [values, setValues] = useState<ChooseFormValues>(() => formFromState(state, savedDestination()));
    const { libvirt } = useWizardHosts(null);
    const [contact, setContact] = useState<Contact | null>(null);
    const [offer, setOffer] = useState<{ ssh: SshTransport; offer: HostKeyOffer } | null>(null);
    const validation = useMemo(() => validateChoice(values), [values]);
    const errors = validation.ok ? {} : validation.errors;
    // an empty host is not yet an error: the admin has not typed it
    const shown = values.host.trim() === "" ? { ...errors, host: undefined } : errors;
    const currentKey = keyOf(values);
    const latest = useRef(currentKey);
    latest.current = currentKey;

    const change = (patch: Partial<ChooseFormValues>) => {
        const v = { ...values, ...patch };
        setValues(v);
        const destination: WizardDestination = { host: v.host.trim(), user: v.user.trim() || "root", protocol: v.protocol };
        update({ destination, options: optionsOf(v) });
    };

    const check = useCallback((d: WizardDestination) => {
        const remote = sshTo(d);
        const key = keyOf(d);
        if (!remote)
            return;
        const ssh = remote.ssh;
        setContact({ status: "checking", key });
        contactDestination(remote).then(c => {
            if (latest.current !== key)
                return;
            if (c.status === "host-key") {
                setOffer({ ssh, offer: c.offer });
                return;
            }
            if (c.status === "ok")
                saveDestination(d);
            setContact({ ...c, key });
        });
    }, []);

    // coming back to this stage: check the destination chosen before again
    useEffect(() => {
        if (state.destination && validateChoice(values).ok)
            check(state.destination);
    }, []); // eslint-disable-line react-hooks/exhaustive-deps

    const contactOk = contact?.status === "ok" && contact.key === currentKey;
    const ready = state.vm !== null && validation.ok && contactOk;
    useEffect(() => setCanContinue(ready), [ready, setCanContinue]);

    const onSelect = useCallback((vm: RunningVm) => {
        update({ vm: vm.name, sourceVf: vm.vfs[0]?.pci ?? null });
    }, [update]);

    const destination: WizardDestination = { host: values.host.trim(), user: values.user.trim() || "root", protocol: values.protocol };
    return (
        <div id="vfm-stage-choose">
            <Grid hasGutter>
                <GridItem md={5}>
                    <ChooseStageVms libvirt={libvirt} selected={state.vm} onSelect={onSelect} />
                </GridItem>
                <GridItem md={7}>
                    <ChooseStageFields values={values} errors={shown} onChange={change} />
                    <div className="vfm-choose-contact">
                        <Button id="vfm-choose-connect" variant="secondary" isDisabled={!!errors.host || !!errors.user || values.host.trim() === ""}
                                isLoading={contact?.status === "checking" && contact.key === currentKey}
                                onClick={() => check(destination)}>
                            {_("Check the destination")}
                        </Button>
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
                </GridItem>
            </Grid>
            {offer &&
                <HostKeyDialog offer={{ host: offer.ssh.host, keys: offer.offer.fingerprints.map(f => ({ type: f.type, fingerprint: f.sha256 })) }}
                               onCancel={() => { setOffer(null); setContact(null) }}
                               trust={() => offer.ssh.trustHostKeys(offer.offer)}
                               onTrusted={() => { setOffer(null); check(destination) }} />}
        </div>
    );
}
