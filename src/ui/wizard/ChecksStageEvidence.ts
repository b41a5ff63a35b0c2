/*
 * What the wizard's own checks show as evidence, in the status page's form (src/checks/types.ts Evidence): a host
 * command with its output, or a libvirt-dbus call with the equivalent virsh line and the document it returned.
 */
import { format, _ } from "../../lib/cockpit";
import type { Evidence } from "../../checks/types";
import type { VfFacts, HostFacts, NicFacts } from "../../checks/facts";
import type { CommandResult } from "../../host/transport";
import type { Verdict } from "../../checks/types";

export function commandEvidence(r: CommandResult, lines: string[] = []): Evidence {
    return {
        command: { host: r.host, argv: r.argv, stdout: r.stdout, stderr: r.stderr, exitStatus: r.exitStatus, durationMs: r.durationMs },
        lines,
    };
}

/** A libvirt-dbus call made from this page: shown as the virsh line that does the same. */
export function libvirtEvidence(method: string, virsh: readonly string[], output: string, durationMs: number, lines: string[] = []): Evidence {
    return {
        command: { host: format(_("localhost (libvirt-dbus $0)"), method), argv: virsh, stdout: output, stderr: "", exitStatus: 0, durationMs },
        lines,
    };
}

/** One check of the wizard: the status page's shape plus the items that decided. */
export interface WizardCheck {
    id: string;
    title: string;
    verdict: Verdict;
    summary: string;
    details: string[];
    evidence: Evidence[];
}

export function failedCheck(id: string, title: string, e: unknown, evidence: Evidence[] = []): WizardCheck {
    const message = e instanceof Error ? e.message : String(e);
    const detail = (e as { detail?: unknown })?.detail;
    return {
        id, title, verdict: "unknown", summary: message, evidence,
        details: typeof detail === "string" && detail.trim() !== "" ? [detail.trim()] : [],
    };
}

export function nicsOf(f: HostFacts | null): NicFacts[] {
    return f?.nics.known ? f.nics.value : [];
}

/** The VF with this PCI address and the adapter (PF) it belongs to. */
export function findVf(f: HostFacts | null, pci: string): { nic: NicFacts; vf: VfFacts } | null {
    for (const nic of nicsOf(f))
        for (const vf of nic.vfs)
            if (vf.pci === pci)
                return { nic, vf };
    return null;
}
