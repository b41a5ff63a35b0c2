# Shared by the test/simhost commands (sourced, bash). Paths and small helpers; no side effects on load.
# Without a subshell: test/simhost/exec sources this for every command the tests run in a host (thousands per
# run), and each fork costs about 5 ms on the 2-core CI machine.
_caller_pwd=$PWD
cd -P "${BASH_SOURCE[0]%/*}/.." && SIMHOST=$PWD && cd -P .. && cd -P .. && REPO=$PWD
cd "$_caller_pwd" || exit 1
unset _caller_pwd
VFSIM_RUN=${VFSIM_RUN:-/run/vfsim}             # state of the pair, in the root namespace
VFSIM_CACHE=${VFSIM_CACHE:-/var/cache/vfsim}   # guest kernel and initrd, kept across runs
HOSTS=(source destination)
# Cockpit as the browser on this machine reaches it (forwarded to the source's 192.0.2.1:9090 / :9091, and to the
# destination's :9091: either host can drive a migration)
VFSIM_PORT_LOGIN=${VFSIM_PORT_LOGIN:-9092}
VFSIM_PORT_ROOT=${VFSIM_PORT_ROOT:-9091}
VFSIM_PORT_PEER_ROOT=${VFSIM_PORT_PEER_ROOT:-9093}
LAN_BRIDGE=vfsim-lan
LAN_ADMIN_ADDR=192.0.2.254/24                  # "the admin's workstation", in the lan namespace (lib/net.sh)
HOST_PATH=/usr/sbin:/usr/bin:/sbin:/bin

# Whatever this command starts must not inherit a caller's descriptors beyond stdio: a daemon holding a
# `flock FILE test/simhost/up` lock descriptor would keep that lock for the pair's whole life.
for _fd in /proc/$$/fd/*; do
    _fd=${_fd##*/}
    [ "$_fd" -gt 2 ] 2>/dev/null && [ "$_fd" != 255 ] && eval "exec $_fd>&-" 2>/dev/null
done
unset _fd

die() { echo "simhost: $*" >&2; exit 1; }
log() { echo "simhost: $*" >&2; }

check_host() { case "$1" in source|destination) ;; *) die "unknown host '$1' (source or destination)";; esac; }

# HOLDER= the PID of the process that keeps a host's namespaces alive (empty if the host is not up)
find_holder() {
    local m=
    HOLDER=
    { read -r HOLDER <"$VFSIM_RUN/$1/holder.pid" && read -r m <"$VFSIM_RUN/$1/ns.mnt"; } 2>/dev/null || true
    if [ -z "$HOLDER" ] || [ "$(readlink "/proc/$HOLDER/ns/mnt" 2>/dev/null)" != "$m" ]; then HOLDER=; fi
}
holder() { find_holder "$1"; [ -z "$HOLDER" ] || echo "$HOLDER"; }

ns_unshared() { [ "$(readlink "/proc/$1/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]; }
net_unshared() { [ "$(readlink "/proc/$1/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }

need_up() { find_holder "$1"; [ -n "$HOLDER" ] || die "host '$1' is not up (run test/simhost/up SCENARIO)"; }

# Run a command inside a host (mount, network and UTS namespaces), with the environment Cockpit gives programs.
in_host() {
    local h=$1; shift
    find_holder "$h"
    [ -n "$HOLDER" ] || { log "host '$h' is not up (run test/simhost/up SCENARIO)"; return 1; }
    nsenter -t "$HOLDER" -m -n -u -- /usr/bin/env -i PATH=$HOST_PATH HOME=/root LANG=C.UTF-8 USER=root \
        LOGNAME=root VFSIM_HOST="$h" ${VFSIM_TIMING_SCALE:+VFSIM_TIMING_SCALE="$VFSIM_TIMING_SCALE"} "$@"
}

# Wait up to $2 seconds for a command to succeed.
wait_for() {
    local what=$1 secs=$2; shift 2
    local end=$((SECONDS + secs))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || { log "timed out waiting for $what"; return 1; }
        sleep 0.2
    done
}

# A process that still runs (a zombie waits only for its parent, which may be PID 1, to reap it)
running() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ -n "$st" ] && [ "${st%% *}" != Z ]; }
# the process group of a PID
pgid_of() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && echo "$st" | cut -d' ' -f3; }

# Every PID whose mount or network namespace is the host's (recorded at `up`, so it works after the holder died)
host_pids() {
    local mnt net p
    mnt=$(cat "$VFSIM_RUN/$1/ns.mnt" 2>/dev/null) && [ -n "$mnt" ] || return 0
    net=$(cat "$VFSIM_RUN/$1/ns.net" 2>/dev/null)
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [ "$p" = $$ ] && continue
        case "$(readlink /proc/$p/ns/mnt 2>/dev/null) $(readlink /proc/$p/ns/net 2>/dev/null)" in
            "$mnt "*|*" $net") echo "$p";;
        esac
    done
}

# Run a hook of the hw/services layers inside the host if it exists: hook HOST LAYER NAME
run_hook() {
    local h=$1 layer=$2 name=$3 f=$SIMHOST/$2/$3
    [ -x "$f" ] || return 0
    log "$h: $layer/$name"
    in_host "$h" "$f" "$h" >>"$VFSIM_RUN/$h/logs/hook-$layer-$name.log" 2>&1 \
        || { log "$h: $layer/$name failed (see $VFSIM_RUN/$h/logs/hook-$layer-$name.log)"; return 1; }
}
