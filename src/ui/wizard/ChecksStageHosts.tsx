import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { _, format, ngettext } from "../../lib/cockpit";
import { HOST_CHECKS, PAIR_CHECKS } from "../../session/findings";
import type { CheckDef, CheckResult } from "../../checks/types";
import { FindingRow, checkRowId } from "../status/FindingRow";
import { summaryText } from "../status/HostColumn";

export interface HostChecks {
    key: "source" | "destination";
    title: string;
    results: CheckResult[] | null;
    /** the pair checks, shown with the source */
    pair: { def: CheckDef<never>; result: CheckResult }[];
    busy: boolean;
    error: string | null;
    /** the port choice, on a host with several ConnectX-7 ports */
    port?: React.ReactNode;
}

/** A check that host preparation has to settle before the migration (a reboot pending counts). */
export const needsPreparation = (r: CheckResult): boolean => r.verdict === "fail" || r.verdict === "pending-reboot";

const defOf = (id: string) => HOST_CHECKS.find(c => c.id === id) ?? PAIR_CHECKS.find(c => c.id === id);

/** One host's status checks as on the status page, but only those that are not passed are listed. */
function HostSummary({ h }: { h: HostChecks }) {
    const all = [...(h.results ?? []), ...h.pair.map(p => p.result)];
    const open = all.filter(r => r.verdict !== "pass");
    const summary = h.results ? summaryText(all) : null;
    return (
        <section id={`vfm-checks-host-${h.key}`} className="vfm-host" aria-label={h.title}>
            <Title headingLevel="h3">{h.title}</Title>
            {summary && <span id={`vfm-summary-${h.key}`} className={summary.ok ? "vfm-summary-ok" : "vfm-summary-bad"}>{summary.text}</span>}
            {h.port}
            {h.error && <Alert variant="danger" isInline title={h.error} id={`vfm-error-${h.key}`} />}
            {!h.results && !h.error && <Spinner size="md" aria-label={_("Checking…")} />}
            {h.results &&
                <p className="vfm-hint">{format(ngettext("$0 check passed", "$0 checks passed", all.length - open.length), all.length - open.length)}</p>}
            <ul className="vfm-checks">
                {open.map(r => {
                    const def = defOf(r.id);
                    return def ? <FindingRow key={r.id} id={checkRowId(h.key, r.id)} check={def} finding={r} /> : null;
                })}
            </ul>
        </section>
    );
}

export function ChecksStageHosts({ hosts }: { hosts: HostChecks[] }) {
    return (
        <div className="vfm-columns">
            {hosts.map(h => <div key={h.key}><HostSummary h={h} /></div>)}
        </div>
    );
}
