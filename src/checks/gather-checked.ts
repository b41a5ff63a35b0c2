/*
 * Every value gather.ts stores comes from a host's output, so each is checked as its own value type first (a netdev
 * name as a Netdev, an address as a PciAddress, a version as a Word…). What fails is dropped (a name in a list), made
 * null (an optional name), or makes its fact unknown with the reason; the raw output stays in the evidence.
 */
import { _, format } from "../lib/cockpit";
import type { Result } from "../host/values";
import { known, unknown, type Evidence, type Fact } from "./types";

export type Checker = { parse: (input: unknown) => Result<unknown> };

/** The value's own type's reason for refusing it, or null when it is valid. */
export function refusal(t: Checker, input: unknown): string | null {
    const r = t.parse(input);
    return r.ok ? null : r.error.message;
}

/** The valid value (in the type's own form, e.g. a lowercase PCI address) or null. */
export function validOrNull<T>(t: { parse: (input: unknown) => Result<T> }, input: unknown): T | null {
    const r = t.parse(input);
    return r.ok ? r.value : null;
}

/** The values of a list that are valid, in their own form. */
export function validOnly<T>(t: { parse: (input: unknown) => Result<T> }, inputs: readonly unknown[]): T[] {
    return inputs.flatMap(i => {
        const r = t.parse(i);
        return r.ok ? [r.value] : [];
    });
}

/** The first refusal among [type, value] pairs. */
export function firstRefusal(pairs: [Checker, unknown][]): string | null {
    for (const [t, v] of pairs) {
        const why = refusal(t, v);
        if (why)
            return why;
    }
    return null;
}

/** A known fact whose value has a refused part becomes unknown, saying which value and why. */
export function checkedFact<T>(f: Fact<T>, refused: (v: T) => string | null): Fact<T> {
    if (!f.known)
        return f;
    const why = refused(f.value);
    return why ? unknown(format(_("the host printed a value this page does not accept: $0"), why), ...f.evidence) : f;
}

export function knownChecked<T>(value: T, refused: string | null, ...evidence: Evidence[]): Fact<T> {
    return refused ? unknown(format(_("the host printed a value this page does not accept: $0"), refused), ...evidence) : known(value, ...evidence);
}
