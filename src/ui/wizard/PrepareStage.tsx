import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Flex, FlexItem } from "@patternfly/react-core/dist/esm/layouts/Flex/index.js";
import { Grid, GridItem } from "@patternfly/react-core/dist/esm/layouts/Grid/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format, watchSuperuser } from "../../lib/cockpit";
import type { Role } from "../../checks/facts";
import type { HostKeyOffer } from "../../host/ssh-argv";
import { TransportError } from "../../host/transport";
import { Host, Port, SshUser } from "../../host/values";
import { DEFAULT_OPTIONS, type PrepareOptions } from "../../steps";
import { destinationHost, localHost } from "../hosts";
import { HostKeyDialog } from "../status/HostKeyDialog";
import type { StageProps } from "./types";
import { AutomationScriptButton } from "./AutomationScriptButton";
import { PrepareStageDialogs } from "./PrepareStageDialogs";
import { PrepareStageHost } from "./PrepareStageHost";
import { PrepareStagePhase } from "./PrepareStagePhase";
import { PrepareStageRecordError } from "./PrepareStageRecordError";
import { PrepareStageReboots } from "./PrepareStageReboots";
import { hostReady, usePreparedHost } from "./PrepareStageHosts";
import { usePrepareRun } from "./PrepareStageRun";

function destinationOf(d: StageProps["state"]["destination"]) {
    if (!d)
        return null;
    const host = Host.parse(d.host);
    const user = SshUser.parse(d.user || "root");
    return host.ok && user.ok ? destinationHost({ host: host.value, user: user.value, port: Port.of(22) }) : null;
}

/**
 * Host preparation: what each host still needs, in order, run from here on both hosts with the admin's
 * confirmation for every disruptive step; progress kept on the hosts, so the page resumes where it was.
 */
export function PrepareStage({ state, setCanContinue, setBusy }: StageProps) {
    const [admin, setAdmin] = useState<boolean | null>(null);
    useEffect(() => watchSuperuser(setAdmin), []);

    const local = useMemo(localHost, []);
    const dhost = state.destination?.host ?? "";
    const duser = state.destination?.user ?? "root";
    // eslint-disable-next-line react-hooks/exhaustive-deps
    const remote = useMemo(() => destinationOf(state.destination), [dhost, duser]);

    const [options, setOptions] = useState<PrepareOptions>({ ...DEFAULT_OPTIONS, protocol: state.destination?.protocol ?? "ssh" });
    const source = usePreparedHost("source", admin ? local : null, true, options);
    const destination = usePreparedHost("destination", admin ? remote?.transport ?? null : null, true, options);

    const onDone = useCallback(() => {}, []);
    const run = usePrepareRun({
        source: { role: "source", transport: admin ? local : null, host: source },
        destination: { role: "destination", transport: admin ? remote?.transport ?? null : null, host: destination },
    }, onDone);

    const label = useCallback((role: Role) => role === "source"
        ? format(_("This host ($0)"), source.probe.facts?.hostname ?? local.host)
        : remote?.transport.host ?? _("Destination"), [source.probe.facts, local, remote]);

    // the hosts' own records: what ran before this page was opened (another session, before a reboot)
    const loaded = useRef<Record<Role, boolean>>({ source: false, destination: false });
    const { loadProgress } = run;
    useEffect(() => {
        for (const [role, h] of [["source", source], ["destination", destination]] as const) {
            if (!loaded.current[role] && h.probe.refreshedAt !== null) {
                loaded.current[role] = true;
                // a record the page cannot use comes back as run.recordErrors; this is the host not answering yet
                loadProgress(role).catch(() => { loaded.current[role] = false });
            }
        }
    }, [source, destination, loadProgress]);
    // what the admin chose last time, as recorded on this host
    const recorded = run.progress.source?.options;
    useEffect(() => {
        if (recorded)
            setOptions(o => ({ ...o, persist: recorded.persist, bridge: recorded.bridge, numVfs: recorded.numVfs }));
    }, [recorded]);

    // first contact with the destination: its host key, confirmed by the admin
    const [offer, setOffer] = useState<HostKeyOffer | null>(null);
    const keyUnknown = destination.probe.error instanceof TransportError && destination.probe.error.kind === "host-key-unknown";
    useEffect(() => {
        if (keyUnknown && remote)
            remote.ssh.offerHostKeys().then(setOffer, () => setOffer(null));
    }, [keyUnknown, remote]);

    const sourceReady = source.current !== null && hostReady(source.current.plan);
    const destReady = destination.current !== null && hostReady(destination.current.plan);
    const phase = run.phase.kind;
    const active = phase === "reading" || phase === "running" || phase === "waiting" || run.ask !== null;
    const recordRefused = run.recordErrors.source !== null || run.recordErrors.destination !== null;
    useEffect(() => setCanContinue(sourceReady && destReady && !active), [sourceReady, destReady, active, setCanContinue]);
    useEffect(() => setBusy(active), [active, setBusy]);
    useEffect(() => () => setBusy(false), [setBusy]);

    if (admin === false)
        return <Alert id="vfm-prepare-limited" isInline variant="info" title={_("Preparing the hosts needs administrative access")} />;
    if (!remote)
        return <Alert id="vfm-prepare-no-destination" isInline variant="info" title={_("Choose the destination first, in the first stage.")} />;

    const resumed = (run.progress.source?.updatedAt ?? 0) > 0 || (run.progress.destination?.updatedAt ?? 0) > 0;
    const errorOf = (h: typeof source) => (h.probe.error && !(h === destination && keyUnknown) ? h.probe.error.message : null);
    return (
        <Stack hasGutter id="vfm-stage-prepare">
            <StackItem>
                <p>{_("Each host is read again, and only what is missing runs: first on this host, then on the destination. Steps that cut traffic, need a reboot or reset the adapter ask first.")}</p>
            </StackItem>
            <StackItem>
                <Flex alignItems={{ default: "alignItemsCenter" }}>
                    <FlexItem>
                        <Button id="vfm-prepare-start" variant="primary" isDisabled={active || recordRefused || sourceReady && destReady || !source.current || !destination.current}
                                isLoading={active} onClick={run.start}>
                            {resumed ? _("Continue preparation") : _("Prepare both hosts")}
                        </Button>
                    </FlexItem>
                    {phase === "running" &&
                        <FlexItem><Button id="vfm-prepare-cancel" variant="secondary" onClick={run.cancel}>{_("Cancel")}</Button></FlexItem>}
                    <FlexItem>
                        <Button id="vfm-prepare-refresh" variant="secondary" isDisabled={active}
                                onClick={() => { source.probe.refresh(); destination.probe.refresh() }}>
                            {_("Read the hosts again")}
                        </Button>
                    </FlexItem>
                    <FlexItem>
                        <AutomationScriptButton id="vfm-prepare-automation" hosts={[
                            { role: "source", label: label("source"), ctx: source.current?.ctx ?? null },
                            { role: "destination", label: label("destination"), ctx: destination.current?.ctx ?? null },
                        ]} />
                    </FlexItem>
                    <FlexItem>
                        <Checkbox id="vfm-prepare-persist" isDisabled={active} isChecked={options.persist}
                                  onChange={(_ev, persist) => setOptions(o => ({ ...o, persist }))}
                                  label={_("Keep the VFs and the switchdev mode across reboots (NetworkManager)")} />
                    </FlexItem>
                </Flex>
            </StackItem>
            {(["source", "destination"] as const).map(role => {
                const e = run.recordErrors[role];
                return e && <StackItem key={role}><PrepareStageRecordError role={role} error={e} label={label(role)} onDiscard={run.discardRecord} /></StackItem>;
            })}
            <StackItem>
                <PrepareStagePhase phase={run.phase} label={label} onRetry={run.start} onUndo={run.undo} />
            </StackItem>
            {!active &&
                <StackItem>
                    <PrepareStageReboots label={label}
                                         plans={{ source: source.current?.plan ?? null, destination: destination.current?.plan ?? null }} />
                </StackItem>}
            {sourceReady && destReady && phase !== "done" &&
                <StackItem><Alert id="vfm-prepare-ready" isInline variant="success" title={_("Both hosts are prepared")} /></StackItem>}
            <StackItem>
                <Grid hasGutter>
                    <GridItem md={6}>
                        <PrepareStageHost hostKey="source" title={label("source")} plan={source.current?.plan ?? null}
                                          runs={run.runs.source} error={errorOf(source)} busy={source.probe.busy} />
                    </GridItem>
                    <GridItem md={6}>
                        <PrepareStageHost hostKey="destination" title={label("destination")} plan={destination.current?.plan ?? null}
                                          runs={run.runs.destination} error={errorOf(destination)} busy={destination.probe.busy} />
                    </GridItem>
                </Grid>
            </StackItem>
            <PrepareStageDialogs ask={run.ask} label={label} progress={run.progress} reply={run.reply} />
            {offer &&
                <HostKeyDialog offer={{ host: remote.ssh.host, keys: offer.fingerprints.map(f => ({ type: f.type, fingerprint: f.sha256 })) }}
                               onCancel={() => setOffer(null)}
                               trust={() => remote.ssh.trustHostKeys(offer)}
                               onTrusted={() => { setOffer(null); destination.probe.refresh() }} />}
        </Stack>
    );
}
