/**
 * Reads the real output samples in ../shared/formats (see SOURCES.md there). Sample files hold several
 * samples with comments, headings and command lines; these helpers cut out one sample's output.
 */
import * as fs from "fs";
import * as path from "path";

export const FORMATS = path.resolve(__dirname, "../../..", "../shared/formats");

export function readSample(file: string): string {
    return fs.readFileSync(path.join(FORMATS, file), "utf8");
}

/** A line that ends a sample's output: a comment/heading, a "$ " command or a shell prompt with a command. */
function isStop(line: string): boolean {
    return /^(#|\$ |\[[^\]]*\][#$]+ |[\w.~-]+@[\w.-]+:\S*[#$] |~\]#+ |sh-[0-9.]+# |flint -d |devlink (dev|port) |virsh )/.test(line);
}

function trimBlank(lines: string[]): string[] {
    let a = 0;
    let b = lines.length;
    while (a < b && lines[a].trim() === "") a++;
    while (b > a && lines[b - 1].trim() === "") b--;
    return lines.slice(a, b);
}

function cut(file: string, startsAt: (line: string) => boolean, nth: number, what: string): string {
    const lines = readSample(file).split("\n");
    const hits = lines.map((l, i) => (startsAt(l) ? i : -1)).filter(i => i >= 0);
    if (hits.length <= nth)
        throw new Error(`${file}: ${what} not found (occurrence ${nth})`);
    const out: string[] = [];
    for (const l of lines.slice(hits[nth] + 1)) {
        if (isStop(l)) break;
        out.push(l);
    }
    return trimBlank(out).join("\n") + "\n";
}

/** The output printed after the command line that ends with `command` (its nth occurrence). */
export function afterCommand(file: string, command: string, nth = 0): string {
    return cut(file, l => l.trimEnd().endsWith(command) && isStop(l), nth, `command "${command}"`);
}

/** The lines under the heading that starts with `heading` (e.g. "## (a)"), up to the next comment line. */
export function section(file: string, heading: string, nth = 0): string {
    return cut(file, l => l.startsWith(heading), nth, `heading "${heading}"`);
}

/** Removes the "[...]" elision lines that excerpts contain (real output never has them). */
export function withoutElisions(text: string): string {
    return text.split("\n").filter(l => l.trim() !== "[...]").join("\n");
}
