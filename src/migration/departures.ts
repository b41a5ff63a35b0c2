/*
 * The VMs that left this host through the page, kept on this host (departed.json) so that its VM list still names
 * them, with where they went. The file is host data like any other: read back, every field is checked as its
 * value type, and anything else is refused with what was wrong.
 */
import { _, format } from "../lib/cockpit";
import { Host, IpAddress, PciAddress, Port, type Result, SshUser, VmName, shown } from "../host/values";
import type { ReachBefore } from "./guest-reach";

export interface Departure {
    vm: string;
    /** the destination as the page reached it */
    to: { host: string; user: string; port: number };
    /** the destination VF it took, when known */
    vf: string | null;
    /** when the migration ended, or when it started if the page did not see it end (ms since the epoch) */
    at: number;
    /**
     * false: the page started the migration and no page followed it to its end (closed meanwhile). Written when
     * the call is made, so that a VM that left while no page watched is still named; files written before this
     * field existed held ended migrations only.
     */
    ended: boolean;
    /** the guest pinged from this host on its VF's network right before the call, when the admin gave its address */
    reach?: ReachBefore;
}

/** Entries kept at most (the newest): a record of where VMs went, not a history. */
export const DEPARTURES_MAX = 32;
/** Bytes of departed.json read at most. */
export const DEPARTURES_BYTES = 64 * 1024;

type Obj = Record<string, unknown>;

/** departed.json holds something this page did not write. */
export class DeparturesFileError extends Error {}

function entry(raw: unknown, i: number): Departure {
    const where = (message: string) => new DeparturesFileError(format(_("departed.json, entry $0: $1"), i + 1, message));
    const value = <T>(r: Result<T>): T => {
        if (!r.ok)
            throw where(r.error.message);
        return r.value;
    };
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        throw where(_("not an object"));
    const o = raw as Obj;
    const to = (typeof o.to === "object" && o.to !== null ? o.to : {}) as Obj;
    if (typeof o.at !== "number" || !Number.isSafeInteger(o.at) || o.at < 0)
        throw where(format(_("the time $0 is not a number of milliseconds"), shown(o.at)));
    if (o.ended !== undefined && typeof o.ended !== "boolean")
        throw where(format(_("“ended” is $0, not true or false"), shown(o.ended)));
    const reach = o.reach === undefined ? undefined : (typeof o.reach === "object" && o.reach !== null ? o.reach : {}) as Obj;
    if (reach && typeof reach.answered !== "boolean")
        throw where(format(_("“answered” is $0, not true or false"), shown(reach.answered)));
    if (reach && (typeof reach.at !== "number" || !Number.isSafeInteger(reach.at) || reach.at < 0))
        throw where(format(_("the time $0 is not a number of milliseconds"), shown(reach.at)));
    return {
        vm: value(VmName.parse(o.vm)),
        to: { host: value(Host.parse(to.host)), user: value(SshUser.parse(to.user)), port: value(Port.parse(to.port)) },
        vf: o.vf === null ? null : value(PciAddress.parse(o.vf)),
        at: o.at,
        ended: o.ended !== false,
        ...(reach ? { reach: { address: value(IpAddress.parse(reach.address)), answered: reach.answered as boolean, at: reach.at as number } } : {}),
    };
}

/** departed.json as the page wrote it; throws, saying what was wrong, for anything else. */
export function parseDepartures(text: string): Departure[] {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new DeparturesFileError(format(_("departed.json is not JSON: $0"), (e as Error).message));
    }
    const list = (raw as Obj | null)?.departed;
    if (!Array.isArray(list) || (raw as Obj).version !== 1)
        throw new DeparturesFileError(_("departed.json is not a list of departed VMs written by this page"));
    return list.slice(0, DEPARTURES_MAX).map(entry);
}

export const serializeDepartures = (list: readonly Departure[]): string =>
    JSON.stringify({ version: 1, departed: list.slice(0, DEPARTURES_MAX) }, null, 1) + "\n";

/** The list with `d` first: an older entry for the same VM goes (it left again). */
export const withDeparture = (list: readonly Departure[], d: Departure): Departure[] =>
    [d, ...list.filter(x => x.vm !== d.vm)].slice(0, DEPARTURES_MAX);

/**
 * The list without `vm`: its migration failed or was cancelled, and it did not leave. With `notAfter`, only a note
 * made then or before goes: a newer start's note (the same VM started again meanwhile) stays.
 */
export const withoutVm = (list: readonly Departure[], vm: string, notAfter = Infinity): Departure[] =>
    list.filter(d => d.vm !== vm || d.at > notAfter);

/** The list without the VMs that run on this host again (they came back). */
export const withoutReturned = (list: readonly Departure[], here: readonly string[]): Departure[] =>
    list.filter(d => !here.includes(d.vm));
