/*
 * departed.json on this host: written when a migration from here ends, read by the VM list to name the VMs that
 * left. It is root's alone, like the preparation's record: a page without administrative access does not see it.
 */
import { _, format } from "../lib/cockpit";
import { stateFile } from "../host/commands/state-file";
import { type SshTarget, targetLabel } from "../host/ssh-argv";
import { Host, Port, SshUser, hostForUri } from "../host/values";
import type { HostTransport } from "../host/transport";
import { DEPARTURES_BYTES, type Departure, DeparturesFileError, parseDepartures, serializeDepartures, withDeparture, withoutReturned } from "../migration/departures";

const file = stateFile("departed.json");
export const DEPARTURES_FILE = file.path;

/** The VMs that left this host (newest first); empty when none did. Throws, saying why, for a file it cannot use. */
export async function readDepartures(t: HostTransport): Promise<Departure[]> {
    const text = await t.run(file.checkText(), { superuser: true });
    if (text.exitStatus !== 0) {
        if (/No such file/i.test(text.stderr))
            return [];
        throw new Error(format(_("$0 on $1 cannot be read: $2"), DEPARTURES_FILE, t.host, text.stderr.trim()));
    }
    const r = await t.run(file.read(DEPARTURES_BYTES), { superuser: true });
    if (r.exitStatus !== 0)
        throw new Error(format(_("$0 on $1 cannot be read: $2"), DEPARTURES_FILE, t.host, r.stderr.trim()));
    return parseDepartures(r.stdout);
}

async function write(t: HostTransport, list: readonly Departure[]): Promise<void> {
    const steps = [
        { argv: file.mkdir() },
        { argv: file.writeNew(), input: serializeDepartures(list) },
        { argv: file.protectNew() },
        { argv: file.commit() },
    ];
    for (const s of steps) {
        const r = await t.run(s.argv, { superuser: true, ...(s.input !== undefined ? { input: s.input } : {}) });
        if (r.exitStatus !== 0)
            throw new Error(format(_("Could not write $0 on $1: $2"), DEPARTURES_FILE, t.host, r.stderr.trim()));
    }
}

/**
 * Notes on this host that `d.vm` left. A file the page did not write is replaced (it only names where VMs went);
 * one that cannot be read now (a timeout, no access) is left as it is, and the error goes to the caller.
 */
export async function recordDeparture(t: HostTransport, d: Departure): Promise<void> {
    let old: Departure[] = [];
    try {
        old = await readDepartures(t);
    } catch (e) {
        if (!(e instanceof DeparturesFileError))
            throw e;
    }
    await write(t, withDeparture(old, d));
}

/** The VMs that left and do not run here again. */
export async function departedVms(t: HostTransport, runningHere: readonly string[]): Promise<Departure[]> {
    return withoutReturned(await readDepartures(t), runningHere);
}

/** What the migration job calls once a VM left this host for `to`. */
export const departureRecorder = (t: HostTransport, to: SshTarget) => (vm: string, vf: string | null): Promise<void> =>
    recordDeparture(t, { vm, to: { host: to.host, user: to.user, port: to.port }, vf, at: Date.now() });

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
