import { _, format } from "../lib/cockpit";
import type { HostContext, HostFacts, NicFacts } from "./facts";
import type { CheckDef, CheckResult, Evidence } from "./types";
import { DOCS_VF_MIGRATION, commandFix, manualFix, result, unknownResult } from "./helpers";
import { compareVersions } from "./versions";

export const FW_REQUIRED = "28.36.1010";
export const FW_RECOMMENDED = "28.41.1000";

/** The NIC the checks are about: the first ConnectX-7 PF (the page lets the admin pick another later). */
export function primaryNic(f: HostFacts): NicFacts | null {
    return f.nics.known && f.nics.value.length ? f.nics.value[0] : null;
}

function needNic(id: string, f: HostFacts, then: (nic: NicFacts) => CheckResult): CheckResult {
    if (!f.nics.known)
        return unknownResult(id, f.nics);
    const nic = primaryNic(f);
    if (!nic)
        return result(id, "fail", _("No ConnectX-7 found on this host"), f.nics.evidence);
    return then(nic);
}

export const cx7Present: CheckDef<HostContext> = {
    id: "cx7-present",
    group: "hardware",
    title: _("ConnectX-7 adapter"),
    description: _("A Mellanox/NVIDIA ConnectX-7 physical function (PCI 15b3:1021) is present, with its network interface."),
    why: _("Only the ConnectX-7 supports live migration of an attached VF, through the mlx5_vfio_pci driver."),
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => needNic("cx7-present", f, nic =>
        nic.netdev
            ? result("cx7-present", "pass", format(_("ConnectX-7 at $0, interface $1"), nic.pci, nic.netdev), f.nics.evidence)
            : result("cx7-present", "fail", format(_("ConnectX-7 at $0 has no network interface: is mlx5_core bound?"), nic.pci),
                     f.nics.evidence, manualFix(_("Check that the mlx5_core driver is loaded and bound to the adapter.")))),
};

export const firmwareVersion: CheckDef<HostContext> = {
    id: "firmware-version",
    group: "hardware",
    title: _("Adapter firmware"),
    description: format(_("The firmware is at least $0 (RHEL's floor); NVIDIA recommends $1 or later."), FW_REQUIRED, FW_RECOMMENDED),
    why: _("Older firmware lacks the VF migration support the mlx5_vfio_pci driver needs."),
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => needNic("firmware-version", f, nic => {
        if (!nic.firmware.known)
            return unknownResult("firmware-version", nic.firmware);
        const v = nic.firmware.value.version;
        const ev = nic.firmware.evidence;
        const update = manualFix(_("Update the adapter firmware with NVIDIA's tools for this PSID; it cannot be done from this page."));
        if (compareVersions(v, FW_REQUIRED) < 0)
            return result("firmware-version", "fail", format(_("Firmware $0 is older than $1"), v, FW_REQUIRED), ev, update);
        if (compareVersions(v, FW_RECOMMENDED) < 0)
            return result("firmware-version", "warn", format(_("Firmware $0 meets RHEL's floor but is older than NVIDIA's $1"), v, FW_RECOMMENDED), ev, update);
        return result("firmware-version", "pass", format(_("Firmware $0"), v), ev);
    }),
};

interface ParamRule { name: string; ok: (raw: string) => boolean; want: string; set: string }

const PARAMS: Record<string, ParamRule> = {
    "fw-vf-migration": { name: "VF_MIGRATION_MODE", ok: r => /\(2\)$|^MIGRATION_ENABLED$|^2$/.test(r), want: "MIGRATION_ENABLED(2)", set: "VF_MIGRATION_MODE=2" },
    "fw-sriov-en": { name: "SRIOV_EN", ok: r => /\(1\)$|^True$|^1$/.test(r), want: "True(1)", set: "SRIOV_EN=1" },
    "fw-num-vfs": { name: "NUM_OF_VFS", ok: r => Number(r) >= 1, want: "≥ 1", set: "NUM_OF_VFS=8" },
    "fw-link-type": { name: "LINK_TYPE_P1", ok: r => /\(2\)$|^ETH$|^2$/.test(r), want: "ETH(2)", set: "LINK_TYPE_P1=2" },
};

function paramCheck(id: keyof typeof PARAMS, title: string, why: string): CheckDef<HostContext> {
    const rule = PARAMS[id];
    return {
        id,
        group: "hardware",
        title,
        description: format(_("The adapter's $0 setting is $1 in the Current column of mstconfig -e query."), rule.name, rule.want),
        why,
        docs: DOCS_VF_MIGRATION,
        evaluate: ({ facts: f }) => needNic(id, f, nic => {
            if (!nic.params.known)
                return unknownResult(id, nic.params);
            const p = nic.params.value[rule.name];
            const ev: Evidence[] = nic.params.evidence.map(e => ({
                command: e.command,
                lines: e.command.stdout.split("\n").filter(l => l.includes(rule.name)),
            }));
            const fix = commandFix(_("Takes effect after a firmware reset or a reboot."), ["mstconfig", "-y", "-d", nic.pci, "set", rule.set]);
            if (!p)
                return result(id, "unknown", format(_("mstconfig does not list $0"), rule.name), ev);
            if (rule.ok(p.current))
                return result(id, "pass", format(_("$0 is $1"), rule.name, p.current), ev);
            if (rule.ok(p.nextBoot))
                return result(id, "pending-reboot", format(_("$0 is $1 now, $2 after a reboot or firmware reset"), rule.name, p.current, p.nextBoot), ev,
                              manualFix(_("Reboot the host or reset the adapter's firmware (mstfwreset) to activate it.")));
            return result(id, "fail", format(_("$0 is $1, needs $2"), rule.name, p.current, rule.want), ev, fix);
        }),
    };
}

export const fwVfMigration = paramCheck("fw-vf-migration", _("VF migration enabled in firmware"),
                                        _("Without MIGRATION_ENABLED the VF's state cannot be saved and the migration is refused."));
export const fwSriovEn = paramCheck("fw-sriov-en", _("SR-IOV enabled in firmware"),
                                    _("Without SR-IOV the adapter cannot create virtual functions."));
export const fwNumVfs = paramCheck("fw-num-vfs", _("Virtual functions allowed by firmware"),
                                   _("The firmware caps how many VFs the kernel can create."));
export const fwLinkType = paramCheck("fw-link-type", _("Port runs Ethernet"),
                                     _("A ConnectX-7 can run InfiniBand; VF migration with Open vSwitch needs Ethernet."));

export const HARDWARE_CHECKS = [cx7Present, firmwareVersion, fwVfMigration, fwSriovEn, fwNumVfs, fwLinkType];
