/*
 * sysfs paths built only from validated parts, always one of:
 *   /sys/bus/pci/devices/<pci>/<attr>   (attr from the allowlist below, or virtfn<N>)
 *   /sys/bus/pci/drivers/<driver>/bind | unbind
 *   /sys/bus/pci/drivers_probe
 * and the value written to one of them.
 */
import { _ } from "../../lib/cockpit";
import { Brand, asString, err, valueError, hasControl, ok, valueType } from "./common";
import { DriverName, PciAddress } from "./pci";

export type SysfsPath = Brand<string, "SysfsPath">;
export type SysfsValue = Brand<string, "SysfsValue">;

export const DEVICE_ATTRS = [
    "sriov_numvfs", "sriov_totalvfs", "sriov_drivers_autoprobe", "sriov_vf_device", "sriov_offset", "sriov_stride",
    "driver_override", "driver", "physfn", "iommu_group", "vendor", "device", "subsystem_vendor", "subsystem_device",
    "class", "modalias", "numa_node", "net", "enable", "current_link_speed", "current_link_width",
] as const;
export type DeviceAttr = typeof DEVICE_ATTRS[number] | `virtfn${number}`;

export function isDeviceAttr(a: string): a is DeviceAttr {
    return (DEVICE_ATTRS as readonly string[]).includes(a) || /^virtfn(0|[1-9][0-9]{0,3})$/.test(a);
}

export function deviceAttrPath(pci: PciAddress, attr: DeviceAttr): SysfsPath {
    if (!isDeviceAttr(attr))
        throw valueError("sysfs-attr", "allowlist", attr, _("“$0” is not a PCI device attribute this page reads or writes"));
    return `/sys/bus/pci/devices/${PciAddress.of(pci)}/${attr}` as SysfsPath;
}

export function driverPath(driver: DriverName, file: "bind" | "unbind"): SysfsPath {
    if (file !== "bind" && file !== "unbind")
        throw valueError("sysfs-attr", "allowlist", file, _("“$0” is not a driver file this page writes"));
    return `/sys/bus/pci/drivers/${DriverName.of(driver)}/${file}` as SysfsPath;
}

export const DRIVERS_PROBE = "/sys/bus/pci/drivers_probe" as SysfsPath;

/** What may be written: one line of printable text, at most 64 characters ("" clears driver_override). */
export const SysfsValue = valueType<SysfsValue>(input => {
    const s = asString("sysfs-value", input);
    if (!s.ok)
        return s;
    if (s.value.length > 64 || hasControl(s.value))
        return err(valueError("sysfs-value", "form", input, _("Value “$0” for a device setting must be one line of at most 64 characters")));
    return ok(s.value as SysfsValue);
});

/** Re-checks a SysfsPath at the point of use (a cast elsewhere cannot smuggle another path in). */
export function checkedPath(path: SysfsPath): SysfsPath {
    if (path === DRIVERS_PROBE)
        return path;
    const dev = /^\/sys\/bus\/pci\/devices\/([^/]+)\/([^/]+)$/.exec(path);
    if (dev && PciAddress.parse(dev[1]).ok && PciAddress.of(dev[1]) === dev[1] && isDeviceAttr(dev[2]))
        return path;
    const drv = /^\/sys\/bus\/pci\/drivers\/([^/]+)\/(bind|unbind)$/.exec(path);
    if (drv && DriverName.parse(drv[1]).ok)
        return path;
    throw valueError("sysfs-path", "folder", path, _("“$0” is not a sysfs path this page reads or writes"));
}
