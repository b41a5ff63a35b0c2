/**
 * Shared pieces of the tool-output parsers: the error type, line splitting, small strict value readers.
 * Parsers throw ParseFailure; parse() in index.ts turns it into a ParseError that names the tool.
 */

export interface ParseError {
    tool: string;
    /** 1-based number of the first line that was not understood; 0 for whole-text problems. */
    line: number;
    /** That line, verbatim (empty for whole-text problems). */
    text: string;
    /** Plain English, for developers; the UI shows "unknown" with the raw output. */
    message: string;
}

export class ParseFailure extends Error {
    constructor(readonly line: number, readonly text: string, message: string) {
        super(message);
        this.name = "ParseFailure";
    }
}

export interface Line {
    no: number;
    text: string;
}

export function fail(line: Line | null, message: string): never {
    throw new ParseFailure(line?.no ?? 0, line?.text ?? "", message);
}

export function failWhole(message: string): never {
    throw new ParseFailure(0, "", message);
}

/** Splits into numbered lines; drops one final newline and a trailing \r per line (CRLF). */
export function linesOf(text: string): Line[] {
    if (text === "")
        return [];
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    return body.split("\n").map((t, i) => ({ no: i + 1, text: t.endsWith("\r") ? t.slice(0, -1) : t }));
}

/** Non-blank lines only. */
export function contentLines(text: string): Line[] {
    return linesOf(text).filter(l => l.text.trim() !== "");
}

export function requireContent(text: string): Line[] {
    const lines = contentLines(text);
    if (lines.length === 0)
        failWhole("empty output");
    return lines;
}

/** Control characters other than tab: never part of the values these files and tools print. */
export function rejectControlChars(line: Line): void {
    // eslint-disable-next-line no-control-regex
    const m = /[\u0000-\u0008\u000a-\u001f\u007f]/.exec(line.text);
    if (m)
        fail(line, `unexpected control character U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const UINT = /^(0|[1-9][0-9]*)$/;

/** A decimal unsigned integer that fits a JS number exactly, or a failure naming the line. */
export function uint(value: string, line: Line | null, what: string): number {
    if (!UINT.test(value) || !Number.isSafeInteger(Number(value)))
        fail(line, `${what}: expected an unsigned integer, got "${value}"`);
    return Number(value);
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], line: Line | null, what: string): T {
    if (!(allowed as readonly string[]).includes(value))
        fail(line, `${what}: unexpected value "${value}" (expected ${allowed.join(", ")})`);
    return value as T;
}

export function isJsonText(text: string): boolean {
    return text.trimStart().startsWith("{");
}

export function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        return failWhole(`invalid JSON: ${(e as Error).message}`);
    }
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function snippet(v: unknown): string {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 200 ? s.slice(0, 200) + "…" : s;
}

/** A JSON structure problem: line 0, the offending fragment as text. */
export function failJson(path: string, value: unknown, message: string): never {
    throw new ParseFailure(0, snippet(value), `${path}: ${message}`);
}

export function jsonObject(v: unknown, path: string): JsonObject {
    if (!isObject(v))
        failJson(path, v, "expected a JSON object");
    return v;
}

export function jsonString(v: unknown, path: string): string {
    if (typeof v !== "string")
        failJson(path, v, "expected a string");
    return v;
}

export function jsonUint(v: unknown, path: string): number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
        failJson(path, v, "expected an unsigned integer");
    return v;
}

export function jsonBool(v: unknown, path: string): boolean {
    if (typeof v !== "boolean")
        failJson(path, v, "expected true or false");
    return v;
}

export function jsonOneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
    const s = jsonString(v, path);
    if (!(allowed as readonly string[]).includes(s))
        failJson(path, v, `unexpected value (expected ${allowed.join(", ")})`);
    return s as T;
}


/** Splits "a b c d" into pairs [[a,b],[c,d]]; an odd count is a failure. */
export function pairs(tokens: string[], line: Line, what: string): [string, string][] {
    if (tokens.length % 2 !== 0)
        fail(line, `${what}: expected "name value" pairs, found a name without value ("${tokens[tokens.length - 1]}")`);
    const out: [string, string][] = [];
    for (let i = 0; i < tokens.length; i += 2)
        out.push([tokens[i], tokens[i + 1]]);
    return out;
}

export function tokens(s: string): string[] {
    return s.trim().split(/\s+/).filter(t => t !== "");
}
