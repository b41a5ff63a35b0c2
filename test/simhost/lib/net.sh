# Network of the pair (sourced by up/load/down). The pair's LAN is a bridge in a namespace of its own ("lan"),
# holding 192.0.2.254 (the admin's workstation and the hosts' gateway); each host has one veth end on it, named
# and addressed as its scenario says (e.g. the ConnectX-7 PF netdev name when management runs over the PF).
# The root namespace gets no address: this machine's own eth0 may already be in 192.0.2.0/24.

lan_pid() { local p; p=$(cat "$VFSIM_RUN/pair/lan.pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null && echo "$p"; }

lan_up() {
    setsid unshare -n sleep infinity </dev/null >/dev/null 2>&1 &
    local pid=$!
    echo "$pid" >"$VFSIM_RUN/pair/lan.pid"
    wait_for "the lan namespace" 5 net_unshared "$pid"
    readlink "/proc/$pid/ns/net" >"$VFSIM_RUN/pair/ns.net"
    nsenter -t "$pid" -n sh -c "ip link set lo up && ip link add $LAN_BRIDGE type bridge &&
        ip addr add $LAN_ADMIN_ADDR dev $LAN_BRIDGE && ip link set $LAN_BRIDGE up"
}

# host_net HOST: create (once) the host's LAN port, then give it the scenario's name, address and routes.
host_net() {
    local h=$1 pid lan outer=vfsim-${1:0:3} cur r
    pid=$(holder "$h"); lan=$(lan_pid)
    eval "$(/usr/bin/python3 "$SIMHOST/lib/scenario.py" shell "$VFSIM_RUN/$h/scenario.json")"
    if [ ! -s "$VFSIM_RUN/$h/lan-if" ]; then
        nsenter -t "$lan" -n ip link add "$outer" type veth peer name "$outer-in"
        nsenter -t "$lan" -n ip link set "$outer" master "$LAN_BRIDGE" up
        nsenter -t "$lan" -n ip link set "$outer-in" netns "$pid"
        echo "$outer-in" >"$VFSIM_RUN/$h/lan-if"
    fi
    cur=$(cat "$VFSIM_RUN/$h/lan-if")
    if [ "$cur" != "$SC_MGMT_IF" ]; then
        # management over the PF: the hw layer's stand-in netdev of that name (if any) gives way to the LAN port;
        # the hw layer adopts an existing netdev of its PF's name
        nsenter -t "$pid" -n ip link del "$SC_MGMT_IF" 2>/dev/null || true
        nsenter -t "$pid" -n ip link set "$cur" down
        nsenter -t "$pid" -n ip link set "$cur" name "$SC_MGMT_IF"
        echo "$SC_MGMT_IF" >"$VFSIM_RUN/$h/lan-if"
    fi
    if [ "$(nsenter -t "$pid" -n ip -4 -o addr show dev "$SC_MGMT_IF" | awk '{print $4}')" != "$SC_CIDR" ]; then
        nsenter -t "$pid" -n ip addr flush dev "$SC_MGMT_IF"
        nsenter -t "$pid" -n ip addr add "$SC_CIDR" dev "$SC_MGMT_IF"
    fi
    nsenter -t "$pid" -n ip link set "$SC_MGMT_IF" up
    while read -r r; do
        [ -n "$r" ] && nsenter -t "$pid" -n ip route replace $r dev "$SC_MGMT_IF"
    done <<<"$SC_ROUTES"
    # an unreachable host: its LAN port is cut on the LAN's side (the host itself looks normal)
    nsenter -t "$(lan_pid)" -n ip link set "vfsim-${h:0:3}" "$([ -n "$SC_UNREACHABLE" ] && echo down || echo up)"
}

# The browser on this machine reaches the source's Cockpit at 127.0.0.1:PORT: a forwarder in the lan namespace
# listens on a unix socket and connects to the source over the LAN, one in the root namespace relays to it.
forward_cockpit() {
    local port=$1 inner=$2 name=$3 addr=$4 sock=$VFSIM_RUN/pair/$3.sock P=$VFSIM_RUN/pair
    setsid nsenter -t "$(lan_pid)" -n socat "UNIX-LISTEN:$sock,fork" "TCP:$addr:$inner" </dev/null \
        >>"$P/logs/forward-$name.log" 2>&1 &
    echo $! >"$P/pids/forward-lan-$name.pid"
    setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$sock" </dev/null \
        >>"$P/logs/forward-$name.log" 2>&1 &
    echo $! >"$P/pids/forward-$name.pid"
}

# root's ssh trust between the hosts: keys always, known host keys only where the scenario says so
host_ssh_trust() {
    local h=$1 p S=$VFSIM_RUN/$1
    eval "$(/usr/bin/python3 "$SIMHOST/lib/scenario.py" shell "$S/scenario.json")"
    : >"$S/fs/root/.ssh/authorized_keys"
    for p in "${HOSTS[@]}"; do
        [ "$p" = "$h" ] || cat "$VFSIM_RUN/$p/fs/root/.ssh/id_ed25519.pub" >>"$S/fs/root/.ssh/authorized_keys"
    done
    chmod 600 "$S/fs/root/.ssh/authorized_keys"
    rm -f "$S/fs/root/.ssh/known_hosts"
    if [ -n "$SC_SSH_KNOWS_PEER" ]; then
        for p in "${HOSTS[@]}"; do
            [ "$p" = "$h" ] || known_hosts_lines "$p" >>"$S/fs/root/.ssh/known_hosts"
        done
    fi
}

# the known_hosts lines for a host: its names and address, each of its host keys
known_hosts_lines() {
    local S=$VFSIM_RUN/$1 k
    eval "$(/usr/bin/python3 "$SIMHOST/lib/scenario.py" shell "$S/scenario.json")"
    for k in "$S"/fs/etc-lower/ssh/ssh_host_*_key.pub; do
        echo "$SC_HOSTNAME,${SC_HOSTNAME%%.*},$SC_ADDR $(cut -d' ' -f1-2 "$k")"
    done
}
