import { useState } from "react";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { _ } from "../../lib/cockpit";
import type { CheckDef, CheckResult, Fix } from "../../checks/types";
import { EvidenceBlock } from "./Evidence";
import { VerdictLabel } from "./VerdictLabel";
import { fixLine } from "./command-line";

/** What is checked: an id and a title; a status check also says what it checks and why (its definition). */
export type RowCheck = Pick<CheckDef<unknown>, "id" | "title"> & Partial<Pick<CheckDef<unknown>, "description" | "why" | "docs">>;

function FixBlock({ fix }: { fix: Fix }) {
    if (fix.kind === "manual")
        return <p className="vfm-fix">{fix.text}</p>;
    return (
        <div className="vfm-fix">
            {fix.note && <p>{fix.note}</p>}
            <ClipboardCopy isReadOnly isCode hoverTip={_("Copy")} clickTip={_("Copied")} variant="expansion"
                           className="vfm-mono">
                {fix.argv.map(fixLine).join("\n")}
            </ClipboardCopy>
        </div>
    );
}

/** The row of a status check on the status page and in the wizard's host summary. */
export const checkRowId = (hostKey: string, checkId: string): string => `vfm-check-${hostKey}-${checkId}`;

/**
 * One finding, wherever it is shown (status page, per-VM checks, verification, the destination VF's re-check):
 * verdict and summary at a glance; the items that decided, what is checked and why, the fix and the evidence when
 * expanded. `finding` null: still checking.
 */
export function FindingRow({ id, check, finding }: { id: string; check: RowCheck; finding: CheckResult | null }) {
    const [expanded, setExpanded] = useState(false);
    const toggle = (
        <span className="vfm-check-toggle">
            <span className="vfm-check-title">{check.title}</span>
            {finding ? <VerdictLabel verdict={finding.verdict} /> : <span className="vfm-checking">{_("Checking…")}</span>}
        </span>
    );
    return (
        <li id={id} className="vfm-check" data-check={check.id} data-verdict={finding?.verdict ?? "pending"}>
            <ExpandableSection toggleContent={toggle} isExpanded={expanded} onToggle={(_ev, v) => setExpanded(v)}>
                {finding && <p className="vfm-check-summary">{finding.summary}</p>}
                {finding && finding.details.length > 0 &&
                    <ul className="vfm-check-details">{finding.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
                {check.description && <p>{check.description}</p>}
                {check.why &&
                    <p><strong>{_("Why it matters:")}</strong> {check.why}
                        {check.docs && <> <a href={check.docs} target="_blank" rel="noopener noreferrer">{_("Documentation")}</a></>}
                    </p>}
                {finding?.fix && <><strong>{_("Fix")}</strong><FixBlock fix={finding.fix} /></>}
                {finding && finding.evidence.length > 0 &&
                    <><strong>{_("Evidence")}</strong>
                        {finding.evidence.map((e, i) => <EvidenceBlock key={i} evidence={e} />)}</>}
            </ExpandableSection>
            {!expanded && finding && <div className="vfm-check-summary-line">{finding.summary}</div>}
        </li>
    );
}
