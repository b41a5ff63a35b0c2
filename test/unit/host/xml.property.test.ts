/**
 * @jest-environment jsdom
 */
/* XML escaping and the hostdev interface XML: generated values never change the document's structure. */
import fc from "fast-check";
import { installFakeCockpit } from "../fake-cockpit";
import { inputs, property } from "./arbitraries";
import { escapeXmlAttr, hostdevInterfaceXml } from "../../../src/host/xml";
import { Mac, PciAddress } from "../../../src/host/values";

beforeAll(() => { installFakeCockpit() });

const parse = (xml: string) => new DOMParser().parseFromString(xml, "application/xml");

property("an escaped value comes back unchanged from both kinds of quoted attribute, in one element",
         fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), inputs(fc.string())), s => {
             let xml: string;
             try {
                 xml = `<a x='${escapeXmlAttr(s)}' y="${escapeXmlAttr(s)}"/>`;
             } catch {
                 return; // not representable in XML 1.0: refused
             }
             const doc = parse(xml);
             const a = doc.documentElement;
             if (doc.getElementsByTagName("parsererror").length || a.tagName !== "a" || a.attributes.length !== 2 ||
                 a.children.length !== 0 || a.getAttribute("x") !== s || a.getAttribute("y") !== s)
                 throw new Error(`structure changed for ${JSON.stringify(s)}: ${xml}`);
         });

test("characters XML cannot hold are refused", () => {
    expect(() => escapeXmlAttr("a\u0001")).toThrow();
    expect(() => escapeXmlAttr("\ud800")).toThrow();
});

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
property("the hostdev interface XML has the procedure's shape for every MAC and VF accepted",
         fc.tuple(inputs(fc.array(hex(2), { minLength: 6, maxLength: 6 }).map(a => a.join(":"))),
                  inputs(fc.stringMatching(/^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]$/))),
         ([m, p]) => {
             const mac = Mac.parse(m), pci = PciAddress.parse(p);
             if (!mac.ok || !pci.ok)
                 return;
             const doc = parse(hostdevInterfaceXml({ mac: mac.value, vf: pci.value }));
             const i = doc.documentElement;
             const addr = i.querySelector("source > address");
             const [d, b, sf] = pci.value.split(":");
             const [s, f] = sf.split(".");
             if (i.tagName !== "interface" || i.getAttribute("type") !== "hostdev" || i.getAttribute("managed") !== "yes" ||
                 i.children.length !== 2 || i.querySelector("mac")?.getAttribute("address") !== mac.value || !addr ||
                 addr.getAttribute("domain") !== `0x${d}` || addr.getAttribute("bus") !== `0x${b}` ||
                 addr.getAttribute("slot") !== `0x${s}` || addr.getAttribute("function") !== `0x${f}` || addr.attributes.length !== 5)
                 throw new Error(`unexpected XML for ${m} ${p}`);
         });

