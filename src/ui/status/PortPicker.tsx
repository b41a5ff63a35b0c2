import { Form, FormGroup, FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { _, format } from "../../lib/cockpit";
import type { HostFacts } from "../../checks/facts";
import { type PortChoice, portChoices } from "../../session/ports";

function portLabel(p: PortChoice): string {
    const runs = p.linkType === "eth" ? _("Ethernet") : p.linkType === "ib" ? _("InfiniBand") : _("link type not known");
    return format(_("Port $0: $1, $2"), p.port, p.netdev ?? p.pci, runs);
}

/** Which ConnectX-7 port carries VFs, on a host that has several (a dual-port adapter): the checks follow it. */
export function PortPicker({ hostKey, facts, onChoose }: {
    hostKey: "source" | "destination"; facts: HostFacts | null; onChoose: (pci: string) => void;
}) {
    const ports = facts ? portChoices(facts) : [];
    if (ports.length < 2)
        return null;
    const id = `vfm-port-${hostKey}`;
    return (
        <Form isHorizontal onSubmit={ev => ev.preventDefault()}>
            <FormGroup label={_("Port for VFs")} fieldId={id}>
                <FormSelect id={id} value={ports.find(p => p.chosen)?.pci ?? ""} onChange={(_ev, v) => onChoose(v)}>
                    {ports.map(p => <FormSelectOption key={p.pci} value={p.pci} label={portLabel(p)} />)}
                </FormSelect>
                <FormHelperText>
                    <HelperText>
                        <HelperTextItem>
                            {_("The checks, the preparation and the automation script are about this port. The firmware settings of the other ports are not changed; the steps that reset the adapter look at all of them.")}
                        </HelperTextItem>
                    </HelperText>
                </FormHelperText>
            </FormGroup>
        </Form>
    );
}
