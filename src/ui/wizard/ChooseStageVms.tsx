import { useEffect } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Radio } from "@patternfly/react-core/dist/esm/components/Radio/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, cockpit, format } from "../../lib/cockpit";
import type { RunningVm } from "../../session/vms";
import { localVmList } from "../../session/vm-list";
import { ChooseStageDeparted } from "./ChooseStageDeparted";
import { useStore } from "../useHostModel";
import { useOpened } from "./useDestination";

/** cockpit-machines' page of one VM (its router: path ["vm"], options name and connection). */
export function machinesUrl(name: string): string {
    return `/machines#/vm?name=${encodeURIComponent(name)}&connection=system`;
}

export function vfText(vm: RunningVm): string {
    if (vm.problem)
        return format(_("Its definition could not be read: $0"), vm.problem);
    if (vm.vfs.length === 0)
        return _("No VF attached: the wizard attaches one after the checks");
    return vm.vfs.map(v => format(_("VF $0 attached (MAC $1)"), v.pci, v.mac ?? "?")).join("; ");
}

/** Radio list of the running VMs; the VF state beside each; a link to the VM in the "Virtual machines" page. */
/** `onSelect`: the admin's choice (`byAdmin`), or what the choice remembered holds now that the list is read */
export function ChooseStageVms({ selected, onSelect }: { selected: string | null; onSelect: (vm: RunningVm, byAdmin: boolean) => void }) {
    const list = useOpened(localVmList, []);
    const { status, error, departed, departedError, ...state } = useStore(list);
    const vms = status === "loaded" ? state.vms : null;

    // the choice remembered from an earlier visit: tell the parent what that VM holds now
    useEffect(() => {
        const vm = vms?.find(v => v.name === selected);
        if (vm)
            onSelect(vm, false);
    }, [vms]); // eslint-disable-line react-hooks/exhaustive-deps

    return (
        <section id="vfm-choose-vms" aria-labelledby="vfm-choose-vms-title">
            <Stack hasGutter>
                <StackItem><Title headingLevel="h3" id="vfm-choose-vms-title">{_("Running VMs on this host")}</Title></StackItem>
                {error && <StackItem><Alert variant="danger" isInline title={error.summary} id="vfm-choose-vms-error">{error.detail}</Alert></StackItem>}
                {!vms && !error && <StackItem><Spinner size="md" aria-label={_("Loading")} /></StackItem>}
                {vms && vms.length === 0 && <StackItem><p id="vfm-choose-no-vm">{_("No VM is running on this host: only a running VM can be live-migrated.")}</p></StackItem>}
                {vms && vms.length > 0 &&
                    <StackItem>
                        <ul className="vfm-vm-list">
                            {vms.map(vm =>
                                <li key={vm.name} id={`vfm-vm-${vm.name}`} data-vm={vm.name} data-vf={vm.vfs[0]?.pci ?? ""}>
                                    <Radio id={`vfm-vm-radio-${vm.name}`} name="vfm-vm" label={vm.name} isChecked={selected === vm.name}
                                           isDisabled={!!vm.problem} onChange={() => onSelect(vm, true)}
                                           description={<>
                                               <span className="vfm-vm-vf">{vfText(vm)}</span>{" · "}
                                               <a href={machinesUrl(vm.name)} className="vfm-vm-link" target="_top"
                                                  onClick={ev => { ev.preventDefault(); cockpit().jump(machinesUrl(vm.name)) }}>
                                                   {_("Open in Virtual machines")}
                                               </a>
                                           </>} />
                                </li>)}
                        </ul>
                    </StackItem>}
                <StackItem>
                    <Button variant="link" isInline onClick={() => void list.load()} id="vfm-choose-vms-refresh">{_("Refresh the list")}</Button>
                </StackItem>
                {(departed.length > 0 || departedError) &&
                    <StackItem><ChooseStageDeparted departed={departed} error={departedError} /></StackItem>}
            </Stack>
        </section>
    );
}
