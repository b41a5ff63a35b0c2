/*
 * The host transport: how every check, preparation step and migration reaches a host (this one through
 * cockpit.spawn, the destination over SSH from this one). A command that runs and exits non-zero is a result, not
 * an exception; a TransportError means the command could not run, or its outcome is unknown.
 */
import { _, format } from "../lib/cockpit";
import { Argv } from "./argv";
import type { CommandRecord } from "./record";
import { writeSysfsArgv } from "./commands/sysfs";
import { SysfsPath, SysfsValue } from "./values";

export interface RunOptions {
    /** run as root (local: Cockpit's administrative access) */
    superuser?: boolean;
    timeoutMs?: number;
    /** sent on stdin, then stdin is closed (it is always closed) */
    input?: string;
    signal?: AbortSignal;
    /** the command changes the host: the journal writes it to the host's system log */
    changes?: boolean;
    /** bytes of stdout (and of stderr) kept; past it the command is stopped and its result marked `truncated` */
    outputLimit?: number;
}

/** A command that ran to its end (src/host/record.ts): no line yet (the journal makes it), always an exit status. */
export interface CommandResult
    extends Pick<CommandRecord, "host" | "argv" | "stdout" | "stderr" | "signal" | "durationMs" | "startedAt" | "stoppedAfterS"> {
    exitStatus: number;
    /** what was spawned on this machine to run it (the ssh command line for the destination) */
    wire: readonly string[];
    /** output was cut at a byte limit (a probe's per command, or the transport's `outputLimit`) */
    truncated?: CommandRecord["truncated"];
    /** that limit in bytes, when the transport or the probe cut (a command cut on stdout was stopped there) */
    outputLimit?: number;
}

export interface ProbeCommand { argv: Argv }

export interface ProbeResult {
    host: string;
    startedAt: number;
    durationMs: number;
    /** one per command, in order; fewer than asked when `complete` is false */
    records: CommandResult[];
    complete: boolean;
    /** why the records stop early: the probe's own error line, or how its output was cut */
    problem?: string;
    /** the probe shell's stderr */
    stderr: string;
    wire: readonly string[];
}

export interface ProbeOptions { superuser?: boolean; perCommandTimeoutS?: number; byteLimit?: number; signal?: AbortSignal }

export interface HostTransport {
    readonly host: string;
    run(argv: Argv, options?: RunOptions): Promise<CommandResult>;
    /** `echo VALUE | tee PATH` as root; journaled as a change */
    writeSysfs(path: SysfsPath, value: SysfsValue, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<CommandResult>;
    /** read-only commands in one round trip (src/host/probe.ts) */
    probe(commands: readonly ProbeCommand[], options?: ProbeOptions): Promise<ProbeResult>;
    /** ends a shared connection, if any */
    close(): Promise<void>;
    /**
     * false: probes are better sent as one than side by side. Over SSH before the host's key is known good, a
     * failed first contact would count once per probe against this host in OpenSSH 9.8+'s PerSourcePenalties.
     * Without it: true.
     */
    together?(): Promise<boolean>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Output kept of any command (1 MiB, as the probe keeps per command): a host cannot fill the page's memory. */
export const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;

export type TransportErrorKind = "unreachable" | "auth-refused" | "host-key-changed" | "host-key-unknown" |
    "command-not-found" | "timeout" | "permission-denied" | "cancelled" | "protocol";

export class TransportError extends Error {
    constructor(readonly kind: TransportErrorKind, readonly host: string, message: string,
                readonly argv: readonly string[] = [], readonly detail = "") {
        super(message);
        this.name = "TransportError";
    }
}

/** The plain message for each kind; `detail` is the tool's own text (kept apart, shown as evidence). */
export function transportError(kind: TransportErrorKind, host: string, argv: readonly string[] = [], detail = "",
                               timeoutMs = 0): TransportError {
    const cmd = argv[0] ?? "";
    const messages: Record<TransportErrorKind, () => string> = {
        unreachable: () => format(_("$0 cannot be reached"), host),
        "auth-refused": () => format(_("$0 refused the SSH login: this host's root SSH key is not in the destination's authorized keys"), host),
        "host-key-changed": () => format(_("The SSH host key of $0 is not the one confirmed earlier. The host may have been reinstalled, or someone may be intercepting the connection: compare the new key with the one the host shows on its console before replacing it."), host),
        "host-key-unknown": () => format(_("The SSH host key of $0 has not been confirmed yet"), host),
        "command-not-found": () => format(_("“$1” is not installed on $0"), host, cmd),
        timeout: () => format(_("“$1” on $0 did not finish within $2 seconds and was stopped"), host, cmd, Math.round(timeoutMs / 1000)),
        "permission-denied": () => format(_("Running “$1” on $0 needs administrative access"), host, cmd),
        cancelled: () => format(_("“$1” on $0 was cancelled"), host, cmd),
        protocol: () => format(_("Unexpected answer from $0 while running “$1”"), host, cmd),
    };
    return new TransportError(kind, host, messages[kind](), argv, detail);
}

const SIGNALS: Record<number, string> = { 1: "SIGHUP", 2: "SIGINT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM" };
export const signalName = (n: number): string => SIGNALS[n] ?? `signal ${n}`;

/** The sysfs write every transport does the same way: through its own run(), so journaling wrappers see it. */
export function writeSysfsVia(t: HostTransport, path: SysfsPath, value: SysfsValue,
                              options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CommandResult> {
    return t.run(writeSysfsArgv(path), { ...options, input: SysfsValue.of(value) + "\n", superuser: true, changes: true });
}
