/*
 * The hosts the wizard works on: this one (cockpit.spawn, libvirt-dbus) and the destination over SSH as root's
 * SSH, one transport per user@host. The destination typed here is also the status page's (same localStorage key),
 * so each page opens with what the other last used.
 */
import { useEffect, useMemo } from "react";
import { LocalTransport } from "../../host/local";
import { SshTransport } from "../../host/ssh";
import { DEFAULT_SSH_CONFIG } from "../../host/ssh-argv";
import { Host, Port, SshUser } from "../../host/values";
import { LibvirtClient } from "../../libvirt/client";
import type { WizardDestination } from "./types";

export const DESTINATION_KEY = "vf-migration:destination";

/** What the status page (or the wizard) last connected to; SSH as root by default. */
export function savedDestination(): WizardDestination {
    try {
        const v = JSON.parse(localStorage.getItem(DESTINATION_KEY) ?? "null") as Partial<WizardDestination> | null;
        if (v && typeof v.host === "string" && typeof v.user === "string")
            return { host: v.host, user: v.user, protocol: v.protocol === "tls" || v.protocol === "tcp" ? v.protocol : "ssh" };
    } catch {
        // nothing remembered
    }
    return { host: "", user: "root", protocol: "ssh" };
}

export function saveDestination(d: WizardDestination): void {
    localStorage.setItem(DESTINATION_KEY, JSON.stringify(d));
}

/** An SSH transport to a valid destination, else null (an invalid one never reaches a command). */
export function sshTo(local: LocalTransport, d: WizardDestination | null): SshTransport | null {
    if (!d)
        return null;
    const host = Host.parse(d.host);
    const user = SshUser.parse(d.user || "root");
    if (!host.ok || !user.ok)
        return null;
    return new SshTransport({ host: host.value, user: user.value, port: Port.of(22) }, local, DEFAULT_SSH_CONFIG);
}

/** This host, the destination and a libvirt-dbus client, stable while the destination stays the same. */
export function useWizardHosts(d: WizardDestination | null): { local: LocalTransport; ssh: SshTransport | null; libvirt: LibvirtClient } {
    const local = useMemo(() => new LocalTransport(), []);
    const host = d?.host ?? null;
    const user = d?.user ?? null;
    const ssh = useMemo(() => sshTo(local, host === null ? null : { host, user: user ?? "root", protocol: "ssh" }), [local, host, user]);
    const libvirt = useMemo(() => new LibvirtClient(), []);
    useEffect(() => () => libvirt.close(), [libvirt]);
    return { local, ssh, libvirt };
}
