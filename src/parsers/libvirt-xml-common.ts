/** Reading libvirt XML pieces shared by the domain, interface and nodedev parsers. */
import { fail, Line, linesOf } from "./common";
import { formatPciAddress, PCI_LIMITS } from "./pci-address";
import { parseXml, XmlElement, XmlError } from "./xml";

/** Throws a ParseFailure naming the line of `el`. */
export function failAt(src: string, el: XmlElement | number, message: string): never {
    const no = typeof el === "number" ? el : el.line;
    const line: Line = linesOf(src)[no - 1] ?? { no, text: "" };
    return fail(line, message);
}

/** parseXml with XmlError turned into a ParseFailure naming the line. */
export function parseXmlOrFail(src: string): XmlElement {
    try {
        return parseXml(src);
    } catch (e) {
        if (e instanceof XmlError)
            failAt(src, e.line, `malformed XML: ${e.message}`);
        throw e;
    }
}

/** libvirt reads these attributes with base 0: "0xe1" hex, "225" decimal (virXMLPropUInt). */
function readNumber(src: string, el: XmlElement, attr: string, max: number): number {
    const v = el.attrs[attr];
    if (v === undefined)
        failAt(src, el, `<${el.name}> lacks ${attr}=`);
    const n = /^0[xX][0-9a-fA-F]+$/.test(v) ? parseInt(v, 16) : /^(0|[1-9][0-9]*)$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n > max)
        failAt(src, el, `<${el.name} ${attr}='${v}'>: not a number up to 0x${max.toString(16)}`);
    return n;
}

/** <address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/> -> "0000:e1:00.1" */
export function readPciAddress(src: string, el: XmlElement): string {
    if (el.attrs.type !== undefined && el.attrs.type !== "pci")
        failAt(src, el, `address type '${el.attrs.type}' where a PCI address was expected`);
    const domain = el.attrs.domain === undefined ? 0 : readNumber(src, el, "domain", PCI_LIMITS.domain);
    return formatPciAddress(domain, readNumber(src, el, "bus", PCI_LIMITS.bus), readNumber(src, el, "slot", PCI_LIMITS.slot),
        readNumber(src, el, "function", PCI_LIMITS.function));
}

export function yesNo(src: string, el: XmlElement, attr: string): boolean | undefined {
    const v = el.attrs[attr];
    if (v === undefined)
        return undefined;
    if (v !== "yes" && v !== "no")
        failAt(src, el, `${attr}='${v}': expected yes or no`);
    return v === "yes";
}
