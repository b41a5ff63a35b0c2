/*
 * Hostile tool output: every parser fed random bytes, control characters, markup, mutated real samples and
 * megabyte-long input. A parser answers ok or a ParseError — it never throws, never hangs (no catastrophic
 * regular-expression backtracking), and a failure names the tool.
 */
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { parse, TOOLS, type Tool } from "../../../src/parsers";
import { hostile, property } from "../host/arbitraries";
import { FORMATS } from "../parsers/samples";

/** The real samples, whole files (comments and all): near-valid input for every parser. */
const SAMPLES = fs.readdirSync(FORMATS).filter(f => /\.(txt|json|xml|md)$/.test(f))
        .map(f => fs.readFileSync(path.join(FORMATS, f), "utf8"));

const MARKUP = ["<img src=x onerror=alert(1)>", "\u001b[31m", "\u202e", "\u0000", "\r", "\ufffd", "]]>", "&lt;", "{\"", "\":[", "}"];

/** A real sample, cut short, with hostile pieces spliced in or lines dropped. */
const mutatedSample: fc.Arbitrary<string> = fc.tuple(
    fc.constantFrom(...SAMPLES), fc.nat(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...MARKUP), hostile)), { maxLength: 4 }),
).map(([s, cutAt, drop, splices]) => {
    let t = s.slice(0, cutAt % (s.length + 1));
    for (const [at, piece] of splices) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + piece + t.slice(i);
    }
    const lines = t.split("\n");
    if (lines.length > 2)
        lines.splice(drop % lines.length, 1);
    return lines.join("\n");
});

const randomBytes: fc.Arbitrary<string> = fc.uint8Array({ maxLength: 400 })
        .map(b => new TextDecoder("utf-8", { fatal: false }).decode(b));

const toolArb = fc.constantFrom(...TOOLS);
const text = fc.oneof(hostile, randomBytes, mutatedSample, fc.string({ unit: "grapheme", maxLength: 60 }));

function checkResult(tool: Tool, input: string): void {
    const r = parse(tool, input);
    expect(r.tool).toBe(tool);
    if (!r.ok) {
        expect(typeof r.error.message).toBe("string");
        expect(r.error.message).not.toMatch(/^parser failed:/); // an exception escaped the parser: a bug
    }
}

describe("parsers on hostile output", () => {
    property("parse(tool, garbage) returns ok or a ParseError, never throws", fc.tuple(toolArb, text), ([tool, input]) => checkResult(tool, input), 20_000);

    property("a mutated real sample is parsed or refused, never throws", fc.tuple(toolArb, mutatedSample), ([tool, input]) => checkResult(tool, input), 10_000);

    // A probe keeps at most 1 MiB per stream: every parser must get through that much, whatever its shape.
    const SHAPES: Record<string, string> = {
        "one long line of spaces": " ".repeat(1 << 20),
        "one long word": "a".repeat(1 << 20),
        "many short lines": "x y z\n".repeat(1 << 18),
        "key=value lines": "KEY=value\n".repeat(1 << 17),
        "colons": ":".repeat(1 << 20),
        "open JSON": "{\"a\":[".repeat(1 << 17),
        "open XML": "<a ".repeat(1 << 18),
        "escape sequences": "\u001b[31m".repeat(1 << 17),
    };
    test.each(Object.keys(SHAPES))("every parser finishes 1 MiB of %s in under 3 s", shape => {
        const input = SHAPES[shape];
        for (const tool of TOOLS) {
            const t0 = Date.now();
            checkResult(tool, input);
            expect([tool, Date.now() - t0 < 3000]).toEqual([tool, true]);
        }
    });
});
