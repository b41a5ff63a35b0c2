/*
 * departed.json on this host: written when a migration from here starts and again when it ends, read by the VM list
 * to name the VMs that left. It is root's alone, like the preparation's record: a page without administrative access does not see it.
 */
import { _, format } from "../lib/cockpit";
import { stateFile } from "../host/commands/state-file";
import { type SshTarget, targetLabel } from "../host/ssh-argv";
import { Host, Port, SshUser, hostForUri } from "../host/values";
import type { HostTransport } from "../host/transport";
import { StateFileUnreadable, readStateFile, swapStateFile, writeStateFile } from "../host/state-io";
import {
    DEPARTURES_BYTES, type Departure, DeparturesFileError, parseDepartures, serializeDepartures, withDeparture, withoutReturned, withoutVm,
} from "../migration/departures";
import type { ReachBefore } from "../migration/guest-reach";

const file = stateFile("departed.json");
export const DEPARTURES_FILE = file.path;

/** The file's text, null when there is none. Throws DeparturesFileError for one there that is not text. */
async function readText(t: HostTransport): Promise<string | null> {
    try {
        return await readStateFile(t, file, DEPARTURES_BYTES);
    } catch (e) {
        // there but not text (bytes that are not UTF-8, a folder): a file the page did not write, replaced at the next note
        throw e instanceof StateFileUnreadable ? new DeparturesFileError(format(_("$0 on $1 cannot be read: $2"), DEPARTURES_FILE, t.host, e.problem)) : e;
    }
}

/** The VMs that left this host (newest first); empty when none did. Throws, saying why, for a file it cannot use. */
export async function readDepartures(t: HostTransport): Promise<Departure[]> {
    const text = await readText(t);
    return text === null ? [] : parseDepartures(text);
}

/**
 * Notes on this host that `d.vm` left. A file the page did not write is replaced (it only names where VMs went);
 * one that cannot be read now (a timeout, no access) is left as it is, and the error goes to the caller.
 */
export async function recordDeparture(t: HostTransport, d: Departure): Promise<void> {
    await rewrite(t, old => withDeparture(old, d));
}

/**
 * Applies `change` to the file; resolves with the text written. `seen`: the file's text as this writer last wrote
 * it (null: none), so that the file is written in one command if nobody changed it since; otherwise it is read first.
 */
async function rewrite(t: HostTransport, change: (old: Departure[]) => Departure[], seen?: string | null): Promise<string> {
    // a file the page did not write (not text, not the page's JSON, or over the size read): nothing in it to keep
    // or to compare with, it is replaced
    const replace = async () => {
        const text = serializeDepartures(change([]));
        await writeStateFile(t, file, text);
        return text;
    };
    let known = seen;
    for (let tries = 0; tries < 3; tries++) {
        let old: Departure[];
        try {
            if (known === undefined)
                known = await readText(t);
            old = known === null ? [] : parseDepartures(known);
        } catch (e) {
            if (!(e instanceof DeparturesFileError))
                throw e;
            return replace();
        }
        const text = serializeDepartures(change(old));
        if (await swapStateFile(t, file, known, text))
            return text;
        // another page wrote it meanwhile: read again, and apply the change to what it wrote
        known = undefined;
    }
    throw new Error(format(_("$0 on $1 kept changing while the page wrote it"), DEPARTURES_FILE, t.host));
}

/**
 * What the latest note of `vm` keeps of the ping from this host before its call, if it is the ping made at `at` (the
 * wizard's own: a note from an earlier migration of the same VM is not about this one); null otherwise. Throws when
 * the file cannot be read, saying why.
 */
export const reachBeforeOf = (t: HostTransport, vm: string, at: number): Promise<ReachBefore | null> =>
    readDepartures(t).then(list => { const r = list.find(d => d.vm === vm)?.reach; return r?.at === at ? r : null });

/** The VMs that left and do not run here again. */
export async function departedVms(t: HostTransport, runningHere: readonly string[]): Promise<Departure[]> {
    return withoutReturned(await readDepartures(t), runningHere);
}

/** What the migration job notes on this host as a migration to another host starts and ends. */
export interface DepartureRecorder {
    /**
     * the call is made: noted as not ended, so that the VM is named even if no page follows it to its end; with
     * what a ping of the guest from this host found right before (kept through its end, for the verification)
     */
    started(vm: string, vf: string | null, reach?: ReachBefore): Promise<void>;
    /** the VM left */
    ended(vm: string, vf: string | null): Promise<void>;
    /**
     * the migration failed or was cancelled, or its call was never made: the VM did not leave. With `since` (a time
     * taken right after `started`), a note written by a newer start of the same VM stays.
     */
    stayed(vm: string, since?: number): Promise<void>;
    /** a note is coming: the file is read now, so that its write is one command */
    warm?(): void;
}

/**
 * Notes about migrations from this host to `to`, applied in the order they were asked for. One write at a time;
 * the notes asked for during a write go together into the next one (an evacuation's ends and starts come in bursts).
 * After its first, each write is one command, unless another page changed the file since.
 */
export function departureRecorder(t: HostTransport, to: SshTarget): DepartureRecorder {
    type Asked = { change: (old: Departure[]) => Departure[]; done: (e?: unknown) => void };
    let queue: Asked[] = [];
    let writing = false;
    /** the text this recorder last wrote; undefined: read the file first */
    let seen: string | null | undefined;
    /** the file as read by warm(), for the first write; the write checks it still holds that */
    let first: Promise<string | null | undefined> | null = null;
    const drain = async () => {
        if (first) {
            seen = await first;
            first = null;
        }
        while (queue.length > 0) {
            const batch = queue;
            queue = [];
            let failure: unknown;
            try {
                seen = await rewrite(t, old => batch.reduce((list, a) => a.change(list), old), seen);
            } catch (e) {
                seen = undefined;
                failure = e ?? new Error("write failed");
            }
            for (const a of batch)
                a.done(failure);
        }
        writing = false;
    };
    const inTurn = (change: (old: Departure[]) => Departure[]): Promise<void> => new Promise((resolve, reject) => {
        queue.push({ change, done: e => (e === undefined ? resolve() : reject(e)) });
        if (!writing) {
            writing = true;
            // the notes asked for in the same turn of the event loop share the first write: in an evacuation, the end
            // of one VM and the start of the next it lets go (its plan and VFs read ahead)
            setTimeout(() => void drain(), 0);
        }
    });
    const entry = (vm: string, vf: string | null, ended: boolean, reach?: ReachBefore): Departure =>
        ({ vm, to: { host: to.host, user: to.user, port: to.port }, vf, at: Date.now(), ended, ...(reach ? { reach } : {}) });
    return {
        // the entry is made as the call is asked for, not when its turn comes: its time is what `stayed` compares
        started: (vm, vf, reach) => { const e = entry(vm, vf, false, reach); return inTurn(old => withDeparture(old, e)) },
        // the start's ping stays with the VM: the verification compares with it
        ended: (vm, vf) => inTurn(old => withDeparture(old, entry(vm, vf, true, old.find(d => d.vm === vm)?.reach))),
        stayed: (vm, since) => inTurn(old => withoutVm(old, vm, since)),
        warm: () => {
            if (seen === undefined && !first && !writing)
                first = readText(t).catch(() => undefined);
        },
    };
}

/** Where a VM went, as the command log names hosts: user@host, an IPv6 address in brackets, :port off 22. */
export const departureLogin = (d: Departure): string =>
    targetLabel({ host: Host.of(d.to.host), user: SshUser.of(d.to.user), port: Port.of(d.to.port) });

/** The port Cockpit's web service listens on unless its admin changed it (cockpit.socket). */
export const COCKPIT_PORT = 9090;

/**
 * The wizard on the host the VM went to, with the VM and this host already chosen: the way back runs from there,
 * as a migration always runs from the host that holds the VM. `thisHost`: this host's name as the peer reaches it.
 */
export function bringBackUrl(d: Departure, thisHost: string): string {
    // cockpit.location decodes options with decodeURIComponent ("+" stays "+")
    const options = `vm=${encodeURIComponent(d.vm)}&destination=${encodeURIComponent(thisHost)}`;
    return `https://${hostForUri(Host.of(d.to.host))}:${COCKPIT_PORT}/vf-migration#/migrate?${options}`;
}

/** The evacuation view on the host the VMs went to, with this host as its destination and these VMs alone: all back at once. */
export function evacuateBackUrl(to: string, thisHost: string, vms: readonly string[], plain = false): string {
    // plain=1: some moved without a VF, and come back the same way
    const options = `destination=${encodeURIComponent(thisHost)}&vms=${encodeURIComponent(vms.join(","))}${plain ? "&plain=1" : ""}`;
    return `https://${hostForUri(Host.of(to))}:${COCKPIT_PORT}/vf-migration#/evacuate?${options}`;
}
