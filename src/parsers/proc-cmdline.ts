/**
 * /proc/cmdline (the running kernel's arguments) and the "args=" of `grubby --info=...` (what the next boot
 * will use). Arguments are split on spaces; double quotes group ("param=\"a b\""), as the kernel does.
 */
import { fail, failWhole, Line, linesOf, rejectControlChars } from "./common";

export interface IommuArgs {
    /** Raw values, when present: intel_iommu=on,sm_on -> "on,sm_on". */
    intelIommu?: string;
    amdIommu?: string;
    iommu?: string;
    /** intel_iommu has "on" among its comma-separated options. */
    intelIommuOn: boolean;
    /** intel_iommu=off or amd_iommu=off. */
    iommuOff: boolean;
    /** iommu=pt (passthrough for host devices). */
    iommuPt: boolean;
}

export interface KernelCmdline {
    /** The arguments in order, quotes removed. */
    args: string[];
    /** name -> value of the LAST occurrence ("" for a bare flag like "quiet"). */
    params: Record<string, string>;
    iommu: IommuArgs;
}

export function splitKernelArgs(s: string, line: Line): string[] {
    const args: string[] = [];
    let cur = "";
    let inQuote = false;
    let has = false;
    for (const c of s) {
        if (c === "\"") {
            inQuote = !inQuote;
            has = true;
        } else if (/\s/.test(c) && !inQuote) {
            if (has) args.push(cur);
            cur = "";
            has = false;
        } else {
            cur += c;
            has = true;
        }
    }
    if (inQuote)
        fail(line, "unbalanced double quote");
    if (has) args.push(cur);
    return args;
}

export function readKernelArgs(args: string[]): KernelCmdline {
    const params: Record<string, string> = {};
    for (const a of args) {
        const eq = a.indexOf("=");
        if (eq < 0) params[a] = "";
        else params[a.slice(0, eq)] = a.slice(eq + 1);
    }
    const opts = (v: string | undefined) => (v ?? "").split(",");
    const iommu: IommuArgs = {
        intelIommuOn: opts(params.intel_iommu).includes("on"),
        iommuOff: opts(params.intel_iommu).includes("off") || opts(params.amd_iommu).includes("off"),
        iommuPt: opts(params.iommu).includes("pt"),
    };
    if (params.intel_iommu !== undefined) iommu.intelIommu = params.intel_iommu;
    if (params.amd_iommu !== undefined) iommu.amdIommu = params.amd_iommu;
    if (params.iommu !== undefined) iommu.iommu = params.iommu;
    return { args, params, iommu };
}

export function parseProcCmdline(text: string): KernelCmdline {
    const lines = linesOf(text);
    if (lines.length === 0 || lines.every(l => l.text.trim() === ""))
        failWhole("empty output");
    if (lines.length > 1)
        fail(lines[1], "expected a single line");
    rejectControlChars(lines[0]);
    return readKernelArgs(splitKernelArgs(lines[0].text, lines[0]));
}

export interface GrubbyEntry {
    index?: number;
    kernel?: string;
    title?: string;
    /** The entry's arguments (what that kernel will boot with). */
    cmdline: KernelCmdline;
    fields: Record<string, string>;
}

export interface GrubbyInfo {
    entries: GrubbyEntry[];
}

function unquote(v: string, line: Line): string {
    if (!v.startsWith("\""))
        return v;
    if (v.length < 2 || !v.endsWith("\""))
        fail(line, "unbalanced double quote");
    return v.slice(1, -1);
}

/** `grubby --info=ALL` / `--info=DEFAULT`: key=value lines; each entry starts with "index=N". */
export function parseGrubbyInfo(text: string): GrubbyInfo {
    const entries: GrubbyEntry[] = [];
    let cur: { fields: Record<string, string>; argsLine?: Line } | null = null;
    const drafts: { fields: Record<string, string>; argsLine?: Line }[] = [];
    for (const line of linesOf(text).filter(l => l.text.trim() !== "")) {
        const m = /^([a-z_]+)=(.*)$/.exec(line.text);
        if (!m)
            fail(line, 'expected "key=value"');
        if (m[1] === "index" || !cur) {
            if (m[1] !== "index")
                fail(line, 'expected "index=N" first');
            cur = { fields: {} };
            drafts.push(cur);
        }
        if (m[1] in cur.fields)
            fail(line, `"${m[1]}" appears twice in one entry`);
        cur.fields[m[1]] = unquote(m[2], line);
        if (m[1] === "args") cur.argsLine = line;
    }
    if (drafts.length === 0)
        failWhole("empty output");
    for (const d of drafts) {
        const e: GrubbyEntry = {
            cmdline: readKernelArgs(d.argsLine ? splitKernelArgs(d.fields.args, d.argsLine) : []),
            fields: d.fields,
        };
        if (/^[0-9]+$/.test(d.fields.index)) e.index = Number(d.fields.index);
        if (d.fields.kernel !== undefined) e.kernel = d.fields.kernel;
        if (d.fields.title !== undefined) e.title = d.fields.title;
        entries.push(e);
    }
    return { entries };
}
