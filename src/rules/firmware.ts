/*
 * The adapter's firmware settings the migration needs, each declared once. The status check (src/checks/hardware.ts),
 * the preparation step (src/steps/defs-host.ts) and the exports' bash guards are all derived from this table.
 * Each is read in the Current column of `mstconfig -e query` (Next Boot: set, active after a reset or a reboot).
 */
import { N_ } from "../lib/cockpit";
import { MSTCONFIG_KEYS, mstconfigSet, type MstconfigKey } from "../host/commands/mst";
import type { Argv } from "../host/argv";
import { PciAddress } from "../host/values";
import { quoteArgv } from "../host/quote";

export type FirmwareCheckId = "fw-vf-migration" | "fw-sriov-en" | "fw-num-vfs" | "fw-link-type";

export interface FirmwareRule {
    checkId: FirmwareCheckId;
    key: MstconfigKey;
    /** message ids (N_), translated where shown */
    title: string;
    why: string;
    /**
     * `is`: exactly this value (mstconfig prints NAME(NUMBER), NAME or NUMBER);
     * `atLeastVfs`: a number no lower than the VFs wanted — set to that number when lower, never lowered.
     */
    accepts: { is: number; name: string } | { atLeastVfs: true };
    /**
     * Not listed by mstconfig on an Ethernet-only model: the setting then holds when devlink's uplink port of the
     * adapter runs Ethernet (mstflint shows a parameter only when the firmware has its TLV: LINK_TYPE_P1 is in
     * `nv_vpi_link_type`, which VPI models carry).
     */
    ethernetOnlyMayLack?: true;
    /** one setting per port of the adapter: `key` is port 1's (LINK_TYPE_P1); ruleForPort gives the port's own */
    perPort?: true;
}

export const FIRMWARE_RULES: readonly FirmwareRule[] = [
    {
        checkId: "fw-vf-migration", key: "VF_MIGRATION_MODE", accepts: { is: 2, name: "MIGRATION_ENABLED" },
        title: N_("VF migration enabled in firmware"),
        why: N_("Without MIGRATION_ENABLED the VF's state cannot be saved and the migration is refused."),
    },
    {
        checkId: "fw-sriov-en", key: "SRIOV_EN", accepts: { is: 1, name: "True" },
        title: N_("SR-IOV enabled in firmware"),
        why: N_("Without SR-IOV the adapter cannot create virtual functions."),
    },
    {
        checkId: "fw-num-vfs", key: "NUM_OF_VFS", accepts: { atLeastVfs: true },
        title: N_("Virtual functions allowed by firmware"),
        why: N_("The firmware caps how many VFs the kernel can create."),
    },
    {
        checkId: "fw-link-type", key: "LINK_TYPE_P1", accepts: { is: 2, name: "ETH" }, ethernetOnlyMayLack: true, perPort: true,
        title: N_("Port runs Ethernet"),
        why: N_("A ConnectX-7 can run InfiniBand; VF migration with Open vSwitch needs Ethernet."),
    },
];

export function firmwareRule(id: FirmwareCheckId): FirmwareRule {
    const r = FIRMWARE_RULES.find(x => x.checkId === id);
    if (!r)
        throw new Error(`no firmware rule ${id}`);
    return r;
}

/**
 * The rule as it applies to `port` of the adapter (1, 2…): a per-port setting is that port's own (LINK_TYPE_P2 for
 * port 2), so the other port's is never read nor written. Null for a port mstconfig has no such setting for.
 */
export function ruleForPort(rule: FirmwareRule, port: number): FirmwareRule | null {
    if (!rule.perPort || port === 1)
        return rule;
    const key = MSTCONFIG_KEYS.find(k => k === rule.key.replace(/1$/, String(port)));
    return key ? { ...rule, key } : null;
}

/** Every rule, as it applies to `port` of the adapter. */
export const rulesForPort = (port: number): FirmwareRule[] =>
    FIRMWARE_RULES.flatMap(r => ruleForPort(r, port) ?? []);

/** "MIGRATION_ENABLED(2)" → 2, "8" → 8; null if mstconfig printed no number. */
export function fwNumber(raw: string): number | null {
    const m = /\((\d+)\)$/.exec(raw) ?? /^(\d+)$/.exec(raw);
    return m ? Number(m[1]) : null;
}

/** The setting's value as mstconfig printed it is right, for `numVfs` VFs. */
export function fwValueOk(rule: FirmwareRule, raw: string, numVfs: number): boolean {
    const a = rule.accepts;
    if ("is" in a)
        return raw.endsWith(`(${a.is})`) || raw === a.name || raw === String(a.is);
    const n = fwNumber(raw);
    return n !== null && n >= numVfs;
}

/** What the setting must be, as shown: "MIGRATION_ENABLED(2)", "≥ 8". */
export function fwWantText(rule: FirmwareRule, numVfs: number): string {
    const a = rule.accepts;
    return "is" in a ? `${a.name}(${a.is})` : `≥ ${numVfs}`;
}

/** The value the step writes (only for a setting that is wrong now and for the next boot). */
export function fwTarget(rule: FirmwareRule, numVfs: number): number {
    const a = rule.accepts;
    return "is" in a ? a.is : numVfs;
}

/** The mstconfig command that sets these rules' values, or null if there is none to set. */
export function fwSetArgv(pf: PciAddress | string, rules: readonly FirmwareRule[], numVfs: number): Argv | null {
    return rules.length
        ? mstconfigSet(PciAddress.of(pf), rules.map(r => ({ key: r.key, value: fwTarget(r, numVfs) })))
        : null;
}

export type FwColumn = "current" | "next";
const COLUMN: Record<FwColumn, number> = { current: 2, next: 3 };

/** The bash test (helpers of src/steps/lib.sh) that succeeds when the setting is right in that column. */
export function fwShellOk(rule: FirmwareRule, pf: string, column: FwColumn, numVfs: number, netdev: string): string {
    const a = rule.accepts;
    const q = (...w: (string | number)[]) => quoteArgv(w.map(String));
    const test = "is" in a
        ? `vfm_fw_is ${q(pf, rule.key, COLUMN[column], a.is, a.name)}`
        : `vfm_fw_at_least ${q(pf, rule.key, COLUMN[column], numVfs)}`;
    return rule.ethernetOnlyMayLack ? `{ ${test} || vfm_fw_eth_only ${q(pf, rule.key, netdev)}; }` : test;
}

/** The bash test of "nothing to set": right now, or set for the next boot (the shell form of "not failing"). */
export function fwShellSet(rule: FirmwareRule, pf: string, numVfs: number, netdev: string): string {
    return `{ ${fwShellOk(rule, pf, "current", numVfs, netdev)} || ${fwShellOk(rule, pf, "next", numVfs, netdev)}; }`;
}
