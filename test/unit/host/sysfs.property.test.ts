import fc from "fast-check";
import path from "path";
import { installFakeCockpit } from "../fake-cockpit";
import { hostile, inputs, nearValid, property } from "./arbitraries";
import {
    DEVICE_ATTRS, DRIVERS_PROBE, DeviceAttr, DriverName, PciAddress, SysfsPath, checkedPath, deviceAttrPath, driverPath, isDeviceAttr,
} from "../../../src/host/values";
import { readSysfsLink, writeSysfsArgv } from "../../../src/host/commands/sysfs";

beforeAll(() => { installFakeCockpit() });

const pciIn = inputs(fc.stringMatching(/^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]$/));
const attrIn = fc.oneof(fc.constantFrom(...DEVICE_ATTRS), fc.nat(5000).map(n => `virtfn${n}`), nearValid(fc.constantFrom(...DEVICE_ATTRS)), hostile);

function inFolder(p: string, folder: string, depth: number): void {
    if (path.posix.normalize(p) !== p || !p.startsWith(folder) || p.split("/").length !== depth || /[\s\0]/.test(p))
        throw new Error(`path escapes ${folder}: ${JSON.stringify(p)}`);
}

property("device attribute paths stay in /sys/bus/pci/devices/<pci>/<allowed attr>", fc.tuple(pciIn, attrIn), ([pci, attr]) => {
    const a = PciAddress.parse(pci);
    let p: string;
    try {
        p = deviceAttrPath(a.ok ? a.value : pci as PciAddress, attr as DeviceAttr);
    } catch {
        return;
    }
    inFolder(p, "/sys/bus/pci/devices/", 7);
    const parts = p.split("/");
    if (!PciAddress.parse(parts[5]).ok || PciAddress.of(parts[5]) !== parts[5] || !isDeviceAttr(parts[6]))
        throw new Error(`bad parts: ${p}`);
    if (checkedPath(p as SysfsPath) !== p || readSysfsLink(p as SysfsPath)[2] !== "--" || writeSysfsArgv(p as SysfsPath).length !== 3)
        throw new Error(`not usable: ${p}`);
});

property("driver paths stay in /sys/bus/pci/drivers/<driver>/{bind,unbind}",
         fc.tuple(inputs(fc.constantFrom("mlx5_core", "mlx5_vfio_pci", "vfio-pci")), fc.oneof(fc.constantFrom("bind", "unbind"), hostile)),
         ([drv, file]) => {
             let p: string;
             try {
                 p = driverPath(drv as DriverName, file as "bind");
             } catch {
                 return;
             }
             inFolder(p, "/sys/bus/pci/drivers/", 7);
             if (!["bind", "unbind"].includes(p.split("/")[6]) || checkedPath(p as SysfsPath) !== p)
                 throw new Error(`bad driver path ${p}`);
         });

property("checkedPath accepts only the three forms", fc.tuple(fc.constantFrom("/sys/bus/pci/devices/", "/sys/bus/pci/drivers/", "/sys/bus/pci/", "/sys/"), pciIn, attrIn),
         ([prefix, middle, attr]) => {
             const p = `${prefix}${middle}/${attr}`;
             let ok = true;
             try {
                 checkedPath(p as SysfsPath);
             } catch {
                 ok = false;
             }
             if (!ok)
                 return;
             if (p === DRIVERS_PROBE)
                 return;
             inFolder(p, "/sys/bus/pci/", 7);
         });
