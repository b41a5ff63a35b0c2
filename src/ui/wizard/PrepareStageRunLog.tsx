import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { _, format } from "../../lib/cockpit";
import type { CommandRun, StepRunView } from "../../session/run-view";

export type { CommandRun, StepRunView } from "../../session/run-view";

function outcome(c: CommandRun): string {
    if (c.error)
        return c.error;
    if (c.exitStatus === null)
        return _("Running…");
    const ms = c.durationMs ?? 0;
    return format(_("exit status $0, $1 ms"), c.exitStatus, ms);
}

/**
 * What ran for one step, each command copyable, with its live output and result (as the status page's evidence).
 * A run read back from the host's record says so, and its lines are plain text: the host wrote them, not this page.
 */
export function PrepareStageRunLog({ run }: { run: StepRunView }) {
    const recorded = run.recordedOn !== undefined;
    const title = run.kind === "undo" ? _("Undo") : _("Run");
    return (
        <div className="vfm-prepare-run" data-run-state={run.state} data-recorded={recorded ? "yes" : "no"}>
            <strong>{recorded ? format(_("$0, recorded on $1"), title, run.recordedOn ?? "") : title}</strong>
            {run.commands.map((c, i) =>
                <div key={i} className="vfm-evidence-item vfm-prepare-command" data-exit={c.exitStatus ?? ""}>
                    {recorded
                        ? <pre className="vfm-evidence vfm-mono vfm-prepare-recorded-line">{c.line}</pre>
                        : <ClipboardCopy variant="inline-compact" isBlock isCode isReadOnly hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">{c.line}</ClipboardCopy>}
                    <div className="vfm-evidence-meta">
                        {c.exitStatus === null && !c.error && <Spinner size="sm" aria-label={_("Running")} />} {outcome(c)}
                    </div>
                    {c.output && <pre className="vfm-evidence vfm-mono">{c.output}</pre>}
                </div>)}
            {run.state === "failed" && run.error &&
                <pre className="vfm-evidence vfm-mono vfm-prepare-error">{run.error}</pre>}
        </div>
    );
}
