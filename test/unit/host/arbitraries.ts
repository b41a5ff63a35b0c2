/*
 * Inputs for the property tests: hostile strings (shell, path, XML and URI metacharacters, control characters,
 * unicode, leading '-') and near-valid ones (a valid value with one of those spliced in).
 * `property()` runs RUNS generated inputs per property and counts them (PROPERTY_COUNT_FILE=… collects totals).
 */
import fc from "fast-check";
import fs from "fs";

export const RUNS = 10_000;

const SPECIAL = ["-", "--", "/", "..", ".", " ", "\t", "\n", "\r", "\0", "'", "\"", "\\", "$", "`", ";", "&", "|",
    "<", ">", "(", ")", "*", "?", "[", "]", "{", "}", "~", "#", "!", "=", ":", "@", "%", ",", "+", "\u0085",
    "\u2028", "\u00a0", "é", "😀", "\ud800", "\u007f", "\u001b", "&amp;", "]]>", "%2F", "a", "Z", "0", "9", "f", "x"];

export const special = fc.constantFrom(...SPECIAL);

export const hostile: fc.Arbitrary<string> = fc.oneof(
    fc.string({ unit: special, maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.string({ unit: "binary-ascii", maxLength: 20 }),
);

/** A valid example with a hostile piece inserted, replacing, prefixed or appended. */
export function nearValid(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
    return fc.tuple(valid, fc.string({ unit: special, minLength: 0, maxLength: 3 }), fc.nat(), fc.nat(3), fc.constantFrom("insert", "replace", "prefix", "suffix", "none"))
            .map(([v, piece, at, len, how]) => {
                const i = v.length ? at % (v.length + 1) : 0;
                switch (how) {
                case "insert": return v.slice(0, i) + piece + v.slice(i);
                case "replace": return v.slice(0, i) + piece + v.slice(i + len);
                case "prefix": return piece + v;
                case "suffix": return v + piece;
                default: return v;
                }
            });
}

/** Hostile, near-valid and valid inputs, mixed. */
export function inputs(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
    return fc.oneof(hostile, nearValid(valid), valid);
}

let counted = 0;

export function property<T>(name: string, arb: fc.Arbitrary<T>, check: (x: T) => void, numRuns = RUNS): void {
    test(`${name} (${numRuns} generated inputs)`, () => {
        fc.assert(fc.property(arb, x => { counted++; check(x) }), { numRuns });
    });
}

afterAll(() => {
    const file = process.env.PROPERTY_COUNT_FILE;
    if (file)
        fs.appendFileSync(file, `${expect.getState().testPath ?? "?"} ${counted}\n`);
});
