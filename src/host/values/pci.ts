/* PCI and device values: PCI address, devlink port handle, VF count, driver name; VM name; migration bandwidth. */
import { _ } from "../../lib/cockpit";
import { Brand, Result, asString, err, valueError, hasControl, hasLoneSurrogate, ok, parseInteger, valueType } from "./common";

/** Domain:bus:slot.function as sysfs names it, lowercase: 0000:e1:00.1 */
export type PciAddress = Brand<string, "PciAddress">;
/** A devlink port handle: pci/0000:e1:00.0/65537 */
export type DevlinkPort = Brand<string, "DevlinkPort">;
export type VfCount = Brand<number, "VfCount">;
export type DriverName = Brand<string, "DriverName">;
export type VmName = Brand<string, "VmName">;
/** Migration bandwidth in MiB/s, as `virsh migrate --bandwidth` takes it. */
export type Bandwidth = Brand<number, "Bandwidth">;

const pciForm = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([01][0-9a-fA-F])\.([0-7])$/;

/** Accepts lspci's short form (e1:00.1) too, as domain 0000. */
export const PciAddress = valueType<PciAddress>(input => {
    const s = asString("pci-address", input);
    if (!s.ok)
        return s;
    const m = pciForm.exec(s.value);
    if (!m)
        return err(valueError("pci-address", "form", input, _("PCI address “$0” is not of the form 0000:e1:00.1")));
    return ok(`${(m[1] ?? "0000")}:${m[2]}:${m[3]}.${m[4]}`.toLowerCase() as PciAddress);
});

export interface PciParts { domain: number; bus: number; slot: number; function: number }

/**
 * Two PCI functions of one device ("0000:e1:00.0" and "0000:e1:00.1"): the ports of one ConnectX-7, which share its
 * firmware, its reset and its configuration.
 */
export function sameDevice(a: string, b: string): boolean {
    return a.slice(0, a.lastIndexOf(".")) === b.slice(0, b.lastIndexOf("."));
}

export function pciParts(a: PciAddress): PciParts {
    const m = pciForm.exec(a);
    if (!m)
        throw new Error("unreachable: PciAddress not in canonical form");
    return { domain: parseInt(m[1], 16), bus: parseInt(m[2], 16), slot: parseInt(m[3], 16), function: Number(m[4]) };
}

export const DevlinkPort = valueType<DevlinkPort>(input => {
    const s = asString("devlink-port", input);
    if (!s.ok)
        return s;
    const m = /^pci\/([^/]+)\/(0|[1-9][0-9]{0,9})$/.exec(s.value);
    const pci = m ? PciAddress.parse(m[1]) : null;
    if (!m || !pci?.ok || Number(m[2]) > 0xffffffff)
        return err(valueError("devlink-port", "form", input, _("Devlink port “$0” is not of the form pci/0000:e1:00.0/1")));
    return ok(`pci/${pci.value}/${m[2]}` as DevlinkPort);
});

/** The devlink handle of the device itself: pci/0000:e1:00.0 */
export const devlinkDev = (pf: PciAddress): string => `pci/${PciAddress.of(pf)}`;

/** `total` is the PF's sriov_totalvfs. */
export function parseVfCount(input: unknown, total: number): Result<VfCount> {
    const n = parseInteger("vf-count", input, 0, total, _("Number of VFs"));
    return n.ok ? ok(n.value as VfCount) : n;
}
export const DriverName = valueType<DriverName>(input => {
    const s = asString("driver", input);
    if (!s.ok)
        return s;
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(s.value) || s.value === "." || s.value === "..")
        return err(valueError("driver", "form", input, _("Driver name “$0” may contain only letters, digits, '_', '.' and '-'")));
    return ok(s.value as DriverName);
});

/** libvirt refuses '/' and newlines in names; we also refuse control characters, a leading '-' (option position),
 * surrounding spaces, "." and "..", and more than 200 characters. */
export const VmName = valueType<VmName>(input => {
    const s = asString("vm-name", input);
    if (!s.ok)
        return s;
    const v = s.value;
    if ([...v].length < 1 || [...v].length > 200)
        return err(valueError("vm-name", "length", input, _("VM name “$0” must be 1 to 200 characters long")));
    if (v.includes("/") || hasControl(v) || hasLoneSurrogate(v) || /[\u2028\u2029\ufeff]/.test(v))
        return err(valueError("vm-name", "characters", input, _("VM name “$0” cannot contain '/' or control characters")));
    if (v.startsWith("-"))
        return err(valueError("vm-name", "dash", input, _("VM name “$0” cannot start with '-'")));
    if (v.trim() !== v || v === "." || v === "..")
        return err(valueError("vm-name", "spaces", input, _("VM name “$0” cannot start or end with a space, nor be '.' or '..'")));
    return ok(v as VmName);
});

export const Bandwidth = valueType<Bandwidth>(input => {
    const n = parseInteger("bandwidth", input, 1, 1_000_000, _("Bandwidth in MiB/s"));
    return n.ok ? ok(n.value as Bandwidth) : n;
});
