import { useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { _, format } from "../../lib/cockpit";
import { evaluateHost } from "../../session/findings";
import { blockingFailures, clampLimit, isPlain, planEvacuation, VF_MIGRATIONS_PER_PORT } from "../../session/evacuation";
import { evacuateBackUrl } from "../../session/departures";
import { leftHere } from "../../session/evacuation-run";
import { type DestinationInput, destinationError } from "../../session/hosts";
import { hostIdentity } from "../../session/saved";
import { bandwidthError, type Evacuation } from "./useEvacuation";
import { EvacuationPlanView } from "./EvacuationPlanView";
import { EvacuationRunView } from "./EvacuationRunView";
import { HostKeyFirstContact } from "../status/HostKeyDialog";

/**
 * An evacuation toward `dest`: its plan (of the VMs `only`, when given; with those without a VF when `plain`), then
 * its run and its report. The Evacuate host view shows it, and so does the maintenance of this host.
 */
export function EvacuationPanel({ e, dest, only, plain, back = true, hostKey = true }: {
    e: Evacuation;
    dest: DestinationInput;
    only: readonly string[] | null;
    plain: boolean;
    /** the report links to the way back (the maintenance says it in its own last phase) */
    back?: boolean;
    /** the destination's unknown host key is shown here (false: the view around does it) */
    hostKey?: boolean;
}) {
    const [plainToo, setPlainToo] = useState(plain);
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
    const movedRows = e.state?.rows.filter(r => leftHere(r.status)).map(r => r.row) ?? [];
    const backUrl = back && here && movedRows.length && e.record
        ? evacuateBackUrl(e.record.destination.host, here, movedRows.map(r => r.vm), movedRows.some(isPlain)) : null;

    const reading = e.source.busy || e.target.busy || e.reading.busy;
    const error = e.source.error?.message ?? e.target.error?.message ?? e.reading.error;
    return (
        <>
            {dest.host && <p id="vfm-evacuation-destination">{format(_("Destination: $0"), destLabel)}</p>}
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
                                            onConfirming={open => (open ? e.warm(dest, plan.rows, plan.limit, plan.atOnce, bandwidth) : e.dropWarmed())}
                                            onPrepare={() => e.prepare(plan.toPrepare)}
                                            onReadAgain={() => { e.source.refresh(); e.target.refresh(); e.read() }} />}
                </>}
            {hostKey && <HostKeyFirstContact model={e.destination?.model ?? null} onTrusted={e.read} />}
        </>
    );
}
