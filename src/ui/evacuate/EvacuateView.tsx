import { useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, cockpit, format } from "../../lib/cockpit";
import { evaluateHost } from "../../session/findings";
import { blockingFailures, clampLimit, isPlain, planEvacuation, VF_MIGRATIONS_PER_PORT } from "../../session/evacuation";
import { evacuateBackUrl } from "../../session/departures";
import { type DestinationInput, destinationError, savedDestination } from "../../session/hosts";
import { hostIdentity } from "../../session/saved";
import { bandwidthError, useEvacuation } from "./useEvacuation";
import { EvacuationPlanView } from "./EvacuationPlanView";
import { EvacuationRunView } from "./EvacuationRunView";

/**
 * `#/evacuate?destination=…&vms=a,b`: the link a host gives for bringing its VMs back, or the preparation for moving
 * them off before a reboot (with `user`, `port`); else the saved destination.
 */
function fromLocation(): { dest: DestinationInput; vms: string[] | null; plain: boolean } {
    const o = cockpit().location.options;
    const one = (v: unknown) => (typeof v === "string" && v.length <= 4096 ? v : null);
    const host = one(o.destination);
    const vms = one(o.vms);
    return {
        // the user and port as given: checked like the rest before anything is run, and said when wrong
        dest: host !== null ? { host, user: one(o.user) ?? "root", port: one(o.port) ?? "", protocol: "ssh" } : savedDestination(),
        vms: vms === null ? null : vms.split(",").filter(Boolean),
        plain: o.plain === "1",
    };
}

/** The third view: every running VM with a VF moved to the destination in one guided run, and back. */
export function EvacuateView() {
    const [{ dest, vms: only, plain }] = useState(fromLocation);
    const [plainToo, setPlainToo] = useState(plain);
    const e = useEvacuation(dest.host ? dest : null);
    const [limit, setLimit] = useState(VF_MIGRATIONS_PER_PORT);
    const [bandwidth, setBandwidth] = useState("");
    const bwError = dest.host ? bandwidthError(dest, bandwidth) : null;
    const destLabel = e.destination?.ssh.host ?? dest.host;
    const destError = useMemo(() => (dest.host ? destinationError(dest) : null), [dest]);

    const hostFailures = useMemo(() => {
        const out: { id: string; text: string }[] = [];
        for (const [facts, role, name] of [[e.source.facts, "source", _("This host")], [e.target.facts, "destination", _("The destination")]] as const)
            if (facts)
                for (const r of evaluateHost({ facts, role, protocol: "ssh" }).filter(x => x.verdict === "fail"))
                    out.push({ id: r.id, text: `${name}: ${r.summary}` });
        return out;
    }, [e.source.facts, e.target.facts]);

    const plan = useMemo(() => {
        if (!e.source.facts || !e.target.facts || !e.reading.vms)
            return null;
        const vms = only ? e.reading.vms.filter(v => only.includes(v.name)) : e.reading.vms;
        const p = planEvacuation({
            vms, source: e.source.facts, destination: e.target.facts, destinationAvailableMiB: e.reading.memMiB, limit: clampLimit(limit),
            libvirtDbusThreads: e.reading.threads, plainToo,
        });
        const blocking = blockingFailures(hostFailures, p.rows);
        return blocking.length ? { ...p, refusals: [...blocking.map(f => format(_("Not ready: $0"), f.text)), ...p.refusals] } : p;
    }, [e.source.facts, e.target.facts, e.reading, limit, only, hostFailures, plainToo]);
    const withoutVf = (e.reading.vms ?? []).filter(v => !v.problem && v.vfs.length === 0 && (!only || only.includes(v.name))).length;

    const here = hostIdentity()?.hostname ?? "";
    const movedRows = e.state?.rows.filter(r => r.status === "moved" || r.status === "not-here").map(r => r.row) ?? [];
    const backUrl = here && movedRows.length && e.record
        ? evacuateBackUrl(e.record.destination.host, here, movedRows.map(r => r.vm), movedRows.some(isPlain)) : null;

    const reading = e.source.busy || e.target.busy || e.reading.busy;
    const error = e.source.error?.message ?? e.target.error?.message ?? e.reading.error;
    return (
        <Stack hasGutter id="vfm-evacuate" component="section" aria-labelledby="vfm-evacuate-title">
            <Title headingLevel="h2" id="vfm-evacuate-title">{_("Evacuate this host")}</Title>
            <p>{_("Every running VM with a VF moves to the destination, each with the wizard's checks and progress, and, if you choose, every VM without one by plain live migration; the VMs come back the same way, from the destination's own page.")}</p>
            {!dest.host
                ? <Alert id="vfm-evacuation-no-destination" variant="info" isInline title={_("Choose a destination on the Host status page first")}>
                    <Button variant="link" isInline onClick={() => cockpit().location.go([])}>{_("Host status")}</Button>
                </Alert>
                : <p id="vfm-evacuation-destination">{format(_("Destination: $0"), destLabel)}</p>}
            {dest.host && !e.record && destError &&
                <Alert id="vfm-evacuation-bad-destination" variant="danger" isInline title={_("This destination cannot be used")}>{destError}</Alert>}
            {e.record && e.state
                ? <EvacuationRunView state={e.state} destination={e.record.destination.host} limit={Math.min(e.record.limit, e.record.atOnce)} attached={e.attached}
                                     onResume={e.resume} onAbortOne={vm => e.run?.abortOne(vm) ?? Promise.resolve()}
                                     onAbortAll={() => e.run?.abortAll() ?? Promise.resolve([])} onClear={e.clear} backUrl={backUrl} />
                : <>
                    {error &&
                        <Alert id="vfm-evacuation-read-error" variant="danger" isInline title={_("A host could not be read")}
                               actionLinks={<Button variant="link" isInline onClick={() => { e.source.refresh(); e.target.refresh(); e.read() }}>{_("Read again")}</Button>}>
                            {error}
                        </Alert>}
                    {reading && !plan && <div className="vfm-row vfm-row-sm"><Spinner size="md" aria-hidden />{_("Reading both hosts…")}</div>}
                    {plan && dest.host &&
                        <EvacuationPlanView plan={plan} destination={destLabel} limit={limit} setLimit={setLimit}
                                            bandwidth={bandwidth} setBandwidth={setBandwidth} bandwidthError={bwError}
                                            withoutVf={withoutVf} plainToo={plainToo} setPlainToo={setPlainToo}
                                            onStart={() => e.start(dest, plan.rows, plan.limit, plan.atOnce, bandwidth)}
                                            onPrepare={() => e.prepare(plan.toPrepare)}
                                            onReadAgain={() => { e.source.refresh(); e.target.refresh(); e.read() }} />}
                </>}
        </Stack>
    );
}
