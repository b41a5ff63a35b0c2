import { useState, type ReactNode } from "react";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { _ } from "../../lib/cockpit";
import type { Evidence, Verdict } from "../../checks/types";
import { EvidenceBlock } from "./Evidence";
import { VerdictLabel } from "./VerdictLabel";

/** What a row shows of a finding (src/checks/finding.ts) or of a status check's result (no details). */
export interface RowFinding {
    verdict: Verdict;
    summary: string;
    details?: string[];
    evidence: Evidence[];
}

/**
 * One check (status page, per-VM check, verification): verdict and finding at a glance; what the caller adds
 * (`children`), the items that decided and the evidence when expanded. `finding` null: still checking.
 */
export function FindingRow({ id, checkId, title, finding, children }:
    { id: string; checkId: string; title: string; finding: RowFinding | null; children?: ReactNode }) {
    const [expanded, setExpanded] = useState(false);
    const toggle = (
        <span className="vfm-check-toggle">
            <span className="vfm-check-title">{title}</span>
            {finding ? <VerdictLabel verdict={finding.verdict} /> : <span className="vfm-checking">{_("Checking…")}</span>}
        </span>
    );
    const details = finding?.details ?? [];
    return (
        <li id={id} className="vfm-check" data-check={checkId} data-verdict={finding?.verdict ?? "pending"}>
            <ExpandableSection toggleContent={toggle} isExpanded={expanded} onToggle={(_ev, v) => setExpanded(v)}>
                {finding && <p className="vfm-check-summary">{finding.summary}</p>}
                {children}
                {details.length > 0 &&
                    <ul className="vfm-check-details">{details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
                {finding && finding.evidence.length > 0 &&
                    <><strong>{_("Evidence")}</strong>
                        {finding.evidence.map((e, i) => <EvidenceBlock key={i} evidence={e} />)}</>}
            </ExpandableSection>
            {!expanded && finding && <div className="vfm-check-summary-line">{finding.summary}</div>}
        </li>
    );
}
