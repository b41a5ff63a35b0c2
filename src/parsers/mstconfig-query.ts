/**
 * `mstconfig -d <pf> query` without -e: one "Next Boot" column — the pending NVconfig value, NOT what the
 * firmware runs now (that is the Current column of `-e query`, see mstconfig-query-e.ts).
 */
import { contentLines, fail } from "./common";
import {
    findToolError, MstconfigDevice, MstconfigFailure, MstconfigValue,
    paramLines, readDeviceBlock, readValue,
} from "./mstconfig-common";

export interface MstconfigQuery {
    kind: "query";
    device: MstconfigDevice;
    /** Parameter name -> Next Boot value. */
    nextBoot: Record<string, MstconfigValue>;
}

export type MstconfigQueryResult = MstconfigQuery | MstconfigFailure;

export function parseMstconfigQuery(text: string): MstconfigQueryResult {
    const lines = contentLines(text);
    const err = findToolError(lines);
    if (err)
        return err;
    const block = readDeviceBlock(lines);
    if (block.columns !== "Next Boot")
        fail(block.configLine, `expected the single column "Next Boot", got "${block.columns}" (use mstconfig-query-e for -e)`);
    const nextBoot: Record<string, MstconfigValue> = {};
    for (const { m, line } of paramLines(lines, block, /^\s+(\S+)\s+(\S+)\s*$/, 1, "<PARAMETER>   <value>"))
        nextBoot[m[1]] = readValue(m[2], line);
    return { kind: "query", device: block.device, nextBoot };
}
