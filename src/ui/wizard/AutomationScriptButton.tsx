import { useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { _, format } from "../../lib/cockpit";
import type { HostFacts, Protocol, Role } from "../../checks/facts";
import { DEFAULT_OPTIONS, contextFromFacts, exportAnsible, exportShell, type PrepareOptions, type StepContext } from "../../session/exports";
import { AutomationScriptDialog, type ScriptChoice } from "./AutomationScriptDialog";

export interface ScriptHost { role: Role; label: string; ctx: StepContext | null }

/** The scripts of each choice; one that cannot be made (facts missing or refused) carries the reason instead. */
export function choicesFor(hosts: ScriptHost[]): ScriptChoice[] {
    const known = hosts.filter((h): h is ScriptHost & { ctx: StepContext } => h.ctx !== null);
    const one = (hs: typeof known, key: string, label: string): ScriptChoice => {
        const list = hs.map(h => ({ role: h.role, ctx: h.ctx }));
        try {
            return { key, label, shell: exportShell(list), ansible: exportAnsible(list) };
        } catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            return { key, label, shell: "", ansible: "", error: format(_("The automation script for $0 cannot be made: $1"), label, why) };
        }
    };
    const out = known.map(h => one([h], h.role, h.label));
    if (known.length > 1)
        out.push(one(known, "both", _("Both hosts")));
    return out;
}

/** "View automation script": the preparation of the host(s) known so far, as a shell script and a playbook. */
export function AutomationScriptButton({ hosts, id = "vfm-automation-open" }: { hosts: ScriptHost[]; id?: string }) {
    // made when the button is pressed, not while rendering: a host whose facts cannot make a script gets a message
    const [choices, setChoices] = useState<ScriptChoice[] | null>(null);
    const ready = hosts.some(h => h.ctx !== null);
    return (
        <>
            <Button id={id} variant="secondary" isDisabled={!ready} onClick={() => setChoices(choicesFor(hosts))}>
                {_("View automation script")}
            </Button>
            {choices && <AutomationScriptDialog choices={choices} onClose={() => setChoices(null)} />}
        </>
    );
}

/** The same, from the status page's facts (the scripts check running VMs themselves when they run). */
export function StatusAutomationScriptButton({ source, destination, protocol, sourceLabel, destinationLabel }: {
    source: HostFacts | null; destination: HostFacts | null; protocol: Protocol; sourceLabel: string; destinationLabel: string;
}) {
    const options: PrepareOptions = { ...DEFAULT_OPTIONS, protocol };
    return (
        <AutomationScriptButton id="vfm-status-automation-open" hosts={[
            { role: "source", label: format(_("This host ($0)"), sourceLabel), ctx: source ? contextFromFacts("source", source, options, []) : null },
            { role: "destination", label: destinationLabel, ctx: destination ? contextFromFacts("destination", destination, options, []) : null },
        ]} />
    );
}
