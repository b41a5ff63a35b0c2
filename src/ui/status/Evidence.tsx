import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { CodeBlock, CodeBlockCode } from "@patternfly/react-core/dist/esm/components/CodeBlock/index.js";
import { _, format } from "../../lib/cockpit";
import { quoteArgv } from "../../session/show";
import type { Evidence } from "../../checks/types";

/** One command as the admin would type it, its exit status, the lines that decided, and the raw output. */
export function EvidenceBlock({ evidence }: { evidence: Evidence }) {
    const { command, lines } = evidence;
    const line = quoteArgv(command.argv);
    const status = command.exitStatus === null ? _("did not finish") : format(_("exit status $0"), command.exitStatus);
    return (
        <div className="vfm-evidence-item">
            {/* inline-compact wraps a long command; the default variant is a one-line field that cuts it off */}
            <ClipboardCopy variant="inline-compact" isBlock isCode hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">
                {line}
            </ClipboardCopy>
            <div className="vfm-evidence-meta">
                {format(_("On $0, $1, $2 ms"), command.host, status, command.durationMs)}
            </div>
            {lines.length > 0 &&
                <CodeBlock className="vfm-deciding"><CodeBlockCode>{lines.join("\n")}</CodeBlockCode></CodeBlock>}
            {(command.truncated?.stdout || command.truncated?.stderr) &&
                <div className="vfm-evidence-meta vfm-truncated">{_("Output cut: only its first MiB was read")}</div>}
            {(command.stdout || command.stderr) &&
                <details>
                    <summary>{_("Full output")}</summary>
                    <pre className="vfm-evidence vfm-mono">{command.stdout}{command.stderr ? "\n" + command.stderr : ""}</pre>
                </details>}
        </div>
    );
}
