/*
 * Which established TCP connections carry the management of a host, declared once: the status check mgmt-over-pf,
 * the guards of the steps that cut the PF's traffic, and the exports' vfm_guard_mgmt (src/steps/lib.sh) all use it,
 * through vfm_mgmt_routes below. Ports and process names both count: `ss -p` names the process only for root.
 */
import { type Argv, makeArgv } from "../host/argv";

/** Incoming: SSH (an admin's own, and this page's to the destination) and Cockpit (cockpit-tls, or cockpit-ws alone). */
export const MGMT_LOCAL_PORTS = [22, 9090] as const;
/** Outgoing: SSH from this host (this page's to the destination, cockpit-ssh to another host). */
export const MGMT_PEER_PORTS = [22] as const;
/** The same services on other ports (sshd's Port, cockpit.socket's ListenStream changed). */
export const MGMT_PROCESSES = ["sshd", "sshd-session", "cockpit-tls", "cockpit-ws", "cockpit-ssh", "ssh"] as const;

/**
 * The management connections, each with the interface the kernel routes it through (`ip route get PEER from LOCAL`:
 * an address on `lo` or a dummy interface, or a route that leaves by another port, is judged where the traffic goes),
 * as one bash function: the status page's probe runs it (mgmtRoutesArgv), the exports' guard calls it (src/steps/lib.sh
 * vfm_mgmt_over). One line per connection: "LOCAL LPORT PEER PPORT PROCESS DEV", PROCESS "-" where ss does not name
 * it (not root; other characters than [A-Za-z0-9_.-] as "_", since any user names its own processes), DEV "-" where
 * ip does not answer. Exit status 1 when ss fails: nothing is known then, not "no connection".
 */
export const MGMT_ROUTES_SH = `vfm_mgmt_routes() {
    local conns l lp r rp p d
    conns=$(ss -H -t -n -p state established) || return 1
    printf '%s\\n' "$conns" |
        awk -v lports=' ${MGMT_LOCAL_PORTS.join(" ")} ' -v pports=' ${MGMT_PEER_PORTS.join(" ")} ' -v procs=' ${MGMT_PROCESSES.join(" ")} ' '
            function host(e) { sub(/:[0-9]+$/, "", e); sub(/%[^%]*$/, "", e); sub(/^\\[/, "", e); sub(/\\]$/, "", e); sub(/^::ffff:/, "", e); return e }
            function scope(e) { if (match(e, /%[^%:]+/)) return substr(e, RSTART + 1, RLENGTH - 1); return "" }
            NF >= 4 { lp = $3; sub(/.*:/, "", lp); rp = $4; sub(/.*:/, "", rp)
              p = ""; if (match($0, /users:\\(\\("[^"]*"/)) p = substr($0, RSTART + 9, RLENGTH - 10)
              gsub(/[^A-Za-z0-9_.-]/, "_", p)
              if (index(lports, " " lp " ") || index(pports, " " rp " ") || (p != "" && index(procs, " " p " ")))
                  print host($3), lp, host($4), rp, (p == "" ? "-" : p), (scope($3) == "" ? "-" : scope($3)) }' |
        while read -r l lp r rp p d; do
            # a link-local address names its interface (ss prints fe80::1%eth0); otherwise the kernel's route
            [ "$d" != - ] || d=$(ip -o route get "$r" from "$l" 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
            [ -n "$d" ] || d=-
            printf '%s %s %s %s %s %s\\n' "$l" "$lp" "$r" "$rp" "$p" "$d"
        done
}`;

export const mgmtRoutesArgv = (): Argv => makeArgv("bash", "-c", `${MGMT_ROUTES_SH}\nvfm_mgmt_routes`);
