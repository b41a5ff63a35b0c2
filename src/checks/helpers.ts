import type { CheckResult, Evidence, Fact, Fix, FixCommand, Verdict } from "./types";
import { _, format } from "../lib/cockpit";

export const DOCS_VF_MIGRATION = "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/configuring_and_managing_virtualization/migrating-virtual-machines_configuring-and-managing-virtualization#live-migrating-a-virtual-machine-with-an-attached-mellanox-virtual-function_migrating-virtual-machines";
export const DOCS_MIGRATION_REQS = "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/configuring_and_managing_virtualization/migrating-virtual-machines_configuring-and-managing-virtualization#migrating-a-virtual-machine-using-the-command-line_migrating-virtual-machines";
export const DOCS_IOMMU = "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/configuring_and_managing_virtualization/managing-virtual-devices_configuring-and-managing-virtualization#attaching-pci-devices-to-virtual-machines_managing-virtual-devices";
export const DOCS_SRIOV = "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/configuring_and_managing_virtualization/managing-virtual-devices_configuring-and-managing-virtualization#managing-sr-iov-devices_managing-virtual-devices";

export function result(id: string, verdict: Verdict, summary: string, evidence: Evidence[], fix?: Fix): CheckResult {
    return fix ? { id, verdict, summary, details: [], evidence, fix } : { id, verdict, summary, details: [], evidence };
}

/** An unknown fact makes the check unknown, with the reason and the raw output: never a pass. */
export function unknownResult(id: string, fact: Fact<unknown> & { known: false }): CheckResult {
    return result(id, "unknown", format(_("Could not tell: $0"), fact.reason), fact.evidence);
}

export function commandFix(note: string | undefined, ...argv: FixCommand[]): Fix {
    return note ? { kind: "command", argv, note } : { kind: "command", argv };
}

export function manualFix(text: string): Fix {
    return { kind: "manual", text };
}


