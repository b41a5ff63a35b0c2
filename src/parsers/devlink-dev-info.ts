/**
 * `devlink dev info` (text and -j). Text layout (iproute2 pr_out_info): "<handle>:", then "driver X",
 * "serial_number X", "board.serial_number X", "versions:", "fixed:"/"running:"/"stored:", "<name> <value>".
 * Indentation differs between docs and releases, so it is ignored; the keywords drive the reading.
 */
import {
    fail, isJsonText, jsonObject, jsonString, parseJson, requireContent,
} from "./common";
import { DevlinkHandle, handleOrFail } from "./devlink-dev";

export type VersionGroup = "fixed" | "running" | "stored";

export interface DevlinkDevInfo extends DevlinkHandle {
    driver?: string;
    serialNumber?: string;
    boardSerialNumber?: string;
    versions: Record<VersionGroup, Record<string, string>>;
    /** versions.running["fw.version"]: the firmware in use. */
    fwVersionRunning?: string;
    /** versions.stored["fw.version"]: differs from running after a flash until the firmware is reset. */
    fwVersionStored?: string;
    /** versions.fixed["fw.psid"] */
    psid?: string;
}

export interface DevlinkDevInfoList {
    devices: DevlinkDevInfo[];
}

function finish(d: Draft): DevlinkDevInfo {
    const out: DevlinkDevInfo = { ...d };
    const running = d.versions.running["fw.version"];
    const stored = d.versions.stored["fw.version"];
    const psid = d.versions.fixed["fw.psid"];
    if (running !== undefined) out.fwVersionRunning = running;
    if (stored !== undefined) out.fwVersionStored = stored;
    if (psid !== undefined) out.psid = psid;
    return out;
}

type Draft = Omit<DevlinkDevInfo, "fwVersionRunning" | "fwVersionStored" | "psid">;

const emptyVersions = (): Record<VersionGroup, Record<string, string>> => ({ fixed: {}, running: {}, stored: {} });

function parseJsonInfo(text: string): DevlinkDevInfoList {
    const root = jsonObject(parseJson(text), "$");
    const info = jsonObject(root.info, "$.info");
    return {
        devices: Object.keys(info).map(key => {
            const path = `$.info["${key}"]`;
            const o = jsonObject(info[key], path);
            const versions = emptyVersions();
            if (o.versions !== undefined) {
                const v = jsonObject(o.versions, `${path}.versions`);
                for (const group of ["fixed", "running", "stored"] as const) {
                    if (v[group] === undefined) continue;
                    const g = jsonObject(v[group], `${path}.versions.${group}`);
                    for (const name of Object.keys(g))
                        versions[group][name] = jsonString(g[name], `${path}.versions.${group}["${name}"]`);
                }
            }
            const d = { ...handleOrFail(key, null, path), versions } as Draft;
            if (o.driver !== undefined) d.driver = jsonString(o.driver, `${path}.driver`);
            if (o.serial_number !== undefined) d.serialNumber = jsonString(o.serial_number, `${path}.serial_number`);
            if (o["board.serial_number"] !== undefined)
                d.boardSerialNumber = jsonString(o["board.serial_number"], `${path}["board.serial_number"]`);
            return finish(d);
        }),
    };
}

export function parseDevlinkDevInfo(text: string): DevlinkDevInfoList {
    if (isJsonText(text))
        return parseJsonInfo(text);
    const devices: DevlinkDevInfo[] = [];
    let cur: Draft | null = null;
    let inVersions = false;
    let group: VersionGroup | null = null;
    const close = () => { if (cur) devices.push(finish(cur)); };
    for (const line of requireContent(text)) {
        const t = line.text.trim();
        const head = /^(\S+\/\S+):$/.exec(t);
        if (head) {
            close();
            cur = { ...handleOrFail(head[1], line, "device line"), versions: emptyVersions() };
            inVersions = false;
            group = null;
            continue;
        }
        if (!cur)
            fail(line, 'expected a device line like "pci/0000:e1:00.0:"');
        if (t === "versions:") {
            inVersions = true;
            continue;
        }
        if (inVersions && (t === "fixed:" || t === "running:" || t === "stored:")) {
            group = t.slice(0, -1) as VersionGroup;
            continue;
        }
        const kv = /^(\S+) (\S.*)$/.exec(t);
        if (!kv)
            fail(line, "expected \"<name> <value>\"");
        if (inVersions) {
            if (!group)
                fail(line, 'version line before "fixed:", "running:" or "stored:"');
            cur.versions[group][kv[1]] = kv[2];
            continue;
        }
        setTopLevel(cur, kv[1], kv[2]);
    }
    close();
    return { devices };
}

function setTopLevel(d: Draft, key: string, value: string): void {
    if (key === "driver") d.driver = value;
    else if (key === "serial_number") d.serialNumber = value;
    else if (key === "board.serial_number") d.boardSerialNumber = value;
    // else: newer iproute2 and kernels add attributes: one this page does not use is ignored, never a failed host
}

