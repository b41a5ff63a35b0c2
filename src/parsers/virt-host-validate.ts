/**
 * `virt-host-validate [qemu]`: "%6s: Checking <what>%*s: PASS|WARN (<hint>)|FAIL (<hint>)|NOTE (<hint>)".
 * Very old releases had no leading spaces before the driver label.
 */
import { fail, requireContent } from "./common";

export type ValidateResult = "PASS" | "WARN" | "FAIL" | "NOTE";

export interface ValidateCheck {
    /** "QEMU", "LXC" */
    driver: string;
    /** "for device assignment IOMMU support" */
    what: string;
    result: ValidateResult;
    hint?: string;
}

export interface VirtHostValidate {
    checks: ValidateCheck[];
}

const LINE = /^\s*([A-Z][A-Za-z]*): Checking (.+?)\s*: (PASS|WARN|FAIL|NOTE)(?: \((.*)\))?$/;

export function parseVirtHostValidate(text: string): VirtHostValidate {
    return {
        checks: requireContent(text).map(line => {
            const m = LINE.exec(line.text.trimEnd());
            if (!m)
                fail(line, 'expected "  QEMU: Checking <what> : PASS|WARN (hint)|FAIL (hint)" (a cut-off hint lacks ")")');
            if (m[3] === "PASS" && m[4] !== undefined)
                fail(line, "PASS with a hint");
            if (m[3] !== "PASS" && m[4] === undefined)
                fail(line, `${m[3]} without a hint`);
            const c: ValidateCheck = { driver: m[1], what: m[2], result: m[3] as ValidateResult };
            if (m[4] !== undefined) c.hint = m[4];
            return c;
        }),
    };
}

