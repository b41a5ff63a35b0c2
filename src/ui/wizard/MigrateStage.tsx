import { useEffect, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format } from "../../lib/cockpit";
import type { StageProps } from "./types";
import { useMigrationJob } from "./MigrateStageJob";
import { MigrateStagePlan } from "./MigrateStagePlan";
import { MigrateStageProgress } from "./MigrateStageProgress";
import { MigrateStageFailure } from "./MigrateStageFailure";
import { MigrateStageAbortDialog } from "./MigrateStageAbortDialog";
import { MigrateStageReach } from "./MigrateStageReach";
import type { ReachBefore } from "../../migration/guest-reach";
import { reachToKeep } from "../../session/guest-reach";

/**
 * Live migration of the VM through libvirt-dbus (MigrateToURI3, peer-to-peer): the plan first, the destination VF
 * checked again at the click, then the job's progress until it ends; on success the wizard moves to verification.
 */
export function MigrateStage({ state, update, report, setBusy }: StageProps) {
    const m = useMigrationJob(state, setBusy);
    const [confirmAbort, setConfirmAbort] = useState(false);
    const [reach, setReach] = useState<ReachBefore | null>(null);
    const [pinging, setPinging] = useState(false);
    const vm = state.vm ?? "";
    const destLabel = state.destination?.host ?? "";
    const phase = m.phase;
    // Next is for a VM no longer here (moved already); a migration that ends well moves on by itself
    const outcome = phase.kind === "refused" && phase.check.id === "source-vf-recheck" ? "source-refused" : phase.kind;
    useEffect(() => report({ stage: "migrate", kind: outcome }), [outcome, report]);

    return (
        <Stack hasGutter id="vfm-stage-migrate" data-phase={phase.kind}>
            {phase.kind === "loading" &&
                <StackItem><Spinner size="md" aria-label={_("Reading the VM from libvirt")} /> {_("Reading the VM from libvirt…")}</StackItem>}
            {phase.kind === "blocked" &&
                <StackItem>
                    {/* the way out ("Run the checks again") is the wizard's own fix line, under the buttons */}
                    <Alert id="vfm-migrate-blocked" variant="danger" isInline title={phase.message}>
                        {phase.details.length > 0 && <ul>{phase.details.map(d => <li key={d}>{d}</li>)}</ul>}
                    </Alert>
                </StackItem>}
            {phase.kind === "absent" &&
                <StackItem>
                    <Alert id="vfm-migrate-absent" variant="info" isInline title={format(_("$0 is not on this host"), vm)}>
                        {_("If its migration has completed, go on to the verification.")}
                    </Alert>
                </StackItem>}
            {m.source && ["ready", "rechecking", "refused", "failed"].includes(phase.kind) &&
                <StackItem>
                    <MigrateStagePlan source={m.source} vfCheck={m.vfCheck} sourceVfCheck={m.sourceVfCheck} destinationLabel={destLabel} />
                </StackItem>}
            {phase.kind === "refused" &&
                <StackItem>
                    <Alert id="vfm-migrate-refused" variant="danger" isInline data-verdict={phase.check.verdict}
                           title={phase.check.id === "vlan-mismatch" ? _("Not started: the VM's VLAN is not carried on the destination")
                               : phase.check.id !== "source-vf-recheck" ? _("Not started: the destination VF is not ready any more")
                               : phase.check.verdict === "fail" ? _("Not started: QEMU cannot migrate this host's VF")
                                   : _("Not started: this host's VF could not be checked")}>
                        <p>{phase.check.summary}</p>
                    </Alert>
                </StackItem>}
            {phase.kind === "failed" &&
                <StackItem><MigrateStageFailure error={phase.error} vm={vm} where={phase.where} /></StackItem>}
            {(phase.kind === "ready" || phase.kind === "rechecking" || phase.kind === "refused") &&
                <StackItem>
                    <MigrateStageReach disabled={phase.kind === "rechecking"} onReach={setReach} onBusy={setPinging} />
                </StackItem>}
            {(phase.kind === "ready" || phase.kind === "rechecking") &&
                <StackItem>
                    <Button id="vfm-migrate-start" variant="primary" isLoading={phase.kind === "rechecking"}
                            isDisabled={phase.kind === "rechecking" || pinging} onClick={() => {
                                // an answer from minutes ago is not one from right before the call
                                const kept = reachToKeep(reach);
                                update({ reachAt: kept?.at ?? null });
                                void m.start(kept ?? undefined);
                            }}>
                        {phase.kind === "rechecking" ? _("Checking the VFs…") : format(_("Migrate $0"), vm)}
                    </Button>
                </StackItem>}
            {phase.kind === "refused" &&
                <StackItem>
                    <Button id="vfm-migrate-recheck" variant="secondary" onClick={() => { m.checkAgain() }}>{_("Check the VFs again")}</Button>
                </StackItem>}
            {phase.kind === "failed" &&
                <StackItem>
                    <Button id="vfm-migrate-retry" variant="secondary" onClick={() => { m.reopen() }}>{_("Back to the plan")}</Button>
                </StackItem>}
            {(phase.kind === "running" || phase.kind === "done") &&
                <StackItem>
                    <MigrateStageProgress progress={m.progress} vm={vm} attached={phase.kind === "running" && phase.attached}
                                          notes={m.notes} onAbort={() => setConfirmAbort(true)} />
                </StackItem>}
            {confirmAbort && phase.kind === "running" &&
                <MigrateStageAbortDialog vm={vm} onConfirm={m.abort} onClose={() => setConfirmAbort(false)} />}
        </Stack>
    );
}
