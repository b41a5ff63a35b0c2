import { useState } from "react";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { _ } from "../../lib/cockpit";
import { EvidenceBlock } from "../status/Evidence";
import { VerdictLabel } from "../status/VerdictLabel";
import type { WizardCheck } from "./ChecksStageEvidence";

/** One wizard check (per-VM check, verification): verdict and finding at a glance; details and evidence expanded. */
export function ChecksStageRow({ prefix, id, title, check }: { prefix: string; id: string; title: string; check: WizardCheck | null }) {
    const [expanded, setExpanded] = useState(false);
    const toggle = (
        <span className="vfm-check-toggle">
            <span className="vfm-check-title">{title}</span>
            {check ? <VerdictLabel verdict={check.verdict} /> : <span className="vfm-checking">{_("Checking…")}</span>}
        </span>
    );
    return (
        <li id={`${prefix}-${id}`} className="vfm-check" data-check={id} data-verdict={check?.verdict ?? "pending"}>
            <ExpandableSection toggleContent={toggle} isExpanded={expanded} onToggle={(_ev, v) => setExpanded(v)}>
                {check && <p className="vfm-check-summary">{check.summary}</p>}
                {check && check.details.length > 0 &&
                    <ul className="vfm-check-details">{check.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
                {check && check.evidence.length > 0 &&
                    <><strong>{_("Evidence")}</strong>
                        {check.evidence.map((e, i) => <EvidenceBlock key={i} evidence={e} />)}</>}
            </ExpandableSection>
            {!expanded && check && <div className="vfm-check-summary-line">{check.summary}</div>}
        </li>
    );
}
