# shellcheck shell=bash
# Helpers (vfm_*) of the exported script and playbook: a step's `done` test reads what the status page's checks
# read. VFs, their devlink ports and representors are found at run time. The VFM_* settings and vfm_mgmt_routes
# come before.
# shellcheck disable=SC2154

vfm_say() { printf '%s\n' "$*"; }
vfm_refuse() { printf 'REFUSED: %s\n' "$*" >&2; exit "$VFM_REFUSED"; }

# mstconfig -e query columns after the parameter's name: 1 Default, 2 Current, 3 Next Boot
VFM_FW=""
vfm_fw_read() { [ -n "$VFM_FW" ] || VFM_FW=$(mstconfig -d "$1" -e query); }
vfm_fw_value() {
    printf '%s\n' "$VFM_FW" | awk -v p="$1" -v c="$2" '{ for (i = 1; i <= NF; i++) if ($i == p && !f) { print $(i + c); f = 1 } }'
}
# vfm_fw_is PF KEY COLUMN NUMBER NAME: the setting is that value (mstconfig prints NAME(NUMBER), NAME or NUMBER)
vfm_fw_is() {
    local v
    vfm_fw_read "$1" || return 1
    v=$(vfm_fw_value "$2" "$3")
    case "$v" in *"($4)"|"$5"|"$4") return 0;; esac
    return 1
}
# vfm_fw_at_least PF KEY COLUMN N: the setting is a number (NUMBER or NAME(NUMBER)) no lower than N
vfm_fw_at_least() {
    local v
    vfm_fw_read "$1" || return 1
    v=$(vfm_fw_value "$2" "$3")
    if [[ "$v" =~ \(([0-9]+)\)$ ]]; then v=${BASH_REMATCH[1]}; fi
    [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge "$4" ]
}
# vfm_fw_has KEY: the query read last (vfm_fw_read) lists KEY
vfm_fw_has() { printf '%s\n' "$VFM_FW" | awk -v p="$1" '{ for (i = 1; i <= NF; i++) if ($i == p) f = 1 } END { exit !f }'; }
# vfm_fw_eth_only PF KEY NETDEV: mstconfig lists no KEY (an Ethernet-only model), and the port runs Ethernet
vfm_fw_eth_only() {
    local t
    vfm_fw_read "$1" || return 1
    if vfm_fw_has "$2"; then return 1; fi
    t=$(devlink port show 2>/dev/null | awk -v pf="pci/$1/" 'index($1, pf) == 1 && / flavour physical( |$)/ && $2 == "type" { print $3; exit }')
    if [ -n "$t" ]; then [ "$t" = eth ]; return; fi
    ip -o link show dev "$3" 2>/dev/null | grep -F ' link/ether ' >/dev/null
}
# vfm_fw_listed PF KEY [WHY]: mstconfig lists KEY, else the step is refused, as the page's guard does
vfm_fw_listed() {
    local why="mstconfig lists no $2, and the adapter's port runs InfiniBand: this model cannot be switched to Ethernet here"
    vfm_fw_read "$1" || return 1
    vfm_fw_has "$2" || vfm_refuse "${3:-$why}"
}

# vfm_nm_cannot_store: NetworkManager is missing, rpm prints no version for it (the page: "could not tell"), or it
# is older than VFM_NM_SRIOV_MIN (no sriov.eswitch-mode)
vfm_nm_cannot_store() {
    local v
    v=$(rpm -q --qf '%{VERSION}' NetworkManager 2>/dev/null) || return 0
    [ "$(printf '%s\n' "$VFM_NM_SRIOV_MIN" "$v" | sort -V | head -n 1)" != "$VFM_NM_SRIOV_MIN" ]
}

# vfm_nm_sriov_is DEV N: the profile vfm_nm_saved_uuid finds (network.ts) stores N VFs and switchdev (the mode as
# a number, a name, or both)
vfm_nm_sriov_is() {
    local u
    u=$(vfm_nm_saved_uuid "$1") || return 1
    [ "$(nmcli -g sriov.total-vfs connection show uuid "$u" 2>/dev/null </dev/null)" = "$2" ] || return 1
    case "$(nmcli -g sriov.eswitch-mode connection show uuid "$u" 2>/dev/null </dev/null)" in switchdev|1|"1 (switchdev)") return 0;; esac
    return 1
}

vfm_has_arg() { printf ' %s ' "$1" | grep -F -- " $2 " >/dev/null; }
vfm_next_args() { grubby --info=DEFAULT | sed -n 's/^args="\(.*\)"$/\1/p'; }
# vfm_args_have "ARGS" WANTED…: the wanted arguments are there
vfm_args_have() {
    local args=$1 a
    shift
    for a in "$@"; do vfm_has_arg "$args" "$a" || return 1; done
    return 0
}
# vfm_args_ok "ARGS" WANTED…: the wanted arguments are there, and no iommu "=off"
vfm_args_ok() {
    local a
    vfm_args_have "$@" || return 1
    for a in $VFM_IOMMU_OFF; do vfm_has_arg "$1" "$a" && return 1; done
    return 0
}
vfm_iommu_active() { [ -n "$(ls -A /sys/class/iommu 2>/dev/null)" ]; }

vfm_vms_running() { virsh -c qemu:///system list --name | grep . >/dev/null; }
vfm_guard_vms() {
    if vfm_vms_running; then
        vfm_refuse "VMs run on this host ($(virsh -c qemu:///system list --name | xargs)): $1 would stop them. Migrate them or shut them down, then run this script again."
    fi
}

# vfm_mgmt_over DEV ROUTES: a connection of ROUTES (vfm_mgmt_routes) routed through DEV, or from one of its addresses
vfm_mgmt_over() {
    local addrs
    addrs=" $(ip -o addr show dev "$1" 2>/dev/null | awk '{ split($4, x, "/"); printf "%s ", x[1] }')"
    printf '%s\n' "$2" | awk -v d="$1" -v a="$addrs" '$6 == d || ($6 == "-" && index(a, " " $1 " ")) { f = 1 } END { exit !f }'
}
# the firmware provides an IOMMU: its ACPI table is there (DMAR on Intel, IVRS on AMD), as virt-host-validate reads it
vfm_iommu_in_firmware() { [ -e /sys/firmware/acpi/tables/DMAR ] || [ -e /sys/firmware/acpi/tables/IVRS ]; }
vfm_guard_iommu_firmware() {
    if ! vfm_iommu_in_firmware; then
        vfm_refuse "the system firmware provides no IOMMU (no ACPI DMAR or IVRS table): enable VT-d (Intel) or AMD-Vi (AMD) in the firmware setup; a kernel argument and a reboot cannot help."
    fi
}
vfm_guard_mgmt() {
    local routes
    [ "${VFM_ALLOW_MGMT_OVER_PF:-0}" != 1 ] || return 0
    # a connection list that could not be read is no reason to go on
    routes=$(vfm_mgmt_routes) ||
        vfm_refuse "could not tell whether management traffic (SSH or the web console) runs over $1 (ss failed), which this step cuts. Reach the host another way, then run again with VFM_ALLOW_MGMT_OVER_PF=1."
    if vfm_mgmt_over "$1" "$routes"; then
        vfm_refuse "management traffic (SSH or the web console) runs over $1, which this step cuts. Reach the host another way, then run again with VFM_ALLOW_MGMT_OVER_PF=1."
    fi
}
# no step runs with the values of another host's page
vfm_guard_adapter() {
    if [ ! -e "/sys/bus/pci/devices/$1/net/$2" ]; then
        vfm_refuse "this script was made for the ConnectX-7 port $1 ($2), which this host does not have: make it from this host's own page, or edit the PF address and interface in it."
    fi
}

# addresses of scope global on the PF stop answering once Open vSwitch takes it
vfm_guard_pf_addresses() {
    local held
    held=$(ip -o addr show dev "$1" scope global 2>/dev/null | awk '{ print $4 }' | xargs) || held=""
    if [ "${VFM_ALLOW_PF_ADDRESSES:-0}" != 1 ] && [ -n "$held" ]; then
        vfm_refuse "$1 holds $held: once Open vSwitch takes it, that address stops answering. Move it to the bridge first, then run again (or with VFM_ALLOW_PF_ADDRESSES=1 if nothing uses it)."
    fi
}
# a firmware reset restarts the adapter's other port too: its addresses and its bridge stop
vfm_guard_other_port() {
    local held br
    held=$(ip -o addr show dev "$1" scope global 2>/dev/null | awk '{ print $4 }' | xargs) || held=""
    br=$(ovs-vsctl port-to-br "$1" 2>/dev/null) || br=""
    if [ "${VFM_ALLOW_OTHER_PORT:-0}" != 1 ] && [ -n "$held$br" ]; then
        vfm_refuse "the adapter's other port $1 is in use (${held:+$held }${br:+bridge $br}): a firmware reset stops its traffic. Run again with VFM_ALLOW_OTHER_PORT=1 when that traffic may stop."
    fi
}

# vfm_link_up DEV: the interface is administratively up (UP among its `ip link` flags)
vfm_link_up() { ip -o link show dev "$1" | grep '[<,]UP[,>]' >/dev/null; }
# vfm_eswitch_is PF MODE: the adapter's e-switch is in that mode
vfm_eswitch_is() { devlink dev eswitch show "pci/$1" | grep "mode $2" >/dev/null; }

vfm_numvfs() { cat "/sys/bus/pci/devices/$1/sriov_numvfs" 2>/dev/null || echo 0; }
vfm_vf_pci() { basename "$(readlink -f "/sys/bus/pci/devices/$1/virtfn$2")"; }
vfm_vf_driver() {
    local d
    d=$(readlink -f "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && [ -n "$d" ] && [ -e "$d" ] && basename "$d" || echo none
}
# a VM holds the VF: it is bound to one of the VFIO drivers
vfm_vf_in_use() { case " $VFM_VFIO_DRIVERS " in *" $(vfm_vf_driver "$1") "*) return 0;; esac; return 1; }
# the devlink port line of VF N of PF: "pci/PF/IDX: type eth netdev REP flavour pcivf … vfnum N"
vfm_vf_port_line() {
    devlink port show | awk -v pf="pci/$1/" -v n="$2" '
        index($1, pf) == 1 && / flavour pcivf / && !f { for (i = 1; i < NF; i++) if ($i == "vfnum" && $(i + 1) == n) { print; f = 1 } }'
}
vfm_vf_port() { vfm_vf_port_line "$1" "$2" | awk '{ sub(/:$/, "", $1); print $1 }'; }
vfm_vf_rep() { vfm_vf_port_line "$1" "$2" | awk '{ for (i = 1; i < NF; i++) if ($i == "netdev") print $(i + 1) }'; }
# vfm_vf_unbind VF: takes the VF off the driver it is bound to
vfm_vf_unbind() { echo "$1" | tee "/sys/bus/pci/drivers/$(vfm_vf_driver "$1")/unbind" >/dev/null; }
vfm_vf_set_migratable() { devlink port function set "$1" migratable enable; }
# vfm_rep_bridged PF DEV: the target VF's representor is up in the Open vSwitch bridge of DEV (representors are
# created down, and Open vSwitch does not bring a port up); with every VF held by a VM, any VF's representor there
vfm_rep_bridged() {
    local br n i rep t
    br=$(ovs-vsctl port-to-br "$2" 2>/dev/null) || return 1
    if t=$(vfm_target_vf "$1") && rep=$(vfm_vf_rep "$1" "$t") && [ -n "$rep" ]; then
        [ "$(ovs-vsctl port-to-br "$rep" 2>/dev/null)" = "$br" ] && vfm_link_up "$rep"
        return
    fi
    n=$(vfm_numvfs "$1")
    for ((i = 0; i < n; i++)); do
        rep=$(vfm_vf_rep "$1" "$i")
        if [ -n "$rep" ] && [ "$(ovs-vsctl port-to-br "$rep" 2>/dev/null)" = "$br" ]; then return 0; fi
    done
    return 1
}
vfm_vf_migratable() { [ -n "$1" ] && devlink port show "$1" | grep "migratable enable" >/dev/null; }
# the VF to prepare: one already prepared (off its driver, migratable), else the first no VM holds
vfm_target_vf() {
    local n i vf
    n=$(vfm_numvfs "$1")
    for ((i = 0; i < n; i++)); do
        vf=$(vfm_vf_pci "$1" "$i")
        if [ "$(vfm_vf_driver "$vf")" = none ] && vfm_vf_migratable "$(vfm_vf_port "$1" "$i")"; then echo "$i"; return 0; fi
    done
    for ((i = 0; i < n; i++)); do
        vfm_vf_in_use "$(vfm_vf_pci "$1" "$i")" || { echo "$i"; return 0; }
    done
    return 1
}
