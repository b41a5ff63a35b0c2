/*
 * What the page keeps in the browser (localStorage) between visits. Cockpit serves the pages of every host of its
 * host switcher from one origin, so one browser's storage is shared by the pages of several hosts: each value is
 * saved with the host it belongs to (as Cockpit reaches this page's host) and read back only on that host.
 */
import { cockpit } from "../lib/cockpit";

/** How Cockpit reaches the host this page runs on: "localhost", or the host chosen in Cockpit's host switcher. */
export const thisPageHost = (): string => cockpit().transport.host || "localhost";

interface Saved<T> {
    savedOn: string;
    value: T;
}

export type Restored<T> = { value: T; foreign: null } | { value: null; foreign: string | null };

/**
 * The value saved under `key` on this page's host. A value saved on another host is not restored: `foreign` names
 * that host. A value saved before values were keyed by host (no `savedOn`) counts as this host's.
 */
export function restore<T>(key: string, accept: (v: unknown) => T | null): Restored<T> {
    let raw: unknown;
    try {
        raw = JSON.parse(localStorage.getItem(key) ?? "null");
    } catch {
        return { value: null, foreign: null };
    }
    if (raw === null || typeof raw !== "object")
        return { value: null, foreign: null };
    const s = raw as Partial<Saved<unknown>>;
    if (typeof s.savedOn === "string" && "value" in s) {
        if (s.savedOn !== thisPageHost())
            return { value: null, foreign: s.savedOn };
        const v = accept(s.value);
        return v === null ? { value: null, foreign: null } : { value: v, foreign: null };
    }
    const legacy = accept(raw);
    return legacy === null ? { value: null, foreign: null } : { value: legacy, foreign: null };
}

export function save<T>(key: string, value: T): void {
    const s: Saved<T> = { savedOn: thisPageHost(), value };
    localStorage.setItem(key, JSON.stringify(s));
}
