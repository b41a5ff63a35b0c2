import { useState } from "react";
import { ActionGroup, Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { _ } from "../../lib/cockpit";
import type { Protocol } from "../../checks/facts";
import type { DestinationInput } from "../../session/hosts";
import { FieldHelp, PROTOCOLS, useLoginSplit } from "../destination-fields";

export type { DestinationInput } from "../../session/hosts";

export type DestinationField = "host" | "user" | "port";

/**
 * Where the destination is: a host name or address, the SSH user and port. `user@host` typed in the host field is
 * split into the two fields, with a note. Validated by the caller, whose error names the field that fixes it.
 */
export function DestinationForm({ initial, error, busy, onSubmit, onCancel }: {
    initial: DestinationInput; error: { field: DestinationField; message: string } | null; busy: boolean;
    onSubmit: (d: DestinationInput) => void; onCancel: () => void;
}) {
    const [host, setHost] = useState(initial.host);
    const [user, setUser] = useState(initial.user || "root");
    const [port, setPort] = useState(initial.port || "22");
    const [protocol, setProtocol] = useState<Protocol>(initial.protocol);
    const [split, applySplit] = useLoginSplit();
    // user@host in the host field: split again whenever either field changes, so fixing the user clears the error
    const typed = (h: string, u: string) => {
        const v = applySplit({ host: h, user: u }, u !== user);
        setHost(v.host);
        setUser(v.user);
    };
    const shown = (f: DestinationField) => (error?.field === f ? error.message : null);
    const hostError = split.error ?? shown("host");
    return (
        <Form isHorizontal id="vfm-destination-form"
              onSubmit={ev => { ev.preventDefault(); onSubmit({ host: host.trim(), user: user.trim(), port: port.trim(), protocol }) }}>
            <FormGroup label={_("Destination host")} fieldId="vfm-destination-host" isRequired>
                <TextInput id="vfm-destination-host" value={host} onChange={(_ev, v) => typed(v, user)}
                           validated={hostError ? "error" : "default"}
                           placeholder="host.example.com" />
                <FieldHelp id="vfm-destination-host-help" error={hostError} hint={split.note} />
            </FormGroup>
            <FormGroup label={_("SSH user")} fieldId="vfm-destination-user">
                <TextInput id="vfm-destination-user" value={user} onChange={(_ev, v) => typed(host, v)}
                           validated={shown("user") ? "error" : "default"} />
                <FieldHelp id="vfm-destination-user-help" error={shown("user")} />
            </FormGroup>
            <FormGroup label={_("SSH port")} fieldId="vfm-destination-port">
                <TextInput id="vfm-destination-port" value={port} onChange={(_ev, v) => setPort(v)} inputMode="numeric"
                           validated={shown("port") ? "error" : "default"} />
                <FieldHelp id="vfm-destination-port-help" error={shown("port")} />
            </FormGroup>
            <FormGroup label={_("Migration connection")} fieldId="vfm-destination-protocol">
                <FormSelect id="vfm-destination-protocol" value={protocol} onChange={(_ev, v) => setProtocol(v as Protocol)}>
                    {PROTOCOLS.map(p => <FormSelectOption key={p.value} value={p.value} label={p.label()} />)}
                </FormSelect>
            </FormGroup>
            <ActionGroup>
                <Button type="submit" variant="primary" id="vfm-destination-connect" isLoading={busy} isDisabled={busy || !host.trim() || !!split.error}>
                    {_("Check destination")}
                </Button>
                {busy && <Button variant="link" id="vfm-destination-cancel" onClick={onCancel}>{_("Cancel")}</Button>}
            </ActionGroup>
        </Form>
    );
}
