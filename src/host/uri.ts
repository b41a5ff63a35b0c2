/*
 * libvirt connection URIs and the QEMU migration URI, from validated parts only.
 * SSH: qemu+ssh://[user@]host[:port]/system — libvirt runs the local `ssh` as root, so it trusts the same
 * /root/.ssh/known_hosts that src/host/ssh.ts writes on first contact.
 * TLS 16514, TCP 16509 (the RHEL text swaps them; libvirt's defaults are these).
 */
import { Host, Port, SshUser, hostForUri } from "./values";

export type LibvirtTransport = "ssh" | "tls" | "tcp";

export function libvirtUri(o: { transport: LibvirtTransport; host: Host; user?: SshUser; port?: Port }): string {
    if (!["ssh", "tls", "tcp"].includes(o.transport))
        throw new Error(`unknown libvirt transport ${String(o.transport)}`);
    const user = o.user !== undefined && o.transport === "ssh" ? `${SshUser.of(o.user)}@` : "";
    const port = o.port !== undefined ? `:${Port.of(o.port)}` : "";
    return `qemu+${o.transport}://${user}${hostForUri(Host.of(o.host))}${port}/system`;
}

/** QEMU's migration stream: tcp://addr[:port] (port in 49152–49215 by default when omitted). */
export function migrationUri(host: Host, port?: Port): string {
    return `tcp://${hostForUri(Host.of(host))}${port !== undefined ? `:${Port.of(port)}` : ""}`;
}
