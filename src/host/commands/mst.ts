/* The mstflint package: the ConnectX firmware's configuration (mstconfig), its image (mstflint), its reset (mstfwreset). */
import { Argv, makeArgv } from "../argv";
import { PciAddress } from "../values";
import { allowedWord } from "./common";

export const mstconfigQuery = (pf: PciAddress): Argv => makeArgv("mstconfig", "-d", PciAddress.of(pf), "-e", "query");
export const MSTCONFIG_KEYS = ["VF_MIGRATION_MODE", "SRIOV_EN", "NUM_OF_VFS", "LINK_TYPE_P1", "LINK_TYPE_P2", "LINK_TYPE_P3", "LINK_TYPE_P4"] as const;
export type MstconfigKey = typeof MSTCONFIG_KEYS[number];
/** changes (at the next firmware reset or reboot); -y answers mstconfig's y/n question. */
export function mstconfigSet(pf: PciAddress, settings: readonly { key: MstconfigKey; value: number }[]): Argv {
    if (settings.length === 0)
        throw new Error("mstconfigSet: nothing to set");
    const pairs = settings.map(({ key, value }) => {
        if (!Number.isSafeInteger(value) || value < 0 || value > 0xffff)
            throw new Error(`mstconfigSet: ${key} value out of range`);
        return `${allowedWord(key, MSTCONFIG_KEYS)}=${value}`;
    });
    return makeArgv("mstconfig", "-y", "-d", PciAddress.of(pf), "set", ...pairs);
}
/** changes: activates the Next Boot mstconfig values without a reboot (VFs go, the e-switch returns to legacy) */
export const mstfwresetReset = (pf: PciAddress): Argv => makeArgv("mstfwreset", "-d", PciAddress.of(pf), "-y", "reset");
