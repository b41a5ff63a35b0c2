import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../../lib/cockpit";
import type { ExplainedError } from "../../migration/errors";
import type { VmWhere } from "../../session/migration-job";


export function whereText(vm: string, where: VmWhere): string {
    switch (where) {
    case "running-here": return format(_("$0 is still running on this host."), vm);
    case "stopped-here": return format(_("$0 is defined on this host but not running."), vm);
    case "not-here": return format(_("$0 is no longer on this host: look on the destination."), vm);
    default: return format(_("Where $0 runs now could not be read from libvirt."), vm);
    }
}

/** libvirt's error in plain words, what to check, its own message, and where the VM is now. */
export function MigrateStageFailure({ error, vm, where }: { error: ExplainedError; vm: string; where: VmWhere }) {
    return (
        <Alert id="vfm-migrate-failed" data-kind={error.kind} isInline variant={error.kind === "cancelled" ? "info" : "danger"}
               title={error.kind === "cancelled" ? _("The migration was cancelled") : format(_("The migration failed: $0"), error.summary)}>
            <p id="vfm-migrate-vm-where" data-where={where}>{whereText(vm, where)}</p>
            {error.checks.length > 0 &&
                <>
                    <p>{_("What to check:")}</p>
                    <ul id="vfm-migrate-failed-checks">{error.checks.map(c => <li key={c}>{c}</li>)}</ul>
                </>}
            {error.detail &&
                <>
                    <p>{_("libvirt's message:")}</p>
                    <pre id="vfm-migrate-failed-detail" className="vfm-evidence vfm-mono">{error.detail}</pre>
                </>}
        </Alert>
    );
}
