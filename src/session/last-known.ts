/*
 * The last full reading of a host, kept in the browser (saved.ts: per host of this page, machine-id included), so
 * that the status page shows the last known verdicts at once, marked with their age, while it reads the host again.
 * For showing only: nothing decides on them (the wizard and the preparation wait for a fresh reading).
 */
import type { HostFacts } from "../checks/facts";
import { restore, save } from "./saved";

export interface LastKnown {
    facts: HostFacts;
    /** when the reading ended (ms since the epoch) */
    at: number;
}

export interface LastKnownStore {
    read(): LastKnown | null;
    write(k: LastKnown): void;
    /** the host's key changed: what was read under the old one is not shown again */
    forget(): void;
}

/**
 * The facts' shape as this version of the page writes them: a reading kept by another version is not shown (its
 * fields may not be the ones the checks read). Raise it whenever HostFacts changes.
 */
export const FACTS_FORMAT = 4;

const keyOf = (host: string) => `vf-migration:last-known:${host}`;

function accept(v: unknown): LastKnown | null {
    if (typeof v !== "object" || v === null)
        return null;
    const o = v as { format?: unknown; at?: unknown; facts?: unknown };
    if (o.format !== FACTS_FORMAT || typeof o.at !== "number" || !Number.isSafeInteger(o.at))
        return null;
    const facts = o.facts as Partial<HostFacts> | null;
    if (typeof facts !== "object" || facts === null || typeof facts.host !== "string" || typeof facts.nics !== "object")
        return null;
    return { facts: facts as HostFacts, at: o.at };
}

/** The last reading of `host` (as the transport names it), kept in this browser. */
export function lastKnownStore(host: string): LastKnownStore {
    return {
        read: () => {
            try {
                return restore(keyOf(host), accept).value;
            } catch {
                return null;
            }
        },
        write: k => {
            try {
                save(keyOf(host), { format: FACTS_FORMAT, ...k });
            } catch {
                // storage full or refused: the next visit reads the host without a last known reading
            }
        },
        forget: () => {
            try {
                localStorage.removeItem(keyOf(host));
            } catch {
                // storage refused: nothing was kept either
            }
        },
    };
}
