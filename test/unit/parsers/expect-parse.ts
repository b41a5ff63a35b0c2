/** parse() wrappers for tests: the value on success, the ParseError on failure (and a clear message otherwise). */
import { parse, ParseError, Tool, ToolValues } from "../../../src/parsers";

export function parsed<T extends Tool>(tool: T, text: string): ToolValues[T] {
    const r = parse(tool, text) as { ok: true; value: ToolValues[T] } | { ok: false; error: ParseError };
    if (!r.ok)
        throw new Error(`${tool}: unexpected parse error ${JSON.stringify(r.error)}`);
    return r.value;
}

export function parseError(tool: Tool, text: string): ParseError {
    const r = parse(tool, text) as { ok: true; value: unknown } | { ok: false; error: ParseError };
    if (r.ok)
        throw new Error(`${tool}: expected a parse error, got ${JSON.stringify(r.value)}`);
    return r.error;
}
