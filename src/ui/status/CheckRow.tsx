import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { _ } from "../../lib/cockpit";
import type { CheckDef, CheckResult } from "../../checks/types";
import { FindingRow } from "./FindingRow";
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
    return (
        <FindingRow id={`vfm-check-${hostKey}-${def.id}`} checkId={def.id} title={def.title} finding={result}>
            <p>{def.description}</p>
            <p><strong>{_("Why it matters:")}</strong> {def.why}
                {def.docs && <> <a href={def.docs} target="_blank" rel="noopener noreferrer">{_("Documentation")}</a></>}
            </p>
            {result?.fix && <><strong>{_("Fix")}</strong><FixBlock result={result} /></>}
        </FindingRow>
    );
}
