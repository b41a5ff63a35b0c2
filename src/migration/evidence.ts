/*
 * The evidence of the per-VM checks and the verification, in the status page's form (src/checks/types.ts
 * Evidence): a host command with its output, or a libvirt-dbus call with the equivalent virsh line and the document
 * it returned.
 */
import { format, _ } from "../lib/cockpit";
import type { Evidence, Finding } from "../checks/types";
import type { CommandResult } from "../host/transport";

export function commandEvidence(r: CommandResult, lines: string[] = []): Evidence {
    return {
        command: { host: r.host, argv: r.argv, stdout: r.stdout, stderr: r.stderr, exitStatus: r.exitStatus, durationMs: r.durationMs },
        lines,
    };
}

/** A libvirt-dbus call made from this page: shown as the virsh line that does the same. */
export function libvirtEvidence(method: string, virsh: readonly string[], output: string, durationMs: number,
                                lines: string[] = []): Evidence {
    const host = format(_("localhost (libvirt-dbus $0)"), method);
    return {
        command: { host, argv: virsh, stdout: output, stderr: "", exitStatus: 0, durationMs },
        lines,
    };
}

/** A check that could not run to its end: its verdict is unknown, the error says why. */
export function failedFinding<Id extends string>(id: Id, title: string, e: unknown, evidence: Evidence[] = []): Finding<Id> {
    const message = e instanceof Error ? e.message : String(e);
    const detail = (e as { detail?: unknown })?.detail;
    return {
        id, title, verdict: "unknown", summary: message, evidence,
        details: typeof detail === "string" && detail.trim() !== "" ? [detail.trim()] : [],
    };
}
