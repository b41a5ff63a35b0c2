/** `devlink dev show` (text and -j): the devlink instances, e.g. "pci/0000:e1:00.0". */
import { contentLines, fail, failJson, isJsonText, jsonObject, Line, parseJson } from "./common";

export interface DevlinkHandle {
    /** "pci/0000:e1:00.0" */
    handle: string;
    /** "pci", "auxiliary" */
    bus: string;
    /** "0000:e1:00.0", "mlx5_core.sf.4" */
    device: string;
}

export interface DevlinkDevList {
    devices: DevlinkHandle[];
}

const HANDLE = /^([a-z][a-z0-9_]*)\/([^\s/]+)$/;

/** Reads "<bus>/<device>"; returns undefined when the text is not a devlink handle. */
export function readDevlinkHandle(s: string): DevlinkHandle | undefined {
    const m = HANDLE.exec(s);
    if (!m)
        return undefined;
    const device = m[1] === "pci" ? m[2].toLowerCase() : m[2];
    return { handle: `${m[1]}/${device}`, bus: m[1], device };
}

export function handleOrFail(s: string, line: Line | null, what: string): DevlinkHandle {
    const h = readDevlinkHandle(s);
    if (!h) {
        if (line)
            fail(line, `${what}: "${s}" is not a devlink handle like pci/0000:e1:00.0`);
        failJson(what, s, "not a devlink handle like pci/0000:e1:00.0");
    }
    return h;
}

export function parseDevlinkDev(text: string): DevlinkDevList {
    if (isJsonText(text)) {
        const root = jsonObject(parseJson(text), "$");
        const keys = Object.keys(root);
        if (keys.length !== 1 || keys[0] !== "dev")
            failJson("$", root, 'expected {"dev": {...}}');
        const dev = jsonObject(root.dev, "$.dev");
        return {
            devices: Object.keys(dev).map(k => {
                const inner = jsonObject(dev[k], `$.dev["${k}"]`);
                if (Object.keys(inner).length !== 0)
                    failJson(`$.dev["${k}"]`, inner, "unexpected attributes for a device");
                return handleOrFail(k, null, `$.dev["${k}"]`);
            }),
        };
    }
    // No devices at all prints nothing: an empty list, which no check reads as "present".
    return { devices: contentLines(text).map(l => handleOrFail(l.text.trim(), l, "device line")) };
}
