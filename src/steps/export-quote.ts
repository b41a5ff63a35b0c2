/*
 * How text reaches the exports. Host-derived text goes into bash only as a quoted word (shWord), into a comment
 * only in its comment-safe form, and into YAML only as a double-quoted scalar with every character that could
 * matter escaped. PyYAML (Ansible's parser) also reads U+0085, U+2028, U+2029 and CR as line breaks.
 */
import { hasLoneSurrogate } from "../host/values";

/** Only [A-Za-z0-9._:-]: nothing a bash or YAML comment could end on, nothing Jinja reads. */
export const commentSafe = (s: string | number): string => String(s).replace(/[^A-Za-z0-9._:-]/g, "");

/** Fixed text (titles, descriptions) on one comment line: every line break or control character made a space. */
// eslint-disable-next-line no-control-regex
export const commentLine = (s: string): string => s.replace(/\s*[\u0000-\u001f\u007f-\u009f\u2028\u2029]+\s*/g, " ");

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** A YAML double-quoted scalar holding exactly `s`: printable ASCII as is, everything else escaped. */
export function yamlQuoted(s: string): string {
    let out = "\"";
    for (const ch of s) {
        const c = ch.codePointAt(0) as number;
        if (ch === "\"" || ch === "\\")
            out += "\\" + ch;
        else if (c >= 0x20 && c < 0x7f)
            out += ch;
        else if (c === 0x0a)
            out += "\\n";
        else if (c >= 0xd800 && c <= 0xdfff)
            out += "\\ufffd"; // half of a surrogate pair: no YAML or UTF-8 text can hold it
        else
            out += c > 0xffff ? "\\U" + hex(c, 8) : "\\u" + hex(c, 4);
    }
    return out + "\"";
}

// eslint-disable-next-line no-control-regex
const NOT_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/**
 * Lines as a YAML literal block (readable) when every line is plain text, else as one double-quoted scalar; either
 * way tagged !unsafe, so that Ansible never evaluates a Jinja expression in it.
 */
export function yamlUnsafeText(lines: string[], by: string): string {
    const all = lines.flatMap(l => l.split("\n"));
    const plain = all.every(l => !NOT_IN_BLOCK.test(l) && !hasLoneSurrogate(l)) && all.length > 0 && !/^\s/.test(all[0]);
    if (!plain)
        return `!unsafe ${yamlQuoted(all.join("\n") + "\n")}`;
    return "!unsafe |\n" + all.map(l => (l ? by + l : "")).join("\n");
}
