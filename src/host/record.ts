/*
 * "A command that ran", the one shape every layer keeps: the transport's result (CommandResult), the command
 * journal (JournalEntry), a check's evidence (checks/types.ts CommandEvidence), the preparation record kept on the
 * host (steps/progress-schema.ts StepRecord.commands), the run log (ui/wizard/PrepareStageRunLog.tsx CommandRun) and
 * a libvirt-dbus call (libvirt/client.ts LibvirtCallRecord) are this type or a named part of it.
 */

export interface CommandRecord {
    /** the host's label: "localhost" or user@host[:port] */
    host: string;
    argv: readonly string[];
    /** copyable: the command line, with what went to stdin (host/journal.ts copyableLine) */
    line: string;
    stdout: string;
    stderr: string;
    /** null while it runs, or when it could not run or its outcome is unknown (then `error` says why) */
    exitStatus: number | null;
    /** set when the command was killed by a signal (exitStatus is then 128 + its number) */
    signal?: string;
    /** epoch milliseconds */
    startedAt: number;
    durationMs: number;
    /** output was cut at a byte limit */
    truncated?: { stdout: boolean; stderr: boolean };
    /** that limit in bytes, when output was cut */
    outputLimit?: number;
    /** a time limit (the probe's `timeout`) stopped the command after this many seconds; exitStatus is then its 124 */
    stoppedAfterS?: number;
    /** the command could not run or its outcome is unknown (connection lost, timeout, a D-Bus error) */
    error?: { kind: string; message: string };
}

/**
 * A command as the preparation record on the host keeps it (prepare.json). Its field names are part of that file's
 * format: records written by older versions must still load, so this part never changes shape.
 */
export type RecordedCommand = Pick<CommandRecord, "line" | "stdout" | "stderr" | "durationMs"> & { exitStatus: number };
