/*
 * What the page keeps in the browser (localStorage) between visits. Cockpit serves the pages of every host of its
 * host switcher from one origin, so one browser's storage is shared by the pages of several hosts: each value is
 * saved with the host it belongs to and read back only on that host. The host is known by the name Cockpit reaches
 * it under and, once read, by its machine-id and hostname: two machines reached under one name (a reinstalled
 * host, a name moved to another machine) do not share what was saved.
 */
import { cockpit } from "../lib/cockpit";

/** How Cockpit reaches the host this page runs on: "localhost", or the host chosen in Cockpit's host switcher. */
export const thisPageHost = (): string => cockpit().transport.host || "localhost";

export interface HostIdentity {
    machineId: string;
    hostname: string;
}

let identity: HostIdentity | null = null;

const MACHINE_ID = /^[0-9a-f]{32}$/;

/** This host's machine-id and hostname, once read (null before, or when unreadable). */
export const hostIdentity = (): HostIdentity | null => identity;

/**
 * Reads this host's machine-id and hostname (once, before the page restores anything). Unreadable or malformed,
 * the identity stays unknown and values are matched by Cockpit's name for the host alone.
 */
export async function loadHostIdentity(): Promise<HostIdentity | null> {
    const read = async (path: string) => {
        const f = cockpit().file(path);
        try {
            return ((await f.read()) ?? "").trim();
        } finally {
            f.close();
        }
    };
    try {
        const [machineId, hostname] = await Promise.all([read("/etc/machine-id"), read("/proc/sys/kernel/hostname")]);
        identity = MACHINE_ID.test(machineId) ? { machineId, hostname } : null;
    } catch {
        identity = null;
    }
    return identity;
}

interface Saved<T> {
    savedOn: string;
    machineId?: string;
    hostname?: string;
    value: T;
}

export type Restored<T> = { value: T; foreign: null } | { value: null; foreign: string | null };

const nothing = { value: null, foreign: null } as const;

/** The host a saved value belongs to, when it is not this one: named as the admin knows it. */
function foreignOf(s: Partial<Saved<unknown>>): string | null {
    if (s.savedOn !== thisPageHost())
        return s.savedOn ?? null;
    if (identity && typeof s.machineId === "string" && s.machineId !== identity.machineId)
        return typeof s.hostname === "string" && s.hostname !== "" ? s.hostname : `${s.savedOn} (machine-id ${s.machineId})`;
    return null;
}

/**
 * The value saved under `key` on this page's host. A value saved on another host is not restored: `foreign` names
 * that host. A value saved before values were keyed by host (no `savedOn`) counts as this host's.
 */
export function restore<T>(key: string, accept: (v: unknown) => T | null): Restored<T> {
    let raw: unknown;
    try {
        raw = JSON.parse(localStorage.getItem(key) ?? "null");
    } catch {
        return nothing;
    }
    if (raw === null || typeof raw !== "object")
        return nothing;
    const s = raw as Partial<Saved<unknown>>;
    const keyed = typeof s.savedOn === "string" && "value" in s;
    if (keyed) {
        const foreign = foreignOf(s);
        if (foreign !== null)
            return { value: null, foreign };
    }
    const v = accept(keyed ? s.value : raw);
    return v === null ? nothing : { value: v, foreign: null };
}

/**
 * A key of its own for this page's host, for what one host's page must neither show nor overwrite for another
 * (a run under way there): under one key, the last host saved would erase the others'.
 */
export const perHostKey = (base: string): string => `${base}:${thisPageHost()}`;

export function save<T>(key: string, value: T): void {
    const s: Saved<T> = { savedOn: thisPageHost(), ...(identity ?? {}), value };
    localStorage.setItem(key, JSON.stringify(s));
}
