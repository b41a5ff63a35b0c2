import { childElements, firstChild, parseXml, textOf, XmlError } from "../../../src/parsers/xml";
import { readSample } from "./samples";

function xmlError(src: string): XmlError {
    try {
        parseXml(src);
    } catch (e) {
        if (e instanceof XmlError) return e;
        throw e;
    }
    throw new Error("expected an XmlError");
}

describe("xml tokenizer", () => {
    test("the domain-hostdev-interface.xml sample: its first comment is fine, the second has '--' (not well-formed)", () => {
        const file = readSample("domain-hostdev-interface.xml");
        expect(xmlError(file)).toMatchObject({ line: 15 });
        const root = parseXml(file.split("<!-- Minimal")[0]);
        expect(root.name).toBe("interface");
        expect(root.attrs).toEqual({ type: "hostdev", managed: "yes" });
        expect(root.line).toBe(6);
        expect(childElements(root).map(c => c.name)).toEqual(["mac", "driver", "source", "alias", "address"]);
    });

    test("entities, character references, CDATA, PIs, comments, double quotes", () => {
        const root = parseXml("<?xml version='1.0' encoding='UTF-8'?>\n<!-- c -->\n<a x=\"&lt;b&gt; &amp; &quot;q&quot; &apos;\" y='&#65;&#x42;'>t&lt;<![CDATA[<raw>&amp;]]><?pi data?><b/>u<!-- in --></a>\n<!-- after -->\n");
        expect(root.attrs).toEqual({ x: "<b> & \"q\" '", y: "AB" });
        expect(root.children[0]).toBe("t<<raw>&amp;");
        expect(firstChild(root, "b")?.line).toBe(3);
        expect(textOf(root)).toBe("t<<raw>&amp;u");
    });

    test("attributes named like the prototype of a plain object are attributes like any other, once each", () => {
        const root = parseXml("<a constructor='c' toString='t' __proto__='p' hasOwnProperty='h'/>");
        expect(Object.entries(root.attrs)).toEqual([["constructor", "c"], ["toString", "t"], ["__proto__", "p"], ["hasOwnProperty", "h"]]);
        // an element without them does not see the prototype's
        expect(parseXml("<a/>").attrs.constructor).toBeUndefined();
    });

    test("attribute whitespace normalised; markup in values stays data", () => {
        expect(parseXml("<a v='x\ty\nz'>&lt;script&gt;</a>")).toMatchObject({ attrs: { v: "x y z" }, children: ["<script>"] });
    });

    test.each([
        ["", 1, /no root element/],
        ["<a>", 1, /not closed/],
        ["<a>\n</b>", 2, /closes <a>/],
        ["<a x=1/>", 1, /quoted/],
        ["<a x='1' x='2'/>", 1, /twice/],
        ["<a x='1'y='2'/>", 1, /whitespace between attributes/],
        ["<a x='<'/>", 1, /'<'/],
        ["<a>&nbsp;</a>", 1, /unknown entity/],
        // names the prototype of a plain object holds are no entities
        ["<a>&constructor;</a>", 1, /unknown entity &constructor;/],
        ["<a x='&toString;'/>", 1, /unknown entity &toString;/],
        ["<a>&__proto__;</a>", 1, /unknown entity/],
        ["<a constructor='1' constructor='2'/>", 1, /constructor appears twice/],
        ["<a>&amp</a>", 1, /entity reference/],
        ["<a>&#0;</a>", 1, /not an allowed XML character/],
        ["<a>\n\u0007</a>", 2, /U\+0007/],
        ["<a><!-- x -- y --></a>", 1, /'--'/],
        ["<a><![CDATA[x</a>", 1, /unterminated CDATA/],
        ["<a/>\n<b/>", 2, /after the root/],
        ["text<a/>", 1, /text before the root/],
        ["<!DOCTYPE a><a/>", 1, /DOCTYPE/],
        [" <?xml version='1.0'?><a/>", 1, /XML declaration not at the start/],
        ["<a>]]></a>", 1, /']]>'/],
        ["<a><b></a></b>", 1, /closes <b>/],
    ])("malformed %j -> line %i", (src, line, message) => {
        const e = xmlError(src);
        expect(e.line).toBe(line);
        expect(e.message).toMatch(message);
    });
});
