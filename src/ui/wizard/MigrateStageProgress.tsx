import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import {
    DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm,
} from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { Progress } from "@patternfly/react-core/dist/esm/components/Progress/index.js";
import { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format } from "../../lib/cockpit";
import type { ProgressState } from "../../migration/progress";
import { MigrateStageChart } from "./MigrateStageChart";
import { bytes, duration, rate } from "./MigrateText";

function Figure({ id, term, value }: { id: string; term: string; value: string }) {
    return (
        <DescriptionListGroup>
            <DescriptionListTerm>{term}</DescriptionListTerm>
            <DescriptionListDescription id={`vfm-migrate-${id}`}>{value}</DescriptionListDescription>
        </DescriptionListGroup>
    );
}

/** The running migration as GetJobStats reports it, once a second (not in the last 2 s of the page's own call). */
export function MigrateStageProgress({ progress, vm, attached, onAbort, notes }: {
    progress: ProgressState;
    vm: string;
    /** found running when the page opened (not started by this page view) */
    attached: boolean;
    onAbort: () => void;
    notes: string[];
}) {
    const v = progress.view;
    return (
        <Stack hasGutter id="vfm-migrate-progress" data-phase={v.phase} data-attached={attached ? "yes" : "no"} data-percent={v.percent}>
            {attached && <StackItem><p id="vfm-migrate-attached">{format(_("A migration of $0 is running in libvirt on this host; it is shown here."), vm)}</p></StackItem>}
            {v.starting && <StackItem><p id="vfm-migrate-starting">{_("Starting: waiting for libvirt's first figures")}</p></StackItem>}
            <StackItem>
                <Progress id="vfm-migrate-bar" value={v.percent} title={format(_("Migrating $0"), vm)}
                          aria-label={format(_("Migrating $0"), vm)} />
            </StackItem>
            <StackItem>
                <DescriptionList isHorizontal isCompact columnModifier={{ default: "1Col", lg: "2Col" }}>
                    <Figure id="iteration" term={_("Pass over memory")} value={v.iteration !== undefined ? String(v.iteration) : "—"} />
                    <Figure id="elapsed" term={_("Elapsed")} value={duration(v.elapsedMs)} />
                    <Figure id="processed" term={_("Data sent")} value={bytes(v.processedBytes)} />
                    <Figure id="remaining" term={_("Data remaining")} value={bytes(v.remainingBytes)} />
                    <Figure id="rate" term={_("Transfer rate")} value={rate(v.transferBps)} />
                    <Figure id="dirty" term={_("Dirty rate")} value={rate(v.dirtyBps)} />
                    <Figure id="downtime" term={_("Expected pause at switch-over")} value={duration(v.downtimeMs)} />
                    <Figure id="eta" term={_("Estimated time left")} value={v.converging === false ? _("not converging: the guest dirties memory faster than it is sent") : duration(v.etaMs)} />
                    {v.vfioBytes !== undefined && <Figure id="vfio" term={_("VF device state sent")} value={bytes(v.vfioBytes)} />}
                </DescriptionList>
            </StackItem>
            <StackItem>
                <p id="vfm-migrate-vfio-note">{v.note}</p>
                {notes.map(n => <p key={n} className="vfm-migrate-note">{n}</p>)}
            </StackItem>
            <StackItem><MigrateStageChart history={progress.history} /></StackItem>
            <StackItem><Button id="vfm-migrate-abort" variant="danger" onClick={onAbort}>{_("Cancel migration")}</Button></StackItem>
        </Stack>
    );
}
