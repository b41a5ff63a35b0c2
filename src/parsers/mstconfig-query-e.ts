/**
 * `mstconfig -e -d <pf> query`: Default / Current / Next Boot columns. A leading "*" marks a parameter
 * whose Next Boot differs from Default or Current; "RO" after it marks a read-only parameter
 * (mlxcfg_ui.cpp printSingleParam: diff(1) + readOnly(2) + 5 spaces + name).
 * Current is what the firmware runs; Next Boot becomes active after a reboot or firmware reset.
 */
import { contentLines, fail } from "./common";
import {
    findToolError, MstconfigDevice, MstconfigFailure, MstconfigValue,
    paramLines, readDeviceBlock, readValue,
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
    for (const { m, line } of paramLines(lines, block, PARAM, 3, "[*][RO]  <PARAMETER>  <default>  <current>  <next boot>")) {
        params[m[3]] = {
            default: readValue(m[4], line), current: readValue(m[5], line), nextBoot: readValue(m[6], line),
            modified: m[1] === "*", readOnly: m[2] === "RO",
        };
    }
    return { kind: "query-e", device: block.device, params };
}
