import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format, ngettext } from "../../lib/cockpit";
import { isPlain, VF_MIGRATIONS_PER_PORT, type EvacuationPlan } from "../../session/evacuation";
import { FieldHelp } from "../destination-fields";

const mib = (n: number | null) => (n === null ? "—" : format(_("$0 MiB"), Math.round(n)));

/** The plan before anything starts: which VF each VM gets, how many at once, and why it cannot run when it cannot. */
export function EvacuationPlanView({ plan, destination, limit, setLimit, bandwidth, setBandwidth, bandwidthError, withoutVf, plainToo, setPlainToo, onStart, onConfirming, onPrepare, onReadAgain }: {
    plan: EvacuationPlan;
    /** running VMs of this host that hold no VF */
    withoutVf: number;
    plainToo: boolean;
    setPlainToo: (b: boolean) => void;
    destination: string;
    limit: number;
    setLimit: (n: number) => void;
    bandwidth: string;
    setBandwidth: (s: string) => void;
    bandwidthError: string | null;
    onStart: () => void;
    /** the confirmation opens (true: the first migrations' reads may begin), or is cancelled (false) */
    onConfirming?: (open: boolean) => void;
    /** both hosts read again, after the admin fixed what a refusal named */
    onReadAgain: () => void;
    /** prepares plan.toPrepare on the destination, then reads it again */
    onPrepare: () => Promise<void>;
}) {
    const [confirming, setConfirming] = useState(false);
    const cancelConfirm = () => {
        setConfirming(false);
        onConfirming?.(false);
    };
    const [preparing, setPreparing] = useState<"ask" | "running" | null>(null);
    const [prepareError, setPrepareError] = useState<string | null>(null);
    const prepare = () => {
        setPreparing("running");
        setPrepareError(null);
        onPrepare().then(() => setPreparing(null), (e: unknown) => {
            setPreparing(null);
            setPrepareError(e instanceof Error ? e.message : String(e));
        });
    };
    const canStart = plan.rows.length > 0 && plan.refusals.length === 0 && bandwidthError === null;
    return (
        <Stack hasGutter id="vfm-evacuation-plan" data-rows={plan.rows.length} data-refused={plan.refusals.length > 0 ? "yes" : "no"}>
            <Form isHorizontal onSubmit={e => e.preventDefault()}>
                <FormGroup label={_("Migrations at once, per port")} fieldId="vfm-evacuation-limit">
                    <FormSelect id="vfm-evacuation-limit" value={String(limit)} onChange={(_e, v) => setLimit(Number(v))}
                                aria-label={_("Migrations at once, per port")}>
                        {Array.from({ length: VF_MIGRATIONS_PER_PORT }, (_x, n) => n + 1).map(n =>
                            <FormSelectOption key={n} value={String(n)} label={String(n)} />)}
                    </FormSelect>
                    <FieldHelp hint={format(_("At most $0 VFs of one ConnectX-7 port may migrate at the same time; on both hosts."), VF_MIGRATIONS_PER_PORT)} />
                    {plan.atOnce < limit &&
                        <p id="vfm-evacuation-at-once" className="vfm-check-summary">
                            {format(_("$0 at once in all: libvirt-dbus on this host runs $1 calls at a time, and each migration holds one until it ends; one is kept for progress and Cancel. More with its --threads option."),
                                    plan.atOnce, plan.atOnce + 1)}
                        </p>}
                </FormGroup>
                <FormGroup label={_("Bandwidth per migration (MiB/s)")} fieldId="vfm-evacuation-bandwidth">
                    <TextInput id="vfm-evacuation-bandwidth" value={bandwidth} onChange={(_e, v) => setBandwidth(v)}
                               validated={bandwidthError ? "error" : "default"} placeholder={_("No cap")} />
                    <FieldHelp id="vfm-evacuation-bandwidth-help" error={bandwidthError} hint={_("Empty: libvirt's default, no cap.")} />
                </FormGroup>
                {withoutVf > 0 &&
                    <FormGroup label={_("VMs without a VF")} fieldId="vfm-evacuation-plain" role="group">
                        <Checkbox id="vfm-evacuation-plain" isChecked={plainToo} onChange={(_e, v) => setPlainToo(v)}
                                  label={format(ngettext("Move the $0 VM that holds no VF too, by plain live migration",
                                                         "Move the $0 VMs that hold no VF too, by plain live migration", withoutVf), withoutVf)} />
                    </FormGroup>}
            </Form>
            {plan.rows.length > 0 &&
                <table className="vfm-table vfm-scroll-x" id="vfm-evacuation-plan-rows" aria-label={_("Plan")}>
                    <thead><tr>
                        <th>{_("Order")}</th><th>{_("VM")}</th><th>{_("VF on this host")}</th><th>{_("VF on the destination")}</th><th>{_("Memory")}</th>
                    </tr></thead>
                    <tbody>
                        {plan.rows.map((r, n) =>
                            <tr key={r.vm} id={`vfm-evacuation-plan-${r.vm}`} data-vf={r.destinationVf ?? "none"}>
                                <td>{n + 1}</td><td>{r.vm}</td>
                                {isPlain(r)
                                    ? <td colSpan={2}>{_("No VF: plain live migration")}</td>
                                    : <><td className="vfm-mono">{r.sourceVf}</td><td className="vfm-mono">{r.destinationVf}</td></>}
                                <td>{mib(r.memoryMiB)}</td>
                            </tr>)}
                    </tbody>
                </table>}
            {plan.rows.length === 0 && plan.refusals.length === 0 &&
                <Alert id="vfm-evacuation-nothing" variant="info" isInline title={_("No running VM of this host holds a VF")} />}
            {plan.left.length > 0 &&
                <Alert id="vfm-evacuation-left" variant="warning" isInline title={_("Running VMs that this evacuation leaves here")}>
                    <ul>{plan.left.map(l => <li key={l.vm}>{`${l.vm}: ${l.reason}`}</li>)}</ul>
                </Alert>}
            {plan.refusals.length > 0 &&
                <Alert id="vfm-evacuation-refused" variant="danger" isInline title={_("The destination cannot take these VMs")}
                       actionLinks={<Button id="vfm-evacuation-read-again" variant="link" isInline onClick={onReadAgain}>{_("Read again")}</Button>}>
                    <ul>{plan.refusals.map(r => <li key={r}>{r}</li>)}</ul>
                    {plan.toPrepare.length > 0 &&
                        <Button id="vfm-evacuation-prepare" variant="secondary" isLoading={preparing === "running"} isDisabled={preparing !== null}
                                onClick={() => setPreparing("ask")}>
                            {format(ngettext("Prepare $0 VF on $1", "Prepare $0 VFs on $1", plan.toPrepare.length), plan.toPrepare.length, destination)}
                        </Button>}
                </Alert>}
            {prepareError && <Alert id="vfm-evacuation-prepare-error" variant="danger" isInline title={prepareError} />}
            {plan.notes.map(n => <Alert key={n} variant="info" isInline isPlain title={n} />)}
            <div className="vfm-row">
                <Button id="vfm-evacuation-start" variant="primary" isDisabled={!canStart} onClick={() => { setConfirming(true); onConfirming?.(true) }}>
                    {format(ngettext("Evacuate $0 VM", "Evacuate $0 VMs", plan.rows.length), plan.rows.length)}
                </Button>
            </div>
            {preparing === "ask" &&
                <Modal id="vfm-evacuation-prepare-confirm" isOpen variant="small" onClose={() => setPreparing(null)} aria-labelledby="vfm-evacuation-prepare-title">
                    <ModalHeader title={format(_("Prepare VFs on $0?"), destination)} labelId="vfm-evacuation-prepare-title" />
                    <ModalBody>
                        <p>{_("Each of these VFs is taken off its host driver (mlx5_core) and its port function made migratable, as the preparation's VF steps do. No VM holds them.")}</p>
                        <ul className="vfm-mono">{plan.toPrepare.map(v => <li key={v}>{v}</li>)}</ul>
                        <p>{_("The commands and their output are in the command log.")}</p>
                    </ModalBody>
                    <ModalFooter>
                        <Button id="vfm-evacuation-prepare-run" variant="primary" onClick={prepare}>{_("Prepare")}</Button>
                        <Button variant="link" onClick={() => setPreparing(null)}>{_("Cancel")}</Button>
                    </ModalFooter>
                </Modal>}
            {confirming &&
                <Modal id="vfm-evacuation-confirm" isOpen variant="small" onClose={cancelConfirm} aria-labelledby="vfm-evacuation-confirm-title">
                    <ModalHeader title={format(ngettext("Migrate $0 VM to $1?", "Migrate $0 VMs to $1?", plan.rows.length), plan.rows.length, destination)} labelId="vfm-evacuation-confirm-title" />
                    <ModalBody>
                        <p>{format(_("Each VM moves with the same checks as in the wizard: its destination VF is checked again at most a few seconds before its migration starts. $0 migrations run at a time; if one fails, no other starts. A VM whose migration fails or is cancelled keeps running here."), Math.min(plan.limit, plan.atOnce))}</p>
                        {plan.rows.some(isPlain) &&
                            <p>{_("A VM without a VF moves by plain live migration: its definition as it is, with no VF to check.")}</p>}
                        <p>{_("The migrations run inside libvirt: closing this page does not stop them.")}</p>
                    </ModalBody>
                    <ModalFooter>
                        <Button id="vfm-evacuation-confirm-run" variant="primary" onClick={() => { setConfirming(false); onStart() }}>{_("Evacuate")}</Button>
                        <Button variant="link" onClick={cancelConfirm}>{_("Cancel")}</Button>
                    </ModalFooter>
                </Modal>}
        </Stack>
    );
}
