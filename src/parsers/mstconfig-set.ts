/**
 * The transcript of `mstconfig -d <pf> [-y] set NAME=VALUE ...`: device block, "Configurations: Next Boot New",
 * the changes, the prompt " Apply new Configuration? (y/n) [n] : y", "Applying... Done!" and
 * "-I- Please reboot machine to load new configurations." (or "power cycle" when the warm-boot trigger failed),
 * or "-E- Aborted by user." / another "-E-" error. Changes are Next Boot values: never active immediately.
 */
import { contentLines, fail, Line } from "./common";
import { isAnotherDevice, MstconfigDevice, MstconfigValue, readDeviceBlock, readValue } from "./mstconfig-common";

export interface MstconfigChange {
    name: string;
    nextBoot: MstconfigValue;
    new: MstconfigValue;
}

export type MstconfigSetOutcome = "applied-reboot" | "applied-power-cycle" | "aborted" | "error";

export interface MstconfigSet {
    device?: MstconfigDevice;
    changes: MstconfigChange[];
    /** The prompt's answer as printed ("y" with -y). */
    answer?: string;
    outcome: MstconfigSetOutcome;
    /** The "-E-" message for "aborted" / "error". */
    error?: string;
}

const PROMPT = /^Apply new Configuration\? \(y\/n\) \[n\] :\s*(.*)$/;

function readResult(lines: Line[], out: Omit<MstconfigSet, "outcome">): MstconfigSet {
    let applied = false;
    for (const line of lines) {
        const t = line.text.trim();
        if (t.startsWith("-E- ")) {
            const message = t.slice(4).trim();
            return { ...out, outcome: message === "Aborted by user." ? "aborted" : "error", error: message };
        }
        if (t === "Applying... Done!") {
            applied = true;
        } else if (applied && t === "-I- Please reboot machine to load new configurations.") {
            return { ...out, outcome: "applied-reboot" };
        } else if (applied && t === "-I- Please power cycle machine to load new configurations.") {
            return { ...out, outcome: "applied-power-cycle" };
        } else {
            fail(line, "unexpected line after the prompt");
        }
    }
    return fail(lines[lines.length - 1] ?? null, "output ends before the result line (truncated?)");
}

export function parseMstconfigSet(text: string): MstconfigSet {
    const lines = contentLines(text);
    // An error before the device block (e.g. "-E- Failed to open the device") is the whole answer.
    if (lines.length > 0 && lines[0].text.startsWith("-E- "))
        return readResult(lines.slice(0, 1), { changes: [] });
    const block = readDeviceBlock(lines);
    if (block.columns !== "Next Boot New")
        fail(block.configLine, `expected columns "Next Boot New", got "${block.columns}"`);
    const changes: MstconfigChange[] = [];
    let i = block.next;
    for (; i < lines.length; i++) {
        const line = lines[i];
        const p = PROMPT.exec(line.text.trim());
        if (p) {
            if (changes.length === 0)
                fail(line, "prompt without any change listed");
            return readResult(lines.slice(i + 1), { device: block.device, changes, answer: p[1] });
        }
        if (line.text.startsWith("-E- "))
            return readResult(lines.slice(i), { device: block.device, changes });
        if (isAnotherDevice(line))
            fail(line, "more than one device");
        const m = /^\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line.text);
        if (!m)
            fail(line, 'expected "<PARAMETER>  <next boot>  <new>"');
        changes.push({ name: m[1], nextBoot: readValue(m[2], line), new: readValue(m[3], line) });
    }
    return fail(lines[lines.length - 1], "output ends before the confirmation prompt (truncated?)");
}
