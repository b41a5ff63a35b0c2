/*
 * The page's hosts: one transport for this host and one per destination (so one SSH connection per host), both
 * journaled: every command any view runs lands in the same command log, and changes go to the host's system log.
 */
import { CommandJournal, cockpitUserName, journaled, journaledInstaller } from "../host/journal";
import { LocalTransport } from "../host/local";
import { SshTransport } from "../host/ssh";
import { DEFAULT_SSH_CONFIG, type SshTarget, targetLabel } from "../host/ssh-argv";
import type { HostTransport } from "../host/transport";
import { packageKitInstaller } from "../host/packagekit";
import type { LibvirtClient } from "../libvirt/client";
import { journaledLibvirt } from "../libvirt/journaled";

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

/** This host (cockpit.spawn), journaled. */
export function localHost(): HostTransport {
    user();
    if (!local)
        local = journaled(raw, journal, user);
    return local;
}

export interface Destination {
    /** host-key handling (offer, trust, forget: in the command log, trust and forget also in the system log) */
    ssh: SshTransport;
    /** what checks, steps and the migration run through */
    transport: HostTransport;
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
        d = { ssh, transport: journaled(ssh, journal, user) };
        destinations.set(key, d);
    }
    return d;
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
