/**
 * Shared reading of mstconfig output: the device block ("Device #1:", "Device type:", "Name:",
 * "Description:", "Device:") and the "Configurations:" header naming the value columns.
 */
import { fail, failWhole, Line } from "./common";

export interface MstconfigDevice {
    deviceType: string;
    name?: string;
    description?: string;
    /** As given to -d: "0002:01:00.0", "19:00.0" or "/dev/mst/mt4129_pciconf0". */
    device: string;
}

/** A configuration value: "True(1)" -> label True, number 1; "16" -> number 16; "Array[0..15]", "N/A" -> raw. */
export interface MstconfigValue {
    raw: string;
    label?: string;
    number?: number;
}

export function readValue(raw: string, line: Line): MstconfigValue {
    if (!/^[A-Za-z0-9_.:/[\]+-]+$|^[A-Za-z0-9_.:/[\]+-]+\([0-9]+\)$/.test(raw))
        fail(line, `"${raw}" does not look like an mstconfig value`);
    const e = /^(.+)\((0|[1-9][0-9]*)\)$/.exec(raw);
    if (e)
        return { raw, label: e[1], number: Number(e[2]) };
    if (/^(0|[1-9][0-9]*)$/.test(raw))
        return { raw, number: Number(raw) };
    return { raw };
}

/** "-E- message" lines: the tool failed; the value says so, it is never read as a configuration. */
export interface MstconfigFailure {
    kind: "error";
    message: string;
    line: number;
}

export function findToolError(lines: Line[]): MstconfigFailure | undefined {
    const l = lines.find(x => x.text.startsWith("-E- "));
    return l ? { kind: "error", message: l.text.slice(4).trim(), line: l.no } : undefined;
}

const HEADER_KEYS: Record<string, keyof MstconfigDevice> = {
    "Device type": "deviceType", Name: "name", Description: "description", Device: "device",
};

const TRAILERS = [
    "The '*' shows parameters with next value different from default/current value.",
    "The 'RO' shows parameters which are for read only and cannot be changed",
];

export interface DeviceBlock {
    device: MstconfigDevice;
    columns: string;
    /** Index in `lines` of the first line after "Configurations:". */
    next: number;
    configLine: Line;
}

/** Reads from "Device #1:" through "Configurations: <columns>" (blank lines already removed). */
export function readDeviceBlock(lines: Line[]): DeviceBlock {
    if (lines.length === 0)
        failWhole("empty output");
    let i = 0;
    if (!/^Device #1:$/.test(lines[i].text.trim()))
        fail(lines[i], 'expected "Device #1:"');
    i++;
    if (i < lines.length && /^-+$/.test(lines[i].text.trim()))
        i++;
    const fields: Partial<MstconfigDevice> = {};
    for (; i < lines.length; i++) {
        const t = lines[i].text.trim();
        if (t.startsWith("Configurations:"))
            break;
        const m = /^(Device type|Name|Description|Device):\s*(.*)$/.exec(t);
        if (!m)
            fail(lines[i], "unexpected line in the device block");
        const key = HEADER_KEYS[m[1]];
        if (fields[key] !== undefined)
            fail(lines[i], `"${m[1]}:" appears twice`);
        fields[key] = m[2].trim();
    }
    if (i >= lines.length)
        fail(lines[lines.length - 1], 'output ends before "Configurations:"');
    if (fields.deviceType === undefined || fields.device === undefined)
        fail(lines[i], 'device block lacks "Device type:" or "Device:"');
    const columns = lines[i].text.trim().slice("Configurations:".length).trim().split(/\s+/).join(" ");
    return { device: fields as MstconfigDevice, columns, next: i + 1, configLine: lines[i] };
}

function checkDuplicate(seen: Set<string>, name: string, line: Line): void {
    if (seen.has(name))
        fail(line, `parameter ${name} appears twice`);
    seen.add(name);
}

export function isAnotherDevice(line: Line): boolean {
    return /^Device #[0-9]+:$/.test(line.text.trim());
}

/**
 * The parameter lines after the device block, each matched by `pattern` (a duplicate name, a second device or
 * a line after the trailer is a failure naming the line); at least one. `nameGroup` is the parameter's group.
 */
export function paramLines(lines: Line[], block: DeviceBlock, pattern: RegExp, nameGroup: number,
                           expected: string): { m: RegExpExecArray; line: Line }[] {
    const out: { m: RegExpExecArray; line: Line }[] = [];
    const seen = new Set<string>();
    let trailer = false;
    for (const line of lines.slice(block.next)) {
        if (TRAILERS.includes(line.text.trim())) {
            trailer = true;
            continue;
        }
        if (isAnotherDevice(line))
            fail(line, "more than one device: query one device with -d");
        const m = pattern.exec(line.text);
        if (!m || trailer)
            fail(line, `expected "${expected}"`);
        checkDuplicate(seen, m[nameGroup], line);
        out.push({ m, line });
    }
    if (out.length === 0)
        fail(block.configLine, "no configuration lines");
    return out;
}
