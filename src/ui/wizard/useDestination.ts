/*
 * The hosts the wizard works on: this one (cockpit.spawn, libvirt-dbus) and the destination over SSH as root's
 * SSH, one transport per user@host (session/hosts.ts). The destination typed here is also the status page's, so
 * each page opens with what the other last used.
 */
import { useEffect, useMemo } from "react";
import { type HostTransport } from "../../session/input";
import { type LibvirtClient } from "../../session/vms";
import { type Destination, destinationOrNull, localHost, localLibvirt } from "../../session/hosts";
import type { WizardDestination } from "./types";

export { DESTINATION_KEY, saveDestination, savedDestination } from "../../session/hosts";

/** The (shared, journaled) destination for a valid choice, else null (an invalid one never reaches a command). */
export const sshTo = (d: WizardDestination | null): Destination | null => destinationOrNull(d);

/**
 * A session model made for this stage from `deps`, opened when the stage shows and closed when it goes (or when
 * `deps` change and a new one is made). The model does the work; the stage subscribes and renders.
 */
export function useOpened<M extends { open(): Promise<unknown>; close(): void }>(make: () => M, deps: readonly unknown[]): M {
    const model = useMemo(make, deps); // eslint-disable-line react-hooks/exhaustive-deps
    useEffect(() => {
        void model.open();
        return () => model.close();
    }, [model]);
    return model;
}

/**
 * This host, the destination (commands through `ssh`, host keys through `keys`) and a libvirt-dbus client,
 * stable while the destination stays the same.
 */
export function useWizardHosts(d: WizardDestination | null): { local: HostTransport; ssh: HostTransport | null; libvirt: LibvirtClient } {
    const local = useMemo(localHost, []);
    const host = d?.host ?? null;
    const user = d?.user ?? null;
    const port = d?.port ?? "";
    const ssh = useMemo(() => sshTo(host === null ? null : { host, user: user ?? "root", port, protocol: "ssh" })?.transport ?? null,
                        [host, user, port]);
    const libvirt = useMemo(() => localLibvirt(), []);
    useEffect(() => () => libvirt.closeWhenIdle(), [libvirt]);
    return { local, ssh, libvirt };
}
