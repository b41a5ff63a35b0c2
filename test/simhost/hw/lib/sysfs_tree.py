"""The simulated sysfs as a function of the hardware state: path -> node.

Node kinds: Dir(names), File(mode, read(), write(bytes)), Link(target). Paths are relative to the FUSE root,
whose subtrees are bind-mounted over /sys/bus/pci, /sys/kernel/iommu_groups, /sys/class/iommu, /sys/class/net,
/sys/firmware/acpi/tables.
Symlink targets are relative and resolve as on a real host once the subtrees sit at those places.
"""
import errno
import os

import hwstate as H
from sysfs_kernel import (Dir, Err, File, Link, acpi_table, autoprobe, bind, config_space, ignore,
                          numvfs, override_text, parse_addr, passthrough, probe, ro, set_override, unbind,
                          unsupported_unless, uevent, wo)

REALSYS = os.path.join(H.HOST_DIR, "realsys")  # a sysfs mounted inside the host's net namespace, for netdevs


class Tree:
    def __init__(self, real_devices):
        self.real_devices = real_devices  # {addr: link target} of the machine's own PCI devices
        self._cache = (None, None)

    # state snapshot, re-read when a tool replaced hw.json
    def state(self):
        try:
            s = os.stat(H.STATE)
        except OSError:
            raise Err(errno.ENOENT)
        key = (s.st_ino, s.st_mtime_ns, s.st_size)
        if self._cache[0] != key:
            self._cache = (key, H.load())
        return self._cache[1]

    def mutate(self, fn):
        with H.mutate() as st:
            fn(st)
        self._cache = (None, None)

    # ---------- lookup ----------
    def lookup(self, path):
        parts = [p for p in path.split("/") if p]
        st = self.state()
        node = self.node(st, parts)
        if node is None:
            raise Err(errno.ENOENT)
        return node

    def node(self, st, p):
        n = len(p)
        if n == 0:
            return Dir(["bus", "kernel", "class", "firmware"])
        if p[0] == "firmware":
            if p[1:3] == ["acpi", "tables"] or n < 3:
                return self.acpi_tables(st, p)
            return None
        if p[0] == "bus":
            if n == 1:
                return Dir(["pci"])
            if p[1] != "pci":
                return None
            return self.bus_pci(st, p[2:])
        if p[0] == "kernel":
            if n == 1:
                return Dir(["iommu_groups"])
            return self.iommu_groups(st, p[2:]) if p[1] == "iommu_groups" else None
        if p[0] == "class":
            if n == 1:
                return Dir(["iommu", "net"])
            if p[1] == "iommu":
                return self.class_iommu(st, p[2:])
            if p[1] == "net":
                return self.class_net(st, p[2:])
        return None

    def bus_pci(self, st, p):
        if not p:
            return Dir(["devices", "drivers", "drivers_probe", "drivers_autoprobe", "rescan", "slots", "uevent"])
        name, rest = p[0], p[1:]
        if name == "devices":
            devs = H.all_devices(st)
            if not rest:
                return Dir(sorted(set(devs) | set(self.real_devices)))
            if rest[0] in devs:
                nic, vf = devs[rest[0]]
                return self.device(st, nic, vf, rest[0], rest[1:])
            if rest[0] in self.real_devices and len(rest) == 1:
                return Link(self.real_devices[rest[0]])
            return None
        if name == "drivers":
            if not rest:
                return Dir(H.DRIVERS)
            return self.driver(st, rest[0], rest[1:]) if rest[0] in H.DRIVERS else None
        if rest:
            return None
        if name == "drivers_probe":
            return wo(lambda d: self.mutate(lambda s: probe(s, parse_addr(d))))
        if name == "drivers_autoprobe":
            return File(0o644, read=lambda: b"1\n", write=ignore)
        if name in ("rescan", "uevent"):
            return wo(ignore)
        if name == "slots":
            return Dir([])
        return None

    # ---------- one PCI function ----------
    def device(self, st, nic, vf, addr, p):
        attrs = self.device_attrs(st, nic, vf, addr)
        if not p:
            return Dir(sorted(attrs))
        node = attrs.get(p[0])
        if node is None:
            return None
        if len(p) == 1:
            return node
        if p[0] == "net":
            return self.netdev_dir(st, nic, vf, addr, p[1], p[2:])
        if p[0] == "vfio-dev" and len(p) >= 2 and p[1] in node.names:
            return Dir(["dev"]) if len(p) == 2 else (ro("241:%d\n" % (vf or 0)) if p[2:] == ["dev"] else None)
        return None

    def device_attrs(self, st, nic, vf, addr):
        is_vf = vf is not None
        vfo = nic["vfs"][vf] if is_vf else None
        dev_id = "101e" if is_vf else nic["deviceId"]
        cls = "0x020000" if H.is_eth(nic) else "0x020700"
        ssdev = "0000" if is_vf else nic["subsystemDevice"]
        driver = vfo["driver"] if is_vf else nic["pfDriver"]
        modalias = "pci:v000015B3d0000%ssv000015B3sd0000%sbc%ssc%si00" % (
            dev_id.upper(), ssdev.upper(), cls[2:4].upper(), cls[4:6].upper())
        a = {
            "vendor": ro("0x15b3\n"), "device": ro("0x%s\n" % dev_id),
            "subsystem_vendor": ro("0x15b3\n"), "subsystem_device": ro("0x%s\n" % ssdev),
            "class": ro(cls + "\n"), "revision": ro("0x00\n"), "modalias": ro(modalias + "\n"),
            "config": File(0o644, read=lambda: config_space(dev_id, ssdev, cls, is_vf), write=ignore, size=4096),
            "numa_node": File(0o644, read=lambda: b"%d\n" % nic["numaNode"], write=ignore),
            "local_cpulist": ro("0-1\n"), "local_cpus": ro("3\n"), "irq": ro("0\n" if is_vf else "16\n"),
            "enable": File(0o644, read=lambda: b"1\n" if driver else b"0\n", write=ignore),
            "current_link_speed": ro("Unknown\n" if is_vf else "32.0 GT/s PCIe\n"),
            "current_link_width": ro("0\n" if is_vf else "16\n"),
            "max_link_speed": ro("Unknown\n" if is_vf else "32.0 GT/s PCIe\n"),
            "max_link_width": ro("255\n" if is_vf else "16\n"),
            "d3cold_allowed": File(0o644, read=lambda: b"1\n", write=ignore),
            "msi_bus": File(0o644, read=lambda: b"1\n", write=ignore),
            "reset": wo(ignore), "remove": wo(ignore), "rescan": wo(ignore),
            "resource": ro("0x%016x 0x%016x 0x000000000014220c\n" % (0x38000000000, 0x38001ffffff)),
            "uevent": File(0o644, read=lambda: uevent(addr, driver, dev_id, ssdev, cls, modalias), write=ignore),
            "subsystem": Link("../.."),
            "driver_override": File(0o644, read=lambda: override_text(vfo),
                                    write=lambda d: self.mutate(lambda s: set_override(s, addr, d))),
        }
        if driver:
            a["driver"] = Link("../../drivers/%s" % driver)
        if H.iommu_active(st):
            group = H.vf_iommu_group(nic, vf) if is_vf else nic["iommuGroupBase"]
            a["iommu_group"] = Link("../../../../kernel/iommu_groups/%d" % group)
        if is_vf:
            a["physfn"] = Link("../%s" % nic["pf"])
            if driver in H.VFIO_DRIVERS:
                a["vfio-dev"] = Dir(["vfio%d" % vf])
        elif H.cur(nic, "SRIOV_EN"):
            total = H.sriov_total(nic)
            a.update({
                "sriov_totalvfs": ro("%d\n" % total),
                "sriov_numvfs": File(0o644, read=lambda: b"%d\n" % len(nic["vfs"]),
                                     write=lambda d: self.mutate(lambda s: numvfs(s, addr, d))),
                "sriov_offset": ro("%d\n" % H.vf_offset(nic)), "sriov_stride": ro("1\n"),
                "sriov_vf_device": ro("101e\n"),
                "sriov_drivers_autoprobe": File(0o644, read=lambda: b"%d\n" % int(nic["autoprobe"]),
                                                write=lambda d: self.mutate(lambda s: autoprobe(s, addr, d))),
            })
            for n in range(len(nic["vfs"])):
                a["virtfn%d" % n] = Link("../%s" % H.vf_addr(nic, n))
        nets = self.netdevs_of(st, nic, vf)
        if nets:
            a["net"] = Dir(nets)
        return a

    def netdevs_of(self, st, nic, vf):
        want = H.wanted_netdevs(st)
        if vf is not None:
            names = [H.vf_netdev(nic, vf)] if nic["vfs"][vf]["driver"] == "mlx5_core" else []
        else:
            names = [nic["netdev"]] + [H.rep_netdev(nic, n) for n in range(len(nic["vfs"]))]
        return [n for n in names if n in want and os.path.exists(os.path.join(REALSYS, "class/net", n))]

    def netdev_dir(self, st, nic, vf, addr, ifname, rest):
        if ifname not in self.netdevs_of(st, nic, vf):
            return None
        real = os.path.join(REALSYS, "class/net", ifname)
        switchdev = nic["eswitch"] == "switchdev"
        extra = {"device": Link("../../../%s" % addr)}
        if ifname == nic["netdev"]:
            port = H.uplink_port_name(nic)
        elif vf is None:
            port = H.rep_port_name(nic, [H.rep_netdev(nic, n) for n in range(len(nic["vfs"]))].index(ifname))
        else:
            port = None
        extra["phys_port_name"] = File(0o444, read=lambda: unsupported_unless(switchdev and port, port))
        extra["phys_switch_id"] = File(0o444, read=lambda: unsupported_unless(switchdev and port, H.switch_id(nic)))
        if not rest:
            try:
                names = set(os.listdir(real))
            except OSError:
                names = set()
            return Dir(sorted((names - {"device", "subsystem"}) | set(extra)))
        if len(rest) == 1 and rest[0] in extra:
            return extra[rest[0]]
        return passthrough(os.path.join(real, *rest), link_subdirs=True)

    # ---------- drivers ----------
    def driver(self, st, name, p):
        bound = [a for a, (nic, vf) in H.all_devices(st).items()
                 if (nic["vfs"][vf]["driver"] if vf is not None else nic["pfDriver"]) == name]
        module = {"vfio-pci": "vfio_pci"}.get(name, name)
        entries = {
            "bind": wo(lambda d: self.mutate(lambda s: bind(s, name, parse_addr(d)))),
            "unbind": wo(lambda d: self.mutate(lambda s: unbind(s, name, parse_addr(d)))),
            "new_id": wo(ignore), "remove_id": wo(ignore), "uevent": wo(ignore),
            "module": Link("../../../../module/%s" % module),
        }
        for a in bound:
            entries[a] = Link("../../../../bus/pci/devices/%s" % a)
        if not p:
            return Dir(sorted(entries))
        return entries.get(p[0]) if len(p) == 1 else None

    # ---------- IOMMU ----------
    def iommu_groups(self, st, p):
        groups = {}
        if H.iommu_active(st):
            for a, (nic, vf) in H.all_devices(st).items():
                groups[str(H.vf_iommu_group(nic, vf) if vf is not None else nic["iommuGroupBase"])] = a
        if not p:
            return Dir(sorted(groups, key=int), subdirs=len(groups))
        if p[0] not in groups:
            return None
        addr = groups[p[0]]
        kind = "identity" if "iommu=pt" in st["kernel"]["cmdline"].split() else "DMA"
        entries = {"devices": Dir([addr]), "reserved_regions": ro("0x00000000fee00000 0x00000000feefffff msi\n"),
                   "type": ro(kind + "\n")}
        if len(p) == 1:
            return Dir(sorted(entries), subdirs=1)
        if p[1] == "devices" and len(p) == 3:
            return Link("../../../../bus/pci/devices/%s" % addr) if p[2] == addr else None
        return entries.get(p[1]) if len(p) == 2 else None

    def class_iommu(self, st, p):
        unit = "ivhd0" if st["cpuVendor"] == "amd" else "dmar0"
        if not H.iommu_active(st):
            return Dir([]) if not p else None
        if not p:
            return Dir([unit])
        if p[0] != unit:
            return None
        devs = sorted(H.all_devices(st))
        if len(p) == 1:
            return Dir(["devices"])
        if p[1] != "devices":
            return None
        if len(p) == 2:
            return Dir(devs)
        return Link("../../../../bus/pci/devices/%s" % p[2]) if len(p) == 3 and p[2] in devs else None

    # ---------- ACPI tables: DMAR (Intel) / IVRS (AMD) exist when the BIOS enables the IOMMU ----------
    def acpi_tables(self, st, p):
        if len(p) == 1:
            return Dir(["acpi"]) if p == ["firmware"] else None
        if len(p) == 2:
            return Dir(["tables"]) if p[1] == "acpi" else None
        base = os.path.join(REALSYS, "firmware/acpi/tables")
        ours = "IVRS" if st["cpuVendor"] == "amd" else "DMAR"
        try:
            names = set(os.listdir(base)) - {"DMAR", "IVRS"}
        except OSError:
            names = set()
        if st["iommu"]["inFirmware"]:
            names.add(ours)
        if len(p) == 3:
            return Dir(sorted(names))
        if p[3] == ours and ours in names and len(p) == 4:
            return File(0o400, read=lambda: acpi_table(ours), size=48)
        if p[3] not in names:
            return None
        return passthrough(os.path.join(base, *p[3:]), link_subdirs=True)

    # ---------- /sys/class/net: the namespace's own interfaces; ours point into their PCI device ----------
    def class_net(self, st, p):
        base = os.path.join(REALSYS, "class/net")
        try:
            names = os.listdir(base)
        except OSError:
            names = []
        if not p:
            return Dir(sorted(names))
        if p[0] not in names or len(p) > 1:
            return None
        for nic in st["nics"]:
            addr_of = {nic["netdev"]: nic["pf"]}
            for n in range(len(nic["vfs"])):
                addr_of[H.rep_netdev(nic, n)] = nic["pf"]
                addr_of[H.vf_netdev(nic, n)] = H.vf_addr(nic, n)
            if p[0] in addr_of:
                nets = self.netdevs_of(st, *H.all_devices(st)[addr_of[p[0]]])
                if p[0] in nets:
                    return Link("../../bus/pci/devices/%s/net/%s" % (addr_of[p[0]], p[0]))
        return passthrough(os.path.join(base, p[0]), link_subdirs=False)
