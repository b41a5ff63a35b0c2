import { _, format } from "../lib/cockpit";
import type { HostContext, HostFacts, NicFacts } from "./facts";
import type { CheckDef, CheckResult, Evidence } from "./types";
import { DOCS_VF_MIGRATION, commandFix, manualFix, result, unknownResult } from "./helpers";
import { compareVersions } from "./versions";
import { type FirmwareCheckId, type FirmwareRule, firmwareRule, fwNumber, fwSetArgv, fwValueOk, fwWantText, ruleForPort } from "../rules/firmware";

export const FW_REQUIRED = "28.36.1010";
export const FW_RECOMMENDED = "28.41.1000";

/**
 * The port the checks and the preparation are about: the one the admin chose (facts.chosenPf), else the first
 * ConnectX-7 PF with VF support (sriov_totalvfs > 0), else the first one. A chosen port the host no longer shows
 * is none: never another port in its place, which may be the one the admin kept away from.
 */
export function primaryNic(f: HostFacts): NicFacts | null {
    if (!f.nics.known)
        return null;
    const nics = f.nics.value;
    if (f.chosenPf)
        return nics.find(n => n.pci === f.chosenPf) ?? null;
    return nics.find(n => (n.totalVfs ?? 0) > 0) ?? nics[0] ?? null;
}

function needNic(id: string, f: HostFacts, then: (nic: NicFacts) => CheckResult): CheckResult {
    if (!f.nics.known)
        return unknownResult(id, f.nics);
    const nic = primaryNic(f);
    if (!nic && f.chosenPf && f.nics.value.length)
        return result(id, "fail", format(_("The port chosen for VFs, $0, is not on this host"), f.chosenPf), f.nics.evidence,
                      manualFix(_("Choose the port for VFs again, above the checks.")));
    if (!nic)
        return result(id, "fail", _("No ConnectX-7 found on this host"), f.nics.evidence);
    return then(nic);
}

export const cx7Present: CheckDef<HostContext> = {
    id: "cx7-present",
    group: "hardware",
    get title() { return _("ConnectX-7 adapter"); },
    get description() {
        return _("A Mellanox/NVIDIA ConnectX-7 physical function (PCI 15b3:1021) is present, with its network interface.");
    },
    get why() { return _("Only the ConnectX-7 supports live migration of an attached VF, through the mlx5_vfio_pci driver."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => needNic("cx7-present", f, nic => {
        if (nic.netdev)
            return result("cx7-present", "pass", format(_("ConnectX-7 at $0, interface $1"), nic.pci, nic.netdev), f.nics.evidence);
        // a port set to InfiniBand has no Ethernet interface until its link type is changed and activated
        const key = ruleForPort(firmwareRule("fw-link-type"), nic.port)?.key;
        const linkType = key && nic.params.known ? nic.params.value[key] : undefined;
        if (key && linkType && fwNumber(linkType.current) === 1)
            return result("cx7-present", "fail", format(_("ConnectX-7 at $0 runs InfiniBand ($1 is $2): it has an Ethernet interface once that is ETH"), nic.pci, key, linkType.current),
                          [...f.nics.evidence, ...nic.params.evidence], manualFix(_("“Port runs Ethernet” below sets it.")));
        return result("cx7-present", "fail", format(_("ConnectX-7 at $0 has no network interface: is mlx5_core bound?"), nic.pci),
                      f.nics.evidence, manualFix(_("Check that the mlx5_core driver is loaded and bound to the adapter.")));
    }),
};

export const firmwareVersion: CheckDef<HostContext> = {
    id: "firmware-version",
    group: "hardware",
    get title() { return _("Adapter firmware"); },
    get description() {
        return format(_("The firmware is at least $0 (RHEL's floor); NVIDIA recommends $1 or later."), FW_REQUIRED, FW_RECOMMENDED);
    },
    get why() { return _("Older firmware lacks the VF migration support the mlx5_vfio_pci driver needs."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => needNic("firmware-version", f, nic => {
        if (!nic.firmware.known)
            return unknownResult("firmware-version", nic.firmware);
        const v = nic.firmware.value.version;
        const ev = nic.firmware.evidence;
        const update = manualFix(_("Update the adapter firmware with NVIDIA's tools for this PSID; it cannot be done from this page."));
        const vsRequired = compareVersions(v, FW_REQUIRED);
        const vsRecommended = compareVersions(v, FW_RECOMMENDED);
        if (vsRequired === null || vsRecommended === null)
            return result("firmware-version", "unknown", format(_("Could not tell: $0"), format(_("“$0” is not a version"), v)), ev);
        if (vsRequired < 0)
            return result("firmware-version", "fail", format(_("Firmware $0 is older than $1"), v, FW_REQUIRED), ev, update);
        if (vsRecommended < 0)
            return result("firmware-version", "warn", format(_("Firmware $0 meets RHEL's floor but is older than NVIDIA's $1"), v, FW_RECOMMENDED), ev, update);
        return result("firmware-version", "pass", format(_("Firmware $0"), v), ev);
    }),
};

/** A link type mstconfig does not list (an Ethernet-only model has none to set): what the port runs decides. */
function linkTypeUnlisted(id: FirmwareCheckId, rule: FirmwareRule, nic: NicFacts, ev: Evidence[]): CheckResult {
    const t = nic.linkType;
    const all = [...ev, ...(t?.evidence ?? [])];
    if (t?.known && t.value === "eth")
        return result(id, "pass", format(_("mstconfig lists no $0 (an Ethernet-only model); the adapter's port runs Ethernet"), rule.key), all);
    if (t?.known && t.value === "ib")
        return result(id, "fail", format(_("mstconfig lists no $0, and the adapter's port runs InfiniBand: this model cannot be switched to Ethernet here"), rule.key), all,
                      manualFix(_("Use a ConnectX-7 model that runs Ethernet for VF migration with Open vSwitch.")));
    return result(id, "unknown", format(_("mstconfig does not list $0"), rule.key), all);
}

/** The firmware settings' check: one per rule of src/rules/firmware.ts, judged for the VFs wanted (ctx.numVfs). */
function paramCheck(base: FirmwareRule): CheckDef<HostContext> {
    const id = base.checkId;
    return {
        id,
        group: "hardware",
        get title() { return _(base.title); },
        get description() {
            return format(_("The adapter's $0 setting is $1 in the Current column of mstconfig -e query."), base.perPort ? "LINK_TYPE_P<n>" : base.key,
                          "is" in base.accepts ? fwWantText(base, 1) : _("at least the number of VFs wanted"));
        },
        get why() { return _(base.why); },
        docs: DOCS_VF_MIGRATION,
        evaluate: ctx => needNic(id, ctx.facts, nic => {
            const rule = ruleForPort(base, nic.port);
            if (!rule)
                return result(id, "unknown", format(_("mstconfig has no setting of port $0 of an adapter"), nic.port), nic.params.evidence);
            if (!nic.params.known)
                return unknownResult(id, nic.params);
            const numVfs = ctx.numVfs ?? 1;
            const p = nic.params.value[rule.key];
            const ev: Evidence[] = nic.params.evidence.map(e => ({
                command: e.command,
                lines: e.command.stdout.split("\n").filter(l => l.includes(rule.key)),
            }));
            if (!p)
                return rule.ethernetOnlyMayLack ? linkTypeUnlisted(id, rule, nic, ev)
                    : result(id, "unknown", format(_("mstconfig does not list $0"), rule.key), ev);
            if (fwValueOk(rule, p.current, numVfs))
                return result(id, "pass", format(_("$0 is $1"), rule.key, p.current), ev);
            if (fwValueOk(rule, p.nextBoot, numVfs))
                return result(id, "pending-reboot", format(_("$0 is $1 now, $2 after a reboot or firmware reset"), rule.key, p.current, p.nextBoot), ev,
                              manualFix(_("Reboot the host or reset the adapter's firmware (mstfwreset) to activate it.")));
            const set = fwSetArgv(nic.pci, [rule], numVfs);
            return result(id, "fail", format(_("$0 is $1, needs $2"), rule.key, p.current, fwWantText(rule, numVfs)), ev,
                          set ? commandFix(_("Takes effect after a firmware reset or a reboot."), set) : undefined);
        }),
    };
}

export const [fwVfMigration, fwSriovEn, fwNumVfs, fwLinkType] =
    (["fw-vf-migration", "fw-sriov-en", "fw-num-vfs", "fw-link-type"] as const).map(id => paramCheck(firmwareRule(id)));

export const HARDWARE_CHECKS = [cx7Present, firmwareVersion, fwVfMigration, fwSriovEn, fwNumVfs, fwLinkType];
