/**
 * `mstconfig -d <pf> query` without -e: one "Next Boot" column — the pending NVconfig value, NOT what the
 * firmware runs now (that is the Current column of `-e query`, see mstconfig-query-e.ts).
 */
import { contentLines, fail } from "./common";
import {
    checkDuplicate, findToolError, isAnotherDevice, MstconfigDevice, MstconfigFailure, MstconfigValue,
    readDeviceBlock, readValue, TRAILERS,
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
    const seen = new Set<string>();
    let trailer = false;
    for (const line of lines.slice(block.next)) {
        if (TRAILERS.includes(line.text.trim())) {
            trailer = true;
            continue;
        }
        if (isAnotherDevice(line))
            fail(line, "more than one device: query one device with -d");
        const m = /^\s+(\S+)\s+(\S+)\s*$/.exec(line.text);
        if (!m || trailer)
            fail(line, 'expected "<PARAMETER>   <value>"');
        checkDuplicate(seen, m[1], line);
        nextBoot[m[1]] = readValue(m[2], line);
    }
    if (seen.size === 0)
        fail(block.configLine, "no configuration lines");
    return { kind: "query", device: block.device, nextBoot };
}
