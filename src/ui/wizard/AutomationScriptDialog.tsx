/*
 * "Automation script", as Cockpit's own pages show it (kdump, SELinux: pkg/lib/cockpit-components-modifications):
 * a modal with the same preparation as a shell script and as an Ansible playbook, for the host(s) chosen, and a
 * button that copies the tab shown. Both come from the step definitions (src/steps exportShell / exportAnsible).
 */
import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { Tab, Tabs, TabTitleText } from "@patternfly/react-core/dist/esm/components/Tabs/index.js";
import { TextArea } from "@patternfly/react-core/dist/esm/components/TextArea/index.js";
import { Radio } from "@patternfly/react-core/dist/esm/components/Radio/index.js";
import { CheckIcon } from "@patternfly/react-icons/dist/esm/icons/check-icon.js";
import { CopyIcon } from "@patternfly/react-icons/dist/esm/icons/copy-icon.js";
import { _ } from "../../lib/cockpit";

/** One choice of host(s) and its two scripts. */
export interface ScriptChoice {
    key: string;
    label: string;
    shell: string;
    ansible: string;
    /** why the scripts could not be made (shell and ansible are then empty) */
    error?: string;
}

type TabKey = "shell" | "ansible";

export function AutomationScriptDialog({ choices, onClose }: { choices: ScriptChoice[]; onClose: () => void }) {
    const [tab, setTab] = useState<TabKey>("shell");
    const [chosen, setChosen] = useState(choices[0]?.key ?? "");
    const [copied, setCopied] = useState(false);
    const choice = choices.find(c => c.key === chosen) ?? choices[0];
    const text = choice && !choice.error ? (tab === "shell" ? choice.shell : choice.ansible).trim() + "\n" : "";

    const copy = () => {
        navigator.clipboard.writeText(text).then(() => {
            setCopied(true);
            window.setTimeout(() => setCopied(false), 3000);
        }, () => setCopied(false));
    };

    return (
        <Modal id="vfm-automation-dialog" isOpen variant="medium" position="top" onClose={onClose}
               aria-labelledby="vfm-automation-title">
            <ModalHeader title={_("Automation script")} labelId="vfm-automation-title"
                         description={_("The same preparation, to run on other hosts or from a fleet's playbooks. It only changes what is not already done.")} />
            <ModalBody>
                {choices.length > 1 &&
                    <div role="radiogroup" aria-label={_("Hosts")} id="vfm-automation-hosts" className="vfm-row">
                        {choices.map(c =>
                            <Radio key={c.key} id={`vfm-automation-host-${c.key}`} name="vfm-automation-host" label={c.label}
                                   isChecked={c.key === choice?.key} onChange={() => { setChosen(c.key); setCopied(false) }} />)}
                    </div>}
                <Tabs activeKey={tab} id="vfm-automation-tabs" aria-label={_("Script format")}
                      onSelect={(_ev, k) => { setTab(k as TabKey); setCopied(false) }}>
                    <Tab eventKey="shell" id="vfm-automation-tab-shell" title={<TabTitleText>{_("Shell script")}</TabTitleText>} />
                    <Tab eventKey="ansible" id="vfm-automation-tab-ansible" title={<TabTitleText>{_("Ansible")}</TabTitleText>} />
                </Tabs>
                {choice?.error
                    ? <Alert id="vfm-automation-error" isInline variant="danger" title={choice.error} />
                    : <TextArea id="vfm-automation-text" className="vfm-mono vfm-evidence" aria-label={_("Script")}
                                readOnlyVariant="default" resizeOrientation="vertical" rows={20} value={text} />}
                {tab === "ansible" &&
                    <p>{_("Save it as a playbook and run it with ansible-playbook; running it again changes nothing on a prepared host.")}</p>}
            </ModalBody>
            <ModalFooter>
                <Button id="vfm-automation-copy" variant="secondary" onClick={copy} isDisabled={!text}
                        icon={copied ? <CheckIcon /> : <CopyIcon />}>
                    {copied ? _("Copied") : _("Copy to clipboard")}
                </Button>
                <Button id="vfm-automation-close" variant="link" onClick={onClose}>{_("Close")}</Button>
            </ModalFooter>
        </Modal>
    );
}
