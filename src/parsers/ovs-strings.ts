/**
 * OVSDB string atoms as ovs-vsctl prints them: bare when unambiguous (hw-offload, br0), else in double
 * quotes with C-style escapes ("true", "300000", "a b"). See ovs lib/ovsdb-data.c string_needs_quotes.
 */

/** Reads one atom at the start of `s`: returns the value and the rest, or undefined when malformed. */
export function readOvsAtom(s: string): { value: string; rest: string } | undefined {
    if (!s.startsWith("\"")) {
        const m = /^[^\s",={}[\]]+/.exec(s);
        return m ? { value: m[0], rest: s.slice(m[0].length) } : undefined;
    }
    let out = "";
    for (let i = 1; i < s.length; i++) {
        const c = s[i];
        if (c === "\"")
            return { value: out, rest: s.slice(i + 1) };
        if (c !== "\\") {
            out += c;
            continue;
        }
        const n = s[++i];
        const simple: Record<string, string> = { "\"": "\"", "\\": "\\", n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "/": "/" };
        if (n !== undefined && n in simple) {
            out += simple[n];
        } else if (n === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
            out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
            i += 4;
        } else {
            return undefined;
        }
    }
    return undefined;
}

/** A whole string that must be exactly one atom. */
export function ovsAtom(s: string): string | undefined {
    const r = readOvsAtom(s.trim());
    return r && r.rest.trim() === "" ? r.value : undefined;
}
