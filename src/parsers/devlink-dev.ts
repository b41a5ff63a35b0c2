/** devlink handles ("pci/0000:e1:00.0"), as devlink dev, port and eswitch print them. */
import { fail, failJson, Line } from "./common";

export interface DevlinkHandle {
    /** "pci/0000:e1:00.0" */
    handle: string;
    /** "pci", "auxiliary" */
    bus: string;
    /** "0000:e1:00.0", "mlx5_core.sf.4" */
    device: string;
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

