/*
 * The page's hosts: this one and one per destination (so one SSH connection per host), each with its HostModel,
 * all journaled: every command any view runs lands in the same command log, and changes go to the host's system
 * log. A destination is built from what the admin typed by `destinationFrom`, nowhere else.
 */
import { _, format } from "../lib/cockpit";
import type { Protocol } from "../checks/facts";
import { CommandJournal, cockpitUserName, journaled, journaledInstaller } from "../host/journal";
import { LocalTransport } from "../host/local";
import { SshTransport } from "../host/ssh";
import { DEFAULT_SSH_CONFIG, type SshTarget, targetLabel } from "../host/ssh-argv";
import type { HostTransport } from "../host/transport";
import { Host, Port, SshUser } from "../host/values";
import { packageKitInstaller } from "../host/packagekit";
import type { LibvirtClient } from "../libvirt/client";
import { journaledLibvirt } from "../libvirt/journaled";
import { HostModel } from "./host-model";
import { lastKnownStore } from "./last-known";
import { restore, save } from "./saved";

export const journal = new CommandJournal();

let userName = "unknown user";
let userAsked = false;
function user(): string {
    if (!userAsked) {
        userAsked = true;
        cockpitUserName().then(n => { userName = n }, () => {});
    }
    return userName;
}

const raw = new LocalTransport();
let local: HostTransport | null = null;
let localHostModel: HostModel | null = null;

/** This host (cockpit.spawn), journaled. */
export function localHost(): HostTransport {
    user();
    if (!local)
        local = journaled(raw, journal, user);
    return local;
}

/** This host's model: packages go through PackageKit here. */
export function localModel(): HostModel {
    if (!localHostModel) {
        const m = new HostModel("source", localHost(), {
            installer: localInstaller(),
            installLine: packages => format(_("PackageKit: install $0"), packages.join(" ")),
            lastChange: () => journal.lastChange(localHost().host),
            lastKnown: lastKnownStore("localhost"),
        });
        // the command log names this host as it names itself, not "localhost"
        m.subscribe(s => { if (s.facts?.hostname) journal.nameHost(m.host, s.facts.hostname) });
        localHostModel = m;
    }
    return localHostModel;
}

export interface Destination {
    /** host-key handling (offer, trust, forget: in the command log, trust and forget also in the system log) */
    ssh: SshTransport;
    /** what checks, steps and the migration run through */
    transport: HostTransport;
    /** its facts, refresh and record; packages through `dnf` over SSH */
    model: HostModel;
}

const destinations = new Map<string, Destination>();

/** The destination reached over SSH from this host: the same object (and connection) for the same user@host:port. */
export function destinationHost(target: SshTarget): Destination {
    user();
    const key = targetLabel(target);
    let d = destinations.get(key);
    if (!d) {
        // ssh itself is spawned through the raw local transport: the log shows the command run on the destination;
        // host-key first contact, trust and forget run on this host, through its journaled transport
        const ssh = new SshTransport(target, raw, DEFAULT_SSH_CONFIG, localHost());
        const transport = journaled(ssh, journal, user);
        d = {
            ssh, transport,
            model: new HostModel("destination", transport, { ssh, lastChange: () => journal.lastChange(transport.host), lastKnown: lastKnownStore(key) }),
        };
        destinations.set(key, d);
    }
    return d;
}

/** What the admin types for a destination. */
export interface DestinationInput {
    host: string;
    user: string;
    /** the SSH port as typed; empty or absent: 22 */
    port?: string;
    /** how the source's libvirtd reaches the destination's */
    protocol: Protocol;
}

/** SSH's own port, when the admin names none */
export const SSH_PORT = 22;

const portOf = (p: string | number | undefined): Port => Port.of(p === undefined || p === "" ? SSH_PORT : typeof p === "string" ? p.trim() : p);

/**
 * The destination for what the admin typed (user root when empty, port 22 when empty). Throws the value's
 * ValueError (its `field` names the input at fault: host, ssh-user or port; its message says why) for a host, user
 * or port that cannot be one.
 */
export function destinationFrom(input: { host: string; user: string; port?: string | number }): Destination {
    return destinationHost(targetOf(input));
}

const targetOf = (input: { host: string; user: string; port?: string | number }): SshTarget =>
    ({ host: Host.of(input.host), user: SshUser.of(input.user || "root"), port: portOf(input.port) });

/** Two destinations, as typed or as kept, that name the same SSH login; one that cannot be a destination is no other's. */
export function sameDestination(a: { host: string; user: string; port?: string | number }, b: { host: string; user: string; port?: string | number }): boolean {
    const label = (d: typeof a) => { try { return targetLabel(targetOf(d)) } catch { return null } };
    const la = label(a);
    return la !== null && la === label(b);
}

/** The SSH user field as typed: what is wrong with it (empty: the user to type), or null. */
export function sshUserError(user: string): string | null {
    const u = user.trim();
    if (u === "")
        return _("Enter the SSH user to log in as, such as root");
    const r = SshUser.parse(u);
    return r.ok ? null : r.error.message;
}

/**
 * `user@host` typed in the host field: the user belongs in the SSH user field. Moved there when that field is empty
 * or holds the same user or the default (root); refused when it names another user, since one of them is a mistake.
 */
export function splitLogin(v: { host: string; user: string }):
    { host: string; user: string; moved: string | null } | { error: string } {
    const at = v.host.lastIndexOf("@");
    if (at < 0)
        return { host: v.host, user: v.user, moved: null };
    const login = v.host.slice(0, at).trim();
    const user = v.user.trim();
    if (user !== "" && user !== "root" && user !== login)
        return { error: format(_("“$0” names the user $1, but the SSH user field says $2: keep one of them"), v.host, login, user) };
    return { host: v.host.slice(at + 1), user: login, moved: login };
}

/** What is wrong with a destination given (a link's host, user or port), or null when it can be one. */
export function destinationError(input: { host: string; user: string; port?: string | number }): string | null {
    try {
        destinationFrom(input);
        return null;
    } catch (e) {
        return e instanceof Error ? e.message : String(e);
    }
}

/** The destination for a valid choice, else null: an invalid one never reaches a command. */
export function destinationOrNull(input: { host: string; user: string; port?: string | number } | null): Destination | null {
    if (!input)
        return null;
    try {
        return destinationFrom(input);
    } catch {
        return null;
    }
}

/** This host's or a destination's model, by its transport; a model of its own for any other transport. */
const others = new WeakMap<HostTransport, HostModel>();
export function modelOf(t: HostTransport): HostModel {
    if (t === local)
        return localModel();
    for (const d of destinations.values())
        if (d.transport === t)
            return d.model;
    let m = others.get(t);
    if (!m) {
        m = new HostModel("destination", t);
        others.set(t, m);
    }
    return m;
}

export const DESTINATION_KEY = "vf-migration:destination";

/**
 * What the status page or the wizard last connected to from this host (the two share it); SSH as root by default.
 * A destination saved by this browser on another host's page is not offered here.
 */
export function savedDestination(): DestinationInput {
    const r = restore(DESTINATION_KEY, raw => {
        const v = raw as Partial<DestinationInput>;
        return typeof v.host === "string" && typeof v.user === "string"
            ? { host: v.host, user: v.user, port: typeof v.port === "string" ? v.port : "",
                protocol: v.protocol === "tls" || v.protocol === "tcp" ? v.protocol : "ssh" as Protocol }
            : null;
    });
    return r.value ?? { host: "", user: "root", port: "", protocol: "ssh" };
}

export function saveDestination(d: DestinationInput): void {
    save(DESTINATION_KEY, d);
}

/**
 * libvirt-dbus on this host, journaled: its calls in the command log, its changes in this host's system log and,
 * for the migration, in the system log of `peer()` (the destination's SSH transport).
 */
export function localLibvirt(peer?: () => HostTransport | null): LibvirtClient {
    user();
    return journaledLibvirt({ journal, host: raw, user, ...(peer ? { peer } : {}) });
}

/** PackageKit on this host, journaled like a `dnf` command. */
export function localInstaller(): typeof packageKitInstaller {
    user();
    return journaledInstaller(packageKitInstaller, raw, journal, user);
}
