import { Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { _, format } from "../../lib/cockpit";
import type { HostFacts } from "../../checks/facts";
import { type PortChoice, portChoices } from "../../session/ports";
import { FieldHelp } from "../destination-fields";

function portLabel(p: PortChoice): string {
    const runs = p.linkType === "eth" ? _("Ethernet") : p.linkType === "ib" ? _("InfiniBand") : _("link type not known");
    return format(_("Port $0 ($1): $2, $3"), p.port, p.pci, p.netdev ?? _("no network interface"), runs);
}

/**
 * Which ConnectX-7 port carries VFs, on a host that has several (a dual-port adapter): the checks follow it. Also
 * shown when the port chosen earlier is no longer on the host, so that another can be chosen.
 */
export function PortPicker({ hostKey, host, facts, onChoose }: {
    hostKey: "source" | "destination"; host: string; facts: HostFacts | null; onChoose: (pci: string) => void;
}) {
    const ports = facts ? portChoices(facts) : [];
    const chosen = ports.find(p => p.chosen)?.pci ?? "";
    const lost = !!facts?.chosenPf && chosen === "";
    if (ports.length < 2 && !(lost && ports.length))
        return null;
    const id = `vfm-port-${hostKey}`;
    return (
        <Form isHorizontal onSubmit={ev => ev.preventDefault()}>
            <FormGroup label={_("Port for VFs")} fieldId={id}>
                <FormSelect id={id} value={chosen} onChange={(_ev, v) => onChoose(v)} aria-label={format(_("Port for VFs on $0"), host)}
                            aria-describedby={`${id}-help`} validated={lost ? "error" : "default"}>
                    {lost && <FormSelectOption value="" isDisabled label={format(_("$0: not on this host"), facts?.chosenPf ?? "")} />}
                    {ports.map(p => <FormSelectOption key={p.pci} value={p.pci} label={portLabel(p)} />)}
                </FormSelect>
                <FieldHelp id={`${id}-help`}
                           hint={_("The checks, the preparation and the automation script are about this port. The firmware settings of the other ports are not changed; the steps that reset the adapter look at all of them.")} />
            </FormGroup>
        </Form>
    );
}
