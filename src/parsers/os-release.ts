/**
 * /etc/os-release: KEY=value lines, values shell-quoted ("..." with \" \\ \$ \` escapes, or '...'),
 * comments (#) and blank lines allowed.
 */
import { fail, Line, linesOf } from "./common";

export interface OsRelease {
    id?: string;
    idLike: string[];
    name?: string;
    prettyName?: string;
    versionId?: string;
    platformId?: string;
    fields: Record<string, string>;
}

function value(raw: string, line: Line): string {
    if (raw.startsWith("'")) {
        if (!/^'[^']*'$/.test(raw))
            fail(line, "unbalanced single quote");
        return raw.slice(1, -1);
    }
    if (raw.startsWith("\"")) {
        const m = /^"((?:[^"\\]|\\.)*)"$/.exec(raw);
        if (!m)
            fail(line, "unbalanced double quote");
        return m[1].replace(/\\(.)/g, (_all, c: string) => c);
    }
    if (/[\s"'\\$`]/.test(raw))
        fail(line, "unquoted value with spaces or shell characters");
    return raw;
}

export function parseOsRelease(text: string): OsRelease {
    const fields: Record<string, string> = {};
    for (const line of linesOf(text)) {
        const t = line.text.trim();
        if (t === "" || t.startsWith("#"))
            continue;
        const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(t);
        if (!m)
            fail(line, 'expected "KEY=value"');
        fields[m[1]] = value(m[2], line);
    }
    if (Object.keys(fields).length === 0)
        fail(null, "empty output");
    const out: OsRelease = { idLike: (fields.ID_LIKE ?? "").split(/\s+/).filter(x => x !== ""), fields };
    if (fields.ID !== undefined) out.id = fields.ID;
    if (fields.NAME !== undefined) out.name = fields.NAME;
    if (fields.PRETTY_NAME !== undefined) out.prettyName = fields.PRETTY_NAME;
    if (fields.VERSION_ID !== undefined) out.versionId = fields.VERSION_ID;
    if (fields.PLATFORM_ID !== undefined) out.platformId = fields.PLATFORM_ID;
    return out;
}
