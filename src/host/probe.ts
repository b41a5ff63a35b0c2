/*
 * A batch of read-only commands in one round trip: one spawn of `sh -s` locally, one SSH exchange remotely.
 * The fixed script (probe-script.ts) goes on stdin; the commands travel as its positional parameters.
 */
import { Argv, makeArgv } from "./argv";
import { PROBE_SCRIPT } from "./probe-script";
import { CommandResult, HostTransport, ProbeCommand, ProbeOptions, ProbeResult } from "./transport";

export const PROBE_BYTE_LIMIT = 1024 * 1024;
/** the whole batch's output: past it the batch is stopped and its records end early */
export const PROBE_BATCH_LIMIT = 16 * 1024 * 1024;
export const PROBE_COMMAND_TIMEOUT_S = 20;

export function probeArgv(commands: readonly ProbeCommand[], timeoutS = PROBE_COMMAND_TIMEOUT_S, byteLimit = PROBE_BYTE_LIMIT): Argv {
    if (!Number.isSafeInteger(timeoutS) || timeoutS < 1 || !Number.isSafeInteger(byteLimit) || byteLimit < 0)
        throw new Error("probe: bad timeout or byte limit");
    return makeArgv("sh", "-s", "--", timeoutS, byteLimit, ...commands.flatMap(c => [c.argv.length, ...c.argv]));
}

export interface ParsedRecord {
    index: number;
    exitStatus: number;
    durationMs: number;
    stdout: string;
    stderr: string;
    stdoutBytes: number;
    stderrBytes: number;
}

export interface ParsedProbe { records: ParsedRecord[]; complete: boolean; error?: string }

const decoder = () => new TextDecoder("utf-8", { fatal: false });

function fromBase64(lines: string[]): string {
    const bin = atob(lines.join(""));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++)
        bytes[i] = bin.charCodeAt(i);
    return decoder().decode(bytes);
}

/** Parses the probe's framing; anything that does not fit ends the parse (complete: false). */
export function parseProbeOutput(text: string): ParsedProbe {
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "")
        lines.pop();
    const records: ParsedRecord[] = [];
    if (lines[0] !== "VFM-PROBE 1")
        return { records, complete: false, error: lines.find(l => l.startsWith("VFM-PROBE-ERROR")) ?? "no probe header" };
    let i = 1;
    // base64 lines have 4n characters: never "O", "E" or "."
    const b64 = { test: (l: string | undefined) => l !== undefined && l.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(l) };
    while (i < lines.length) {
        const line = lines[i];
        const end = /^VFM-PROBE-END (\d+)$/.exec(line);
        if (end)
            return { records, complete: Number(end[1]) === records.length && i === lines.length - 1 };
        const head = /^R (\d+) (\d+) (-?\d+) +(\d+) +(\d+)$/.exec(line.trim());
        if (!head || Number(head[1]) !== records.length || lines[i + 1] !== "O")
            return { records, complete: false, error: line.startsWith("VFM-PROBE-ERROR") ? line : "bad record" };
        i += 2;
        const out: string[] = [];
        while (i < lines.length && b64.test(lines[i]))
            out.push(lines[i++]);
        if (lines[i] !== "E")
            return { records, complete: false, error: "bad record" };
        i += 1;
        const err: string[] = [];
        while (i < lines.length && b64.test(lines[i]))
            err.push(lines[i++]);
        if (lines[i] !== ".")
            return { records, complete: false, error: "bad record" };
        i += 1;
        try {
            records.push({
                index: Number(head[1]), exitStatus: Number(head[2]), durationMs: Math.max(0, Number(head[3])),
                stdoutBytes: Number(head[4]), stderrBytes: Number(head[5]), stdout: fromBase64(out), stderr: fromBase64(err),
            });
        } catch {
            return { records, complete: false, error: "bad base64" };
        }
    }
    return { records, complete: false, error: "cut short" };
}

export async function runProbe(t: HostTransport, commands: readonly ProbeCommand[], o: ProbeOptions = {}): Promise<ProbeResult> {
    const perCommand = o.perCommandTimeoutS ?? PROBE_COMMAND_TIMEOUT_S;
    const limit = o.byteLimit ?? PROBE_BYTE_LIMIT;
    // the whole batch: every command at its limit, plus room for the connection
    const timeoutMs = Math.min((perCommand + 3) * commands.length * 1000 + 15_000, 15 * 60_000);
    // each record carries at most `limit` bytes of stdout and of stderr, in base64 lines (under 3 × limit in all)
    const outputLimit = Math.min(commands.length * 3 * limit + 65_536, PROBE_BATCH_LIMIT);
    const r = await t.run(probeArgv(commands, perCommand, limit), { input: PROBE_SCRIPT, superuser: o.superuser, timeoutMs, signal: o.signal, outputLimit });
    const parsed = parseProbeOutput(r.stdout);
    let at = r.startedAt;
    const records: CommandResult[] = parsed.records.map(p => {
        const rec: CommandResult = {
            host: r.host, argv: commands[p.index].argv, stdout: p.stdout, stderr: p.stderr, exitStatus: p.exitStatus,
            durationMs: p.durationMs, startedAt: at, wire: r.wire,
            truncated: { stdout: p.stdoutBytes > limit, stderr: p.stderrBytes > limit },
            ...(p.stdoutBytes > limit || p.stderrBytes > limit ? { outputLimit: limit } : {}),
            // the probe runs each command under `timeout`: 124 is its verdict, not the tool's
            ...(p.exitStatus === 124 ? { stoppedAfterS: perCommand } : {}),
        };
        at += p.durationMs;
        return rec;
    });
    const complete = parsed.complete && records.length === commands.length;
    return {
        host: r.host, startedAt: r.startedAt, durationMs: r.durationMs, records, complete, stderr: r.stderr, wire: r.wire,
        ...(complete ? {} : { problem: r.truncated?.stdout ? `output cut at ${outputLimit} bytes` : parsed.error ?? `exit status ${r.exitStatus}` }),
    };
}
