import { useState } from "react";
import { ActionGroup, Form, FormGroup, FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { _ } from "../../lib/cockpit";
import type { Protocol } from "../../checks/facts";
import type { DestinationInput } from "../../session/hosts";

export type { DestinationInput } from "../../session/hosts";

const PROTOCOLS: { value: Protocol; label: () => string }[] = [
    { value: "ssh", label: () => _("SSH (qemu+ssh, port 22): control encrypted, memory unencrypted") },
    { value: "tls", label: () => _("TLS (qemu+tls, port 16514): control and memory encrypted") },
    { value: "tcp", label: () => _("TCP (qemu+tcp, port 16509): nothing encrypted, SASL login") },
];

/** Where the destination is: a host name or address, and the SSH user (root by default). Validated by the caller. */
export function DestinationForm({ initial, error, busy, onSubmit }: {
    initial: DestinationInput; error: { field: "host" | "user"; message: string } | null; busy: boolean;
    onSubmit: (d: DestinationInput) => void;
}) {
    const [host, setHost] = useState(initial.host);
    const [user, setUser] = useState(initial.user);
    const [protocol, setProtocol] = useState<Protocol>(initial.protocol);
    return (
        <Form isHorizontal id="vfm-destination-form"
              onSubmit={ev => { ev.preventDefault(); onSubmit({ host: host.trim(), user: user.trim(), protocol }) }}>
            <FormGroup label={_("Destination host")} fieldId="vfm-destination-host" isRequired>
                <TextInput id="vfm-destination-host" value={host} onChange={(_ev, v) => setHost(v)}
                           validated={error?.field === "host" ? "error" : "default"}
                           placeholder="host.example.com" />
                {error?.field === "host" &&
                    <FormHelperText><HelperText><HelperTextItem variant="error">{error.message}</HelperTextItem></HelperText></FormHelperText>}
            </FormGroup>
            <FormGroup label={_("SSH user")} fieldId="vfm-destination-user">
                <TextInput id="vfm-destination-user" value={user} onChange={(_ev, v) => setUser(v)}
                           validated={error?.field === "user" ? "error" : "default"} />
                {error?.field === "user" &&
                    <FormHelperText><HelperText><HelperTextItem variant="error">{error.message}</HelperTextItem></HelperText></FormHelperText>}
            </FormGroup>
            <FormGroup label={_("Migration connection")} fieldId="vfm-destination-protocol">
                <FormSelect id="vfm-destination-protocol" value={protocol} onChange={(_ev, v) => setProtocol(v as Protocol)}>
                    {PROTOCOLS.map(p => <FormSelectOption key={p.value} value={p.value} label={p.label()} />)}
                </FormSelect>
            </FormGroup>
            <ActionGroup>
                <Button type="submit" variant="primary" id="vfm-destination-connect" isLoading={busy} isDisabled={busy || !host.trim()}>
                    {_("Check destination")}
                </Button>
            </ActionGroup>
        </Form>
    );
}
