import { systemctlEnableNow } from "../host/commands/systemd";
import { _, format } from "../lib/cockpit";
import type { HostContext } from "./facts";
import type { CheckDef } from "./types";
import { DOCS_VF_MIGRATION, commandFix, manualFix, result, unknownResult } from "./helpers";
import { primaryNic } from "./hardware";

export const managementOverPf: CheckDef<HostContext> = {
    id: "mgmt-over-pf",
    group: "libvirt",
    get title() { return _("Management traffic off the adapter"); },
    get description() {
        return _("No management connection runs over the ConnectX-7's interface: this web console, SSH into this host (this page reaches the destination that way), or SSH from it.");
    },
    get why() {
        return _("Switching the adapter to switchdev cuts every connection through it until Open vSwitch forwards again: you would lock yourself out.");
    },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => {
        const m = f.managementInterfaces;
        if (!m.known)
            return unknownResult("mgmt-over-pf", m);
        const nic = primaryNic(f);
        if (!nic?.netdev)
            return result("mgmt-over-pf", "pass", _("No ConnectX-7 interface"), m.evidence);
        const over = m.value.includes(nic.netdev);
        if (!over)
            return result("mgmt-over-pf", "pass", format(_("Management runs over $0"), m.value.join(", ") || _("other interfaces")), m.evidence);
        const eswitchDone = nic.eswitchMode.known && nic.eswitchMode.value === "switchdev";
        return result("mgmt-over-pf", eswitchDone ? "warn" : "fail",
                      format(_("Management traffic runs over $0, the ConnectX-7's interface"), nic.netdev), m.evidence,
                      manualFix(_("Reach this host through another interface (or a console) before switching the e-switch, or put the PF in an Open vSwitch bridge first.")));
    },
};

export const libvirtAnswers: CheckDef<HostContext> = {
    id: "libvirt-answers",
    group: "libvirt",
    get title() { return _("libvirt answers"); },
    get description() { return _("libvirt's qemu:///system connection answers on this host."); },
    get why() { return _("Attaching the VF and migrating go through libvirt on both hosts."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => {
        if (!f.libvirtVersion.known)
            return result("libvirt-answers", "fail", format(_("libvirt does not answer: $0"), f.libvirtVersion.reason), f.libvirtVersion.evidence,
                          commandFix(undefined, systemctlEnableNow("virtqemud.socket")));
        return result("libvirt-answers", "pass", format(_("libvirt $0 answers"), f.libvirtVersion.value), f.libvirtVersion.evidence);
    },
};

export const NETWORK_CHECKS = [managementOverPf, libvirtAnswers];
