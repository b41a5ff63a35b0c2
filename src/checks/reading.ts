/*
 * Facts still being read. The firmware query takes seconds (mstconfig reads the adapter's flash) while the other
 * reads take milliseconds: the checks that need only the fast reads are shown first, and a check that reads a fact
 * still being read shows no verdict until it arrives.
 */
import { _ } from "../lib/cockpit";
import type { Fact } from "./types";

const READING = { known: false as const, get reason() { return _("still being read") }, evidence: [] };

/** The fact of a command whose answer has not come yet. */
export const stillReading = <T>(): Fact<T> => READING;

/**
 * A check's evaluation, or null when it read a fact still being read. Checks are pure functions of the facts, so
 * following what they read is enough: each object they reach is seen through a proxy that notes the sentinel.
 */
export function unlessReading<C extends object, R>(evaluate: (ctx: C) => R, ctx: C): R | null {
    let touched = false;
    const proxies = new WeakMap<object, object>();
    const wrap = (v: unknown): unknown => {
        if (v === READING)
            touched = true;
        if (v === READING || typeof v !== "object" || v === null || Object.isFrozen(v))
            return v;
        let p = proxies.get(v);
        if (!p) {
            p = new Proxy(v, { get: (t, k) => wrap(Reflect.get(t, k)) });
            proxies.set(v, p);
        }
        return p;
    };
    const r = evaluate(wrap(ctx) as C);
    return touched ? null : r;
}
