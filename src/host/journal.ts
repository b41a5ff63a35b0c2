/*
 * The command journal: every command that ran is kept in an in-page history (evidence the admin can read and copy);
 * each one that changes a host is also written to that host's system log through the same transport:
 *   logger -t cockpit-vf-migration -p user.notice -- "<cockpit user> ran on <host>: <command line> → <outcome>"
 */
import { cockpit } from "../lib/cockpit";
import { Argv } from "./argv";
import { loggerArgv } from "./commands-system";
import { runProbe } from "./probe";
import { quoteArgv } from "./quote";
import {
    CommandResult, HostTransport, ProbeCommand, ProbeOptions, ProbeResult, RunOptions, TransportError, writeSysfsVia,
} from "./transport";
import { SysfsPath, SysfsValue } from "./values";

export interface JournalEntry {
    id: number;
    host: string;
    argv: readonly string[];
    /** copyable: the command line, with what went to stdin when that is one short line (`echo 1 | tee …`) */
    line: string;
    changes: boolean;
    user: string;
    startedAt: number;
    durationMs: number;
    exitStatus?: number;
    signal?: string;
    /** set when the command could not run or its outcome is unknown */
    error?: { kind: string; message: string };
    stdout: string;
    stderr: string;
    /** system log state: only for changes */
    syslog: "not-needed" | "pending" | "written" | "failed";
    /** part of a probe batch */
    probe: boolean;
}

const KEEP_ENTRIES = 500;
const KEEP_OUTPUT = 64 * 1024;
const cut = (s: string) => (s.length > KEEP_OUTPUT ? s.slice(0, KEEP_OUTPUT) + "\n…" : s);

/** The copyable form of a command with its stdin. */
export function commandLine(argv: readonly string[], input?: string): string {
    const line = quoteArgv(argv);
    if (input === undefined || input === "")
        return line;
    const one = /^([^\n]*)\n$/.exec(input);
    if (one && one[1].length <= 200) {
        if (/^[A-Za-z0-9_.:]+$/.test(one[1]))
            return `echo ${one[1]} | ${line}`;
        // the value quoted as a later word (the first word has stricter rules)
        return `printf '%s\\n' ${quoteArgv(["printf", one[1]]).slice("printf ".length)} | ${line}`;
    }
    let end = "EOF";
    while (input.split("\n").includes(end))
        end += "_";
    return `${line} <<'${end}'\n${input}${input.endsWith("\n") ? "" : "\n"}${end}`;
}

export function outcomeText(e: JournalEntry): string {
    if (e.error)
        return `${e.error.kind}: ${e.error.message}`;
    return e.signal ? `killed by ${e.signal}` : `exit status ${e.exitStatus}`;
}

export class CommandJournal {
    private list: JournalEntry[] = [];
    private listeners = new Set<() => void>();
    private nextId = 1;

    entries(): readonly JournalEntry[] {
        return this.list;
    }

    /** Calls `cb` after every change; returns the unsubscribe function (fits React's useSyncExternalStore). */
    subscribe(cb: () => void): () => void {
        this.listeners.add(cb);
        return () => this.listeners.delete(cb);
    }

    add(e: Omit<JournalEntry, "id">): JournalEntry {
        const entry = { ...e, id: this.nextId++, stdout: cut(e.stdout), stderr: cut(e.stderr) };
        this.list = [...this.list, entry].slice(-KEEP_ENTRIES);
        this.emit();
        return entry;
    }

    update(id: number, change: Partial<JournalEntry>): void {
        this.list = this.list.map(e => (e.id === id ? { ...e, ...change } : e));
        this.emit();
    }

    /** The whole history as text, for the clipboard. */
    asText(): string {
        return this.list.map(e => `# ${new Date(e.startedAt).toISOString()} ${e.user}@${e.host} (${outcomeText(e)}, ${e.durationMs} ms)\n${e.line}\n`).join("\n");
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
        async run(argv: Argv, o: RunOptions = {}): Promise<CommandResult> {
            const changes = o.changes === true;
            const user = userOf();
            const base = { host: t.host, argv: [...argv], line: commandLine(argv, o.input), changes, user, probe: false };
            const startedAt = Date.now();
            let entry: JournalEntry;
            let result: CommandResult | undefined, failure: unknown;
            try {
                result = await t.run(argv, o);
                entry = journal.add({ ...base, startedAt, durationMs: result.durationMs, exitStatus: result.exitStatus, signal: result.signal,
                                      stdout: result.stdout, stderr: result.stderr, syslog: changes ? "pending" : "not-needed" });
            } catch (e) {
                failure = e;
                const error = { kind: e instanceof TransportError ? e.kind : "internal", message: String((e as Error)?.message ?? e) };
                entry = journal.add({ ...base, startedAt, durationMs: Date.now() - startedAt, error, stdout: "",
                                      stderr: e instanceof TransportError ? e.detail : "", syslog: changes ? "pending" : "not-needed" });
            }
            if (changes) {
                const message = `${user} ran on ${t.host}: ${entry.line} → ${outcomeText(entry)}`;
                try {
                    const log = await t.run(loggerArgv(message), { timeoutMs: 10_000 });
                    journal.update(entry.id, { syslog: log.exitStatus === 0 ? "written" : "failed" });
                } catch {
                    journal.update(entry.id, { syslog: "failed" });
                }
            }
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
            for (const rec of r.records)
                journal.add({ host: t.host, argv: rec.argv, line: quoteArgv(rec.argv), changes: false, user, startedAt: rec.startedAt,
                              durationMs: rec.durationMs, exitStatus: rec.exitStatus, stdout: rec.stdout, stderr: rec.stderr,
                              syslog: "not-needed", probe: true });
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
