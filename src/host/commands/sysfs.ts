/*
 * sysfs through coreutils and findutils: read an attribute, resolve a link (driver, physfn, virtfnN, iommu_group),
 * write one (value on stdin), and list the ConnectX-7 functions' state. Paths are fixed or built from a validated
 * PCI address or interface name.
 */
import { Argv, makeArgv } from "../argv";
import { Netdev, PciAddress, SysfsPath, checkedPath } from "../values";

const pciDir = (pf: PciAddress) => `/sys/bus/pci/devices/${PciAddress.of(pf)}/`;

export const readSysfsLink = (path: SysfsPath): Argv => makeArgv("readlink", "-f", "--", checkedPath(path));
/**
 * changes. `tee PATH` with the value on stdin, i.e. the documented `echo VALUE | tee PATH`: tee opens the existing
 * attribute and writes the value in one write() (sysfs takes each write as a whole value, and refuses the
 * temporary-file-and-rename that Cockpit's file replace does). `dd of=` would also work but truncates unless told not
 * to, and its form is less familiar to an admin who copies the line.
 */
export const writeSysfsArgv = (path: SysfsPath): Argv => makeArgv("tee", "--", checkedPath(path));

/** Which driver each PCI function is bound to: one line per binding, …/drivers/<driver>/<address>. */
export const pciDriverBindings = (): Argv =>
    makeArgv("find", "/sys/bus/pci/drivers/", "-mindepth", "2", "-maxdepth", "2", "-name", "[0-9a-f]*:*");
/** IOMMU group membership of every device: …/iommu_groups/<group>/devices/<address>. */
export const iommuGroupMembers = (): Argv =>
    makeArgv("find", "/sys/kernel/iommu_groups/", "-mindepth", "3", "-maxdepth", "3");
/** The PF's VF links ("virtfn0 ../0000:e1:00.1") . */
export const pfVirtfns = (pf: PciAddress): Argv =>
    makeArgv("find", pciDir(pf), "-maxdepth", "1", "-name", "virtfn*", "-printf", "%f %l\\n");
/** The VF's PF's virtfn links ("virtfn0 ../0000:c1:00.1"), reached through the VF's physfn link (the PF need not be known). */
export const vfSiblingVirtfns = (vf: PciAddress): Argv =>
    makeArgv("find", `${pciDir(vf)}physfn/`, "-maxdepth", "1", "-name", "virtfn*", "-printf", "%f %l\\n");
/** sriov_totalvfs and sriov_numvfs as path:value lines. */
export const pfSriovCounts = (pf: PciAddress): Argv =>
    makeArgv("grep", "-H", ".", `${pciDir(pf)}sriov_totalvfs`, `${pciDir(pf)}sriov_numvfs`);
/** The PF's network interface name(s). */
export const pfNetdevs = (pf: PciAddress): Argv => makeArgv("ls", "-1", "--", `${pciDir(pf)}net`);
/** The link speed of an interface in Mb/s, as the kernel reports it (-1 or an error when unknown). */
export const netSpeed = (dev: Netdev): Argv => makeArgv("cat", "--", `/sys/class/net/${Netdev.of(dev)}/speed`);
