/*
 * A host for the progress-record tests: the page's state-file scripts (src/host/commands/state-file.ts: read, write,
 * and the write made only if the file is as expected) and mv on an in-memory file system, every call kept. Files hold JS strings: a
 * U+FFFD in one stands for a byte that is not UTF-8 (iconv refuses it there).
 */
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from "util";
import type { Argv } from "../../../src/host/argv";
import type { CommandResult, HostTransport, RunOptions } from "../../../src/host/transport";

/** the command's name: a fixed `bash -c SCRIPT NAME …` goes by its NAME (vfm-state-read), others by their first word */
export const commandName = (argv: readonly string[]): string =>
    (argv[0] === "bash" && argv[1] === "-c" && argv.length > 3 ? argv[3] : argv[0]);

export class FileHost implements HostTransport {
    constructor(readonly host = "localhost") {}
    files = new Map<string, string>();
    calls: { argv: string[]; input?: string; changes?: boolean }[] = [];
    async run(argv: Argv, o: RunOptions = {}): Promise<CommandResult> {
        const a = [...argv];
        this.calls.push({ argv: a, ...(o.input !== undefined ? { input: o.input } : {}), ...(o.changes ? { changes: true } : {}) });
        let stdout = "", stderr = "", exitStatus = 0;
        if (commandName(a) === "vfm-state-read") {
            // bash -c READ_SH vfm-state-read FILE MAXBYTES: iconv's check, then head -c
            const [file, max] = a.slice(4);
            const at = this.files.get(file)?.indexOf("\ufffd") ?? -1;
            if (!this.files.has(file)) {
                stderr = `iconv: cannot open input file \`${file}': No such file or directory\n`;
                exitStatus = 1;
            } else if (at >= 0) {
                stderr = `iconv: illegal input sequence at position ${at}\n`;
                exitStatus = 1;
            } else
                stdout = (this.files.get(file) ?? "").slice(0, Number(max));
        } else if (commandName(a) === "vfm-state-write") {
            // bash -c REPLACE_SH vfm-state-write DIR NEW FILE: stdin to NEW, renamed over FILE
            const file = a[6];
            this.files.set(file, o.input ?? "");
        } else if (commandName(a) === "vfm-state-swap") {
            // bash -c SWAP_SH vfm-state-swap DIR NEW FILE, stdin: the expected text's byte count ("-": no file), it, the new text
            const file = a[6];
            const input = o.input ?? "";
            const line = input.slice(0, input.indexOf("\n"));
            const rest = new NodeTextEncoder().encode(input.slice(input.indexOf("\n") + 1));
            const at = line === "-" ? 0 : Number(line);
            const expected = line === "-" ? null : new NodeTextDecoder().decode(rest.subarray(0, at));
            if ((this.files.get(file) ?? null) !== expected) {
                stderr = `${file} changed since the page read it\n`;
                exitStatus = 3;
            } else
                this.files.set(file, new NodeTextDecoder().decode(rest.subarray(at)));
        } else if (a[0] === "mv") {
            const [from, to] = a.slice(-2);
            if (this.files.has(from)) {
                this.files.set(to, this.files.get(from) ?? "");
                this.files.delete(from);
            } else {
                stderr = `mv: cannot stat '${from}': No such file or directory\n`;
                exitStatus = 1;
            }
        }
        return { host: this.host, argv: a, stdout, stderr, exitStatus, durationMs: 1, startedAt: 0, wire: a };
    }
    writeSysfs(): never {
        throw new Error("no");
    }
    probe(): never {
        throw new Error("no");
    }
    async close() {}
}
