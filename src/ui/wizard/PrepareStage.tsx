import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format } from "../../lib/cockpit";
import type { Role } from "../../checks/facts";
import { DEFAULT_OPTIONS, type PrepareOptions } from "../../session/exports";
import { evacuateBackUrl } from "../../session/departures";
import { isHostKeyUnknown } from "../../session/host-model";
import { destinationOrNull, localModel } from "../../session/hosts";
import { hostPlan, hostReady } from "../../session/preparation-plan";
import {
    afterEvacuation, forgetMaintenance, maintenancePhase, moveMore, newMaintenance, saveMaintenance, savedMaintenance, type EvacuationOutcome,
    type MaintenanceRecord,
} from "../../session/maintenance";
import { hostIdentity } from "../../session/saved";
import { HostKeyFirstContact } from "../status/HostKeyDialog";
import { useHostModel } from "../useHostModel";
import { usePreparation } from "../usePreparation";
import { useSuperuser } from "../useSuperuser";
import type { StageProps } from "./types";
import { AutomationScriptButton } from "./AutomationScriptButton";
import { PrepareStageDialogs } from "./PrepareStageDialogs";
import { PrepareStageHost } from "./PrepareStageHost";
import { type EvacuateWay, PrepareStagePhase } from "./PrepareStagePhase";
import { PrepareStageRecordError } from "./PrepareStageRecordError";
import { PrepareStageReboots } from "./PrepareStageReboots";
import { MaintenancePanel } from "./MaintenancePanel";

/**
 * Host preparation: what each host still needs, in order, run from here on both hosts with the admin's
 * confirmation for every disruptive step; progress kept on the hosts, so the page resumes where it was.
 */
export function PrepareStage({ state, report, setBusy }: StageProps) {
    const admin = useSuperuser();
    const local = localModel();
    const dhost = state.destination?.host ?? "";
    const duser = state.destination?.user ?? "root";
    const dport = state.destination?.port ?? "";
    const remote = useMemo(() => (dhost ? destinationOrNull({ host: dhost, user: duser, port: dport }) : null), [dhost, duser, dport]);

    const [options, setOptions] = useState<PrepareOptions>({ ...DEFAULT_OPTIONS, protocol: state.destination?.protocol ?? "ssh" });
    const sourceModel = admin ? local : null;
    const destModel = admin ? remote?.model ?? null : null;
    const sourceState = useHostModel(sourceModel, true);
    const destState = useHostModel(destModel, true);
    const hosts = useMemo(() => (sourceModel && destModel ? { source: sourceModel, destination: destModel } : null),
                          [sourceModel, destModel]);
    const run = usePreparation(hosts, options);

    const source = useMemo(() => (sourceState.facts ? hostPlan("source", sourceState.facts, sourceState.vms, options) : null),
                           [sourceState.facts, sourceState.vms, options]);
    const destination = useMemo(() => (destState.facts ? hostPlan("destination", destState.facts, destState.vms, options) : null),
                                [destState.facts, destState.vms, options]);

    const label = useCallback((role: Role) => role === "source"
        ? format(_("This host ($0)"), sourceState.facts?.hostname ?? local.host)
        : remote?.transport.host ?? _("Destination"), [sourceState.facts, local, remote]);

    // VMs that block this host's reboot move to the destination in a maintenance run (kept in this browser), VMs
    // without a VF too; those that block the destination's move from its own page
    const [maintenance, setMaintenance] = useState(savedMaintenance);
    const keep = useCallback((m: MaintenanceRecord | null) => {
        if (m)
            saveMaintenance(m);
        else
            forgetMaintenance();
        setMaintenance(m);
    }, []);
    const evacuate = useCallback((role: Role, vms: readonly string[]): EvacuateWay | null => {
        if (role === "source") {
            // during a maintenance, VMs that still block (one that failed to move, one started since) move to its peer
            if (maintenance)
                return maintenance.phase === "prepare" ? { peer: maintenance.peer.host, maintain: () => keep(moveMore(maintenance, vms, Date.now())) } : null;
            return dhost ? { peer: dhost, maintain: () => keep(newMaintenance({ host: dhost, user: duser, port: dport, protocol: "ssh" }, vms, Date.now())) } : null;
        }
        const here = hostIdentity()?.hostname ?? "";
        return dhost && here ? { peer: here, href: evacuateBackUrl(dhost, here, vms, true) } : null;
    }, [dhost, duser, dport, maintenance, keep]);
    const afterMoving = useCallback((o: EvacuationOutcome) => {
        if (maintenance)
            keep(afterEvacuation(maintenance, o));
        run.start();
    }, [maintenance, keep, run]);

    // what the admin chose last time, as recorded on this host
    const recorded = run.progress.source?.options;
    useEffect(() => {
        if (recorded)
            setOptions(o => ({ ...o, persist: recorded.persist, bridge: recorded.bridge, numVfs: recorded.numVfs }));
    }, [recorded]);

    const keyUnknown = isHostKeyUnknown(destState.error);

    const sourceReady = source !== null && hostReady(source.plan);
    const destReady = destination !== null && hostReady(destination.plan);
    const phase = run.phase.kind;
    // this host's reboot under way: nothing more starts from this page, which goes down with it
    const active = phase === "reading" || phase === "running" || phase === "waiting" || phase === "rebooting-self" || run.ask !== null;
    const recordRefused = run.recordErrors.source !== null || run.recordErrors.destination !== null;
    // until both records are read, whether this run resumes an earlier one is unknown
    const recordsRead = run.recordsRead.source && run.recordsRead.destination;
    useEffect(() => setBusy(active), [active, setBusy]);
    // the checks chose no destination VF when none was prepared: they run again, and pick the one prepared now
    const recheck = state.destinationVf === null;
    const hostError = !!sourceState.error || (!!destState.error && !keyUnknown);
    const outcome = admin === false ? "limited" : recordRefused ? "record-refused" : active ? "running"
        : hostError ? "host-error" : !source || !destination || !recordsRead ? "reading"
            : sourceReady && destReady ? (recheck ? "ready-no-vf" : "ready") : "not-ready";
    useEffect(() => report({ stage: "prepare", kind: outcome }), [outcome, report]);
    useEffect(() => () => setBusy(false), [setBusy]);

    if (admin === false)
        return <Alert id="vfm-prepare-limited" isInline variant="info" title={_("Preparing the hosts needs administrative access")} />;
    if (!remote)
        return <Alert id="vfm-prepare-no-destination" isInline variant="info" title={_("Choose the destination first, in the first stage.")} />;

    const resumed = (run.progress.source?.updatedAt ?? 0) > 0 || (run.progress.destination?.updatedAt ?? 0) > 0;
    const errorOf = (h: typeof sourceState) => (h.error && !(h === destState && keyUnknown) ? h.error.message : null);
    return (
        <Stack hasGutter id="vfm-stage-prepare" data-records={recordsRead ? "read" : "reading"}>
            <StackItem>
                <p>{_("Each host is read again, and only what is missing runs: first on this host, then on the destination. Steps that cut traffic, need a reboot or reset the adapter ask first.")}</p>
            </StackItem>
            <StackItem>
                <div className="vfm-row">
                    <Button id="vfm-prepare-start" variant="primary" isDisabled={active || recordRefused || sourceReady && destReady || !source || !destination || !recordsRead}
                            isLoading={active || !recordsRead && !hostError} onClick={run.start}>
                        {resumed ? _("Continue preparation") : _("Prepare both hosts")}
                    </Button>
                    {phase === "running" &&
                        <Button id="vfm-prepare-cancel" variant="secondary" onClick={run.cancel}>{_("Cancel")}</Button>}
                    <Button id="vfm-prepare-refresh" variant="secondary" isDisabled={active}
                            onClick={() => { sourceState.refresh(); destState.refresh() }}>
                        {_("Read the hosts again")}
                    </Button>
                    <AutomationScriptButton id="vfm-prepare-automation" hosts={[
                        { role: "source", label: label("source"), ctx: source?.ctx ?? null },
                        { role: "destination", label: label("destination"), ctx: destination?.ctx ?? null },
                    ]} />
                    <Checkbox id="vfm-prepare-persist" isDisabled={active} isChecked={options.persist}
                              onChange={(_ev, persist) => setOptions(o => ({ ...o, persist }))}
                              label={_("Keep the VFs and the switchdev mode across reboots (NetworkManager)")} />
                </div>
            </StackItem>
            {maintenance &&
                <StackItem>
                    <MaintenancePanel m={maintenance} phase={maintenancePhase(maintenance, sourceReady, sourceState.vms)}
                                      peer={destinationOrNull(maintenance.peer)?.transport.host ?? maintenance.peer.host}
                                      runningHere={sourceState.vms} canContinue={!active && !recordRefused && recordsRead} onContinue={afterMoving}
                                      onChange={keep} onLookAgain={sourceState.refresh} onForget={() => keep(null)} />
                </StackItem>}
            {(["source", "destination"] as const).map(role => {
                const e = run.recordErrors[role];
                return e && <StackItem key={role}><PrepareStageRecordError role={role} error={e} label={label(role)} onDiscard={run.discardRecord} /></StackItem>;
            })}
            <StackItem>
                <PrepareStagePhase phase={run.phase} label={label} evacuate={evacuate} onRetry={run.start} onUndo={run.undo}
                                   onCheckNow={run.checkNow} onStopWaiting={run.stopWaiting} />
            </StackItem>
            {!active &&
                <StackItem>
                    <PrepareStageReboots label={label}
                                         plans={{ source: source?.plan ?? null, destination: destination?.plan ?? null }} />
                </StackItem>}
            {sourceReady && destReady && phase !== "done" &&
                <StackItem><Alert id="vfm-prepare-ready" isInline variant="success" title={_("Both hosts are prepared")} /></StackItem>}
            {sourceReady && destReady && recheck &&
                <StackItem>
                    <p id="vfm-prepare-recheck">{_("Next runs the checks of the VM again: they choose the destination's VF prepared here.")}</p>
                </StackItem>}
            <StackItem>
                <div className="vfm-columns">
                    <div>
                        <PrepareStageHost hostKey="source" title={label("source")} plan={source?.plan ?? null}
                                          runs={run.runs.source} error={errorOf(sourceState)} busy={sourceState.busy} />
                    </div>
                    <div>
                        <PrepareStageHost hostKey="destination" title={label("destination")} plan={destination?.plan ?? null}
                                          runs={run.runs.destination} error={errorOf(destState)} busy={destState.busy} />
                    </div>
                </div>
            </StackItem>
            <PrepareStageDialogs ask={run.ask} label={label} progress={run.progress} reply={run.reply} />
            <HostKeyFirstContact model={destModel} />
        </Stack>
    );
}
