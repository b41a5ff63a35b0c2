/**
 * `mstconfig -e -d <pf> query`: Default / Current / Next Boot columns. A leading "*" marks a parameter
 * whose Next Boot differs from Default or Current; "RO" after it marks a read-only parameter
 * (mlxcfg_ui.cpp printSingleParam: diff(1) + readOnly(2) + 5 spaces + name).
 * Current is what the firmware runs; Next Boot becomes active after a reboot or firmware reset.
 */
import { contentLines, fail } from "./common";
import {
    checkDuplicate, findToolError, isAnotherDevice, MstconfigDevice, MstconfigFailure, MstconfigValue,
    readDeviceBlock, readValue, TRAILERS,
} from "./mstconfig-common";

export interface MstconfigParam {
    default: MstconfigValue;
    current: MstconfigValue;
    nextBoot: MstconfigValue;
    /** The "*" mark: Next Boot differs from Default or Current. */
    modified: boolean;
    readOnly: boolean;
}

export interface MstconfigQueryE {
    kind: "query-e";
    device: MstconfigDevice;
    params: Record<string, MstconfigParam>;
}

export type MstconfigQueryEResult = MstconfigQueryE | MstconfigFailure;

const PARAM = /^([* ])?(RO)?\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;

export function parseMstconfigQueryE(text: string): MstconfigQueryEResult {
    const lines = contentLines(text);
    const err = findToolError(lines);
    if (err)
        return err;
    const block = readDeviceBlock(lines);
    if (block.columns !== "Default Current Next Boot")
        fail(block.configLine, `expected columns "Default Current Next Boot", got "${block.columns}"`);
    const params: Record<string, MstconfigParam> = {};
    const seen = new Set<string>();
    let trailer = false;
    for (const line of lines.slice(block.next)) {
        if (TRAILERS.includes(line.text.trim())) {
            trailer = true;
            continue;
        }
        if (isAnotherDevice(line))
            fail(line, "more than one device: query one device with -d");
        const m = PARAM.exec(line.text);
        if (!m || trailer)
            fail(line, 'expected "[*][RO]  <PARAMETER>  <default>  <current>  <next boot>"');
        checkDuplicate(seen, m[3], line);
        params[m[3]] = {
            default: readValue(m[4], line), current: readValue(m[5], line), nextBoot: readValue(m[6], line),
            modified: m[1] === "*", readOnly: m[2] === "RO",
        };
    }
    if (seen.size === 0)
        fail(block.configLine, "no configuration lines");
    return { kind: "query-e", device: block.device, params };
}
