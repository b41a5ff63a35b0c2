"""State of one simulated host's hardware: the single source of truth shared by the FUSE sysfs and the fake tools.

hw.json (in $VFSIM_HOST_DIR, default /run/vfsim-host) is replaced atomically (write + rename) under an exclusive
flock on hw.lock; readers never lock. Every mutation goes through `mutate()`, which reconciles the network
interfaces of the namespace with the new state (PF netdev, VF netdevs, representors).
"""
import contextlib
import copy
import fcntl
import fnmatch
import json
import os
import re
import sys
import time

import host_effects as effects

HOST_DIR = os.environ.get("VFSIM_HOST_DIR", "/run/vfsim-host")
STATE = os.path.join(HOST_DIR, "hw.json")
LOCK = os.path.join(HOST_DIR, "hw.lock")
DEV_DIR = os.environ.get("VFSIM_DEV_DIR", "/dev")
# one configuration per adapter (firmware device), shown alike by every port's PF; NUM_OF_VFS counts VFs per PF
FW_PARAMS = ("SRIOV_EN", "NUM_OF_VFS", "VF_MIGRATION_MODE", "LINK_TYPE_P1", "LINK_TYPE_P2")
FW_DEFAULTS = {"SRIOV_EN": 1, "NUM_OF_VFS": 8, "VF_MIGRATION_MODE": 0, "LINK_TYPE_P1": 2, "LINK_TYPE_P2": 2}
# facts of the adapter, not of one port: given on any port of a slot, the same on all of them
ADAPTER_KEYS = ("deviceId", "subsystemDevice", "psid", "partNumber", "description", "fwVersion", "fwStored",
                "fwReleaseDate", "baseMac", "migrationCapable", "vpi")
SINGLE_PORT = ("MT_0000000838", "MCX75310AAS-NEA_Ax",
               "NVIDIA ConnectX-7 HHHL Adapter card; 400GbE / NDR IB (default mode); Single-port OSFP; PCIe 5.0 x16; "
               "Crypto Disabled; Secure Boot Enabled;")
# a real dual-port CX-7's mlxconfig / mlxfwmanager (README.md, "Dual-port adapter")
DUAL_PORT = ("MT_0000000834", "MCX755106AS-HEA_Ax",
             "NVIDIA ConnectX-7 HHHL Adapter Card; 200GbE (default mode) / NDR200 IB; Dual-port QSFP112; PCIe 5.0 x16 "
             "with x16 PCIe extension option; Crypto Disabled; Secure Boot Enabled")
VFIO_DRIVERS = ("mlx5_vfio_pci", "vfio-pci")
DRIVERS = ("mlx5_core", "mlx5_vfio_pci", "vfio-pci", "pci-stub")
RHEL_CMDLINE = ("BOOT_IMAGE=(hd0,gpt2)/vmlinuz-{rel} root=/dev/mapper/rhel-root ")
DEFAULT_ARGS = ("ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/rhel-swap "
                "rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet")


# ---------- scenario -> state ----------

def _fw_value(v, default):
    if v is None:
        v = default
    if isinstance(v, dict):
        cur = v.get("current", default)
        return {"default": v.get("default", default), "current": cur, "next": v.get("next", cur)}
    return {"default": default, "current": v, "next": v}


def normalize(hw):
    """Fill defaults of a scenario "hw" object (documented in README.md)."""
    hw = copy.deepcopy(hw or {})
    hw.setdefault("cpuVendor", "intel")
    hw.setdefault("iommu", {}).setdefault("inFirmware", True)
    k = hw.setdefault("kernel", {})
    k.setdefault("release", "5.14.0-570.el9.x86_64")
    k.setdefault("migratableSupported", True)
    if "bootArgs" not in k:
        k["bootArgs"] = DEFAULT_ARGS + (" intel_iommu=on iommu=pt" if hw["cpuVendor"] == "intel" else " iommu=pt")
    k.setdefault("cmdline", RHEL_CMDLINE.format(rel=k["release"]) + k["bootArgs"])
    k.setdefault("osName", "Red Hat Enterprise Linux 9.6 (Plow)")
    v = hw.setdefault("versions", {})
    v.setdefault("iproute2", "6.11.0")
    v.setdefault("mstflint", "4.28.0-1")
    # the suites of `make check` run the tools faster (VFSIM_TIMING_SCALE, set by test/run-suites); benchmarks and
    # `make demo` keep the realistic delays
    hw.setdefault("timing", {}).setdefault("scale", float(os.environ.get("VFSIM_TIMING_SCALE") or 1.0))
    hw.setdefault("faults", [])
    hw.setdefault("management", {})
    nics = hw.setdefault("nics", [])
    for nic in nics:
        nic.setdefault("pf", "0000:e1:00.0")
    for group in _slots(nics):
        _share_adapter(group)
    for i, nic in enumerate(nics):
        _, bus, slot, fn = addr_parts(nic["pf"])
        if nic["ports"] > 1:
            nic.setdefault("netdev", "enp%ds%df%dnp%d" % (bus, slot, fn, nic["port"] - 1))
        else:
            nic.setdefault("netdev", "enp%ds%dnp0" % (bus, slot))
        nic.setdefault("deviceId", "1021")
        nic.setdefault("subsystemDevice", "0007")
        nic.setdefault("vhcaId", i)
        model = DUAL_PORT if nic["ports"] == 2 else SINGLE_PORT
        nic.setdefault("psid", model[0])
        nic.setdefault("partNumber", model[1])
        nic.setdefault("description", model[2])
        nic.setdefault("fwVersion", "28.43.1014")
        nic.setdefault("fwStored", nic["fwVersion"])
        nic.setdefault("fwReleaseDate", "7.11.2024")
        nic.setdefault("baseMac", "e09d73126744")
        nic.setdefault("numaNode", 0)
        nic.setdefault("iommuGroupBase", 40 + 20 * i)
        nic.setdefault("migrationCapable", True)
        nic.setdefault("vpi", True)
        nic.setdefault("eswitch", "legacy")
        nic.setdefault("eswitchBusyWithVfs", False)
        nic.setdefault("switchdevFailsWithVfs", False)
        nic.setdefault("portsInLegacy", False)
        nic.setdefault("autoprobe", True)
        nic.setdefault("pfDriver", "mlx5_core")
        nic.setdefault("switchdevCutsHostTraffic", True)
        fw = nic.setdefault("firmware", {})
        for p in FW_PARAMS:
            fw[p] = _fw_value(fw.get(p), FW_DEFAULTS[p])
        fw["VF_MIGRATION_MODE"]["default"] = 0
        vfs = nic.setdefault("vfs", [])
        for n, vf in enumerate(vfs):
            vf.setdefault("driver", "mlx5_core")
            vf.setdefault("driverOverride", None)
            vf.setdefault("migratable", False)
            vf.setdefault("mac", "00:00:00:00:00:00")
            vf.setdefault("state", "active")
    hw.setdefault("_created", [])
    return hw


def slot_of(addr):
    """domain:bus:slot of a PCI address: the functions of one adapter share it."""
    return addr_parts(addr)[:3]


def _slots(nics):
    """The nics grouped by PCI slot (one adapter each), each group in PCI function order; sets port / ports."""
    groups = {}
    for nic in nics:
        groups.setdefault(slot_of(nic["pf"]), []).append(nic)
    for group in groups.values():
        group.sort(key=lambda n: addr_parts(n["pf"])[3])
        for rank, nic in enumerate(group):
            nic["port"], nic["ports"] = rank + 1, len(group)
    return list(groups.values())


def _share_adapter(group):
    """The adapter's keys and firmware parameters, given on any of its ports, copied to all of them (a port that
    gives another value is an error: one adapter has one firmware)."""
    def one(what, values):
        if len({json.dumps(v, sort_keys=True) for v in values}) > 1:
            raise ValueError("the ports %s of one adapter give different %s" % (", ".join(n["pf"] for n in group), what))
        return values[0]
    for key in ADAPTER_KEYS:
        values = [n[key] for n in group if key in n]
        if values:
            v = one(key, values)
            for n in group:
                n[key] = copy.deepcopy(v)
    fw = {}
    for p in FW_PARAMS:
        values = [n["firmware"][p] for n in group if p in n.get("firmware", {})]
        if values:
            fw[p] = one("firmware." + p, values)
    for n in group:
        n["firmware"] = copy.deepcopy(fw)


# ---------- load / save ----------

def load():
    with open(STATE) as f:
        return json.load(f)


def save(state):
    tmp = STATE + ".%d.tmp" % os.getpid()
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1, sort_keys=True)
    os.replace(tmp, STATE)


@contextlib.contextmanager
def mutate():
    """with mutate() as st: change st; it is saved and the netdevs reconciled on exit (exclusive lock held)."""
    os.makedirs(HOST_DIR, exist_ok=True)
    with open(LOCK, "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        st = load()
        yield st
        effects.reconcile_netdevs(st)
        save(st)
        effects.reconcile_devnodes(st)


def init_from_scenario(hw):
    with open(LOCK, "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        old = []
        with contextlib.suppress(OSError, ValueError):
            old = load().get("_created", [])
        st = normalize(hw)
        st["_created"] = old
        with contextlib.suppress(OSError, ValueError):
            st["_cut"] = load().get("_cut", [])
        effects.reconcile_netdevs(st)
        save(st)
        effects.reconcile_devnodes(st)
        write_cmdline(st)
    return st


def write_cmdline(st):
    with open(os.path.join(HOST_DIR, "cmdline"), "w") as f:
        f.write(st["kernel"]["cmdline"] + "\n")


# ---------- derived facts ----------

def find_nic(st, pf):
    for nic in st["nics"]:
        if nic["pf"] == pf:
            return nic
    return None


def adapter(st, nic):
    """The ports (PF nics) of nic's adapter, nic included, in port order."""
    return sorted((n for n in st["nics"] if slot_of(n["pf"]) == slot_of(nic["pf"])), key=lambda n: n["port"])


def cur(nic, param):
    return nic["firmware"][param]["current"]


def addr_parts(addr):
    dom, bus, rest = addr.split(":")
    slot, fn = rest.split(".")
    return int(dom, 16), int(bus, 16), int(slot, 16), int(fn, 16)


def vf_offset(nic):
    """First VF offset of the PF's SR-IOV capability (stride 1): on a slot of P ports, the PF of function k has
    (P - k) + k * NUM_OF_VFS (Current), so that the VFs follow the PFs and each PF's VFs follow the previous PF's:
    single-port 0000:e1:00.0 -> VF0 00.1; dual-port with 8 VFs per PF: .0 -> 00.2-01.1, .1 -> 01.2-02.1.
    The one derivation of a VF's address (vf_addr; sysfs sriov_offset; passthrough/vfsim.py)."""
    fn = addr_parts(nic["pf"])[3]
    per_pf = nic["firmware"]["NUM_OF_VFS"]["current"] if fn else 0
    return nic.get("ports", 1) - fn + fn * per_pf


def vf_addr(nic, n):
    """Address of the PF's VF n: PF devfn + offset + n (stride 1), carrying into the next bus."""
    dom, bus, slot, fn = addr_parts(nic["pf"])
    devfn = (slot << 3 | fn) + vf_offset(nic) + n
    bus += devfn >> 8
    devfn &= 0xff
    return "%04x:%02x:%02x.%x" % (dom, bus, devfn >> 3, devfn & 7)


def sriov_total(nic):
    return cur(nic, "NUM_OF_VFS") if cur(nic, "SRIOV_EN") else 0


def is_eth(nic):
    """The port runs Ethernet: LINK_TYPE_P<port> is ETH. An Ethernet-only model has no LINK_TYPE_P* (mstflint's
    nv_vpi_link_type TLV): it runs Ethernet."""
    return not nic.get("vpi", True) or cur(nic, "LINK_TYPE_P%d" % nic["port"]) == 2


def pf_fn(nic):
    """The PF's PCI function: mlx5's pfnum (devlink VF ports, representor names)."""
    return addr_parts(nic["pf"])[3]


def pf_path_name(nic):
    """enp225s0np0 -> enp225s0, enp1s0f1np1 -> enp1s0f1 (udev path name without the n<phys_port_name> suffix)."""
    return re.sub(r"np\d+$", "", nic["netdev"])


def uplink_port_name(nic):
    """phys_port_name of the uplink representor (the PF netdev in switchdev): p<port - 1>."""
    return "p%d" % (nic["port"] - 1)


def rep_port_name(nic, n):
    """phys_port_name of VF n's representor: pf<PF function>vf<n>."""
    return "pf%dvf%d" % (pf_fn(nic), n)


def vf_netdev(nic, n):
    return _ifname("%sv%d" % (pf_path_name(nic), n), nic, n, "v")


def rep_netdev(nic, n):
    return _ifname("%sn%s" % (pf_path_name(nic), rep_port_name(nic, n)), nic, n, "r")


def _ifname(name, nic, n, kind):
    # IFNAMSIZ: udev keeps the kernel name when the path name is too long
    return name if len(name) <= 15 else "eth%d%s%d" % (nic["vhcaId"], kind, n)


def switch_id(nic):
    return nic["baseMac"][::-1].ljust(16, "f")[:16]


def port_index(nic, n):
    return (nic["vhcaId"] << 16) | (n + 1)


def uplink_index(nic):
    return (nic["vhcaId"] << 16) | 0xFFFF


def vf_iommu_group(nic, n):
    return nic["iommuGroupBase"] + 1 + n


def iommu_active(st):
    cmd = st["kernel"]["cmdline"].split()
    if not st["iommu"]["inFirmware"]:
        return False
    if st["cpuVendor"] == "amd":
        return "amd_iommu=off" not in cmd
    return "intel_iommu=on" in cmd


def migratable_visible(st, nic):
    """`migratable` shows in devlink port show only with kernel+iproute2 support and the FW cap active."""
    return (st["kernel"]["migratableSupported"] and version_ge(st["versions"]["iproute2"], "6.2")
            and nic["migrationCapable"] and cur(nic, "VF_MIGRATION_MODE") == 2)


def version_ge(v, floor):
    def parts(s):
        return [int(x) for x in s.replace("-", ".").split(".") if x.isdigit()]
    return parts(v) >= parts(floor)


def all_devices(st):
    """{pci address: (nic, vfnum or None)} of every simulated PCI function."""
    out = {}
    for nic in st["nics"]:
        out[nic["pf"]] = (nic, None)
        for n in range(len(nic["vfs"])):
            out[vf_addr(nic, n)] = (nic, n)
    return out


def vf_mac_default(nic, n):
    return "00:00:00:00:00:00"


# ---------- derived: the netdevs the state implies ----------

def wanted_netdevs(st):
    """{ifname: kind} of the interfaces the hardware state implies (kind: pf | vf | rep)."""
    want = {}
    for nic in st["nics"]:
        if nic["pfDriver"] == "mlx5_core" and is_eth(nic):
            want[nic["netdev"]] = "pf"
        for n, vf in enumerate(nic["vfs"]):
            if vf["driver"] == "mlx5_core" and is_eth(nic):
                want[vf_netdev(nic, n)] = "vf"
            if nic["eswitch"] == "switchdev":
                want[rep_netdev(nic, n)] = "rep"
    return want


# ---------- operations shared by sysfs and tools ----------

class KernelError(Exception):
    def __init__(self, errno_, extack=None):
        super().__init__(extack or errno_)
        self.errno = errno_
        self.extack = extack


def set_numvfs(st, nic, n):
    import errno
    if nic["pfDriver"] is None:
        raise KernelError(errno.ENOENT)
    if n > sriov_total(nic):
        raise KernelError(errno.ERANGE)
    have = len(nic["vfs"])
    if n == have:
        return
    if n and have:
        raise KernelError(errno.EBUSY)
    if n == 0:
        if any(vf["driver"] in VFIO_DRIVERS for vf in nic["vfs"]):
            raise KernelError(errno.EBUSY)
        nic["vfs"] = []
        return
    drv = "mlx5_core" if nic["autoprobe"] else None
    nic["vfs"] = [{"driver": drv, "driverOverride": None, "migratable": False,
                   "mac": vf_mac_default(nic, i), "state": "active"} for i in range(n)]


def matches(driver, nic, vf):
    """pci_bus_match: driver_override wins; mlx5_vfio_pci / vfio-pci / pci-stub bind only by override."""
    override = vf["driverOverride"] if vf is not None else None
    if override:
        return override == driver
    return driver == "mlx5_core"


def reset_after_firmware_load(st, nic):
    """Firmware reset or reboot of nic's adapter (every port): Next Boot -> Current, VFs gone, e-switch legacy."""
    for port in adapter(st, nic):
        for p in FW_PARAMS:
            port["firmware"][p]["current"] = port["firmware"][p]["next"]
        port["fwVersion"] = port["fwStored"]
        port["vfs"] = []
        port["eswitch"] = "legacy"


def reboot(st):
    for nic in st["nics"]:
        reset_after_firmware_load(st, nic)
    k = st["kernel"]
    k["cmdline"] = RHEL_CMDLINE.format(rel=k["release"]) + k["bootArgs"]


# ---------- faults and delays for the fake tools ----------

def tool_prologue(tool, argv, delay_s):
    """Applies a scenario fault matching `tool args...` (glob), then the tool's realistic delay."""
    try:
        st = load()
    except (OSError, ValueError):
        sys.stderr.write("vfsim: no hardware state in %s\n" % STATE)
        sys.exit(127)
    line = " ".join([tool] + argv)
    scale = st["timing"]["scale"]
    for fault in st["faults"]:
        if fnmatch.fnmatchcase(line, fault["match"]):
            time.sleep(fault.get("delayMs", 0) / 1000.0)
            if "exit" in fault:
                sys.stdout.write(fault.get("stdout", ""))
                sys.stderr.write(fault.get("stderr", ""))
                sys.exit(fault["exit"])
    time.sleep(delay_s * scale)
    return st
