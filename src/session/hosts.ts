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
    localHostModel ??= new HostModel("source", localHost(), {
        installer: localInstaller(),
        installLine: packages => format(_("PackageKit: install $0"), packages.join(" ")),
        lastChange: () => journal.lastChange(localHost().host),
    });
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
        d = { ssh, transport, model: new HostModel("destination", transport, { ssh, lastChange: () => journal.lastChange(transport.host) }) };
        destinations.set(key, d);
    }
    return d;
}

/** What the admin types for a destination. */
export interface DestinationInput {
    host: string;
    user: string;
    /** how the source's libvirtd reaches the destination's */
    protocol: Protocol;
}

/** SSH's own port, when the admin names none */
export const SSH_PORT = 22;

/**
 * The destination for what the admin typed (user root when empty). Throws the value's ValueError (its `field`
 * names the input at fault, its message says why) for a host or user that cannot be one.
 */
export function destinationFrom(input: { host: string; user: string; port?: number }): Destination {
    return destinationHost({ host: Host.of(input.host), user: SshUser.of(input.user || "root"), port: Port.of(input.port ?? SSH_PORT) });
}

/** The destination for a valid choice, else null: an invalid one never reaches a command. */
export function destinationOrNull(input: { host: string; user: string; port?: number } | null): Destination | null {
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

/** What the status page or the wizard last connected to (the two share it); SSH as root by default. */
export function savedDestination(): DestinationInput {
    try {
        const v = JSON.parse(localStorage.getItem(DESTINATION_KEY) ?? "null") as Partial<DestinationInput> | null;
        if (v && typeof v.host === "string" && typeof v.user === "string")
            return { host: v.host, user: v.user, protocol: v.protocol === "tls" || v.protocol === "tcp" ? v.protocol : "ssh" };
    } catch {
        // nothing remembered
    }
    return { host: "", user: "root", protocol: "ssh" };
}

export function saveDestination(d: DestinationInput): void {
    localStorage.setItem(DESTINATION_KEY, JSON.stringify(d));
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
