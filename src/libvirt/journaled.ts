/*
 * libvirt-dbus calls in the command journal, like commands: the entry's line is the equivalent virsh command (with
 * the document it reads as a here-document), `via` says it went over D-Bus, `call` names the method and arguments.
 * A call that changes a host also goes to that host's system log, once when it starts (a migration can outlive the
 * page) and once with its outcome; the migration also to the destination's. A read the page repeats (job statistics
 * every second while a migration runs, each domain's properties at each refresh) is one entry that counts how many
 * more times it ran alike and when last, until a change comes between: a thousand polls would otherwise push the
 * changes out of the journal's last 500 entries and bury them for the admin. A repeated read that fails gets its
 * own entry.
 */
import { CommandJournal, JournalEntry, copyableLine, outcomeText, writeSyslog } from "../host/journal";
import type { HostTransport } from "../host/transport";
import { LibvirtCallRecord, LibvirtClient } from "./client";

export interface LibvirtJournal {
    journal: CommandJournal;
    /** this host, for its system log (not itself journaled: the logger line is part of the entry) */
    host: HostTransport;
    user: () => string;
    /** the migration's destination, for its system log; null when there is none */
    peer?: () => HostTransport | null;
}

const MIGRATE = "org.libvirt.Domain.MigrateToURI3";

// one host's system log lines in the order of the calls (the start line of a quick call could otherwise land second)
const queues = new WeakMap<HostTransport, Promise<unknown>>();
function logInOrder(t: HostTransport, message: string): Promise<"written" | "failed"> {
    const done = (queues.get(t) ?? Promise.resolve()).then(() => writeSyslog(t, message));
    queues.set(t, done);
    return done;
}
const shortName = (method: string) => method.slice(method.lastIndexOf(".") + 1);

/** The line of a call: its virsh equivalent, with the document it reads as a here-document. */
export const libvirtLine = (r: LibvirtCallRecord): string => copyableLine(r.virsh, r.input);

/** The journal entry of an ended call. */
export function libvirtEntry(r: LibvirtCallRecord, host: string, user: string): Omit<JournalEntry, "id"> {
    return {
        host, argv: r.virsh, line: libvirtLine(r), changes: r.changes, user, startedAt: r.startedAt,
        durationMs: r.durationMs ?? Date.now() - r.startedAt, stdout: "", stderr: r.error?.message ?? "", probe: false,
        syslog: r.changes ? "pending" : "not-needed", via: "libvirt-dbus",
        call: `${r.method}(${r.args.join(", ")})${r.path.startsWith("/org/libvirt/QEMU/domain/") ? ` on ${r.path}` : ""}`,
        ...(r.outcome === "error" ? { exitStatus: null, error: r.error ?? { kind: "failed", message: "" } } : { exitStatus: 0 }),
    };
}

/** Journals one record; called by the client when a call starts and again when it ends. */
export function journalLibvirtRecord(o: LibvirtJournal, r: LibvirtCallRecord): void {
    if (r.repeated && r.outcome === "ok") {
        const line = libvirtLine(r);
        if (o.journal.countAgain(e => e.host === o.host.host && e.line === line && e.via === "libvirt-dbus", e => !e.error, r.startedAt))
            return;
    }
    const user = o.user();
    const host = o.host.host;
    const how = `through libvirt-dbus (${shortName(r.method)})`;
    const peer = r.method === MIGRATE ? o.peer?.() ?? null : null;
    if (r.outcome === "running") {
        if (!r.changes)
            return;
        void logInOrder(o.host, `${user} started on ${host} ${how}: ${libvirtLine(r)}`);
        if (peer)
            void logInOrder(peer, `${user} started migrating a VM to this host, on the source host ${how}: ${libvirtLine(r)}`);
        return;
    }
    const entry = o.journal.add({ ...libvirtEntry(r, host, user), ...(peer ? { peer: { host: peer.host, syslog: "pending" as const } } : {}) });
    if (!r.changes)
        return;
    const outcome = outcomeText(entry);
    void logInOrder(o.host, `${user} ran on ${host} ${how}: ${entry.line} → ${outcome}`)
        .then(syslog => o.journal.update(entry.id, { syslog }));
    if (peer) {
        void logInOrder(peer, `${user} migrated a VM to this host, on the source host ${how}: ${entry.line} → ${outcome}`)
            .then(syslog => o.journal.update(entry.id, { peer: { host: peer.host, syslog } }));
    }
}

/** A libvirt-dbus client whose every call is journaled (see above). */
export function journaledLibvirt(o: LibvirtJournal): LibvirtClient {
    return new LibvirtClient({ onRecord: r => journalLibvirtRecord(o, r) });
}
