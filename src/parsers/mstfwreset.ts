/**
 * The transcript of `mstfwreset -d <pf> [-y] reset` (MFT: mlxfwreset): the chosen reset level, the
 * confirmation, "-I- <step>  -Done" lines and "-I- FW was loaded successfully." at the end.
 */
import { fail, requireContent } from "./common";

export interface MstfwresetStep {
    text: string;
    status: string;
}

export interface MstfwresetResult {
    device?: string;
    level?: { number: number; description: string };
    answer?: string;
    steps: MstfwresetStep[];
    warnings: string[];
    /** True only after "-I- FW was loaded successfully." with no "-E-" line. */
    success: boolean;
    error?: string;
}

export function parseMstfwreset(text: string): MstfwresetResult {
    const out: MstfwresetResult = { steps: [], warnings: [], success: false };
    let expectLevel = false;
    for (const line of requireContent(text)) {
        const t = line.text.trim();
        let m: RegExpExecArray | null;
        if ((m = /^The reset level for device, (.+) is:$/.exec(t))) {
            out.device = m[1];
            expectLevel = true;
        } else if (expectLevel && (m = /^([0-9]+): (.+)$/.exec(t))) {
            out.level = { number: Number(m[1]), description: m[2] };
            expectLevel = false;
        } else if ((m = /^Continue with reset\?\s*\[y\/N\]\s*(.*)$/.exec(t))) {
            out.answer = m[1];
        } else if (t === "-I- FW was loaded successfully.") {
            out.success = out.error === undefined;
        } else if ((m = /^-I- (.+?)\s+-(\S.*)$/.exec(t))) {
            out.steps.push({ text: m[1], status: m[2] });
        } else if ((m = /^-W- (.+)$/.exec(t))) {
            out.warnings.push(m[1]);
        } else if ((m = /^-E- (.+)$/.exec(t))) {
            out.error = m[1];
            out.success = false;
        } else {
            fail(line, "unexpected line in the reset transcript");
        }
    }
    if (!out.success && out.error === undefined)
        fail(null, 'no "-I- FW was loaded successfully." nor "-E-" line (truncated?)');
    return out;
}
