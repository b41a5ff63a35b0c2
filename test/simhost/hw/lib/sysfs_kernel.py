"""Sysfs nodes, attribute contents, and the kernel's reactions to writes (driver core, SR-IOV)."""
import errno
import os
import time

import hwstate as H


class Dir:
    def __init__(self, names, subdirs=0):
        self.names = list(names)
        self.nlink = 2 + subdirs  # virt-host-validate reads st_nlink of /sys/kernel/iommu_groups


class File:
    def __init__(self, mode, read=None, write=None, size=4096):
        self.mode, self.read, self.write, self.size = mode, read, write, size


class Link:
    def __init__(self, target):
        self.target = target


class Err(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.errno = code


def ro(text):
    return File(0o444, read=lambda: text.encode())


def wo(fn):
    return File(0o200, write=fn)


def ignore(_data):
    return None


def parse_int(data, maxv=65535):
    try:
        v = int(data.decode().strip(), 0)
    except ValueError:
        raise Err(errno.EINVAL)
    if v < 0 or v > maxv:
        raise Err(errno.EINVAL)
    return v


def parse_addr(data):
    return data.decode().strip()


def acpi_table(sig):
    """A 48-byte table with a valid ACPI header (only its presence is checked, by virt-host-validate)."""
    body = bytearray(48)
    body[0:4] = sig.encode()
    body[4:8] = (48).to_bytes(4, "little")
    body[8] = 1
    body[10:16] = b"VFSIM "
    body[16:24] = b"VFSIMTBL"
    body[36] = 45  # host address width - 1 (DMAR) / IVinfo (IVRS)
    body[9] = (-sum(body)) & 0xFF
    return bytes(body)


def unsupported_unless(cond, value):
    if not cond:
        raise Err(errno.EOPNOTSUPP)
    return (value + "\n").encode()


def passthrough(real, link_subdirs):
    if os.path.islink(real):
        return Link(os.readlink(real))
    if os.path.isdir(real):
        return Link(real) if link_subdirs else None
    if not os.path.exists(real):
        return None
    mode = os.stat(real).st_mode & 0o777

    def read():
        try:
            with open(real, "rb") as f:
                return f.read()
        except OSError as e:
            raise Err(e.errno)

    def write(data):
        try:
            with open(real, "wb") as f:
                f.write(data)
        except OSError as e:
            raise Err(e.errno)
    return File(mode, read=read, write=write)


def override_text(vfo):
    v = vfo["driverOverride"] if vfo else None
    return ("%s\n" % v if v else "(null)\n").encode()


def uevent(addr, driver, dev_id, ssdev, cls, modalias):
    lines = (["DRIVER=%s" % driver] if driver else []) + [
        "PCI_CLASS=%X" % int(cls, 16), "PCI_ID=15B3:%s" % dev_id.upper(), "PCI_SUBSYS_ID=15B3:%s" % ssdev.upper(),
        "PCI_SLOT_NAME=%s" % addr, "MODALIAS=%s" % modalias]
    return ("\n".join(lines) + "\n").encode()


def config_space(dev_id, ssdev, cls, is_vf):
    """A type-0 header consistent with the ids, with a PCIe capability (FLR) and an SR-IOV one on the PF."""
    c = bytearray(4096)
    vendor_id = 0xFFFF if is_vf else 0x15B3  # a VF's vendor/device read as 0xffff in config space
    c[0:2] = vendor_id.to_bytes(2, "little")
    c[2:4] = (0xFFFF if is_vf else int(dev_id, 16)).to_bytes(2, "little")
    c[4:6] = (0x0406).to_bytes(2, "little")
    c[6:8] = (0x0010).to_bytes(2, "little")  # capabilities list
    c[9], c[10], c[11] = 0, int(cls[4:6], 16), int(cls[2:4], 16)
    c[0x2C:0x2E] = (0x15B3).to_bytes(2, "little")
    c[0x2E:0x30] = int(ssdev, 16).to_bytes(2, "little")
    c[0x34] = 0x60
    c[0x60], c[0x61] = 0x10, 0x00  # PCI Express capability, last
    c[0x62:0x64] = (0x0002).to_bytes(2, "little")
    c[0x64:0x68] = (1 << 28).to_bytes(4, "little")  # DevCap: Function Level Reset
    if not is_vf:
        c[0x100:0x104] = (0x0010 | (1 << 16)).to_bytes(4, "little")  # SR-IOV extended capability v1
    return bytes(c)


# ---------- kernel reactions ----------

def _find(st, addr):
    devs = H.all_devices(st)
    if addr not in devs:
        raise Err(errno.ENODEV)
    return devs[addr]


def _get_driver(nic, vf):
    return nic["vfs"][vf]["driver"] if vf is not None else nic["pfDriver"]


def _set_driver(nic, vf, drv):
    if vf is None:
        nic["pfDriver"] = drv
        if drv is None:
            nic["vfs"] = []  # unbinding the PF driver disables SR-IOV
    else:
        nic["vfs"][vf]["driver"] = drv


def numvfs(st, pf, data):
    n = parse_int(data)
    nic = H.find_nic(st, pf)
    had = len(nic["vfs"])
    try:
        H.set_numvfs(st, nic, n)
    except H.KernelError as e:
        raise Err(e.errno)
    if n != had:
        # mlx5 enables/disables each VF with firmware commands: the write returns after a while
        time.sleep((0.2 + 0.1 * max(n, had)) * st["timing"]["scale"])


def autoprobe(st, pf, data):
    H.find_nic(st, pf)["autoprobe"] = parse_int(data, 1) == 1


def set_override(st, addr, data):
    nic, vf = _find(st, addr)
    text = data.decode().split("\n")[0].strip()
    if vf is None:
        return
    nic["vfs"][vf]["driverOverride"] = text or None


def probe(st, addr):
    nic, vf = _find(st, addr)
    if _get_driver(nic, vf):
        return
    vfo = nic["vfs"][vf] if vf is not None else None
    for drv in H.DRIVERS:
        if H.matches(drv, nic, vfo):
            _set_driver(nic, vf, drv)
            return


def bind(st, drv, addr):
    nic, vf = _find(st, addr)
    if _get_driver(nic, vf):
        raise Err(errno.EBUSY)
    if not H.matches(drv, nic, nic["vfs"][vf] if vf is not None else None):
        raise Err(errno.ENODEV)
    _set_driver(nic, vf, drv)


def unbind(st, drv, addr):
    nic, vf = _find(st, addr)
    if _get_driver(nic, vf) != drv:
        raise Err(errno.ENODEV)
    _set_driver(nic, vf, None)
