import { _, format } from "../lib/cockpit";
import type { HostFacts } from "./facts";
import type { CheckDef } from "./types";
import { DOCS_MIGRATION_REQS, DOCS_VF_MIGRATION, manualFix, result } from "./helpers";
import { primaryNic } from "./hardware";

/** Checks that compare the two hosts. */
export interface PairContext {
    source: HostFacts;
    destination: HostFacts;
}

export const sameFirmware: CheckDef<PairContext> = {
    id: "pair-firmware",
    group: "hardware",
    get title() { return _("Same adapter firmware and PSID on both hosts"); },
    get description() { return _("Both ConnectX-7 adapters run the same firmware version and have the same PSID."); },
    get why() {
        return _("NVIDIA supports VF migration only between adapters with the same firmware and PSID: the VF's saved state must match.");
    },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ source, destination }) => {
        const a = primaryNic(source), b = primaryNic(destination);
        if (!a || !b || !a.firmware.known || !b.firmware.known)
            return result("pair-firmware", "unknown", _("The firmware of both adapters is not known yet"),
                          [...(a?.firmware.evidence ?? []), ...(b?.firmware.evidence ?? [])]);
        const fa = a.firmware.value, fb = b.firmware.value;
        const ev = [...a.firmware.evidence, ...b.firmware.evidence];
        // a requirement, not advice: RHEL's limitations and NVIDIA's DOCA guide both ask for the same PSID and firmware
        if (fa.version !== fb.version || fa.psid !== fb.psid)
            return result("pair-firmware", "fail",
                          format(_("Source $0 ($1), destination $2 ($3)"), fa.version, fa.psid ?? "?", fb.version, fb.psid ?? "?"), ev,
                          manualFix(_("Update both adapters to the same firmware, with NVIDIA's tools for their PSID; adapters with different PSIDs cannot take part in the same VF migration.")));
        return result("pair-firmware", "pass", format(_("Both $0 ($1)"), fa.version, fa.psid ?? "?"), ev);
    },
};

export const sameOs: CheckDef<PairContext> = {
    id: "pair-os",
    group: "packages",
    get title() { return _("Compatible operating systems"); },
    get description() { return _("The destination runs the same or a newer RHEL minor release than the source."); },
    get why() {
        return _("Red Hat supports migration to the same or a newer RHEL release; the destination must offer the VM's machine type.");
    },
    docs: DOCS_MIGRATION_REQS,
    evaluate: ({ source, destination }) => {
        if (!source.os.known || !destination.os.known)
            return result("pair-os", "unknown", _("The operating system of both hosts is not known yet"), []);
        const a = source.os.value, b = destination.os.value;
        const ev = [...source.os.evidence, ...destination.os.evidence];
        const [am, an] = a.version.split(".").map(Number), [bm, bn] = b.version.split(".").map(Number);
        if (a.id !== b.id || am !== bm)
            return result("pair-os", "fail", format(_("Source $0, destination $1"), `${a.name} ${a.version}`, `${b.name} ${b.version}`), ev);
        if ((bn ?? 0) < (an ?? 0))
            return result("pair-os", "warn", format(_("The destination ($0) is older than the source ($1)"), b.version, a.version), ev);
        return result("pair-os", "pass", format(_("Source $0, destination $1"), a.version, b.version), ev);
    },
};

export const sameMtu: CheckDef<PairContext> = {
    id: "pair-mtu",
    group: "libvirt",
    get title() { return _("The destination's port carries the source's frame size"); },
    get description() { return _("The MTU of the destination's ConnectX-7 interface is at least the source's."); },
    get why() {
        return _("The VM keeps its network settings: after the migration, frames that fitted the source's port but not the destination's are dropped, and large transfers stall while small ones still work.");
    },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ source, destination }) => {
        const a = primaryNic(source)?.mtu, b = primaryNic(destination)?.mtu;
        if (!a?.known || !b?.known)
            return result("pair-mtu", "unknown", _("The MTU of both hosts' ports is not known yet"), [...(a?.evidence ?? []), ...(b?.evidence ?? [])]);
        const ev = [...a.evidence, ...b.evidence];
        // a warning: the guest's own MTU may be smaller than both, which the hosts cannot see
        if (b.value < a.value)
            return result("pair-mtu", "warn", format(_("Source $0, destination $1: a guest using more than $1 loses its larger frames there"), a.value, b.value), ev,
                          manualFix(format(_("Raise the destination interface's MTU to $0 (and that of its bridge and switch ports), or check that the guests use $1 or less."), a.value, b.value)));
        return result("pair-mtu", "pass", a.value === b.value ? format(_("Both $0"), a.value) : format(_("Source $0, destination $1"), a.value, b.value), ev);
    },
};

export const PAIR_CHECKS = [sameFirmware, sameOs, sameMtu];
