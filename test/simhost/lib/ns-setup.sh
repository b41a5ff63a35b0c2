#!/bin/bash
# Runs once inside a new host's mount+network+UTS namespaces (via nsenter from `up`): builds its private file
# system view. Arguments: HOST STATE_DIR (the host's /run/vfsim/<host>, prepared by lib/prepare-host.sh).
# Everything here is invisible outside the namespace and disappears with it.
set -euo pipefail
H=$1 S=$2
SIMHOST=$(cd "$(dirname "$0")/.." && pwd)
FS=$S/fs

# /run: a tmpfs that also shows the host's state dir as /run/vfsim-host. Mounted aside and moved, because the
# state dir itself lives under the old /run. (mount prints an mtab warning on --move and fails; it did move.)
stage=$S/../.stage-$H
mkdir -p "$stage"
mount -t tmpfs -o mode=0755 tmpfs "$stage"
mkdir -p "$stage/vfsim-host" "$stage/vfsim-real/bin" "$stage/vfsim-real/sbin"
mount --bind "$S" "$stage/vfsim-host"
mount --move "$stage" /run 2>/dev/null || mountpoint -q /run/vfsim-host
rmdir "$S/../.stage-$H" 2>/dev/null || true
S=/run/vfsim-host FS=/run/vfsim-host/fs

# The fake tools shadow the real ones on Cockpit's PATH: read-only overlays over /usr/bin and /usr/sbin (/bin and
# /sbin are symlinks to them on Debian 12). The originals stay reachable under /run/vfsim-real/. The top layer holds
# symlinks to the tools in the work tree: a tool edited (even replaced by an editor) takes effect at once, where
# a file replaced in an overlay's lower layer may not; a NEW tool needs the next `up`.
mount --bind /usr/bin /run/vfsim-real/bin
mount --bind /usr/sbin /run/vfsim-real/sbin
# A Python tool is reached through toolclient (lib/toolclient.c, built by `up`), which has it run by the host's
# tool server (lib/toolsrv.py) at the cost of a real tool; fakesrc/ names every script (the server's and the
# client's fallback when the server is not up).
mkdir -p "$FS/fakebin" "$FS/fakesrc"
for layer in "$SIMHOST/bin" "$SIMHOST/services/bin" "$SIMHOST/hw/bin"; do   # last wins
    for t in "$layer"/*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        ln -sfn "$t" "$FS/fakesrc/${t##*/}"
        if [ -x "$FS/toolclient" ] && head -c 40 "$t" | grep -q '^#!/usr/bin/python3'; then
            ln -sfn "$FS/toolclient" "$FS/fakebin/${t##*/}"
        else
            ln -sfn "$t" "$FS/fakebin/${t##*/}"
        fi
    done
done
# RHEL's /bin/sh is bash (Debian's is dash): scripts the page sends to `sh -s` run as they would there
ln -sfn /run/vfsim-real/bin/bash "$FS/fakebin/sh"
if [ -n "$(ls -A "$FS/fakebin")" ]; then
    for d in bin sbin; do mount -t overlay "vfsim-$d" -o "lowerdir=$FS/fakebin:/run/vfsim-real/$d" "/usr/$d"; done
fi

# /dev: only the nodes a host needs here
mount -t tmpfs -o mode=0755,size=1m tmpfs /dev
mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0
mkdir -p /dev/pts /dev/shm /dev/net /dev/vfio
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# /dev/kvm as on a RHEL host (the test guests run type='qemu' all the same: KVM guests hang here)
mknod -m 660 /dev/kvm c 10 232
mknod -m 666 /dev/net/tun c 10 200; mknod -m 666 /dev/fuse c 10 229; mknod -m 666 /dev/vfio/vfio c 10 196
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr

# /sys as seen from this network namespace (so /sys/class/net lists the host's own interfaces); the hardware
# layer mounts its fake PCI tree on top later.
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys

# /etc and /var: the machine's, with this host's files on top; writes land in the state dir.
mount -t overlay vfsim-etc -o "lowerdir=$FS/etc-lower:/etc,upperdir=$FS/etc-upper,workdir=$FS/etc-work" /etc
mount -t overlay vfsim-var -o "lowerdir=/var,upperdir=$FS/var-upper,workdir=$FS/var-work" /var
# the machine's libvirt default network would claim 192.168.122.0/24: a RHEL host here has none
rm -f /etc/libvirt/qemu/networks/autostart/*.xml /etc/libvirt/qemu/networks/*.xml
rm -rf /var/lib/libvirt/* /var/log/libvirt/* /var/cache/libvirt/* /var/lib/openvswitch/* /var/log/openvswitch/*
mkdir -p /var/lib/libvirt/qemu /var/log/libvirt/qemu /var/log/openvswitch /var/lib/openvswitch
rm -f /etc/openvswitch/conf.db /etc/openvswitch/.conf.db.~lock~

# The working tree (the plugin, the fake tools, the QEMU wrapper) stays at its own path even when it lies under a
# directory the host gets privately (a CI clone in /tmp, a checkout in /root): bound into the private copy first.
repo=$(cd "$SIMHOST/../.." && pwd)
for d in root home tmp; do
    case $repo/ in
    /$d/*) mkdir -p "$FS/$d/${repo#/"$d"/}"; mount --bind "$repo" "$FS/$d/${repo#/"$d"/}";;
    esac
    mount --rbind "$FS/$d" "/$d"
done

# The plugin as built in the working tree, beside the packages Cockpit ships
mount -t overlay vfsim-cockpit -o "lowerdir=$FS/cockpit-pkgs:/usr/share/cockpit" /usr/share/cockpit

hostname "$(cat "$FS/etc-lower/hostname")"
ip link set lo up
