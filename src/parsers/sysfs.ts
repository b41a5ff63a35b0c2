/**
 * Single sysfs attribute values: "0x15b3\n" (vendor, device), "101e" (sriov_vf_device), "16" (sriov_numvfs),
 * a symlink target ("../../../bus/pci/drivers/mlx5_core", "../../../kernel/iommu_groups/31", "../0000:e1:00.1"),
 * a modalias ("pci:v000015B3d0000101Esv000015B3sd00000059bc02sc00i00").
 */
import { fail, failWhole, Line, linesOf, rejectControlChars, uint } from "./common";

export interface SysfsHexId {
    /** Four lowercase hex digits without 0x: "15b3". */
    id: string;
    value: number;
}

export interface SysfsInt {
    value: number;
}

export interface SysfsLink {
    target: string;
    /** Last path element: "mlx5_core", "31", "0000:e1:00.1". */
    name: string;
}

export interface PciModalias {
    vendor: string;
    device: string;
    subvendor: string;
    subdevice: string;
    baseClass: string;
    subClass: string;
    progIf: string;
}

/** Exactly one line of content (a final newline allowed). */
function single(text: string): Line {
    const lines = linesOf(text);
    if (lines.length === 0 || (lines.length === 1 && lines[0].text === ""))
        failWhole("empty value");
    if (lines.length > 1)
        fail(lines[1], "expected a single line");
    rejectControlChars(lines[0]);
    return lines[0];
}

export function parseSysfsHexId(text: string): SysfsHexId {
    const line = single(text);
    const m = /^(?:0x)?([0-9a-fA-F]{4})$/.exec(line.text);
    if (!m)
        fail(line, 'expected a 16-bit hex id like "0x15b3"');
    return { id: m[1].toLowerCase(), value: parseInt(m[1], 16) };
}

export function parseSysfsInt(text: string): SysfsInt {
    const line = single(text);
    return { value: uint(line.text, line, "value") };
}

export function parseSysfsLink(text: string): SysfsLink {
    const line = single(text);
    const t = line.text;
    if (/\s|\/$/.test(t) || t.replace(/^\//, "").split("/").some(p => p === ""))
        fail(line, "expected a symlink target path");
    const name = t.split("/").pop() as string;
    if (name === "." || name === "..")
        fail(line, "symlink target ends in . or ..");
    return { target: t, name };
}

export function parseSysfsModalias(text: string): PciModalias {
    const line = single(text);
    const m = /^pci:v([0-9A-F]{8})d([0-9A-F]{8})sv([0-9A-F]{8})sd([0-9A-F]{8})bc([0-9A-F]{2})sc([0-9A-F]{2})i([0-9A-F]{2})$/
        .exec(line.text);
    if (!m)
        fail(line, 'expected a PCI modalias like "pci:v000015B3d0000101Esv...sd...bc02sc00i00"');
    const id = (s: string) => s.slice(4).toLowerCase();
    return {
        vendor: id(m[1]), device: id(m[2]), subvendor: id(m[3]), subdevice: id(m[4]),
        baseClass: m[5].toLowerCase(), subClass: m[6].toLowerCase(), progIf: m[7].toLowerCase(),
    };
}
