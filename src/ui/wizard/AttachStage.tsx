import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { CodeBlock, CodeBlockCode } from "@patternfly/react-core/dist/esm/components/CodeBlock/index.js";
import { FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { _, format } from "../../lib/cockpit";
import { vfState, nicsOf } from "../../session/findings";
import { type Mac } from "../../session/input";
import { quoteArgv, explainLibvirtError, type ExplainedError } from "../../session/show";
import { attachVf, attachVirshLine, heldVfs, vfInterfaceXml, type HeldVf, macsInUse, uniqueMac, type MacsInUse } from "../../session/vms";
import { useHostProbe } from "../status/useHostChecks";
import type { StageProps } from "./types";
import { useWizardHosts } from "./useDestination";

type Held = HeldVf | null;

/** Stage 4: a free prepared VF of this host attached to the VM, live and persistently; skipped when it has one. */
export function AttachStage({ state, update, setCanContinue, setBusy }: StageProps) {
    const { local, ssh, libvirt } = useWizardHosts(state.destination);
    const source = useHostProbe(local, true);
    const [held, setHeld] = useState<Held | undefined>(undefined);
    const [macs, setMacs] = useState<MacsInUse | null>(null);
    const [mac, setMac] = useState<Mac | null>(null);
    const [vf, setVf] = useState<string | null>(null);
    const [attaching, setAttaching] = useState(false);
    const [error, setError] = useState<ExplainedError | { summary: string; detail: string; checks: string[] } | null>(null);
    const vm = state.vm;

    const load = useCallback(() => {
        if (!vm)
            return;
        setError(null);
        heldVfs(libvirt, vm).then(h => setHeld(h.live[0] ?? null), e => setError(explainLibvirtError(e)));
    }, [libvirt, vm]);
    useEffect(load, [load]);

    // only when a VF is needed: the MACs both hosts' VMs use
    useEffect(() => {
        if (held !== null || !ssh)
            return;
        macsInUse(libvirt, ssh).then(m => { setMacs(m); setMac(uniqueMac(m.macs)) },
                                     (e: unknown) => setError({ summary: _("The MAC addresses of the VMs could not be read"), detail: String((e as Error)?.message ?? e), checks: [] }));
    }, [held, ssh, libvirt]);

    const free = useMemo(() => nicsOf(source.facts).flatMap(n => n.vfs).filter(v => vfState(v) === "prepared"), [source.facts]);
    useEffect(() => {
        if (vf === null && free.length > 0)
            setVf(free[0].pci);
    }, [free, vf]);

    useEffect(() => {
        if (held) {
            if (state.sourceVf !== held.pci)
                update({ sourceVf: held.pci });
            setCanContinue(true);
        } else {
            setCanContinue(false);
        }
    }, [held]); // eslint-disable-line react-hooks/exhaustive-deps
    useEffect(() => setBusy(attaching), [attaching, setBusy]);

    if (!vm)
        return <div id="vfm-stage-attach"><Alert variant="warning" isInline title={_("Choose a VM first (Back)")} /></div>;

    const xml = mac && vf ? vfInterfaceXml(mac, vf) : null;
    const virsh = quoteArgv(attachVirshLine(vm, "vf.xml"));

    const attach = () => {
        if (!xml || !vf)
            return;
        setAttaching(true);
        setError(null);
        attachVf(libvirt, vm, xml, vf).then(after => {
            update({ sourceVf: vf });
            setHeld(after);
        }).catch(e => setError(explainLibvirtError(e))).finally(() => setAttaching(false));
    };

    return (
        <div id="vfm-stage-attach" data-attach={held === undefined ? "loading" : held ? "attached" : "needed"}>
            {held === undefined && !error && <Spinner size="md" aria-label={_("Loading")} />}
            {held &&
                <Alert id="vfm-attach-done" variant="success" isInline
                       title={format(_("VM $0 holds VF $1 (MAC $2), live and in its persistent definition"), vm, held.pci, held.mac ?? "?")}>
                    {_("Nothing to attach: Next leads to the migration.")}
                </Alert>}
            {held === null && <>
                <p>{_("The VF is given to the VM as a network interface of type 'hostdev', managed by libvirt: libvirt moves the VF to the mlx5_vfio_pci driver itself. It is attached to the running VM and to its persistent definition.")}</p>
                <FormGroup label={_("VF of this host")} fieldId="vfm-attach-vf">
                    {free.length > 0
                        ? <FormSelect id="vfm-attach-vf" value={vf ?? ""} onChange={(_ev, v) => setVf(v)} isDisabled={attaching}>
                            {free.map(v => <FormSelectOption key={v.pci} value={v.pci} label={format(_("$0 (free and prepared)"), v.pci)} />)}
                        </FormSelect>
                        : source.facts
                            ? <Alert id="vfm-attach-no-vf" variant="danger" isInline title={_("No VF of this host is free and prepared: prepare one in the host preparation stage")} />
                            : <Spinner size="sm" aria-label={_("Loading")} />}
                </FormGroup>
                {macs && mac &&
                    <p id="vfm-attach-mac">{format(_("MAC address $0: used by no VM of this host or of the destination (VMs looked at: $1 here, $2 there)"), mac, macs.sourceVms, macs.destinationVms)}</p>}
                {xml && <>
                    <CodeBlock id="vfm-attach-xml"><CodeBlockCode>{xml}</CodeBlockCode></CodeBlock>
                    <p>{_("The same with virsh, the XML above saved as vf.xml:")}</p>
                    <ClipboardCopy id="vfm-attach-virsh" variant="inline-compact" isBlock isReadOnly isCode hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">{virsh}</ClipboardCopy>
                    <Button id="vfm-attach-button" variant="primary" onClick={attach} isLoading={attaching} isDisabled={attaching}>
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
