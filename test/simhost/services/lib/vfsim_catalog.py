"""Fixed knowledge about RHEL 9.6 units and packages, and the defaults of a ready host (see ../README.md)."""
import os

ARCHES = ("x86_64", "noarch", "i686", "aarch64", "s390x", "ppc64le")


def parse_nevra(s):
    """'mstflint-4.28.0-1.el9[.x86_64]' -> {name, version, release, arch?}"""
    arch = None
    base, _, tail = s.rpartition(".")
    if base and tail in ARCHES:
        s, arch = base, tail
    name, version, release = s.rsplit("-", 2)
    p = {"name": name, "version": version, "release": release}
    if arch:
        p["arch"] = arch
    return p


UNIT_DESCRIPTIONS = {
    "openvswitch.service": "Open vSwitch",
    "sshd.service": "OpenSSH server daemon",
    "virtqemud.socket": "libvirt QEMU daemon socket",
    "virtqemud.service": "libvirt QEMU daemon",
    "virtproxyd-tls.socket": "libvirt proxy daemon TLS IP socket",
    "virtproxyd-tcp.socket": "libvirt proxy daemon non-TLS IP socket",
    "virtproxyd.socket": "libvirt proxy daemon socket",
    "libvirtd.service": "libvirt legacy monolithic daemon",
    "NetworkManager.service": "Network Manager",
    "firewalld.service": "firewalld - dynamic firewall daemon",
    "packagekit.service": "PackageKit Daemon",
}

SUB_ACTIVE = {"service": "running", "socket": "listening", "target": "active", "timer": "waiting",
              "path": "waiting"}


def unit_view(name, u):
    """The properties systemctl and Cockpit read, computed from the state entry u (None = unknown unit)."""
    kind = name.rsplit(".", 1)[-1]
    if u is None:
        return {"LoadState": "not-found", "ActiveState": "inactive", "SubState": "dead", "UnitFileState": "",
                "Description": name, "FragmentPath": ""}
    state = u["state"]
    sub = {"active": SUB_ACTIVE.get(kind, "running"), "failed": "failed", "activating": "start",
           "deactivating": "stop"}.get(state, "dead")
    masked = u["enabled"] == "masked"
    return {"LoadState": "masked" if masked else "loaded", "ActiveState": state, "SubState": sub,
            "UnitFileState": u["enabled"], "Description": u.get("description") or UNIT_DESCRIPTIONS.get(name, name),
            "FragmentPath": "/dev/null" if masked else f"/usr/lib/systemd/system/{name}"}


# where `systemctl enable` makes its symlink
WANTED_BY = {"socket": "sockets.target", "service": "multi-user.target", "timer": "timers.target",
             "path": "paths.target"}

# TCP ports a socket unit listens on once active (libvirt's own unit files)
SOCKET_LISTEN = {
    "virtproxyd-tls.socket": [("Stream", "[::]:16514")],
    "virtproxyd-tcp.socket": [("Stream", "[::]:16509")],
    "virtqemud.socket": [("Stream", "/run/libvirt/virtqemud-sock")],
    "virtproxyd.socket": [("Stream", "/run/libvirt/libvirt-sock")],
}

PACKAGE_SUMMARIES = {
    "mstflint": "Mellanox firmware burning tool",
    "openvswitch3.3": "Open vSwitch",
    "NetworkManager": "Network connection manager and user applications",
    "NetworkManager-ovs": "Open vSwitch device plugin for NetworkManager",
    "libvirt-daemon": "Server side daemon and supporting files for libvirt library",
    "libvirt-daemon-driver-nodedev": "Nodedev driver plugin for the libvirtd daemon",
    "qemu-kvm": "QEMU is a machine emulator and virtualizer",
    "openssh-server": "An open source SSH server daemon",
    "firewalld": "A firewall daemon with D-Bus interface providing a dynamic firewall",
    "cockpit": "Web Console for Linux servers",
    "cockpit-machines": "Cockpit user interface for virtual machines",
    "kernel": "The Linux kernel, based on version 5.14.0, heavily modified with backports",
}

# Starting a unit that is a real daemon in the simulated host runs it: argv lists per unit and verb, and the file
# whose pid becomes the unit's MainPID. A missing "restart" = stop, then start. The pair's daemon-ctl starts and
# stops its daemons; the pair helper can override any entry in $VFSIM_HOST_DIR/services-hooks.json (same shape),
# and a scenario in services.hooks. "reboot": {"start": argv} runs detached on `systemctl reboot` (the pair's own
# reboot of this host, which calls services/reboot); without it the stand-ins reboot only themselves.
DAEMON_CTL = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "lib", "daemon-ctl")


def _ctl(name, pid):
    return {"start": [DAEMON_CTL, "start", name], "stop": [DAEMON_CTL, "stop", name],
            "restart": [DAEMON_CTL, "restart", name], "pid_file": f"/run/vfsim-host/pids/pair-{pid}.pid"}


DEFAULT_HOOKS = {
    "openvswitch.service": _ctl("ovs", "ovs-vswitchd"),
    "sshd.service": _ctl("sshd", "sshd"),
    # RHEL's modular QEMU daemon; here the monolithic libvirtd plays it
    "virtqemud.service": _ctl("libvirtd", "libvirtd"),
}

READY_PACKAGES = [
    "NetworkManager-1.48.10-5.el9_5",
    "openvswitch3.3-3.3.0-49.el9fdp",
    "mstflint-4.28.0-1.el9",
    "libvirt-daemon-10.10.0-7.el9_6",
    "libvirt-daemon-driver-nodedev-10.10.0-7.el9_6",
    "qemu-kvm-9.1.0-15.el9_6",
    "openssh-server-8.7p1-45.el9",
    "firewalld-1.3.4-9.el9_5.noarch",
    "cockpit-334.1-1.el9_6",
    "kernel-5.14.0-570.12.1.el9_6",
]

DEFAULT_SERVICES = {
    "units": {
        "openvswitch.service": {"state": "active", "enabled": "enabled"},
        "sshd.service": {"state": "active", "enabled": "enabled"},
        "virtqemud.socket": {"state": "active", "enabled": "enabled"},
        "virtqemud.service": {"state": "active", "enabled": "enabled"},
        "virtproxyd-tls.socket": {"state": "active", "enabled": "enabled"},
        "virtproxyd-tcp.socket": {"state": "inactive", "enabled": "disabled"},
        "libvirtd.service": {"state": "inactive", "enabled": "disabled"},
        "NetworkManager.service": {"state": "active", "enabled": "enabled"},
        "firewalld.service": {"state": "active", "enabled": "enabled"},
        "packagekit.service": {"state": "inactive", "enabled": "static"},
    },
    "firewall": {
        "running": True,
        "default_zone": "public",
        "zones": {
            # as the page's firewall step leaves it: libvirt's TLS port and QEMU's range open to the peer only
            "public": {"interfaces": ["eth0"], "services": ["cockpit", "dhcpv6-client", "ssh"],
                       "rich_rules": ['rule family="ipv4" source address="@PEER@" port port="16514" protocol="tcp" accept',
                                      'rule family="ipv4" source address="@PEER@" port port="49152-49215" protocol="tcp" accept']},
            # RHEL 9's /usr/lib/firewalld/zones/internal.xml: no interface until an admin (or NetworkManager) puts one there
            "internal": {"services": ["cockpit", "dhcpv6-client", "mdns", "samba-client", "ssh"]},
            "trusted": {"target": "ACCEPT"},
        },
    },
    "packages": {
        "installed": READY_PACKAGES,
        "available": [
            "mstflint-4.28.0-1.el9",
            "openvswitch3.3-3.3.0-49.el9fdp",
            "NetworkManager-1.48.10-5.el9_5",
            "NetworkManager-ovs-1.48.10-5.el9_5",
        ],
        "install_seconds": 4,
    },
}
