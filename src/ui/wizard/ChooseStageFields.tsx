import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Form, FormGroup, FormSection } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { _ } from "../../lib/cockpit";
import type { Protocol } from "../../checks/facts";
import type { ChooseField, ChooseFormValues } from "./ChooseStageForm";
import { FieldHelp, PROTOCOLS } from "../destination-fields";

type Errors = Partial<Record<ChooseField, string>>;

function Text({ field, label, value, errors, hint, onChange, placeholder, required }: {
    field: ChooseField; label: string; value: string; errors: Errors; hint?: string | null; placeholder?: string; required?: boolean;
    onChange: (v: string) => void;
}) {
    const id = `vfm-choose-${field}`;
    return (
        <FormGroup label={label} fieldId={id} isRequired={required}>
            <TextInput id={id} value={value} onChange={(_ev, v) => onChange(v)} placeholder={placeholder}
                       validated={errors[field] ? "error" : "default"} />
            <FieldHelp error={errors[field]} hint={hint} />
        </FormGroup>
    );
}

/** The destination and the migration options. Post-copy is never offered (not possible with a Mellanox VF). */
export function ChooseStageFields({ values, errors, notes = {}, onChange }: {
    values: ChooseFormValues; errors: Errors; notes?: Partial<Record<ChooseField, string | null>>;
    onChange: (patch: Partial<ChooseFormValues>) => void;
}) {
    return (
        <Form id="vfm-choose-form" onSubmit={ev => ev.preventDefault()}>
            <FormSection title={_("Destination")} titleElement="h3">
                <Text field="host" label={_("Destination host")} value={values.host} errors={errors} required hint={notes.host}
                      placeholder="host.example.com" onChange={host => onChange({ host })} />
                <Text field="user" label={_("SSH user")} value={values.user} errors={errors}
                      hint={_("The checks log in to the destination over SSH as this user, with this host's root SSH key")}
                      onChange={user => onChange({ user })} />
                <Text field="port" label={_("SSH port")} value={values.port} errors={errors}
                      hint={_("Also the port of the qemu+ssh migration connection")} onChange={port => onChange({ port })} />
                <FormGroup label={_("Migration connection")} fieldId="vfm-choose-protocol">
                    <FormSelect id="vfm-choose-protocol" value={values.protocol}
                                onChange={(_ev, v) => onChange({ protocol: v as Protocol })}>
                        {PROTOCOLS.map(p => <FormSelectOption key={p.value} value={p.value} label={p.label()} />)}
                    </FormSelect>
                    <FieldHelp error={errors.protocol} />
                </FormGroup>
            </FormSection>
            <FormSection title={_("Migration options")} titleElement="h3">
                <Text field="migrationAddress" label={_("Migration address")} value={values.migrationAddress} errors={errors}
                      hint={_("The destination's address on the network the memory should travel on; empty: its host name")}
                      onChange={migrationAddress => onChange({ migrationAddress })} />
                <Text field="bandwidth" label={_("Bandwidth limit (MiB/s)")} value={values.bandwidth} errors={errors}
                      hint={_("Empty: no limit")} onChange={bandwidth => onChange({ bandwidth })} />
                <Text field="parallelConnections" label={_("Parallel connections")} value={values.parallelConnections}
                      errors={errors} hint={_("More than 1 sends the memory over several connections at once")}
                      onChange={parallelConnections => onChange({ parallelConnections })} />
                <Text field="maxDowntimeMs" label={_("Maximum downtime (ms)")} value={values.maxDowntimeMs} errors={errors}
                      hint={_("The longest pause of the VM at the switch-over; empty: QEMU's default, 300 ms")}
                      onChange={maxDowntimeMs => onChange({ maxDowntimeMs })} />
                <FormGroup fieldId="vfm-choose-persist" role="group" label={_("Definition")}>
                    <Checkbox id="vfm-choose-persist" isChecked={values.persistOnDestination}
                              label={_("Define the VM on the destination (persistent)")}
                              onChange={(_ev, persistOnDestination) => onChange({ persistOnDestination })} />
                    <Checkbox id="vfm-choose-undefineSource" isChecked={values.undefineSource}
                              label={_("Remove the VM's definition from this host afterwards")}
                              onChange={(_ev, undefineSource) => onChange({ undefineSource })} />
                    <FieldHelp error={errors.undefineSource} />
                </FormGroup>
                <FormGroup fieldId="vfm-choose-copyStorage" role="group" label={_("Storage")}>
                    <Checkbox id="vfm-choose-copyStorage" isChecked={values.copyStorage}
                              label={_("Copy the VM's disks to the destination")}
                              description={_("Only when the destination does not see the disks at the same path (no shared storage): slower, and the destination needs the space")}
                              onChange={(_ev, copyStorage) => onChange({ copyStorage })} />
                </FormGroup>
            </FormSection>
        </Form>
    );
}
