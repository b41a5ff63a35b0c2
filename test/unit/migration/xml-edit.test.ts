/* The VF's host address changed in a domain XML — and nothing else, look-alikes included. */
import { INACTIVE_XML, LIVE_XML, VF_DEST, VF_SOURCE, readFormat, sampleDomain, sampleDomainAsIs } from "./fixtures";
import { XmlEditError, retargetHostdevInterface } from "../../../src/migration/xml-edit";
import { PciAddress } from "../../../src/host/values";
import { hostdevInterfaces, parse } from "../../../src/parsers";

const pci = (s: string) => PciAddress.of(s);

/** `after` is `before` with exactly one occurrence of `from` replaced by `to`, and nothing else changed. */
function onlyReplaced(before: string, after: string, from: string, to: string): void {
    expect(before.split(from).length - 1).toBe(1);
    expect(after).toBe(before.replace(from, to));
}

const LIVE_SRC = `domain="0x0000" bus="0xe1"\n                 slot="0x00" function="0x1"`;
const LIVE_DST = `domain="0x0000" bus="0x81"\n                 slot="0x00" function="0x3"`;

const vfs = (xml: string) => {
    const r = parse("libvirt-domain-xml", xml);
    if (!r.ok) throw new Error(r.error.message);
    return hostdevInterfaces(r.value);
};

describe("on the real sample (domain-hostdev-interface.xml)", () => {
    const doc = sampleDomain();

    test("the sample file as it is: its comment with '--' is not well-formed XML, and is refused", () => {
        expect(() => retargetHostdevInterface(sampleDomainAsIs(), pci("0000:41:00.6"), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "malformed", message: expect.stringMatching(/line 18.*'--' inside a comment/) }));
    });

    test("the VF at 0000:41:00.6 moves to the destination's VF; guest address, MAC, driver and alias stay", () => {
        const out = retargetHostdevInterface(doc, pci("0000:41:00.6"), pci(VF_DEST));
        expect(vfs(out)).toEqual([{ ...vfs(doc)[0], sourcePci: VF_DEST }]);
        expect(vfs(out)[0]).toMatchObject({ mac: "fa:16:3e:84:01:08", guestPci: "0000:00:06.0", alias: "hostdev0", managed: true });
    });

    test("exactly the four attribute values change, byte for byte", () => {
        const out = retargetHostdevInterface(doc, pci("0000:41:00.6"), pci(VF_DEST));
        onlyReplaced(doc, out, "domain='0x0000' bus='0x41' slot='0x00' function='0x6'", "domain='0x0000' bus='0x81' slot='0x00' function='0x3'");
    });

    test("the attach-device form inside the sample's comment is not an interface: its address cannot be chosen", () => {
        expect(doc).toContain("bus='0x42' slot='0x02' function='0x5'");
        expect(() => retargetHostdevInterface(doc, pci("0000:42:02.5"), pci(VF_DEST))).toThrow(XmlEditError);
        const out = retargetHostdevInterface(doc, pci("0000:41:00.6"), pci(VF_DEST));
        expect(out).toContain("bus='0x42' slot='0x02' function='0x5'");
        expect(readFormat("domain-hostdev-interface.xml")).toContain("<!--");
    });
});

describe("on a full domain XML", () => {
    test("live XML: only the VF interface's source address changes; the look-alikes in the comment, CDATA and metadata stay", () => {
        const out = retargetHostdevInterface(LIVE_XML, pci(VF_SOURCE), pci(VF_DEST));
        onlyReplaced(LIVE_XML, out, LIVE_SRC, LIVE_DST);
        // the look-alikes of the old address are all still there: comment, CDATA, metadata
        expect(out.split("bus='0xe1' slot='0x00' function='0x1'").length - 1).toBe(3);
        expect(vfs(out)).toEqual([{ ...vfs(LIVE_XML)[0], sourcePci: VF_DEST }]);
    });

    test("inactive XML the same way", () => {
        const out = retargetHostdevInterface(INACTIVE_XML, pci(VF_SOURCE), pci(VF_DEST));
        expect(vfs(out)[0]).toMatchObject({ sourcePci: VF_DEST, mac: "52:54:00:6d:90:02", guestPci: "0000:07:00.0" });
        onlyReplaced(INACTIVE_XML, out, LIVE_SRC, LIVE_DST);
    });

    test("the same address on both hosts: nothing changes", () => {
        expect(retargetHostdevInterface(LIVE_XML, pci(VF_SOURCE), pci(VF_SOURCE))).toBe(LIVE_XML);
    });

    test("an address the domain does not hold as a VF interface is refused", () => {
        expect(() => retargetHostdevInterface(LIVE_XML, pci("0000:e1:00.2"), pci(VF_DEST))).toThrow(/no VF interface.*0000:e1:00.2/);
    });

    test("a plain <hostdev> with that address is not a VF interface: refused", () => {
        expect(() => retargetHostdevInterface(LIVE_XML, pci("0000:3b:00.0"), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "plain-hostdev" }));
    });

    test("moving onto an address the domain already uses for another device is refused", () => {
        expect(() => retargetHostdevInterface(LIVE_XML, pci(VF_SOURCE), pci("0000:3b:00.0")))
                .toThrow(expect.objectContaining({ kind: "address-in-use" }));
    });

    test("two VF interfaces with the same source address: refused as ambiguous, nothing guessed", () => {
        const twice = LIVE_XML.replace("<hostdev mode='subsystem' type='pci' managed='yes'>",
                                       "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/></source></interface>\n    <hostdev mode='subsystem' type='pci' managed='yes'>");
        expect(() => retargetHostdevInterface(twice, pci(VF_SOURCE), pci(VF_DEST))).toThrow(expect.objectContaining({ kind: "several-matches" }));
    });

    test("a hex value written differently (decimal, upper case) is still recognised, and rewritten in libvirt's form", () => {
        const odd = LIVE_XML.replace(`bus="0xe1"`, `bus="225"`).replace(`function="0x1"`, `function="0X1"`);
        const out = retargetHostdevInterface(odd, pci(VF_SOURCE), pci(VF_DEST));
        expect(out).toContain(`bus="0x81"\n                 slot="0x00" function="0x3"`);
    });

    test("an attribute value that is not a plain number (octal, a number with a newline reference) is refused", () => {
        expect(() => retargetHostdevInterface(LIVE_XML.replace(`bus="0xe1"`, `bus="0341"`), pci(VF_SOURCE), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "unreadable-number" }));
        expect(() => retargetHostdevInterface(LIVE_XML.replace(`bus="0xe1"`, `bus="0xe1&#10;"`), pci(VF_SOURCE), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "unreadable-number" }));
    });

    test("a value written with character references is read as XML reads it, and replaced as a whole", () => {
        const encoded = LIVE_XML.replace(`bus="0xe1"`, `bus="&#48;x&#x65;1"`);
        const out = retargetHostdevInterface(encoded, pci(VF_SOURCE), pci(VF_DEST));
        expect(out).toBe(LIVE_XML.replace(LIVE_SRC, LIVE_DST));
    });

    test("an entity named like the prototype of a plain object is unknown: the XML is refused, not read as a function's text", () => {
        for (const ref of ["&constructor;", "&toString;"])
            expect(() => retargetHostdevInterface(LIVE_XML.replace(`bus="0xe1"`, `bus="${ref}"`), pci(VF_SOURCE), pci(VF_DEST)))
                    .toThrow(expect.objectContaining({ kind: "malformed" }));
    });

    test("an address without its domain attribute is refused rather than completed by guess", () => {
        expect(() => retargetHostdevInterface(LIVE_XML.replace(`domain="0x0000" bus="0xe1"`, `bus="0xe1"`), pci(VF_SOURCE), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "incomplete-address" }));
    });

    test("malformed XML, a DOCTYPE, or another root element are refused", () => {
        expect(() => retargetHostdevInterface(LIVE_XML.replace("</devices>", ""), pci(VF_SOURCE), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "malformed" }));
        expect(() => retargetHostdevInterface("<!DOCTYPE domain [<!ENTITY x 'y'>]>" + LIVE_XML, pci(VF_SOURCE), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "malformed" }));
        expect(() => retargetHostdevInterface("<network><name>x</name></network>", pci(VF_SOURCE), pci(VF_DEST)))
                .toThrow(expect.objectContaining({ kind: "not-a-domain" }));
    });

    test("an interface that is not directly in <devices> (e.g. in <metadata>) is never taken for the VF", () => {
        const onlyMeta = LIVE_XML.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>\n/, "");
        expect(() => retargetHostdevInterface(onlyMeta, pci(VF_SOURCE), pci(VF_DEST))).toThrow(expect.objectContaining({ kind: "no-match" }));
    });

    test("a '>' inside an attribute value and attributes on several lines do not confuse the scan", () => {
        const tricky = LIVE_XML.replace("<interface type='hostdev' managed='yes'>", "<interface managed='yes'\n   type='hostdev'>")
                .replace("<alias name='hostdev0'/>", "<alias name='a&gt;b>c'/>");
        const out = retargetHostdevInterface(tricky, pci(VF_SOURCE), pci(VF_DEST));
        onlyReplaced(tricky, out, LIVE_SRC, LIVE_DST);
    });
});

describe("injection: hostile PCI addresses never reach the XML", () => {
    test.each(["0000:81:00.3' bus='0x00", "0000:81:00.3\n", "<0000:81:00.3>", "0000:81:00.3&amp;", "81:00.3\"/><hostdev", "", "0000:81:20.0"])(
        "%j is refused by the PciAddress type", bad => {
            expect(PciAddress.parse(bad).ok).toBe(false);
            expect(() => retargetHostdevInterface(LIVE_XML, pci(VF_SOURCE), bad as PciAddress)).toThrow(/PCI address/);
        });
});
