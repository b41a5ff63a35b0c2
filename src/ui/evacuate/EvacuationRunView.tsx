import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Label } from "@patternfly/react-core/dist/esm/components/Label/index.js";
import { Progress } from "@patternfly/react-core/dist/esm/components/Progress/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format, ngettext } from "../../lib/cockpit";
import { isActive, type EvacuationState, type RowState, type RowStatus } from "../../session/evacuation-run";
import { isPlain } from "../../session/evacuation";
import { duration } from "../wizard/MigrateText";

const STATUS: Record<RowStatus, { text: () => string; color: "grey" | "blue" | "green" | "red" | "orange" }> = {
    waiting: { text: () => _("Waiting"), color: "grey" },
    checking: { text: () => _("Checking its VF"), color: "blue" },
    running: { text: () => _("Migrating"), color: "blue" },
    finishing: { text: () => _("Finishing"), color: "blue" },
    moved: { text: () => _("Moved"), color: "green" },
    "not-here": { text: () => _("No longer here"), color: "green" },
    failed: { text: () => _("Failed"), color: "red" },
    cancelled: { text: () => _("Cancelled"), color: "orange" },
    stopped: { text: () => _("Not started"), color: "orange" },
    skipped: { text: () => _("Skipped"), color: "grey" },
};

/** Where the VM runs now, as the run knows it. */
function whereText(r: RowState, destination: string): string {
    if (r.status === "moved" || r.status === "finishing")
        return r.row.destinationVf === null ? destination : format(_("$0, on VF $1"), destination, r.row.destinationVf);
    if (r.status === "not-here")
        return _("Not on this host (moved before this page opened, or stopped)");
    if (r.where === "stopped-here")
        return _("This host, shut off");
    if (r.where === "not-here" || r.where === "unknown")
        return _("Not known: look on both hosts (virsh list --all)");
    if (isActive(r.status))
        return _("Moving");
    return _("This host");
}

const percentOf = (r: RowState): number =>
    r.status === "moved" || r.status === "finishing" || r.status === "not-here" ? 100 : r.progress?.percent ?? 0;

/**
 * Time left: the longest estimate of the running migrations, plus the waiting ones at the mean time the finished
 * ones took, `limit` at a time. Unknown before any estimate exists.
 */
function timeLeft(s: EvacuationState, limit: number): number | undefined {
    const running = s.rows.filter(r => isActive(r.status)).map(r => r.progress?.etaMs);
    const took = s.rows.filter(r => r.status === "moved" && r.startedAt !== null && r.endedAt !== null).map(r => (r.endedAt as number) - (r.startedAt as number));
    const waiting = s.rows.filter(r => r.status === "waiting").length;
    const known = running.filter((x): x is number => x !== undefined);
    if (known.length < running.length || (waiting > 0 && took.length === 0))
        return undefined;
    const mean = took.length ? took.reduce((a, b) => a + b, 0) / took.length : 0;
    return Math.max(0, ...known) + Math.ceil(waiting / limit) * mean;
}

export function EvacuationRunView({ state, destination, limit, attached, onResume, onAbortOne, onAbortAll, onClear, backUrl }: {
    state: EvacuationState;
    destination: string;
    limit: number;
    /** found by a page that opened again: the rest starts only when asked */
    attached: boolean;
    onResume: () => void;
    onAbortOne: (vm: string) => Promise<void>;
    onAbortAll: () => Promise<string[]>;
    onClear: () => void;
    backUrl: string | null;
}) {
    const [errors, setErrors] = useState<string[]>([]);
    const rows = state.rows;
    const counted = rows.filter(r => r.status !== "stopped");
    const overall = counted.length ? Math.round(counted.reduce((a, r) => a + percentOf(r), 0) / counted.length) : 0;
    const left = timeLeft(state, limit);
    const finished = state.phase === "finished" || (state.phase === "idle" && !rows.some(r => r.status === "waiting"));
    const notStarted = rows.filter(r => r.status === "stopped" || r.status === "waiting").length;
    const canSkip = (s: RowStatus) => s === "waiting" || s === "stopped";
    const abortOne = (vm: string) => onAbortOne(vm).catch((e: unknown) => setErrors(x => [...x, `${vm}: ${e instanceof Error ? e.message : String(e)}`]));
    return (
        <Stack hasGutter id="vfm-evacuation" data-phase={state.phase}>
            <Progress id="vfm-evacuation-bar" value={overall} title={format(_("Evacuating to $0"), destination)}
                      aria-label={format(_("Evacuating to $0"), destination)}
                      helperText={left === undefined || finished ? undefined : format(_("About $0 left"), duration(left))} />
            {state.halted && <Alert id="vfm-evacuation-halted" variant="warning" isInline title={state.halted} />}
            {attached && !state.started && notStarted > 0 && state.phase !== "attaching" &&
                <Alert id="vfm-evacuation-resume" variant="info" isInline
                       title={format(ngettext("An evacuation to $0 was started from this host: $1 of its VMs has not started yet",
                                                    "An evacuation to $0 was started from this host: $1 of its VMs have not started yet", notStarted), destination, notStarted)}
                       actionLinks={<Button id="vfm-evacuation-resume-start" variant="primary" onClick={onResume}>
                           {format(ngettext("Start the $0 VM not started", "Start the $0 VMs not started", notStarted), notStarted)}</Button>} />}
            {errors.length > 0 && <Alert id="vfm-evacuation-abort-error" variant="danger" isInline title={_("libvirt refused to cancel")}>
                <ul>{errors.map(e => <li key={e}>{e}</li>)}</ul></Alert>}
            <table className="vfm-table vfm-scroll-x" id="vfm-evacuation-rows" aria-label={_("Migrations")}>
                <thead><tr>
                    <th>{_("VM")}</th><th>{_("State")}</th><th>{_("Progress")}</th><th>{_("Runs on")}</th><th>{_("Time")}</th>
                    <th>{_("Pause at switch-over")}</th><th aria-label={_("Actions")} />
                </tr></thead>
                <tbody>
                    {rows.map(r =>
                        <tr key={r.row.vm} id={`vfm-evacuation-row-${r.row.vm}`} data-status={r.status} data-port={r.row.sourcePort}>
                            <td>{r.row.vm}</td>
                            <td><Label color={STATUS[r.status].color} isCompact>{r.status === "checking" && isPlain(r.row) ? _("Starting") : STATUS[r.status].text()}</Label>
                                {r.error && <div className="vfm-check-summary">{r.error}</div>}</td>
                            <td><Progress value={percentOf(r)} size="sm" aria-label={format(_("Migrating $0"), r.row.vm)} /></td>
                            <td>{whereText(r, destination)}</td>
                            <td>{r.startedAt !== null && r.endedAt !== null ? duration(r.endedAt - r.startedAt) : "—"}</td>
                            <td>{r.status === "moved" && r.progress?.downtimeMs !== undefined ? format(_("$0 ms"), r.progress.downtimeMs) : "—"}</td>
                            <td>{(isActive(r.status) || canSkip(r.status)) &&
                                <Button variant="link" isInline className="vfm-evacuation-abort" onClick={() => void abortOne(r.row.vm)}>
                                    {canSkip(r.status) ? _("Skip") : _("Cancel")}</Button>}</td>
                        </tr>)}
                </tbody>
            </table>
            <div className="vfm-row">
                {rows.some(r => isActive(r.status)) &&
                    <Button id="vfm-evacuation-abort-all" variant="danger"
                            onClick={() => void onAbortAll().then(e => setErrors(x => [...x, ...e]))}>{_("Cancel all")}</Button>}
                {finished && notStarted > 0 && !(attached && !state.started) &&
                    <Button id="vfm-evacuation-restart" variant="secondary" onClick={onResume}>{format(ngettext("Start the $0 VM not started", "Start the $0 VMs not started", notStarted), notStarted)}</Button>}
                {finished && backUrl &&
                    <a id="vfm-evacuation-back" className="pf-v6-c-button pf-m-secondary" href={backUrl} target="_blank" rel="noopener noreferrer">
                        {format(_("Bring them all back: open this view on $0"), destination)}</a>}
                {finished && <Button id="vfm-evacuation-clear" variant="link" onClick={onClear}>{_("Clear this report")}</Button>}
            </div>
        </Stack>
    );
}
