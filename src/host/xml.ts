/*
 * XML for libvirt: escaping for attribute and text values, and the VF's <interface type='hostdev'> element.
 * Attributes are always written in single quotes (libvirt's own style), so ' and " are both escaped.
 */
import { _ } from "../lib/cockpit";
import { Mac, PciAddress, valueError, pciParts } from "./values";

// XML 1.0 Char production: no C0 controls other than tab, LF, CR; no lone surrogates; no U+FFFE/U+FFFF
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/; // eslint-disable-line no-control-regex

function checkChars(value: string): string {
    if (NOT_XML_CHAR.test(value))
        throw valueError("xml", "characters", value, _("“$0” contains characters that an XML document cannot hold"));
    return value;
}

/** For a value inside '…' or "…". Tab, CR and LF become references, or XML would normalise them to spaces. */
export function escapeXmlAttr(value: string): string {
    return checkChars(value).replace(/[&<>'"\t\n\r]/g, c => ({
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&apos;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;",
    })[c] as string);
}

const hex = (n: number, width: number) => "0x" + n.toString(16).padStart(width, "0");

/**
 * The VF as the VM sees it (procedure step 7). managed='yes': libvirt detaches the VF from its host driver and binds
 * the VFIO variant driver (mlx5_vfio_pci) itself; `driverModel` forces that driver (libvirt >= 10.0).
 */
export function hostdevInterfaceXml(o: { mac: Mac; vf: PciAddress; driverModel?: "mlx5_vfio_pci" }): string {
    const p = pciParts(PciAddress.of(o.vf));
    const a = (v: string) => `'${escapeXmlAttr(v)}'`;
    const lines = [
        "<interface type='hostdev' managed='yes'>",
        `  <mac address=${a(Mac.of(o.mac))}/>`,
        ...(o.driverModel === "mlx5_vfio_pci" ? ["  <driver model='mlx5_vfio_pci'/>"] : []),
        "  <source>",
        `    <address type='pci' domain=${a(hex(p.domain, 4))} bus=${a(hex(p.bus, 2))} slot=${a(hex(p.slot, 2))} function=${a(hex(p.function, 1))}/>`,
        "  </source>",
        "</interface>",
    ];
    return lines.join("\n") + "\n";
}
