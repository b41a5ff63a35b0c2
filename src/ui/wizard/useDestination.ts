/*
 * The hosts the wizard works on: this one (cockpit.spawn, libvirt-dbus) and the destination over SSH as root's
 * SSH, one transport per user@host. The destination typed here is also the status page's (same localStorage key),
 * so each page opens with what the other last used.
 */
import { useEffect, useMemo } from "react";
import type { HostTransport } from "../../host/transport";
import { Host, Port, SshUser } from "../../host/values";
import type { LibvirtClient } from "../../libvirt/client";
import { type Destination, destinationHost, localHost, localLibvirt } from "../hosts";
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

/** The (shared, journaled) destination for a valid choice, else null (an invalid one never reaches a command). */
export function sshTo(d: WizardDestination | null): Destination | null {
    if (!d)
        return null;
    const host = Host.parse(d.host);
    const user = SshUser.parse(d.user || "root");
    if (!host.ok || !user.ok)
        return null;
    return destinationHost({ host: host.value, user: user.value, port: Port.of(22) });
}

/**
 * This host, the destination (commands through `ssh`, host keys through `keys`) and a libvirt-dbus client,
 * stable while the destination stays the same.
 */
export function useWizardHosts(d: WizardDestination | null): { local: HostTransport; ssh: HostTransport | null; libvirt: LibvirtClient } {
    const local = useMemo(localHost, []);
    const host = d?.host ?? null;
    const user = d?.user ?? null;
    const ssh = useMemo(() => sshTo(host === null ? null : { host, user: user ?? "root", protocol: "ssh" })?.transport ?? null, [host, user]);
    const libvirt = useMemo(() => localLibvirt(), []);
    useEffect(() => () => libvirt.close(), [libvirt]);
    return { local, ssh, libvirt };
}
