/**
 * `devlink dev eswitch show` (text and -j). Text: "<handle>: mode M inline-mode I encap-mode E";
 * iproute2 < 5.7 printed "encap enable|disable" instead of encap-mode (and JSON key "encap").
 */
import {
    fail, failJson, isJsonText, jsonObject, jsonOneOf, Line, oneOf, pairs, parseJson,
    requireContent, tokens,
} from "./common";
import { DevlinkHandle, handleOrFail } from "./devlink-dev";

export const ESWITCH_MODES = ["legacy", "switchdev", "switchdev_inactive"] as const;
export const INLINE_MODES = ["none", "link", "network", "transport"] as const;
export const ENCAP_MODES = ["none", "basic"] as const;
export type EswitchMode = typeof ESWITCH_MODES[number];
export type InlineMode = typeof INLINE_MODES[number];
export type EncapMode = typeof ENCAP_MODES[number];

export interface DevlinkEswitch extends DevlinkHandle {
    mode?: EswitchMode;
    inlineMode?: InlineMode;
    /** "basic" also for the old "encap enable", "none" for "encap disable". */
    encapMode?: EncapMode;
}

export interface DevlinkEswitchList {
    devices: DevlinkEswitch[];
}

const ESWITCH_KEYS = ["mode", "inline-mode", "encap-mode", "encap"];

function setAttr(d: DevlinkEswitch, key: string, value: string, line: Line | null, path: string): void {
    const seen = (k: keyof DevlinkEswitch) => {
        if (d[k] !== undefined) {
            if (line) fail(line, `"${key}" appears twice`);
            failJson(path, value, `"${key}" appears twice`);
        }
    };
    const check = <T extends string>(allowed: readonly T[]): T =>
        line ? oneOf(value, allowed, line, key) : jsonOneOf(value, allowed, `${path}.${key}`);
    switch (key) {
    case "mode": seen("mode"); d.mode = check(ESWITCH_MODES); break;
    case "inline-mode": seen("inlineMode"); d.inlineMode = check(INLINE_MODES); break;
    case "encap-mode": seen("encapMode"); d.encapMode = check(ENCAP_MODES); break;
    case "encap": seen("encapMode"); d.encapMode = check(["enable", "disable"]) === "enable" ? "basic" : "none"; break;
    default: break; // newer iproute2 and kernels add attributes: one this page does not use is ignored, never a failed host
    }
}

function parseJsonEswitch(text: string): DevlinkEswitchList {
    const root = jsonObject(parseJson(text), "$");
    const dev = jsonObject(root.dev, "$.dev");
    return {
        devices: Object.keys(dev).map(key => {
            const path = `$.dev["${key}"]`;
            const o = jsonObject(dev[key], path);
            const d: DevlinkEswitch = { ...handleOrFail(key, null, path) };
            for (const [k, v] of Object.entries(o)) {
                // attributes the page does not read are skipped whatever their type (review R16)
                if (!ESWITCH_KEYS.includes(k))
                    continue;
                // old iproute2 printed encap as a JSON boolean
                const s = k === "encap" && typeof v === "boolean" ? (v ? "enable" : "disable") : v;
                setAttr(d, k, typeof s === "string" ? s : failJson(`${path}.${k}`, v, "expected a string"), null, path);
            }
            return d;
        }),
    };
}

export function parseDevlinkEswitch(text: string): DevlinkEswitchList {
    if (isJsonText(text))
        return parseJsonEswitch(text);
    return {
        devices: requireContent(text).map(line => {
            const m = /^(\S+): (.+)$/.exec(line.text.trim());
            if (!m)
                fail(line, 'expected "<handle>: mode <mode> ..."');
            const d: DevlinkEswitch = { ...handleOrFail(m[1], line, "device") };
            for (const [k, v] of pairs(tokens(m[2]), line, "eswitch attributes"))
                setAttr(d, k, v, line, "");
            if (d.mode === undefined)
                fail(line, "no mode on the line");
            return d;
        }),
    };
}
