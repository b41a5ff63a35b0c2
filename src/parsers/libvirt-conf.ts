/*
 * libvirt's configuration files (/etc/libvirt/virtproxyd.conf, libvirtd.conf, qemu.conf): `name = value` lines,
 * `#` comments, values "strings", integers or [ "lists" ] (which may span lines). A setting that is absent (or
 * commented out, as in the files RHEL ships) has libvirt's built-in default: the caller knows the default.
 */
import { type Line, contentLines, fail, rejectControlChars } from "./common";

export type LibvirtConfValue = string | number | string[];
export interface LibvirtConf { settings: Record<string, LibvirtConfValue> }

function stripComment(text: string): string {
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "\\" && inString)
            i++;
        else if (c === "\"")
            inString = !inString;
        else if (c === "#" && !inString)
            return text.slice(0, i);
    }
    return text;
}

function unquote(l: Line, s: string): string {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(s.trim());
    if (!m)
        fail(l, "expected a \"string\"");
    return m[1].replace(/\\(.)/g, "$1");
}

export function parseLibvirtConf(text: string): LibvirtConf {
    const settings: Record<string, LibvirtConfValue> = Object.create(null) as Record<string, LibvirtConfValue>;
    let pending: { line: Line; name: string; body: string } | null = null;
    for (const l of contentLines(text)) {
        rejectControlChars(l);
        const t = stripComment(l.text).trim();
        if (pending) {
            pending.body += " " + t;
            if (!t.includes("]"))
                continue;
        } else {
            if (t === "")
                continue;
            const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(t);
            if (!m)
                fail(l, "expected “name = value”");
            pending = { line: l, name: m[1], body: m[2] };
            if (m[2].startsWith("[") && !m[2].includes("]"))
                continue;
        }
        const { line, name, body } = pending;
        pending = null;
        const v = body.trim();
        if (v.startsWith("[")) {
            if (!v.endsWith("]"))
                fail(line, "expected a list ending in “]”");
            const inner = v.slice(1, -1).trim();
            settings[name] = inner === "" ? [] : inner.split(/\s*,\s*/).filter(x => x !== "").map(x => unquote(line, x));
        } else if (/^-?\d+$/.test(v)) {
            settings[name] = Number(v);
        } else {
            settings[name] = unquote(line, v);
        }
    }
    if (pending)
        fail(pending.line, "list not closed with “]”");
    return { settings };
}
