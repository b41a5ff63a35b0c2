/*
 * A host for the progress-record tests: iconv, head, tee, mv and the rest on an in-memory file system, every call
 * kept. Files hold JS strings: a U+FFFD in one stands for a byte that is not UTF-8 (iconv refuses it there).
 */
import type { Argv } from "../../../src/host/argv";
import type { CommandResult, HostTransport, RunOptions } from "../../../src/host/transport";

export class FileHost implements HostTransport {
    constructor(readonly host = "localhost") {}
    files = new Map<string, string>();
    calls: { argv: string[]; input?: string; changes?: boolean }[] = [];
    async run(argv: Argv, o: RunOptions = {}): Promise<CommandResult> {
        const a = [...argv];
        this.calls.push({ argv: a, ...(o.input !== undefined ? { input: o.input } : {}), ...(o.changes ? { changes: true } : {}) });
        let stdout = "", stderr = "", exitStatus = 0;
        const file = a[a.length - 1];
        if (a[0] === "iconv") {
            // iconv -f UTF-8 -t UTF-8 -o /dev/null -- FILE
            const at = this.files.get(file)?.indexOf("\ufffd") ?? -1;
            if (!this.files.has(file)) {
                stderr = `iconv: cannot open input file \`${file}': No such file or directory\n`;
                exitStatus = 1;
            } else if (at >= 0) {
                stderr = `iconv: illegal input sequence at position ${at}\n`;
                exitStatus = 1;
            }
        } else if (a[0] === "head") {
            // head -c N -- FILE
            if (this.files.has(file))
                stdout = (this.files.get(file) ?? "").slice(0, Number(a[2]));
            else {
                stderr = `head: cannot open '${file}' for reading: No such file or directory\n`;
                exitStatus = 1;
            }
        } else if (a[0] === "tee") {
            this.files.set(file, o.input ?? "");
            stdout = o.input ?? "";
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
