/**
 * `mstflint -d <pf> query` (same printing code as MFT `flint query`): "Key:   value" lines, value columns
 * aligned; "Rom Info:" continues on indented lines. "FW Version:" is the stored image; "FW Version(Running):"
 * appears only when the running firmware differs (a new image burned, not yet activated).
 * Any "Key: value" line is understood (kept in `fields`); FW Version and PSID must be present.
 */
import { fail, failWhole, Line, requireContent } from "./common";

export interface RomInfo {
    type: string;
    version?: string;
    cpu?: string[];
}

export interface GuidOrMac {
    /** As printed, lowercase hex without separators: "e09d73126744". */
    base: string;
    count?: number;
}

export interface MstflintQuery {
    kind: "query";
    imageType?: string;
    /** Stored image version ("FW Version:"). */
    fwVersion: string;
    /** "FW Version(Running):" when it differs from the stored image. */
    fwVersionRunning?: string;
    /** The version the NIC runs now: fwVersionRunning ?? fwVersion. */
    fwVersionActive: string;
    fwReleaseDate?: string;
    productVersion?: string;
    romInfo: RomInfo[];
    baseGuid?: GuidOrMac;
    baseMac?: GuidOrMac;
    psid: string;
    securityAttributes?: string[];
    /** Every "Key: value" line as printed (continuations joined with "\n"). */
    fields: Record<string, string>;
}

export interface MstflintFailure {
    kind: "error";
    message: string;
}

export type MstflintQueryResult = MstflintQuery | MstflintFailure;

function romEntry(s: string, line: Line): RomInfo {
    const r: Partial<RomInfo> = {};
    for (const tok of s.trim().split(/\s+/)) {
        const m = /^(type|version|cpu)=(\S+)$/.exec(tok);
        if (!m)
            fail(line, `unexpected Rom Info item "${tok}"`);
        if (m[1] === "cpu") r.cpu = m[2].split(",");
        else r[m[1] as "type" | "version"] = m[2];
    }
    if (!r.type)
        fail(line, "Rom Info entry without type=");
    return r as RomInfo;
}

function guid(s: string, line: Line): GuidOrMac {
    const m = /^([0-9a-fA-F]+)(?:\s+([0-9]+))?$/.exec(s);
    if (!m)
        fail(line, `expected "<hex> <count>", got "${s}"`);
    return { base: m[1].toLowerCase(), ...(m[2] !== undefined ? { count: Number(m[2]) } : {}) };
}

export function parseMstflintQuery(text: string): MstflintQueryResult {
    const lines = requireContent(text);
    const e = lines.find(l => l.text.startsWith("-E- "));
    if (e)
        return { kind: "error", message: e.text.slice(4).trim() };
    const fields: Record<string, string> = {};
    const fieldLine: Record<string, Line> = {};
    const romInfo: RomInfo[] = [];
    let last: string | null = null;
    for (const line of lines) {
        const kv = /^([A-Za-z][A-Za-z0-9 ()_./-]*?):\s+(.*?)\s*$|^([A-Za-z][A-Za-z0-9 ()_./-]*?):$/.exec(line.text);
        if (kv) {
            last = kv[1] ?? kv[3];
            if (last in fields)
                fail(line, `"${last}:" appears twice`);
            fields[last] = kv[2] ?? "";
            fieldLine[last] = line;
            if (last === "Rom Info") romInfo.push(romEntry(fields[last], line));
            continue;
        }
        if (/^\s+\S/.test(line.text) && last === "Rom Info") {
            fields[last] += "\n" + line.text.trim();
            romInfo.push(romEntry(line.text, line));
            continue;
        }
        fail(line, 'expected "Key:   value"');
    }
    const fw = fields["FW Version"];
    const psid = fields.PSID;
    if (fw === undefined)
        failWhole('no "FW Version:" line');
    if (psid === undefined)
        failWhole('no "PSID:" line');
    const out: MstflintQuery = {
        kind: "query", fwVersion: fw, fwVersionActive: fields["FW Version(Running)"] ?? fw, psid, romInfo, fields,
    };
    if (fields["FW Version(Running)"] !== undefined) out.fwVersionRunning = fields["FW Version(Running)"];
    if (fields["Image type"] !== undefined) out.imageType = fields["Image type"];
    if (fields["FW Release Date"] !== undefined) out.fwReleaseDate = fields["FW Release Date"];
    if (fields["Product Version"] !== undefined) out.productVersion = fields["Product Version"];
    if (fields["Base GUID"] !== undefined) out.baseGuid = guid(fields["Base GUID"], fieldLine["Base GUID"]);
    if (fields["Base MAC"] !== undefined) out.baseMac = guid(fields["Base MAC"], fieldLine["Base MAC"]);
    if (fields["Security Attributes"] !== undefined)
        out.securityAttributes = fields["Security Attributes"].split(/\s*,\s*/);
    return out;
}
