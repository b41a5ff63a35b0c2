import { useEffect } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { CodeBlock, CodeBlockCode } from "@patternfly/react-core/dist/esm/components/CodeBlock/index.js";
import { FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { _, format } from "../../lib/cockpit";
import { localHost } from "../../session/hosts";
import { localAttachJob } from "../../session/attach-job";
import { useHostProbe } from "../status/useHostChecks";
import { useStore } from "../useHostModel";
import type { StageProps } from "./types";
import { useOpened } from "./useDestination";

/** Stage 4: a free prepared VF of this host attached to the VM, live and persistently; skipped when it has one. */
export function AttachStage(props: StageProps) {
    const vm = props.state.vm;
    // wizard-flow's entry() does not open this stage without a VM
    if (!vm)
        return null;
    return <AttachVf {...props} vm={vm} />;
}

function AttachVf({ state, update, report, setBusy, vm }: StageProps & { vm: string }) {
    // this host read afresh as the stage opens: its free prepared VFs
    useHostProbe(localHost(), true);
    const host = state.destination?.host ?? null;
    const user = state.destination?.user ?? null;
    const port = state.destination?.port ?? "";
    const job = useOpened(() => localAttachJob(vm, host === null ? null : { host, user: user ?? "root", port, protocol: "ssh" }), [vm, host, user, port]);
    const { held, free, vf, mac, macsFrom, attaching, attachedHere, error, gone } = useStore(job);

    useEffect(() => {
        if (held && state.sourceVf !== held.pci)
            update({ sourceVf: held.pci });
    }, [held]); // eslint-disable-line react-hooks/exhaustive-deps
    const outcome = gone ? "vm-gone" : held ? "held" : attaching ? "attaching" : error ? "failed" : held === undefined ? "loading"
        : free && free.length === 0 ? "no-free-vf" : "needed";
    useEffect(() => report({ stage: "attach", kind: outcome }), [outcome, report]);
    useEffect(() => setBusy(attaching), [attaching, setBusy]);

    const xml = job.plan?.xml ?? null;
    const virsh = job.virshLine("vf.xml");

    return (
        <div id="vfm-stage-attach" data-attach={held === undefined ? "loading" : held ? "attached" : "needed"}>
            {held === undefined && !error && <Spinner size="md" aria-label={_("Loading")} />}
            {held &&
                <Alert id="vfm-attach-done" variant="success" isInline
                       title={format(_("VM $0 holds VF $1 (MAC $2), live and in its persistent definition"), vm, held.pci, held.mac ?? "?")}>
                    {attachedHere ? _("Attached: Next leads to the migration.") : _("It held it already: nothing to attach. Next leads to the migration.")}
                </Alert>}
            {gone &&
                <Alert id="vfm-attach-vm-gone" variant="warning" isInline data-where={gone}
                       title={gone === "stopped-here" ? format(_("$0 is not running on this host any more"), vm) : format(_("$0 is not on this host any more"), vm)}>
                    {_("Only a running VM can be live-migrated. Start it again, or choose another VM in the first stage; the hosts stay prepared.")}
                </Alert>}
            {held === null && !gone && <>
                <p>{_("The VF is given to the VM as a network interface of type 'hostdev', managed by libvirt: libvirt moves the VF to the mlx5_vfio_pci driver itself. It is attached to the running VM and to its persistent definition.")}</p>
                <FormGroup label={_("VF of this host")} fieldId="vfm-attach-vf">
                    {free && free.length > 0
                        ? <FormSelect id="vfm-attach-vf" value={vf ?? ""} onChange={(_ev, v) => job.chooseVf(v)} isDisabled={attaching}>
                            {free.map(pci => <FormSelectOption key={pci} value={pci} label={format(_("$0 (free and prepared)"), pci)} />)}
                        </FormSelect>
                        : free
                            ? <Alert id="vfm-attach-no-vf" variant="danger" isInline title={_("No VF of this host is free and prepared: prepare one in the host preparation stage")} />
                            : <Spinner size="sm" aria-label={_("Loading")} />}
                </FormGroup>
                {macsFrom && mac &&
                    <p id="vfm-attach-mac">{format(_("MAC address $0: used by no VM of this host or of the destination (VMs looked at: $1 here, $2 there)"), mac, macsFrom.sourceVms, macsFrom.destinationVms)}</p>}
                {xml && <>
                    <CodeBlock id="vfm-attach-xml"><CodeBlockCode>{xml}</CodeBlockCode></CodeBlock>
                    <p>{_("The same with virsh, the XML above saved as vf.xml:")}</p>
                    <ClipboardCopy id="vfm-attach-virsh" variant="inline-compact" isBlock isReadOnly isCode hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">{virsh}</ClipboardCopy>
                    <Button id="vfm-attach-button" variant="primary" onClick={() => void job.attach()} isLoading={attaching} isDisabled={attaching}>
                        {_("Attach the VF")}
                    </Button>
                </>}
            </>}
            {error &&
                <Alert id="vfm-attach-error" variant="danger" isInline title={error.summary}>
                    {error.checks.length > 0 && <ul>{error.checks.map(c => <li key={c}>{c}</li>)}</ul>}
                    <pre className="vfm-evidence vfm-mono">{error.detail}</pre>
                </Alert>}
        </div>
    );
}
