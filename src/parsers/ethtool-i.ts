/**
 * `ethtool -i <netdev>`: "key: value" lines. mlx5 prints the firmware as "%d.%d.%04d (%.16s)" =
 * version (PSID / board id), or the version alone when the PSID does not fit.
 */
import { fail, failWhole, oneOf, requireContent } from "./common";

export interface EthtoolFirmware {
    raw: string;
    /** "28.42.1000" when the value starts with a dotted number. */
    version?: string;
    /** "MT_0000000834" from the parenthesised suffix. */
    psid?: string;
}

export interface EthtoolInfo {
    driver: string;
    version: string;
    firmware: EthtoolFirmware;
    expansionRomVersion: string;
    busInfo: string;
    supports: {
        statistics: boolean;
        test: boolean;
        eepromAccess: boolean;
        registerDump: boolean;
        privFlags: boolean;
    };
}

const KEYS = [
    "driver", "version", "firmware-version", "expansion-rom-version", "bus-info", "supports-statistics",
    "supports-test", "supports-eeprom-access", "supports-register-dump", "supports-priv-flags",
] as const;
type Key = typeof KEYS[number];

export function splitFirmware(raw: string): EthtoolFirmware {
    const m = /^([0-9]+(?:\.[0-9]+)+)(?: \(([^()]+)\))?$/.exec(raw);
    if (!m)
        return { raw };
    return { raw, version: m[1], ...(m[2] !== undefined ? { psid: m[2] } : {}) };
}

export function parseEthtoolInfo(text: string): EthtoolInfo {
    const v: Partial<Record<Key, string>> = {};
    const lines = requireContent(text);
    const yes = (k: Key) => oneOf(v[k] as string, ["yes", "no"], lines.find(l => l.text.startsWith(k)) ?? null, k) === "yes";
    for (const line of lines) {
        const m = /^([a-z-]+):(?: (.*))?$/.exec(line.text);
        if (!m)
            fail(line, 'expected "key: value"');
        const key = oneOf(m[1], KEYS, line, "key");
        if (v[key] !== undefined)
            fail(line, `"${key}" appears twice`);
        v[key] = (m[2] ?? "").trim();
    }
    const missing = KEYS.filter(k => v[k] === undefined);
    if (missing.length > 0)
        failWhole(`missing lines: ${missing.join(", ")} (truncated?)`);
    return {
        driver: v.driver as string,
        version: v.version as string,
        firmware: splitFirmware(v["firmware-version"] as string),
        expansionRomVersion: v["expansion-rom-version"] as string,
        busInfo: v["bus-info"] as string,
        supports: {
            statistics: yes("supports-statistics"), test: yes("supports-test"),
            eepromAccess: yes("supports-eeprom-access"), registerDump: yes("supports-register-dump"),
            privFlags: yes("supports-priv-flags"),
        },
    };
}
