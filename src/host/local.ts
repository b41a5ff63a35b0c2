/* The host this Cockpit session runs on: cockpit.spawn with an argv; root only when a command needs it. */
import { cockpit, spawnOutcome } from "../lib/cockpit";
import { Argv } from "./argv";
import { runProbe } from "./probe";
import {
    CommandResult, DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT_MS, HostTransport, ProbeCommand, ProbeOptions, ProbeResult, RunOptions,
    TransportErrorKind, signalName, transportError, writeSysfsVia,
} from "./transport";
import { SysfsPath, SysfsValue } from "./values";

// Cockpit's channel problem codes → our kinds
const PROBLEMS: Record<string, TransportErrorKind> = {
    "not-found": "command-not-found",
    "access-denied": "permission-denied",
    "authentication-failed": "permission-denied",
    timeout: "timeout",
    cancelled: "cancelled",
    terminated: "unreachable",
    disconnected: "unreachable",
    "no-session": "unreachable",
};

export class LocalTransport implements HostTransport {
    constructor(readonly host = "localhost") {}

    async run(argv: Argv, options: RunOptions = {}): Promise<CommandResult> {
        const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const words = [...argv];
        if (options.signal?.aborted)
            throw transportError("cancelled", this.host, words);
        const startedAt = Date.now();
        const limit = options.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
        const handle = cockpit().spawn(words, { err: "message", ...(options.superuser ? { superuser: "require" as const } : {}) });
        let stoppedBy: "timeout" | "cancelled" | "too-large" | null = null;
        const stop = (why: "timeout" | "cancelled" | "too-large") => { stoppedBy = why; handle.close(why) };
        // stdout is read as it comes: past the limit the process is stopped (Cockpit's bridge sends it SIGTERM)
        const stdout = new OutputBuffer(limit);
        handle.stream(chunk => {
            if (stoppedBy === null && !stdout.add(chunk))
                stop("too-large");
        });
        const timer = setTimeout(() => stop("timeout"), timeoutMs);
        const onAbort = () => stop("cancelled");
        options.signal?.addEventListener("abort", onAbort);
        handle.input(options.input ?? "");
        const out = await spawnOutcome(handle);
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        const durationMs = Date.now() - startedAt;

        if (stoppedBy === "too-large") {
            return {
                host: this.host, argv: words, stdout: stdout.text(), stderr: "", exitStatus: 128 + 15, signal: "SIGTERM",
                durationMs, startedAt, wire: words, truncated: { stdout: true, stderr: false }, outputLimit: limit,
            };
        }
        if (stoppedBy)
            throw transportError(stoppedBy, this.host, words, out.stderr, timeoutMs);
        if (out.problem !== null || out.exitStatus === null) {
            const kind = PROBLEMS[out.problem ?? ""] ?? "protocol";
            throw transportError(kind, this.host, words, out.stderr, timeoutMs);
        }
        stdout.add(out.stdout);
        // stderr comes whole when the process ends (Cockpit's bridge keeps it): cut here
        const stderr = new OutputBuffer(limit);
        stderr.add(out.stderr);
        const result: CommandResult = {
            host: this.host, argv: words, stdout: stdout.text(), stderr: stderr.text(), exitStatus: out.exitStatus,
            durationMs, startedAt, wire: words,
            ...(stdout.cut || stderr.cut ? { truncated: { stdout: stdout.cut, stderr: stderr.cut }, outputLimit: limit } : {}),
        };
        // Cockpit's Python bridge reports a signal as a negative exit status
        if (out.exitStatus < 0 || out.signal) {
            const n = out.exitStatus < 0 ? -out.exitStatus : 0;
            result.signal = out.signal ?? signalName(n);
            result.exitStatus = 128 + n;
        }
        return result;
    }

    writeSysfs(path: SysfsPath, value: SysfsValue, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<CommandResult> {
        return writeSysfsVia(this, path, value, options);
    }

    probe(commands: readonly ProbeCommand[], options?: ProbeOptions): Promise<ProbeResult> {
        return runProbe(this, commands, options);
    }

    async close(): Promise<void> {}
}

const utf8 = new TextEncoder();

/** Text up to a number of UTF-8 bytes; `add` says false once something had to be left out. */
export class OutputBuffer {
    private parts: string[] = [];
    private bytes = 0;
    cut = false;

    constructor(private readonly limit: number) {}

    add(chunk: string): boolean {
        if (this.cut || chunk === "")
            return !this.cut;
        const n = utf8.encode(chunk).length;
        if (this.bytes + n <= this.limit) {
            this.parts.push(chunk);
            this.bytes += n;
            return true;
        }
        // keep what fits, at a character boundary
        let room = this.limit - this.bytes, i = 0;
        for (const ch of chunk) {
            const w = utf8.encode(ch).length;
            if (w > room)
                break;
            room -= w;
            i += ch.length;
        }
        this.parts.push(chunk.slice(0, i));
        this.bytes = this.limit - room;
        this.cut = true;
        return false;
    }

    text(): string {
        return this.parts.join("");
    }
}
