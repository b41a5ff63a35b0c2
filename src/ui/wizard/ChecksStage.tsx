import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { _, format, ngettext } from "../../lib/cockpit";
import { evaluateHost, PAIR_CHECKS, REFUSING_CHECK_IDS, VM_CHECKS, VM_CHECK_TITLES, type VmCheck } from "../../session/findings";
import type { CheckDef } from "../../checks/types";
import { useHostProbe } from "../status/useHostChecks";
import type { StageProps } from "./types";
import { useWizardHosts } from "./useDestination";
import { migrationOptionsOf } from "./ChooseStageForm";
import { ChecksStageHosts, needsPreparation, type HostChecks } from "./ChecksStageHosts";
import { vmChecksWork } from "../../session/finding-run";
import { FindingRow } from "../status/FindingRow";
import { PortPicker } from "../status/PortPicker";
import { modelOf } from "../../session/hosts";
import { useFindingRun } from "./ChecksStageRun";
import { ChecksStagePlan } from "./ChecksStagePlan";

/** Stage 2: both hosts' status checks and the checks of this VM against the destination, before anything changes. */
export function ChecksStage({ state, update, report, setBusy }: StageProps) {
    const { local, ssh, libvirt } = useWizardHosts(state.destination);
    const options = useMemo(() => migrationOptionsOf(state), [state.destination, state.options]); // eslint-disable-line react-hooks/exhaustive-deps
    const protocol = state.destination?.protocol ?? "ssh";
    const source = useHostProbe(local, true);
    const destination = useHostProbe(ssh, true);
    const [{ findings: vmChecks, running }, vmRun] = useFindingRun<VmCheck>();

    const hosts: HostChecks[] = [
        {
            key: "source", title: format(_("This host ($0)"), source.facts?.hostname ?? "localhost"),
            results: source.facts ? evaluateHost({ facts: source.facts, role: "source", protocol }) : null,
            pair: source.facts && destination.facts
                ? PAIR_CHECKS.map(def => ({ def: def as CheckDef<never>, result: def.evaluate({ source: source.facts!, destination: destination.facts! }) }))
                : [],
            busy: source.busy, error: source.error?.message ?? null,
            port: <PortPicker hostKey="source" host={source.facts?.hostname ?? "localhost"} facts={source.facts} onChoose={pf => modelOf(local).choosePort(pf)} />,
        },
        {
            key: "destination", title: format(_("Destination ($0)"), ssh?.host ?? "?"),
            results: destination.facts ? evaluateHost({ facts: destination.facts, role: "destination", protocol }) : null,
            pair: [], busy: destination.busy, error: destination.error?.message ?? null,
            port: ssh && <PortPicker hostKey="destination" host={ssh.host} facts={destination.facts} onChoose={pf => modelOf(ssh).choosePort(pf)} />,
        },
    ];

    // the readings the VM's findings were made from: a host read again makes them stale until they are made again
    const [checkedOn, setCheckedOn] = useState<[unknown, unknown] | null>(null);
    const runChecks = useCallback(() => {
        if (!ssh || !options || !state.vm || !source.facts || !destination.facts)
            return;
        setCheckedOn([source.facts, destination.facts]);
        const input = { libvirt, local, ssh, vm: state.vm, options, source: source.facts, destination: destination.facts, preferredVf: state.destinationVf };
        void vmRun.run(vmChecksWork(input), c => {
            if (c.id === "destination-vf")
                update({ destinationVf: c.pickedVf ?? null });
        });
    }, [ssh, options, state.vm, source.facts, destination.facts, libvirt, local, vmRun]); // eslint-disable-line react-hooks/exhaustive-deps
    useEffect(runChecks, [runChecks]);
    useEffect(() => setBusy(running), [running, setBusy]);

    const refused = hosts.flatMap(h => [...(h.results ?? []), ...h.pair.map(p => p.result)]
        .filter(r => r.verdict === "fail" && REFUSING_CHECK_IDS.includes(r.id)).map(r => ({ h, r })));
    const hostOpen = hosts.flatMap(h => [...(h.results ?? []), ...h.pair.map(p => p.result)].filter(needsPreparation)
        .filter(r => !REFUSING_CHECK_IDS.includes(r.id)).map(r => ({ h, r })));
    const vmDone = !running && checkedOn?.[0] === source.facts && checkedOn?.[1] === destination.facts
        && VM_CHECKS.every(id => vmChecks[id]);
    // not passed, yet nothing that stops the migration: listed beside "ready" rather than hidden under "every check passed"
    const notes = [
        ...hosts.flatMap(h => [...(h.results ?? []), ...h.pair.map(p => p.result)]
            .filter(r => r.verdict === "warn" || r.verdict === "unknown").map(r => `${h.title}: ${r.summary}`)),
        ...VM_CHECKS.filter(id => vmChecks[id]?.verdict === "warn" || vmChecks[id]?.verdict === "unknown")
            .map(id => `${VM_CHECK_TITLES[id]()}: ${vmChecks[id]?.summary}`),
    ];
    const blocking = VM_CHECKS.filter(id => id !== "destination-vf" && vmChecks[id]?.verdict === "fail");
    const noVf = vmChecks["destination-vf"]?.verdict === "fail";
    const prepare = hostOpen.length > 0 || noVf;
    const hostsKnown = hosts.every(h => h.results !== null);
    const outcome = hosts.some(h => h.error) ? "host-error" : !hostsKnown || !vmDone ? "reading"
        : blocking.length > 0 || refused.length > 0 ? "blocked" : prepare ? "needs-preparation" : "ready";
    useEffect(() => report({ stage: "checks", kind: outcome }), [outcome, report]);

    if (!state.vm || !state.destination || !options || !ssh)
        return <div id="vfm-stage-checks"><Alert variant="warning" isInline title={_("Choose a VM and a valid destination first (Back)")} /></div>;

    const blockingTitles = [...blocking.map(id => VM_CHECK_TITLES[id]()),
        ...hosts.filter(h => h.error).map(h => format(_("$0 could not be checked"), h.title)),
        ...refused.map(({ h, r }) => `${h.title}: ${r.summary}`)];
    return (
        <div id="vfm-stage-checks">
            {hosts.some(h => h.error) &&
                <Alert id="vfm-checks-host-error" variant="danger" isInline
                       title={_("A host could not be checked; the checks of the VM need both hosts. Check again, or go Back to check the destination.")}>
                    <ul>{hosts.filter(h => h.error).map(h => <li key={h.key}>{`${h.title}: ${h.error}`}</li>)}</ul>
                </Alert>}
            {vmDone && hostsKnown && (blocking.length > 0 || refused.length > 0
                ? <Alert id="vfm-checks-verdict" data-verdict="blocked" variant="danger" isInline
                         title={_("The migration cannot go on until these are fixed")}>
                    <ul>{blockingTitles.map(t => <li key={t}>{t}</li>)}</ul>
                </Alert>
                : prepare
                    ? <Alert id="vfm-checks-verdict" data-verdict="prepare" variant="warning" isInline
                             title={_("The hosts need preparation first: Next leads to the host preparation stage")}>
                        <ul>
                            {hostOpen.map(({ h, r }) => <li key={`${h.key}-${r.id}`}>{`${h.title}: ${r.summary}`}</li>)}
                            {noVf && <li>{vmChecks["destination-vf"]?.summary}</li>}
                        </ul>
                        <ChecksStagePlan protocol={protocol} hosts={{
                            source: { facts: source.facts, vms: source.vms, label: hosts[0].title },
                            destination: { facts: destination.facts, vms: destination.vms, label: hosts[1].title },
                        }} />
                    </Alert>
                    : notes.length === 0
                        ? <Alert id="vfm-checks-verdict" data-verdict="ready" variant="success" isInline
                                 title={state.sourceVf ? _("Every check passed; the VM already has its VF: Next leads to the migration")
                                     : _("Every check passed: Next leads to attaching the VF")} />
                        : <Alert id="vfm-checks-verdict" data-verdict="ready" data-notes={notes.length} variant="warning" isInline
                                 title={format(ngettext("Nothing stops the migration, but $0 check needs a look first: read it before Next",
                                                        "Nothing stops the migration, but $0 checks need a look first: read them before Next", notes.length), notes.length)}>
                            <ul>{notes.map(t => <li key={t}>{t}</li>)}</ul>
                        </Alert>)}
            <Title headingLevel="h3">{format(_("Checks of VM $0 against $1"), state.vm, ssh.host)}</Title>
            <ul className="vfm-checks" id="vfm-vm-checks">
                {VM_CHECKS.map(id => <FindingRow key={id} id={`vfm-vmcheck-${id}`} check={{ id, title: VM_CHECK_TITLES[id]() }} finding={vmChecks[id] ?? null} />)}
            </ul>
            <Button variant="secondary" id="vfm-checks-rerun" isDisabled={running || source.busy || destination.busy}
                    onClick={() => { source.refresh(); destination.refresh() }}>
                {_("Check again")}
            </Button>
            <Title headingLevel="h3">{_("Host status")}</Title>
            <ChecksStageHosts hosts={hosts} />
        </div>
    );
}
