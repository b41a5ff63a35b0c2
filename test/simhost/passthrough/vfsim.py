"""State of simulated VFs as the QEMU wrapper sees them, and the QMP relay (see qemu-vf-wrapper, README.md)."""
import array
import ctypes
import fcntl
import json
import os
import re
import selectors
import signal
import socket
import sys
import time

# the hw simulator's SR-IOV layout (offset, stride), one derivation for sysfs, the tools and this wrapper
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "hw", "lib"))
from hwstate import rep_netdev, vf_addr  # noqa: E402

SYS_PCI = "/sys/bus/pci/devices"
HW_JSON = "/run/vfsim-host/hw.json"
VFNET_DIR = "/run/vfsim-host/vfnet"
MIGRATING_DIR = "/run/vfsim-host/migrating"
LIBVIRT_STATUS = "/run/libvirt/qemu/%s.xml"
MAX_MIGRATING_PER_PF = 4  # mlx5: at most 4 VFs of one PF port migrate concurrently (RHEL/NVIDIA docs)
VARIANT_DRIVER = "mlx5_vfio_pci"
KEEP_PROPS = ("id", "bus", "addr", "bootindex", "multifunction", "rombar", "romfile")


def blocker_text(bdf):
    # QEMU 10 hw/vfio/migration.c, vfio_migration_realize(): the device has no VFIO migration feature (plain vfio-pci,
    # or mlx5_vfio_pci probed while the function's migratable capability was off).
    return "%s: VFIO migration is not supported in kernel" % bdf


def limit_text(bdf):
    # QEMU's vfio_migration_set_state() message; the errno mlx5 returns for a 5th concurrent VF is not verified.
    return "%s: Failed setting device state to PRE_COPY.: Device or resource busy" % bdf


def read_link_name(path):
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def hw_vf(bdf):
    """(nic, n) of the VF in the hw helper's hw.json (.nics[].vfs[n]); None without hw.json, (None, None) if not found."""
    try:
        with open(HW_JSON) as f:
            nics = json.load(f).get("nics") or []
    except (OSError, ValueError):
        return None
    for nic in nics:
        for n in range(len(nic.get("vfs") or [])):
            if vf_addr(nic, n) == bdf:
                return nic, n
    return None, None


def hw_vf_entry(bdf):
    """The VF's entry in hw.json; None without hw.json, {} if not found."""
    found = hw_vf(bdf)
    if found is None:
        return None
    nic, n = found
    return nic["vfs"][n] if nic is not None else {}


def representor(bdf):
    """The VF's representor netdev while its PF is in switchdev and the interface exists in this namespace, else None.
    On the real card a VF's traffic that no offloaded flow takes comes out of its representor, the port in the bridge."""
    nic, n = hw_vf(bdf) or (None, None)
    if nic is None or nic.get("eswitch") != "switchdev":
        return None
    name = rep_netdev(nic, n)
    try:
        socket.if_nametoindex(name)
    except OSError:
        return None
    return name


def migratable(bdf):
    """devlink port function `migratable` of the VF (off by default, as on a real ConnectX-7)."""
    entry = hw_vf_entry(bdf)
    if entry is None:  # no hw state at all: only the driver decides
        return True
    return bool(entry.get("migratable", False))


def pf_of(bdf):
    return read_link_name(os.path.join(SYS_PCI, bdf, "physfn"))


def vf_netdev_slot(bdf):
    """(PF netdev name, VF index) as libvirt computes them from sysfs."""
    pf = os.path.join(SYS_PCI, bdf, "physfn")
    try:
        names = sorted(os.listdir(os.path.join(pf, "net")))
        for entry in os.listdir(pf):
            if entry.startswith("virtfn") and read_link_name(os.path.join(pf, entry)) == bdf:
                return (names[0] if names else None), int(entry[len("virtfn"):])
    except OSError:
        pass
    return None, None


def vf_mac(bdf, vm_name):
    """The MAC the guest sees: the VF's admin MAC set through the PF (recorded by the preload library, or in hw.json),
    else the <interface type='hostdev'> of libvirt's status XML whose source is this VF."""
    pfdev, idx = vf_netdev_slot(bdf)
    if pfdev is not None:
        try:
            with open(os.path.join(VFNET_DIR, "%s_vf%d" % (pfdev, idx))) as f:
                mac = json.load(f).get("mac")
            if mac and mac != "00:00:00:00:00:00":
                return mac
        except (OSError, ValueError):
            pass
    mac = (hw_vf_entry(bdf) or {}).get("mac")
    if mac and mac != "00:00:00:00:00:00":
        return mac
    try:
        with open(LIBVIRT_STATUS % vm_name) as f:
            xml = f.read()
    except OSError:
        return None
    dom, bus, slot, fn = (int(x, 16) for x in re.split("[:.]", bdf))
    for iface in re.findall(r"<interface type='hostdev'.*?</interface>", xml, re.S):
        m = re.search(r"<source>\s*<address [^>]*domain='(\w+)' bus='(\w+)' slot='(\w+)' function='(\w+)'", iface)
        if m and tuple(int(x, 16) for x in m.groups()) == (dom, bus, slot, fn):
            mac = re.search(r"<mac address='([0-9a-fA-F:]+)'", iface)
            return mac.group(1) if mac else None
    return None


class VmState:
    def __init__(self, name, pid):
        self.name = name
        self.pid = pid
        self.vfs = {}        # device id -> VF address
        self.backends = {}   # device id -> netdev id of its backend
        self.blockers = {}   # device id -> blocker text
        self.counter = 0
        self.migrating_files = []

    def replace_vfio(self, dev):
        bdf = dev["host"]
        dev_id = dev.get("id") or "vfsim%d" % self.counter
        self.counter += 1
        netdev_id = "vfsim-%s-%d" % (dev_id, self.counter)
        rep = representor(bdf)
        # the representor's tap: the guest answers on the VF's network (the bridge); without one, a network of its own
        netdev = ({"type": "tap", "id": netdev_id, "ifname": rep, "script": "no", "downscript": "no"} if rep
                  else {"type": "user", "id": netdev_id, "restrict": True})
        self.backends[dev_id] = netdev_id
        # e1000: its guest driver needs no virtio transport (the test guest carries only a few NIC modules)
        nic = {"driver": "e1000", "netdev": netdev["id"]}
        nic.update({k: dev[k] for k in KEEP_PROPS if k in dev})
        mac = vf_mac(bdf, self.name)
        if mac:
            nic["mac"] = mac
        self.vfs[dev_id] = bdf
        if read_link_name(os.path.join(SYS_PCI, bdf, "driver")) != VARIANT_DRIVER or not migratable(bdf):
            self.blockers[dev_id] = blocker_text(bdf)
        return netdev, nic

    def device_gone(self, dev_id):
        """The device's backend id (to delete: a representor's tap stays held by QEMU until then), or None."""
        self.vfs.pop(dev_id, None)
        self.blockers.pop(dev_id, None)
        return self.backends.pop(dev_id, None)

    def start_migration(self):
        """Registers this VM's VFs as migrating; returns an error text if a PF would exceed the mlx5 limit."""
        os.makedirs(MIGRATING_DIR, exist_ok=True)
        with open(os.path.join(MIGRATING_DIR, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            mine = {}
            for bdf in self.vfs.values():
                mine.setdefault(pf_of(bdf) or "?", []).append(bdf)
            for pf, bdfs in mine.items():
                if len(self._migrating(pf)) + len(bdfs) > MAX_MIGRATING_PER_PF:
                    return limit_text(bdfs[0])
            for pf, bdfs in mine.items():
                os.makedirs(os.path.join(MIGRATING_DIR, pf), exist_ok=True)
                for bdf in bdfs:
                    path = os.path.join(MIGRATING_DIR, pf, bdf)
                    with open(path, "w") as f:
                        f.write("%d\n" % self.pid)
                    self.migrating_files.append(path)
        return None

    @staticmethod
    def _migrating(pf):
        d = os.path.join(MIGRATING_DIR, pf)
        alive = []
        for bdf in os.listdir(d) if os.path.isdir(d) else []:
            try:
                with open(os.path.join(d, bdf)) as f:
                    os.kill(int(f.read()), 0)
                alive.append(bdf)
            except (OSError, ValueError):
                pass
        return alive

    def end_migration(self):
        for path in self.migrating_files:
            try:
                os.unlink(path)
            except OSError:
                pass
        self.migrating_files = []


TERMINAL = ("completed", "failed", "cancelled")


class Conn:
    """One libvirt connection relayed to QEMU's monitor. Replies keep their order: each command forwarded to QEMU has
    an entry in `pending` saying how to rewrite (or drop) its reply."""

    def __init__(self, client, qemu, state):
        self.client, self.qemu, self.state = client, qemu, state
        self.cbuf = b""
        self.qbuf = b""
        self.pending = []
        self.fds = []
        self.failed_migration = None  # error text of a migration this relay refused after `migrate` returned

    def to_qemu(self, obj, fds=()):
        data = (json.dumps(obj) + "\r\n").encode()
        if fds:
            self.qemu.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, bytes(_fd_array(fds)))])
        else:
            self.qemu.sendall(data)

    def to_client(self, obj):
        self.client.sendall((json.dumps(obj) + "\r\n").encode())

    def command(self, cmd, fds):
        name = cmd.get("execute") or cmd.get("exec-oob")
        args = cmd.get("arguments") or {}
        st = self.state
        if name == "device_add" and args.get("driver") == "vfio-pci":
            netdev, nic = st.replace_vfio(args)
            self.to_qemu({"execute": "netdev_add", "arguments": netdev})
            self.pending.append(("drop", None))
            cmd = dict(cmd, arguments=nic)
        elif name == "migrate":
            if st.blockers:
                # real QEMU refuses `migrate` with the first blocker as the error
                self.to_qemu(_substitute(cmd), fds)
                self.pending.append(("error", next(iter(st.blockers.values()))))
                return
            if st.vfs:
                err = st.start_migration()
                if err:
                    # real QEMU accepts the command, then the migration fails while setting up the VFs
                    self.failed_migration = err
                    self.to_qemu(_substitute(cmd), fds)
                    self.pending.append(("migrate-then-fail", err))
                    return
            self.failed_migration = None
        elif name == "query-migrate":
            self.to_qemu(cmd, fds)
            self.pending.append(("query-migrate", None))
            return
        self.to_qemu(cmd, fds)
        self.pending.append(("pass", None))

    def reply(self, msg):
        if "event" in msg:
            data = msg.get("data") or {}
            if msg["event"] == "DEVICE_DELETED" and data.get("device") in self.state.vfs:
                backend = self.state.device_gone(data["device"])
                if backend:
                    self.to_qemu({"execute": "netdev_del", "arguments": {"id": backend}})
                    self.pending.append(("drop", None))
            if msg["event"] == "MIGRATION" and data.get("status") in TERMINAL:
                self.state.end_migration()
            self.to_client(msg)
            return
        if not self.pending:
            self.to_client(msg)
            return
        kind, text = self.pending.pop(0)
        if kind == "drop":
            return
        if kind == "error":
            msg = _with_id({"error": {"class": "GenericError", "desc": text}}, msg)
        elif kind == "migrate-then-fail":
            # as QEMU does: the job enters "setup" before `migrate` returns, then fails setting up the VFs
            self.to_client(_event("MIGRATION", {"status": "setup"}))
            self.to_client(_with_id({"return": {}}, msg))
            self.to_client(_event("MIGRATION", {"status": "failed"}))
            return
        elif kind == "query-migrate" and "return" in msg:
            ret = msg["return"]
            if self.failed_migration:
                ret = {"status": "failed", "error-desc": self.failed_migration}
            elif ret.get("status") in TERMINAL:
                self.state.end_migration()
            if self.state.blockers:
                ret["blocked-reasons"] = list(self.state.blockers.values())
            msg = dict(msg, **{"return": ret})
        self.to_client(msg)


def _substitute(cmd):
    """A harmless command in place of one this relay answers itself, so replies stay in order."""
    out = {"execute": "query-status"}
    if "id" in cmd:
        out["id"] = cmd["id"]
    return out


def _event(name, data):
    now = time.time()
    return {"timestamp": {"seconds": int(now), "microseconds": int(now * 1e6) % 1000000}, "event": name, "data": data}


def _with_id(new, old):
    if "id" in old:
        new["id"] = old["id"]
    return new


def _fd_array(fds):
    return array.array("i", fds)


def _lines(buf):
    *lines, rest = buf.split(b"\n")
    return [ln for ln in lines if ln.strip()], rest


def relay_connection(client, qemu_addr, state):
    qemu = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    qemu.connect(qemu_addr)
    conn = Conn(client, qemu, state)
    sel = selectors.DefaultSelector()
    sel.register(client, selectors.EVENT_READ, "client")
    sel.register(qemu, selectors.EVENT_READ, "qemu")
    try:
        while True:
            for key, _ in sel.select():
                if key.data == "client":
                    data, anc, _flags, _addr = client.recvmsg(65536, socket.CMSG_SPACE(64 * 4))
                    if not data:
                        return
                    fds = []
                    for level, typ, payload in anc:
                        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                            arr = array.array("i")
                            arr.frombytes(payload[:len(payload) - len(payload) % arr.itemsize])
                            fds += list(arr)
                    conn.fds += fds  # passed with a command (getfd, add-fd): they go with its line
                    lines, conn.cbuf = _lines(conn.cbuf + data)
                    for ln in lines:
                        conn.command(json.loads(ln), conn.fds)
                        for fd in conn.fds:  # QEMU has its own copy now
                            os.close(fd)
                        conn.fds = []
                else:
                    data = qemu.recv(65536)
                    if not data:
                        return
                    lines, conn.qbuf = _lines(conn.qbuf + data)
                    for ln in lines:
                        conn.reply(json.loads(ln))
    finally:
        sel.close()
        qemu.close()
        client.close()


def run_relay(outer, qemu_addr, state, parent):
    """Child of the wrapper: lives as long as QEMU (its parent after exec) and relays each monitor connection."""
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        return
    signal.signal(signal.SIGTERM, lambda *_: (state.end_migration(), os._exit(0)))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, outer.fileno())
    os.closerange(outer.fileno() + 1, 1024)
    while True:
        client, _ = outer.accept()
        try:
            relay_connection(client, qemu_addr, state)
        except (OSError, ValueError):
            pass
        if os.getppid() != parent:
            break
    state.end_migration()
