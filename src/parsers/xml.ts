/**
 * A small, strict, non-validating XML reader for libvirt's XML (jest runs in node, which has no DOMParser).
 * Handles elements, attributes in ' or ", the five predefined entities and character references, comments,
 * CDATA, processing instructions and the XML declaration. No DOCTYPE (libvirt never emits one), no namespaces
 * processing (prefixed names are kept as written). Malformed input throws XmlError with the line number.
 */

export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlNode[];
    /** 1-based line of the start tag. */
    line: number;
}

export type XmlNode = XmlElement | string;

export class XmlError extends Error {
    constructor(readonly line: number, message: string) {
        super(message);
        this.name = "XmlError";
    }
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFF]*/y;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" };

function validChar(cp: number): boolean {
    return cp === 0x9 || cp === 0xA || cp === 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
        (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

class Reader {
    pos = 0;
    private readonly newlines: number[] = [];

    constructor(readonly src: string) {
        for (let i = 0; i < src.length; i++) {
            if (src[i] === "\n")
                this.newlines.push(i);
            const cp = src.codePointAt(i) as number;
            if (!validChar(cp)) {
                this.pos = i;
                this.fail(`character U+${cp.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML`);
            }
            if (cp > 0xFFFF) i++;
        }
    }

    lineAt(pos: number): number {
        let lo = 0;
        let hi = this.newlines.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.newlines[mid] < pos) lo = mid + 1;
            else hi = mid;
        }
        return lo + 1;
    }

    fail(message: string, pos = this.pos): never {
        throw new XmlError(this.lineAt(pos), message);
    }

    starts(s: string): boolean {
        return this.src.startsWith(s, this.pos);
    }

    eof(): boolean {
        return this.pos >= this.src.length;
    }

    skipSpace(): boolean {
        const start = this.pos;
        while (!this.eof() && " \t\r\n".includes(this.src[this.pos]))
            this.pos++;
        return this.pos > start;
    }

    name(): string {
        NAME.lastIndex = this.pos;
        const m = NAME.exec(this.src);
        if (!m)
            this.fail("expected a name");
        this.pos += m[0].length;
        return m[0];
    }

    until(end: string, what: string): string {
        const i = this.src.indexOf(end, this.pos);
        if (i < 0)
            this.fail(`unterminated ${what}`);
        const s = this.src.slice(this.pos, i);
        this.pos = i + end.length;
        return s;
    }

    /** Decodes entity and character references in text or an attribute value. */
    decode(raw: string, at: number): string {
        return raw.replace(/&([^;&\s]*);?/g, (all: string, ref: string, offset: number) => {
            const where = at + offset;
            if (!all.endsWith(";"))
                this.fail("'&' must start an entity reference like &amp;", where);
            if (Object.hasOwn(PREDEFINED, ref))
                return PREDEFINED[ref];
            const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
            if (!m)
                this.fail(`unknown entity &${ref};`, where);
            const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
            if (!validChar(cp))
                this.fail(`character reference &${ref}; is not an allowed XML character`, where);
            return String.fromCodePoint(cp);
        });
    }
}

function readMisc(r: Reader, allowDecl: boolean): void {
    for (;;) {
        r.skipSpace();
        if (r.starts("<!--")) {
            readComment(r);
        } else if (r.starts("<?")) {
            const at = r.pos;
            r.pos += 2;
            const target = r.name();
            if (target.toLowerCase() === "xml" && !(allowDecl && at === 0))
                r.fail("XML declaration not at the start of the document", at);
            r.until("?>", "processing instruction");
        } else if (r.starts("<!DOCTYPE")) {
            r.fail("DOCTYPE is not supported");
        } else {
            return;
        }
    }
}

function readComment(r: Reader): void {
    const at = r.pos;
    r.pos += 4;
    const body = r.until("-->", "comment");
    if (body.includes("--") || body.endsWith("-"))
        r.fail("'--' inside a comment", at);
}

function readAttrs(r: Reader, el: XmlElement): void {
    for (;;) {
        const spaced = r.skipSpace();
        if (r.starts("/>") || r.starts(">"))
            return;
        if (!spaced)
            r.fail("expected whitespace between attributes");
        const at = r.pos;
        const name = r.name();
        r.skipSpace();
        if (!r.starts("="))
            r.fail(`attribute ${name} without '='`);
        r.pos++;
        r.skipSpace();
        const q = r.src[r.pos];
        if (q !== "\"" && q !== "'")
            r.fail(`attribute ${name}: value must be quoted`);
        r.pos++;
        const start = r.pos;
        const raw = r.until(q, "attribute value");
        if (raw.includes("<"))
            r.fail(`attribute ${name}: '<' in a value`, start);
        if (Object.hasOwn(el.attrs, name))
            r.fail(`attribute ${name} appears twice`, at);
        el.attrs[name] = r.decode(raw, start).replace(/[\t\n\r]/g, " ");
    }
}

function readElement(r: Reader): XmlElement {
    const at = r.pos;
    r.pos++; // "<"
    // no prototype: an attribute named "constructor" or "__proto__" is an attribute like any other
    const el: XmlElement = { name: r.name(), attrs: Object.create(null) as Record<string, string>, children: [], line: r.lineAt(at) };
    readAttrs(r, el);
    if (r.starts("/>")) {
        r.pos += 2;
        return el;
    }
    r.pos++; // ">"
    let text = "";
    const flush = () => {
        if (text !== "") el.children.push(text);
        text = "";
    };
    for (;;) {
        if (r.eof())
            r.fail(`element <${el.name}> (line ${el.line}) is not closed`);
        if (r.starts("</")) {
            r.pos += 2;
            const name = r.name();
            if (name !== el.name)
                r.fail(`</${name}> closes <${el.name}> opened on line ${el.line}`);
            r.skipSpace();
            if (!r.starts(">"))
                r.fail("expected '>'");
            r.pos++;
            flush();
            return el;
        }
        if (r.starts("<!--")) {
            readComment(r);
        } else if (r.starts("<![CDATA[")) {
            r.pos += 9;
            text += r.until("]]>", "CDATA section");
        } else if (r.starts("<?")) {
            r.pos += 2;
            if (r.name().toLowerCase() === "xml")
                r.fail("XML declaration inside an element");
            r.until("?>", "processing instruction");
        } else if (r.starts("<!")) {
            r.fail("unexpected markup declaration");
        } else if (r.starts("<")) {
            flush();
            el.children.push(readElement(r));
        } else {
            const start = r.pos;
            const i = r.src.indexOf("<", r.pos);
            const raw = r.src.slice(start, i < 0 ? r.src.length : i);
            if (raw.includes("]]>"))
                r.fail("']]>' in text", start + raw.indexOf("]]>"));
            r.pos = start + raw.length;
            text += r.decode(raw, start);
        }
    }
}

/** Parses a document with exactly one root element. */
export function parseXml(src: string): XmlElement {
    const r = new Reader(src.startsWith("\uFEFF") ? src.slice(1) : src);
    readMisc(r, true);
    if (!r.starts("<") || r.eof())
        r.fail(r.eof() ? "no root element" : "text before the root element");
    const root = readElement(r);
    readMisc(r, false);
    if (!r.eof())
        r.fail("content after the root element");
    return root;
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
    return el.children.filter((c): c is XmlElement => typeof c !== "string" && (name === undefined || c.name === name));
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
    return childElements(el, name)[0];
}

/** Concatenated text content of the element and its descendants. */
export function textOf(el: XmlElement): string {
    return el.children.map(c => (typeof c === "string" ? c : textOf(c))).join("");
}
