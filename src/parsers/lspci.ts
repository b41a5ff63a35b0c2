/**
 * `lspci -D -nn [-k] [-vv]` and `lspci -n`. Device lines:
 *   "0000:01:00.0 Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021] (rev 01)"
 *   "41:00.0 0207: 15b3:1021"                       (-n; no domain printed = domain 0000)
 * Tab-indented detail lines (-k, -v) belong to the device above; of them we read "Kernel driver in use:",
 * "Kernel modules:", "Subsystem:" and "Capabilities: [180 v1] Single Root I/O Virtualization (SR-IOV)".
 */
import { contentLines, fail, Line } from "./common";

export interface LspciCapability {
    offset: string;
    name: string;
}

export interface LspciDevice {
    /** Normalised "0000:01:00.0" (lowercase, domain added when lspci omitted it). */
    address: string;
    classId: string;
    className?: string;
    vendorId: string;
    deviceId: string;
    /** "Mellanox Technologies MT2910 Family [ConnectX-7]" (vendor and device names as lspci joins them). */
    name?: string;
    rev?: string;
    progIf?: string;
    subsystem?: string;
    driverInUse?: string;
    kernelModules?: string[];
    capabilities: LspciCapability[];
    /** A "Single Root I/O Virtualization (SR-IOV)" capability was listed (needs -v as root). */
    sriov: boolean;
}

export interface LspciList {
    devices: LspciDevice[];
}

const ADDR = "(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])";
const TAIL = "(?:\\s+\\(rev ([0-9a-fA-F]{2})\\))?(?:\\s+\\(prog-if ([0-9a-fA-F]{2})(?: \\[[^\\]]*\\])?\\))?";
const NN = new RegExp(`^${ADDR} (.+?) \\[([0-9a-fA-F]{4})\\]: (.*?)\\s*\\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\\]${TAIL}$`);
const N = new RegExp(`^${ADDR} ([0-9a-fA-F]{4}): ([0-9a-fA-F]{4}):([0-9a-fA-F]{4})${TAIL}$`);

function address(m: RegExpExecArray): string {
    return `${(m[1] ?? "0000").padStart(4, "0")}:${m[2]}:${m[3]}.${m[4]}`.toLowerCase();
}

function deviceLine(line: Line): LspciDevice | undefined {
    let m = NN.exec(line.text);
    if (m) {
        const d: LspciDevice = {
            address: address(m), className: m[5], classId: m[6].toLowerCase(), vendorId: m[8].toLowerCase(),
            deviceId: m[9].toLowerCase(), capabilities: [], sriov: false,
        };
        if (m[7] !== "") d.name = m[7];
        if (m[10]) d.rev = m[10].toLowerCase();
        if (m[11]) d.progIf = m[11].toLowerCase();
        return d;
    }
    m = N.exec(line.text);
    if (m) {
        const d: LspciDevice = {
            address: address(m), classId: m[5].toLowerCase(), vendorId: m[6].toLowerCase(),
            deviceId: m[7].toLowerCase(), capabilities: [], sriov: false,
        };
        if (m[8]) d.rev = m[8].toLowerCase();
        if (m[9]) d.progIf = m[9].toLowerCase();
        return d;
    }
    return undefined;
}

function detail(d: LspciDevice, t: string): void {
    let m: RegExpExecArray | null;
    if ((m = /^Kernel driver in use: (\S+)$/.exec(t))) d.driverInUse = m[1];
    else if ((m = /^Kernel modules: (.+)$/.exec(t))) d.kernelModules = m[1].split(/,\s*/);
    else if ((m = /^Subsystem: (.+)$/.exec(t))) d.subsystem = m[1];
    else if ((m = /^Capabilities: \[([0-9a-fA-F]+)(?: v[0-9]+)?\] (.+)$/.exec(t))) {
        d.capabilities.push({ offset: m[1].toLowerCase(), name: m[2] });
        if (/Single Root I\/O Virtualization \(SR-IOV\)/.test(m[2]))
            d.sriov = true;
    }
}

export function parseLspci(text: string): LspciList {
    const devices: LspciDevice[] = [];
    for (const line of contentLines(text)) {
        if (/^\s/.test(line.text)) {
            const d = devices[devices.length - 1];
            if (!d)
                fail(line, "detail line before any device line");
            detail(d, line.text.trim());
            continue;
        }
        const d = deviceLine(line);
        if (!d)
            fail(line, 'expected a device line like "0000:01:00.0 Ethernet controller [0200]: ... [15b3:1021]"');
        devices.push(d);
    }
    return { devices };
}
