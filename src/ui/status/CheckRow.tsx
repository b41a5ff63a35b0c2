import { useState } from "react";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { _ } from "../../lib/cockpit";
import type { CheckDef, CheckResult } from "../../checks/types";
import { EvidenceBlock } from "./Evidence";
import { VerdictLabel } from "./VerdictLabel";
import { fixLine } from "./command-line";

export function FixBlock({ result }: { result: CheckResult }) {
    const fix = result.fix;
    if (!fix)
        return null;
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

/** One check: verdict and finding at a glance; what, why, evidence and fix when expanded. */
export function CheckRow<F>({ hostKey, def, result }: { hostKey: string; def: CheckDef<F>; result: CheckResult | null }) {
    const [expanded, setExpanded] = useState(false);
    const id = `vfm-check-${hostKey}-${def.id}`;
    const toggle = (
        <span className="vfm-check-toggle">
            <span className="vfm-check-title">{def.title}</span>
            {result ? <VerdictLabel verdict={result.verdict} /> : <span className="vfm-checking">{_("Checking…")}</span>}
        </span>
    );
    return (
        <li id={id} className="vfm-check" data-check={def.id} data-verdict={result?.verdict ?? "pending"}>
            <ExpandableSection toggleContent={toggle} isExpanded={expanded} onToggle={(_ev, v) => setExpanded(v)}>
                {result && <p className="vfm-check-summary">{result.summary}</p>}
                <p>{def.description}</p>
                <p><strong>{_("Why it matters:")}</strong> {def.why}
                    {def.docs && <> <a href={def.docs} target="_blank" rel="noopener noreferrer">{_("Documentation")}</a></>}
                </p>
                {result?.fix && <><strong>{_("Fix")}</strong><FixBlock result={result} /></>}
                {result && result.evidence.length > 0 &&
                    <><strong>{_("Evidence")}</strong>
                        {result.evidence.map((e, i) => <EvidenceBlock key={i} evidence={e} />)}</>}
            </ExpandableSection>
            {!expanded && result && <div className="vfm-check-summary-line">{result.summary}</div>}
        </li>
    );
}
