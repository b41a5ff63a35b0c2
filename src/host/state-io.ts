/*
 * Reading and writing the page's own files on a host (src/host/commands/state-file.ts): one command each, as root.
 */
import { _, format } from "../lib/cockpit";
import { type StateFile, swapInput } from "./commands/state-file";
import type { CommandResult, HostTransport } from "./transport";

/** The file is there but cannot be read as text: `problem` says why, in plain words or in the tool's. */
export class StateFileUnreadable extends Error {
    constructor(readonly problem: string) {
        super(problem);
        this.name = "StateFileUnreadable";
    }
}

/** The file's text (`maxBytes` of it at most), null when there is none. Throws StateFileUnreadable otherwise. */
export async function readStateFile(t: HostTransport, file: StateFile, maxBytes: number, signal?: AbortSignal): Promise<string | null> {
    const r = await t.run(file.read(maxBytes), { superuser: true, ...(signal ? { signal } : {}) });
    if (r.exitStatus === 0)
        return r.stdout;
    if (/No such file/i.test(r.stderr))
        return null;
    throw new StateFileUnreadable(/illegal input|incomplete character/i.test(r.stderr)
        ? format(_("not UTF-8 text ($0)"), r.stderr.trim())
        : r.stderr.trim() || format(_("“$0” exited with status $1"), "bash", r.exitStatus));
}

/** Replaces the file with `text`, root's alone. Throws, saying why, when the host refuses. */
export async function writeStateFile(t: HostTransport, file: StateFile, text: string, signal?: AbortSignal): Promise<void> {
    const r = await t.run(file.replace(), { superuser: true, input: text, ...(signal ? { signal } : {}) });
    if (r.exitStatus !== 0)
        throw writeRefused(t, file, r);
}

const writeRefused = (t: HostTransport, file: StateFile, r: CommandResult): Error =>
    new Error(format(_("Could not write $0 on $1: $2"), file.path, t.host, r.stderr.trim() || format(_("“$0” exited with status $1"), "bash", r.exitStatus)));

/**
 * Replaces the file with `text` only if it still holds `expected` (null: no file). Resolves false when another
 * writer changed it since (then read it again); throws, saying why, when the host refuses.
 */
export async function swapStateFile(t: HostTransport, file: StateFile, expected: string | null, text: string): Promise<boolean> {
    const r = await t.run(file.swap(), { superuser: true, input: swapInput(expected, text) });
    if (r.exitStatus === 3)
        return false;
    if (r.exitStatus !== 0)
        throw writeRefused(t, file, r);
    return true;
}
