#!/bin/bash
# Prepares, in the root namespace, the files that make up one host's private view (mounted by ns-setup.sh):
# identity (hostname, hosts, RHEL os-release, machine-id, users), libvirt, sshd and D-Bus configuration, keys.
# Arguments: HOST. Needs $VFSIM_RUN/HOST/scenario.json.
set -euo pipefail
. "$(dirname "$0")/common.sh"
H=$1 S=$VFSIM_RUN/$1
FS=$S/fs L=$S/fs/etc-lower
eval "$(/usr/bin/python3 "$SIMHOST/lib/scenario.py" shell "$S/scenario.json")"

mkdir -p "$S/pids" "$S/logs" "$FS"/{etc-upper,etc-work,var-upper,var-work,root/.ssh,home,tmp,cockpit-pkgs} \
    "$L"/{libvirt,ssh,dbus-1}
chmod 1777 "$FS/tmp"; chmod 700 "$FS/root" "$FS/root/.ssh"

echo "$SC_HOSTNAME" >"$L/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n%s\n' "$SC_ETC_HOSTS" >"$L/hosts"
# the pair's network has no DNS server, and the machine's own may be unreachable from it: a name /etc/hosts lacks
# (glibc asks for the IPv6 address of rhel-dst.example.test first, which /etc/hosts does not have) then waits 5 s per
# try and server (20 s measured, once per migration). Asking this host's loopback, where nothing listens, fails at once.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$L/resolv.conf"
sed "s/@HOSTNAME@/$SC_HOSTNAME/" "$SIMHOST/conf/os-release" >"$L/os-release"
echo "Red Hat Enterprise Linux release 9.6 (Plow)" >"$L/redhat-release"
ln -sfn redhat-release "$L/system-release"
/usr/bin/python3 -c 'import uuid; print(uuid.uuid4().hex)' >"$L/machine-id"

# a non-root user for Cockpit's password login ("Limited access"): admin2 / vfsim-password
cp /etc/passwd /etc/group "$L/"; cp /etc/shadow /etc/gshadow "$L/" 2>/dev/null || touch "$L/gshadow"
if ! grep -q '^admin2:' "$L/passwd"; then
    echo 'admin2:x:1500:1500:Limited Admin:/home/admin2:/bin/bash' >>"$L/passwd"
    echo 'admin2:x:1500:' >>"$L/group"
    echo "admin2:$(openssl passwd -6 vfsim-password):20000:0:99999:7:::" >>"$L/shadow"
    echo 'admin2:!::' >>"$L/gshadow"
fi
chmod 640 "$L/shadow" "$L/gshadow"
mkdir -p "$FS/home/admin2"
# cockpit's PAM stack reads ~/.pam_environment: the user's runtime dir and session bus (started by `up`)
printf 'XDG_RUNTIME_DIR DEFAULT=/run/user/1500\nDBUS_SESSION_BUS_ADDRESS DEFAULT=unix:path=/run/user/1500/bus\n' \
    >"$FS/home/admin2/.pam_environment"
chown -R 1500:1500 "$FS/home/admin2"

# libvirt: monolithic libvirtd; a host_uuid of its own (libvirt refuses to migrate to "the same host" by it)
/usr/bin/python3 -c 'import uuid; print(f"host_uuid = \"{uuid.uuid4()}\"")' | cat - "$SIMHOST/conf/libvirtd.conf" >"$L/libvirt/libvirtd.conf"
cp "$SIMHOST/conf/qemu.conf" "$L/libvirt/qemu.conf"
# virtproxyd's file as RHEL ships it (its TCP listener asks for SASL by default): the page reads auth_tcp there
cp "$SIMHOST/conf/virtproxyd.conf" "$L/libvirt/virtproxyd.conf"

# TLS as an admin sets it up for libvirt and QEMU (libvirt's kbase/tlscerts): one CA for the pair, and on each host
# server and client certificates naming the host (DNS name, short name, address) at libvirt's and QEMU's default places
"$SIMHOST/lib/pki-host.sh" "$H" "$SC_HOSTNAME" "$SC_ADDR" "$L/pki"
cp "$SIMHOST/conf/system-bus.conf" "$L/dbus-1/vfsim-system-bus.conf"

# sshd with this host's own keys; root's key pair, authorized on the peer by `up`
cp "$SIMHOST/conf/sshd_config" "$L/ssh/sshd_config"
for t in ed25519 ecdsa rsa; do
    [ -s "$L/ssh/ssh_host_${t}_key" ] || ssh-keygen -q -t "$t" -N '' -C "root@$SC_HOSTNAME" -f "$L/ssh/ssh_host_${t}_key"
done
[ -s "$FS/root/.ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "root@$SC_HOSTNAME" -f "$FS/root/.ssh/id_ed25519"

# `systemctl reboot` on the host (services stand-ins) reboots it as test/simhost/reboot does
printf '{ "reboot": { "start": ["%s"] } }\n' "$SIMHOST/lib/reboot-self" >"$S/services-hooks.json"

# the plugin as built from this working tree
ln -sfn "$REPO/dist" "$FS/cockpit-pkgs/vf-migration"
# the status-page benchmark's floor: a page that makes three spawns and one libvirt call (no menu entry)
ln -sfn "$REPO/test/bench/floor" "$FS/cockpit-pkgs/vfm-floor"
