/*
 * Shared parts of the validated value types: a brand, a Result, and ValueError, whose message is shown to the admin.
 * Every value that reaches a command, a path, an XML document or a URI goes through one of the constructors in
 * src/host/values/*.ts; a branded type can only be obtained from them.
 */
import { _, format } from "../../lib/cockpit";

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Result<T> = { ok: true; value: T } | { ok: false; error: ValueError };

export class ValueError extends Error {
    /** field: machine name of the input ("pci-address"); rule: which rule failed ("form", "length", …). */
    constructor(readonly field: string, readonly rule: string, readonly value: string, message: string) {
        super(message);
        this.name = "ValueError";
    }
}

/** A value as shown inside an error message: control characters made visible, long values shortened. */
export function shown(value: unknown): string {
    const s = String(value);
    const cut = [...s].length > 64 ? [...s].slice(0, 63).join("") + "…" : s;
    // eslint-disable-next-line no-control-regex
    return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, c => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0"));
}

/** Builds the ValueError; `template` is already translated and names the field and the rule, $0 = the value. */
export function valueError(field: string, rule: string, value: unknown, template: string, ...args: (string | number)[]): ValueError {
    return new ValueError(field, rule, String(value), format(template, shown(value), ...args));
}

export function ok<T>(value: T): Result<T> {
    return { ok: true, value };
}

export function err<T>(error: ValueError): Result<T> {
    return { ok: false, error };
}

/** Turns a Result into its value or throws its ValueError. */
export function unwrap<T>(r: Result<T>): T {
    if (!r.ok)
        throw r.error;
    return r.value;
}

/** The pair every value type exports: `X.parse(s)` → Result, `X.of(s)` → value or throw. */
export function valueType<T>(parse: (input: unknown) => Result<T>): { parse: (input: unknown) => Result<T>; of: (input: unknown) => T } {
    return { parse, of: (input: unknown) => unwrap(parse(input)) };
}

/** Input checks common to every string value: a string, no NUL (never representable in argv). */
export function asString(field: string, input: unknown): Result<string> {
    if (typeof input !== "string")
        return err(valueError(field, "type", input, _("“$0” is not text")));
    return ok(input);
}

export const hasControl = (s: string): boolean => /[\u0000-\u001f\u007f-\u009f]/.test(s); // eslint-disable-line no-control-regex

/** A UTF-16 half without its partner: it cannot be encoded in UTF-8, so no command line or file can carry it. */
export const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

export const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** Integer in [min, max] from a number or a decimal string (no sign, no exponent, no leading zeros). */
export function parseInteger(field: string, input: unknown, min: number, max: number, label: string): Result<number> {
    let n: number;
    if (typeof input === "number")
        n = input;
    else if (typeof input === "string" && /^(0|[1-9][0-9]{0,15})$/.test(input))
        n = Number(input);
    else
        return err(valueError(field, "form", input, _("$1 “$0” is not a whole number"), label));
    if (!Number.isSafeInteger(n))
        return err(valueError(field, "form", input, _("$1 “$0” is not a whole number"), label));
    if (n < min || n > max)
        return err(valueError(field, "range", input, _("$1 “$0” is not between $2 and $3"), label, min, max));
    return ok(n);
}
