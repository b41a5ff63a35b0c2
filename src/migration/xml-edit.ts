/*
 * Changes the host PCI address of the VF interface in a domain XML — and nothing else. The document is first
 * checked by the strict reader (src/parsers/xml.ts), then scanned again here with positions: comments, CDATA and
 * processing instructions are skipped as units (a look-alike `<address` inside them is text, not an element), and
 * only /domain/devices/interface[@type='hostdev']/source/address counts. The four attribute values domain, bus,
 * slot and function are replaced in place; every other byte of the document is kept. Anything ambiguous — no such
 * interface, several, a plain <hostdev> with the same address, an attribute missing or not a plain number — is
 * refused with a message.
 */
import { _, format } from "../lib/cockpit";
import { PciAddress, pciParts } from "../host/values";
import { parseDomainXml, hostdevInterfaces } from "../parsers/libvirt-domain-xml";
import { parseXml, XmlError } from "../parsers/xml";
import { ParseFailure } from "../parsers/common";

export type XmlEditErrorKind = "malformed" | "not-a-domain" | "no-match" | "several-matches" | "plain-hostdev" |
    "incomplete-address" | "unreadable-number" | "address-in-use";

export class XmlEditError extends Error {
    constructor(readonly kind: XmlEditErrorKind, message: string) {
        super(message);
        this.name = "XmlEditError";
    }
}

interface Attr { name: string; raw: string; valueStart: number; valueEnd: number }
interface Tag { name: string; attrs: Attr[]; start: number }

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFF]*/y;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" };

/** Entity and character references of an attribute value (the document is already known to be well-formed). */
function decode(raw: string): string {
    return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_m, ref: string) =>
        ref.startsWith("#x") ? String.fromCodePoint(parseInt(ref.slice(2), 16))
            : ref.startsWith("#") ? String.fromCodePoint(Number(ref.slice(1))) : Object.hasOwn(PREDEFINED, ref) ? PREDEFINED[ref] : "")
            .replace(/[\t\n\r]/g, " ");
}

/** Calls `onStart` for every start tag with the names of its open ancestors. */
function scan(src: string, onStart: (tag: Tag, ancestors: Tag[]) => void): void {
    const stack: Tag[] = [];
    let pos = 0;
    const skipTo = (end: string) => {
        const i = src.indexOf(end, pos);
        if (i < 0)
            throw new XmlEditError("malformed", _("The domain XML is malformed"));
        pos = i + end.length;
    };
    const name = () => {
        NAME.lastIndex = pos;
        const m = NAME.exec(src);
        if (!m)
            throw new XmlEditError("malformed", _("The domain XML is malformed"));
        pos += m[0].length;
        return m[0];
    };
    const space = () => { while (pos < src.length && " \t\r\n".includes(src[pos])) pos++ };
    while (pos < src.length) {
        if (src[pos] !== "<") {
            const i = src.indexOf("<", pos);
            pos = i < 0 ? src.length : i;
        } else if (src.startsWith("<!--", pos)) {
            skipTo("-->");
        } else if (src.startsWith("<![CDATA[", pos)) {
            skipTo("]]>");
        } else if (src.startsWith("<?", pos)) {
            skipTo("?>");
        } else if (src.startsWith("</", pos)) {
            pos += 2;
            const n = name();
            if (stack.pop()?.name !== n)
                throw new XmlEditError("malformed", _("The domain XML is malformed"));
            skipTo(">");
        } else {
            const tag: Tag = { name: "", attrs: [], start: pos };
            pos++;
            tag.name = name();
            for (;;) {
                space();
                if (src.startsWith("/>", pos)) {
                    pos += 2;
                    onStart(tag, stack);
                    break;
                }
                if (src[pos] === ">") {
                    pos++;
                    onStart(tag, stack);
                    stack.push(tag);
                    break;
                }
                const an = name();
                space();
                pos++; // "="
                space();
                const q = src[pos];
                const valueStart = pos + 1;
                const valueEnd = src.indexOf(q, valueStart);
                if ((q !== "'" && q !== "\"") || valueEnd < 0)
                    throw new XmlEditError("malformed", _("The domain XML is malformed"));
                tag.attrs.push({ name: an, raw: src.slice(valueStart, valueEnd), valueStart, valueEnd });
                pos = valueEnd + 1;
            }
        }
    }
}

const attr = (t: Tag, n: string) => t.attrs.find(a => a.name === n);
const attrValue = (t: Tag | undefined, n: string) => { const a = t && attr(t, n); return a ? decode(a.raw) : undefined };

/** libvirt reads these with base 0; we accept its own forms only: 0x… hex, or decimal without leading zeros. */
function number(v: string): number | undefined {
    if (/^0[xX][0-9a-fA-F]{1,8}$/.test(v))
        return parseInt(v, 16);
    if (/^(0|[1-9][0-9]{0,9})$/.test(v))
        return Number(v);
    return undefined;
}

interface Found { tag: Tag; kind: "interface" | "hostdev"; parts: Record<PartName, Attr>; address: string }
type PartName = "domain" | "bus" | "slot" | "function";
const PARTS: PartName[] = ["domain", "bus", "slot", "function"];

const hex = (n: number, w: number) => "0x" + n.toString(16).padStart(w, "0");
const addressOf = (n: Record<PartName, number>) =>
    `${n.domain.toString(16).padStart(4, "0")}:${n.bus.toString(16).padStart(2, "0")}:${n.slot.toString(16).padStart(2, "0")}.${n.function}`;

/** Every host PCI source address of a VF interface or a PCI <hostdev> directly under /domain/devices. */
function sourceAddresses(src: string): Found[] {
    const found: Found[] = [];
    scan(src, (tag, up) => {
        if (tag.name !== "address" || up.length !== 4 || up[0].name !== "domain" || up[1].name !== "devices" || up[3].name !== "source")
            return;
        const dev = up[2];
        const kind = dev.name === "interface" && attrValue(dev, "type") === "hostdev" ? "interface"
            : dev.name === "hostdev" && attrValue(dev, "type") === "pci" && (attrValue(dev, "mode") ?? "subsystem") === "subsystem" ? "hostdev"
                : null;
        if (!kind)
            return;
        const type = attrValue(tag, "type");
        if (type !== undefined && type !== "pci")
            return;
        const parts = {} as Record<PartName, Attr>;
        const nums = {} as Record<PartName, number>;
        for (const p of PARTS) {
            const a = attr(tag, p);
            if (!a)
                throw new XmlEditError("incomplete-address",
                                       format(_("A device's PCI address in the domain XML has no “$0” attribute; the plugin only edits complete addresses"), p));
            const n = number(decode(a.raw));
            if (n === undefined)
                throw new XmlEditError("unreadable-number", format(_("The PCI address value “$0” in the domain XML is not a plain number"), decode(a.raw)));
            parts[p] = a;
            nums[p] = n;
        }
        found.push({ tag, kind, parts, address: addressOf(nums) });
    });
    return found;
}

/**
 * The domain XML with the VF interface whose host address is `from` moved to `to` (guest-side <address>, <mac>
 * and every other byte unchanged). Throws XmlEditError.
 */
export function retargetHostdevInterface(xml: string, from: PciAddress, to: PciAddress): string {
    const fromA = PciAddress.of(from), toA = PciAddress.of(to);
    try {
        if (parseXml(xml).name !== "domain")
            throw new XmlEditError("not-a-domain", _("The document is not a domain XML"));
    } catch (e) {
        if (e instanceof XmlError)
            throw new XmlEditError("malformed", format(_("The domain XML is malformed (line $0): $1"), e.line, e.message));
        throw e;
    }
    const found = sourceAddresses(xml);
    const matches = found.filter(f => f.address === fromA);
    const interfaces = matches.filter(f => f.kind === "interface");
    if (matches.some(f => f.kind === "hostdev"))
        throw new XmlEditError("plain-hostdev",
                               format(_("The domain holds $0 as a plain <hostdev> device, not as a VF network interface"), fromA));
    if (interfaces.length === 0)
        throw new XmlEditError("no-match", format(_("The domain XML has no VF interface (<interface type='hostdev'>) with host address $0"), fromA));
    if (interfaces.length > 1)
        throw new XmlEditError("several-matches",
                               format(_("The domain XML has $0 VF interfaces with host address $1; the plugin cannot tell which one to move"), interfaces.length, fromA));
    if (toA !== fromA && found.some(f => f.address === toA))
        throw new XmlEditError("address-in-use", format(_("The domain already uses $0 for another device"), toA));
    const target = interfaces[0];
    const p = pciParts(toA);
    const values: Record<PartName, string> = { domain: hex(p.domain, 4), bus: hex(p.bus, 2), slot: hex(p.slot, 2), function: hex(p.function, 1) };
    const edits = PARTS.map(name => ({ at: target.parts[name], value: values[name] })).sort((a, b) => b.at.valueStart - a.at.valueStart);
    let out = xml;
    for (const e of edits)
        out = out.slice(0, e.at.valueStart) + e.value + out.slice(e.at.valueEnd);
    verify(xml, out, fromA, toA);
    return out;
}

/** Belt and braces: the result parses, and its VF interfaces are the original ones with that one address changed. */
function verify(before: string, after: string, from: string, to: string): void {
    try {
        const a = hostdevInterfaces(parseDomainXml(before)).map(i => ({ ...i, sourcePci: i.sourcePci === from ? to : i.sourcePci }));
        const b = hostdevInterfaces(parseDomainXml(after));
        if (JSON.stringify(a) !== JSON.stringify(b))
            throw new Error("interfaces differ");
    } catch (e) {
        if (e instanceof ParseFailure || e instanceof Error)
            throw new XmlEditError("malformed", format(_("The edited domain XML did not check out: $0"), e.message));
        throw e;
    }
}
