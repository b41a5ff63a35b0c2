/*
 * Which established TCP connections carry the management of a host, declared once: the status check mgmt-over-pf,
 * the guards of the steps that cut the PF's traffic, and the exports' vfm_mgmt_over (src/steps/lib.sh, given these
 * values) all use it. Ports and process names both count: `ss -p` names the process only for root.
 */

/** Incoming: SSH (an admin's own, and this page's to the destination) and Cockpit (cockpit-tls, or cockpit-ws alone). */
export const MGMT_LOCAL_PORTS = [22, 9090] as const;
/** Outgoing: SSH from this host (this page's to the destination, cockpit-ssh to another host). */
export const MGMT_PEER_PORTS = [22] as const;
/** The same services on other ports (sshd's Port, cockpit.socket's ListenStream changed). */
export const MGMT_PROCESSES = ["sshd", "sshd-session", "cockpit-tls", "cockpit-ws", "cockpit-ssh", "ssh"] as const;

export interface ConnectionLike { localPort: number; peerPort: number; process?: string }

export function isManagementConnection(c: ConnectionLike): boolean {
    return (MGMT_LOCAL_PORTS as readonly number[]).includes(c.localPort) ||
        (MGMT_PEER_PORTS as readonly number[]).includes(c.peerPort) ||
        (c.process !== undefined && (MGMT_PROCESSES as readonly string[]).includes(c.process));
}
