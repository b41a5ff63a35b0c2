/* The host this Cockpit session runs on: cockpit.spawn with an argv; root only when a command needs it. */
import { cockpit, spawnOutcome } from "../lib/cockpit";
import { Argv } from "./argv";
import { runProbe } from "./probe";
import {
    CommandResult, DEFAULT_TIMEOUT_MS, HostTransport, ProbeCommand, ProbeOptions, ProbeResult, RunOptions,
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
        const handle = cockpit().spawn(words, { err: "message", ...(options.superuser ? { superuser: "require" as const } : {}) });
        let stoppedBy: "timeout" | "cancelled" | null = null;
        const stop = (why: "timeout" | "cancelled") => { stoppedBy = why; handle.close(why) };
        const timer = setTimeout(() => stop("timeout"), timeoutMs);
        const onAbort = () => stop("cancelled");
        options.signal?.addEventListener("abort", onAbort);
        handle.input(options.input ?? "");
        const out = await spawnOutcome(handle);
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        const durationMs = Date.now() - startedAt;

        if (stoppedBy)
            throw transportError(stoppedBy, this.host, words, out.stderr, timeoutMs);
        if (out.problem !== null || out.exitStatus === null) {
            const kind = PROBLEMS[out.problem ?? ""] ?? "protocol";
            throw transportError(kind, this.host, words, out.stderr, timeoutMs);
        }
        const result: CommandResult = {
            host: this.host, argv: words, stdout: out.stdout, stderr: out.stderr, exitStatus: out.exitStatus,
            durationMs, startedAt, wire: words,
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
