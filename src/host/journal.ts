/*
 * The command journal: every command that ran is kept in an in-page history (evidence the admin can read and copy);
 * each one that changes a host is also written to that host's system log through the same transport:
 *   logger -t cockpit-vf-migration -p user.notice -- "<cockpit user> ran on <host>: <command line> → <outcome>"
 * Changes made over D-Bus (libvirt-dbus, PackageKit) are entries too, `via` that service, with the equivalent
 * command as their line (src/libvirt/journaled.ts, journaledInstaller below).
 */
import { cockpit } from "../lib/cockpit";
import { Argv } from "./argv";
import { loggerArgv } from "./commands/system";
import { dnfInstall } from "./commands/dnf-rpm";
import { PROBE_BYTE_LIMIT, runProbe } from "./probe";
import { quoteArgv } from "./quote";
import type { CommandRecord } from "./record";
import {
    CommandResult, DEFAULT_OUTPUT_LIMIT, HostTransport, ProbeCommand, ProbeOptions, ProbeResult, RunOptions, TransportError, writeSysfsVia,
} from "./transport";
import { SysfsPath, SysfsValue } from "./values";

/** A command that ran (src/host/record.ts), as the journal keeps it: who ran it, whether it changed the host, where it is logged. */
export interface JournalEntry extends CommandRecord {
    id: number;
    changes: boolean;
    user: string;
    /** system log state: only for changes */
    syslog: "not-needed" | "pending" | "written" | "failed";
    /** part of a probe batch */
    probe: boolean;
    /** made over D-Bus through this service, not by running `line` (which does the same) */
    via?: "libvirt-dbus" | "PackageKit";
    /** for `via` entries: the D-Bus method and its arguments in words */
    call?: string;
    /** output was cut at `limit` bytes (a command cut on stdout was stopped there) */
    truncated?: { stdout: boolean; stderr: boolean; limit: number };
    /** another host whose system log also got this change (the migration's destination) */
    peer?: { host: string; syslog: "pending" | "written" | "failed" };
    /**
     * a read the page repeats (libvirt's job statistics every second, a probe made again with the same answer): how
     * many more times it ran alike, and when last
     */
    repeats?: { count: number; lastAt: number };
}

const KEEP_ENTRIES = 500;
const KEEP_OUTPUT = 64 * 1024;
const cut = (s: string) => (s.length > KEEP_OUTPUT ? s.slice(0, KEEP_OUTPUT) + "\n…" : s);

/** The copyable form of a command with its stdin. */
export function copyableLine(argv: readonly string[], input?: string): string {
    const line = quoteArgv(argv);
    if (input === undefined || input === "")
        return line;
    const one = /^([^\n]*)\n$/.exec(input);
    if (one && one[1].length <= 200) {
        if (/^[A-Za-z0-9_.:]+$/.test(one[1]))
            return `echo ${quoteArgv(["echo", one[1]]).slice("echo ".length)} | ${line}`;
        // the value quoted as a later word (the first word has stricter rules)
        return `printf '%s\\n' ${quoteArgv(["printf", one[1]]).slice("printf ".length)} | ${line}`;
    }
    let end = "EOF";
    while (input.split("\n").includes(end))
        end += "_";
    return `${line} <<'${end}'\n${input}${input.endsWith("\n") ? "" : "\n"}${end}`;
}

/** "1 MiB", "64 KiB", "1001 bytes" */
export function sizeText(bytes: number): string {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0)
        return `${bytes / (1024 * 1024)} MiB`;
    if (bytes >= 1024 && bytes % 1024 === 0)
        return `${bytes / 1024} KiB`;
    return `${bytes} bytes`;
}

export function outcomeText(e: JournalEntry): string {
    const cut = e.truncated ? `, output cut at ${sizeText(e.truncated.limit)}` : "";
    if (e.error)
        return `${e.error.kind}: ${e.error.message}${cut}`;
    const n = e.repeats?.count ?? 0;
    const again = e.repeats ? `, ${n} more time${n === 1 ? "" : "s"} until ${new Date(e.repeats.lastAt).toISOString()}` : "";
    if (e.via)
        return (e.exitStatus === 0 ? "done" : `failed (exit status ${e.exitStatus})`) + again;
    return (e.signal ? `killed by ${e.signal}` : `exit status ${e.exitStatus}`) + cut + again;
}

const sameCut = (a: JournalEntry["truncated"], b: JournalEntry["truncated"]): boolean =>
    (a === undefined || b === undefined ? a === b : a.stdout === b.stdout && a.stderr === b.stderr && a.limit === b.limit);

/** The truncation a result reports, as the journal keeps it. */
export function truncationOf(r: CommandResult, fallbackLimit: number): JournalEntry["truncated"] | undefined {
    if (!r.truncated || (!r.truncated.stdout && !r.truncated.stderr))
        return undefined;
    return { ...r.truncated, limit: r.outputLimit ?? fallbackLimit };
}

/**
 * A system log message that logger passes whole: logger cuts a message at 1 KiB by default, silently. Lines of a
 * here-document are joined with " ⏎ "; past SYSLOG_BYTES the message is cut and says so (the whole line stays in
 * the page's command log).
 */
export const SYSLOG_BYTES = 900;
const CUT_MARK = " […cut: the whole command is in the page's command log]";
export function syslogMessage(text: string): string {
    const one = text.replace(/\n+$/, "").replace(/\n/g, " ⏎ ");
    const utf8 = new TextEncoder();
    if (utf8.encode(one).length <= SYSLOG_BYTES)
        return one;
    let room = SYSLOG_BYTES - utf8.encode(CUT_MARK).length, end = 0;
    for (const ch of one) {
        const w = utf8.encode(ch).length;
        if (w > room)
            break;
        room -= w;
        end += ch.length;
    }
    return one.slice(0, end) + CUT_MARK;
}

/** Writes one line to the host's system log through `t`; says whether it was written. */
export async function writeSyslog(t: HostTransport, message: string): Promise<"written" | "failed"> {
    try {
        const log = await t.run(loggerArgv(syslogMessage(message)), { timeoutMs: 10_000 });
        return log.exitStatus === 0 ? "written" : "failed";
    } catch {
        return "failed";
    }
}

export class CommandJournal {
    private list: JournalEntry[] = [];
    private listeners = new Set<() => void>();
    private nextId = 1;
    private changed = new Map<string, number>();
    private names = new Map<string, string>();

    entries(): readonly JournalEntry[] {
        return this.list;
    }

    /** Calls `cb` after every change; returns the unsubscribe function (fits React's useSyncExternalStore). */
    subscribe(cb: () => void): () => void {
        this.listeners.add(cb);
        return () => this.listeners.delete(cb);
    }

    /**
     * When a command or call that changes `host` last ended (ms since the epoch; 0: none since the page opened). A
     * migration changes its destination too.
     */
    lastChange(host: string): number {
        return this.changed.get(host) ?? 0;
    }

    /** The name `host` reports for itself, shown instead of how it is reached (this host is reached as "localhost"). */
    nameHost(host: string, name: string): void {
        if (name && this.names.get(host) !== name) {
            this.names.set(host, name);
            this.list = [...this.list];
            this.emit();
        }
    }

    /** Where an entry ran, as user@host once: an SSH target is its own login; on this host, the Cockpit user. */
    where(e: Pick<JournalEntry, "host" | "user">): string {
        return e.host.includes("@") ? e.host : `${e.user}@${this.names.get(e.host) ?? e.host}`;
    }

    add(e: Omit<JournalEntry, "id">): JournalEntry {
        if (e.changes) {
            const now = Date.now();
            this.changed.set(e.host, now);
            if (e.peer)
                this.changed.set(e.peer.host, now);
        }
        const entry = { ...e, id: this.nextId++, stdout: cut(e.stdout), stderr: cut(e.stderr) };
        this.list = [...this.list, entry].slice(-KEEP_ENTRIES);
        this.emit();
        return entry;
    }

    /**
     * Counts a read the page repeats in the newest entry of the same read (`same`) when it gave the same answer
     * (`alike`), searching back no further than the last change: what a change may have altered, or an answer that
     * differs from the last one, is a new entry. False when there is none.
     */
    countAgain(same: (e: JournalEntry) => boolean, alike: (e: JournalEntry) => boolean, at: number): boolean {
        for (let i = this.list.length - 1; i >= 0; i--) {
            const e = this.list[i];
            if (e.changes)
                return false;
            if (same(e)) {
                if (!alike(e))
                    return false;
                this.update(e.id, { repeats: { count: (e.repeats?.count ?? 0) + 1, lastAt: at } });
                return true;
            }
        }
        return false;
    }

    update(id: number, change: Partial<JournalEntry>): void {
        this.list = this.list.map(e => (e.id === id ? { ...e, ...change } : e));
        this.emit();
    }

    /** The whole history as text, for the clipboard. */
    asText(): string {
        return this.list.map(e => `# ${new Date(e.startedAt).toISOString()} ${this.where(e)} (${e.via ? `via ${e.via}, ` : ""}${outcomeText(e)}, ${e.durationMs} ms)\n${e.line}\n`).join("\n");
    }

    private emit(): void {
        for (const l of [...this.listeners])
            l();
    }
}

/** Wraps a transport: what runs through it lands in `journal`; changes also go to the host's system log. */
export function journaled(t: HostTransport, journal: CommandJournal, who: string | (() => string)): HostTransport {
    const userOf = typeof who === "string" ? () => who : who;
    const wrapper: HostTransport = {
        host: t.host,
        // only where the transport has it: a probe on this host then starts without waiting for a promise
        ...(t.together ? { together: () => t.together!() } : {}),
        async run(argv: Argv, o: RunOptions = {}): Promise<CommandResult> {
            const changes = o.changes === true;
            const user = userOf();
            const base = { host: t.host, argv: [...argv], line: copyableLine(argv, o.input), changes, user, probe: false };
            const startedAt = Date.now();
            let entry: JournalEntry;
            let result: CommandResult | undefined, failure: unknown;
            try {
                result = await t.run(argv, o);
                const truncated = truncationOf(result, DEFAULT_OUTPUT_LIMIT);
                entry = journal.add({ ...base, startedAt, durationMs: result.durationMs, exitStatus: result.exitStatus, signal: result.signal,
                                      stdout: result.stdout, stderr: result.stderr, syslog: changes ? "pending" : "not-needed",
                                      ...(truncated ? { truncated } : {}) });
            } catch (e) {
                failure = e;
                const error = { kind: e instanceof TransportError ? e.kind : "internal", message: String((e as Error)?.message ?? e) };
                entry = journal.add({ ...base, startedAt, durationMs: Date.now() - startedAt, exitStatus: null, error, stdout: "",
                                      stderr: e instanceof TransportError ? e.detail : "", syslog: changes ? "pending" : "not-needed" });
            }
            if (changes)
                journal.update(entry.id, { syslog: await writeSyslog(t, `${user} ran on ${t.host}: ${entry.line} → ${outcomeText(entry)}`) });
            if (result === undefined)
                throw failure;
            return result;
        },
        writeSysfs(path: SysfsPath, value: SysfsValue, o?: { timeoutMs?: number; signal?: AbortSignal }) {
            return writeSysfsVia(wrapper, path, value, o);
        },
        async probe(commands: readonly ProbeCommand[], o?: ProbeOptions): Promise<ProbeResult> {
            const r = await runProbe(t, commands, o);
            const user = userOf();
            for (const rec of r.records) {
                const truncated = truncationOf(rec, o?.byteLimit ?? PROBE_BYTE_LIMIT);
                const line = quoteArgv(rec.argv);
                // the same read with the same answer (a stage that keeps its reads fresh): counted, not listed again
                if (journal.countAgain(e => e.probe && e.host === t.host && e.user === user && e.line === line,
                                       e => !e.error && e.exitStatus === rec.exitStatus && e.stdout === cut(rec.stdout) && e.stderr === cut(rec.stderr) &&
                                            sameCut(e.truncated, truncated), rec.startedAt))
                    continue;
                journal.add({ host: t.host, argv: rec.argv, line, changes: false, user, startedAt: rec.startedAt,
                              durationMs: rec.durationMs, exitStatus: rec.exitStatus, stdout: rec.stdout, stderr: rec.stderr,
                              syslog: "not-needed", probe: true, ...(truncated ? { truncated } : {}) });
            }
            return r;
        },
        close: () => t.close(),
    };
    return wrapper;
}

/** The Cockpit user's login name, for the journal's lines. */
export async function cockpitUserName(): Promise<string> {
    try {
        return (await cockpit().user()).name;
    } catch {
        return "unknown user";
    }
}

/** What the preparation runner takes to install packages (src/steps/runner.ts PackageInstaller). */
export interface JournalInstaller {
    install(names: readonly string[], options: {
        signal?: AbortSignal;
        onProgress?: (p: { percent: number | null; status: string; packages: string[]; cancellable: boolean }) => void;
    }): Promise<CommandResult>;
}

/**
 * Installs through `installer` (PackageKit over D-Bus), recorded like a command: the entry's line is the `dnf`
 * command that does the same, its output the packages and PackageKit's stages; the host's system log gets a line
 * when it starts and one with the outcome, through `t`.
 */
export function journaledInstaller<I extends JournalInstaller>(installer: I, t: HostTransport, journal: CommandJournal,
                                                               who: string | (() => string)): I {
    const userOf = typeof who === "string" ? () => who : who;
    const install: JournalInstaller["install"] = async (names, options) => {
        const user = userOf();
        const argv = [...dnfInstall(names)];
        const line = quoteArgv(argv);
        const startedAt = Date.now();
        await writeSyslog(t, `${user} started on ${t.host} through PackageKit: ${line}`);
        let result: CommandResult | undefined, failure: unknown;
        let entry: JournalEntry;
        const base = { host: t.host, argv, line, changes: true, user, probe: false, via: "PackageKit" as const, syslog: "pending" as const };
        try {
            result = await installer.install(names, options);
            entry = journal.add({ ...base, call: result.argv.join(" "), startedAt, durationMs: result.durationMs,
                                  exitStatus: result.exitStatus, stdout: result.stdout, stderr: result.stderr });
        } catch (e) {
            failure = e;
            entry = journal.add({ ...base, call: "PackageKit InstallPackages", startedAt, durationMs: Date.now() - startedAt, exitStatus: null,
                                  error: { kind: "failed", message: String((e as Error)?.message ?? e) }, stdout: "", stderr: "" });
        }
        journal.update(entry.id, { syslog: await writeSyslog(t, `${user} ran on ${t.host} through PackageKit: ${line} → ${outcomeText(entry)}`) });
        if (result === undefined)
            throw failure;
        return result;
    };
    return { ...installer, install };
}
