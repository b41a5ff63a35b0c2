import { Label } from "@patternfly/react-core/dist/esm/components/Label/index.js";
import { CheckCircleIcon } from "@patternfly/react-icons/dist/esm/icons/check-circle-icon.js";
import { ExclamationCircleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js";
import { ExclamationTriangleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-triangle-icon.js";
import { QuestionCircleIcon } from "@patternfly/react-icons/dist/esm/icons/question-circle-icon.js";
import { RedoIcon } from "@patternfly/react-icons/dist/esm/icons/redo-icon.js";
import { _ } from "../../lib/cockpit";
import type { Verdict } from "../../checks/types";

export function verdictText(v: Verdict): string {
    switch (v) {
    case "pass": return _("Passed");
    case "warn": return _("Warning");
    case "fail": return _("Failed");
    case "pending-reboot": return _("Active after reboot");
    case "unknown": return _("Unknown");
    }
}

export function VerdictLabel({ verdict }: { verdict: Verdict }) {
    const text = verdictText(verdict);
    switch (verdict) {
    case "pass": return <Label status="success" icon={<CheckCircleIcon />} data-verdict={verdict}>{text}</Label>;
    case "warn": return <Label status="warning" icon={<ExclamationTriangleIcon />} data-verdict={verdict}>{text}</Label>;
    case "fail": return <Label status="danger" icon={<ExclamationCircleIcon />} data-verdict={verdict}>{text}</Label>;
    case "pending-reboot": return <Label status="info" icon={<RedoIcon />} data-verdict={verdict}>{text}</Label>;
    case "unknown": return <Label icon={<QuestionCircleIcon />} data-verdict={verdict}>{text}</Label>;
    }
}
