import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { SyncAltIcon } from "@patternfly/react-icons/dist/esm/icons/sync-alt-icon.js";
import { _, format, ngettext } from "../../lib/cockpit";
import { SimpleCard } from "../SimpleCard";
import { GROUPS, HOST_CHECKS } from "../../session/findings";
import type { CheckDef, CheckResult } from "../../checks/types";
import { FindingRow, checkRowId } from "./FindingRow";
import { LastKnownNote } from "./LastKnownNote";

/** "Ready to migrate" / "3 problems" / "1 reboot pending", from the verdicts shown. */
export function summaryText(results: CheckResult[]): { text: string; ok: boolean } {
    const problems = results.filter(r => r.verdict === "fail" || r.verdict === "unknown").length;
    const reboots = results.filter(r => r.verdict === "pending-reboot").length;
    const parts: string[] = [];
    if (problems)
        parts.push(format(ngettext("$0 problem", "$0 problems", problems), problems));
    if (reboots)
        parts.push(format(ngettext("$0 reboot pending", "$0 reboots pending", reboots), reboots));
    return parts.length ? { text: parts.join(", "), ok: false } : { text: _("Ready to migrate"), ok: true };
}

export interface HostColumnProps<C> {
    hostKey: "source" | "destination";
    title: string;
    results: CheckResult[] | null;
    extra?: { def: CheckDef<C>; result: CheckResult | null }[];
    error?: string | null;
    busy: boolean;
    /** some verdicts still wait for their facts: no summary yet */
    partial?: boolean;
    /** the verdicts are the last known ones, read then (ms since the epoch), while the host is read again */
    lastKnownAt?: number | null;
    onRefresh?: () => void;
    children?: React.ReactNode;
}

export function HostColumn<C>({
    hostKey, title, results, extra = [], error, busy, partial = false, lastKnownAt = null, onRefresh, children,
}: HostColumnProps<C>) {
    const byId = new Map((results ?? []).map(r => [r.id, r]));
    const all = [...(results ?? []), ...extra.map(e => e.result).filter((r): r is CheckResult => !!r)];
    const summary = results && !partial && lastKnownAt === null ? summaryText(all) : null;
    return (
        <SimpleCard id={`vfm-host-${hostKey}`} className="vfm-host"
                    actions={onRefresh && <Button variant="secondary" icon={<SyncAltIcon />} isDisabled={busy} isLoading={busy}
                                                  onClick={onRefresh} id={`vfm-refresh-${hostKey}`}>{_("Refresh")}</Button>}
                    title={<>
                        <Title headingLevel="h2">{title}</Title>
                        {summary && <span id={`vfm-summary-${hostKey}`} className={summary.ok ? "vfm-summary-ok" : "vfm-summary-bad"}>
                            {summary.text}</span>}
                    </>}>
            {children}
            {error && <Alert variant="danger" isInline title={error} id={`vfm-error-${hostKey}`} />}
            {lastKnownAt !== null && <LastKnownNote hostKey={hostKey} at={lastKnownAt} />}
            {(results || busy) && GROUPS.map(g => {
                const defs = HOST_CHECKS.filter(c => c.group === g.id);
                const extras = extra.filter(e => e.def.group === g.id);
                return (
                    <section key={g.id} className="vfm-group" aria-label={g.title()}>
                        <Title headingLevel="h3">{g.title()}</Title>
                        <ul className="vfm-checks">
                            {defs.map(d => <FindingRow key={d.id} id={checkRowId(hostKey, d.id)} check={d} finding={byId.get(d.id) ?? null} />)}
                            {extras.map(e =>
                                <FindingRow key={e.def.id} id={checkRowId(hostKey, e.def.id)} check={e.def} finding={e.result} />)}
                        </ul>
                    </section>
                );
            })}
        </SimpleCard>
    );
}
