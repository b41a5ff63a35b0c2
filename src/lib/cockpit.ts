/*
 * The only module that touches window.cockpit (served by the installed Cockpit as ../base1/cockpit.js).
 * It exposes just the part of cockpit.js that RHEL 9.4's Cockpit (311) has, typed, so that the rest of src/
 * depends on this interface and jest can swap in a fake (test/unit/fake-cockpit.ts).
 */

export type Superuser = "require" | "try" | false;

export interface SpawnOptions {
    superuser?: Superuser;
    /** "message": stderr is collected into ProcessError.message; "out": merged into stdout. */
    err?: "message" | "out" | "ignore";
    environ?: string[];
    directory?: string;
    /** Cockpit 311 also has these (pty for terminals; batch/latency tune output chunking). */
    pty?: boolean;
    batch?: number;
    latency?: number;
}

/** What cockpit.spawn rejects with: a process that ran and failed, or one that could not run. */
export interface ProcessError {
    problem: string | null;
    exit_status: number | null;
    exit_signal: string | null;
    message: string;
}

export interface SpawnHandle extends Promise<string> {
    input(data: string, stream?: boolean): SpawnHandle;
    stream(cb: (chunk: string) => void): SpawnHandle;
    close(problem?: string): void;
}

export interface DBusCallOptions {
    type?: string;
    flags?: string;
    timeout?: number;
}

export interface DBusClient {
    call(path: string, iface: string, method: string, args: unknown[] | null,
         options?: DBusCallOptions): Promise<unknown[]>;
    subscribe(match: { path?: string; interface?: string; member?: string },
              cb: (path: string, iface: string, signal: string, args: unknown[]) => void): { remove(): void };
    close(problem?: string): void;
}

export interface DBusOptions {
    bus?: "system" | "session" | "internal";
    superuser?: Superuser;
}

export interface FileHandle {
    read(): Promise<string | null>;
    close(): void;
}

export interface Location {
    path: string[];
    options: Record<string, string | string[]>;
    go(path: string | string[], options?: Record<string, string>): void;
    replace(path: string | string[], options?: Record<string, string>): void;
}

export interface CockpitApi {
    spawn(args: string[], options?: SpawnOptions): SpawnHandle;
    dbus(name: string | null, options?: DBusOptions): DBusClient;
    file(path: string, options?: { superuser?: Superuser; max_read_size?: number }): FileHandle;
    gettext(msgid: string): string;
    gettext(context: string, msgid: string): string;
    ngettext(msgid1: string, msgid2: string, n: number): string;
    format(template: string, ...args: (string | number)[]): string;
    location: Location;
    addEventListener(event: "locationchanged" | "visibilitychange", cb: () => void): void;
    removeEventListener(event: "locationchanged" | "visibilitychange", cb: () => void): void;
    jump(path: string, host?: string): void;
    language: string;
    transport: { host: string; wait(cb: () => void): void };
    user(): Promise<{ name: string; id: number; groups: string[] }>;
}

declare global {
    interface Window { cockpit?: CockpitApi }
}

let impl: CockpitApi | undefined;

/** Tests install a fake here; in the browser the real cockpit.js is used. */
export function setCockpit(api: CockpitApi | undefined): void {
    impl = api;
}

export function cockpit(): CockpitApi {
    if (impl)
        return impl;
    if (typeof window !== "undefined" && window.cockpit)
        return window.cockpit;
    throw new Error("cockpit.js is not loaded");
}

export const _ = (msgid: string): string => cockpit().gettext(msgid);
/** Marks a string for extraction without translating it yet (for tables built at module load). */
export const N_ = (msgid: string): string => msgid;
export const ngettext = (one: string, many: string, n: number): string => cockpit().ngettext(one, many, n);
export const format = (template: string, ...args: (string | number)[]): string => cockpit().format(template, ...args);

export function isProcessError(e: unknown): e is ProcessError {
    return typeof e === "object" && e !== null && "problem" in e && "exit_status" in e;
}

/** The superuser state followed for the whole page (one internal D-Bus channel), and who wants to hear of it. */
interface SuperuserWatch { admin: boolean | null; known: boolean; listeners: Set<(admin: boolean | null) => void> }
let superuser: SuperuserWatch | null = null;

/**
 * Superuser state as the shell knows it ("Administrative access" toggle): true, false, or null while unknown.
 * Read from cockpit's internal bus, as Cockpit's own pages do, once for the page: index.tsx starts it before the first
 * view is drawn, so that the view can read the host at once (it asked once drawn: this host's first command left
 * 0.5–0.7 s after the frame's DOMContentLoaded on the pair, 0.1–0.3 s since; docs/performance.md).
 */
export function followSuperuser(): void {
    if (superuser)
        return;
    const s: SuperuserWatch = { admin: null, known: false, listeners: new Set() };
    superuser = s;
    const client = cockpit().dbus(null, { bus: "internal" });
    const tell = (admin: boolean | null) => {
        s.admin = admin;
        s.known = true;
        for (const fn of [...s.listeners])
            fn(admin);
    };
    const read = () => {
        client.call("/superuser", "org.freedesktop.DBus.Properties", "Get", ["cockpit.Superuser", "Current"])
                .then(([v]) => {
                    const cur = (v as { v: string }).v;
                    tell(cur === "init" ? null : cur !== "none");
                })
                .catch(() => tell(false));
    };
    client.subscribe({ path: "/superuser", interface: "org.freedesktop.DBus.Properties", member: "PropertiesChanged" }, () => read());
    read();
}

/** The superuser state as last heard (null: not yet, or still starting). */
export function superuserNow(): boolean | null {
    return superuser?.admin ?? null;
}

/** Calls `cb` with the superuser state now if it is known, and at each change. */
export function watchSuperuser(cb: (admin: boolean | null) => void): () => void {
    followSuperuser();
    const s = superuser as SuperuserWatch;
    s.listeners.add(cb);
    if (s.known)
        cb(s.admin);
    return () => { s.listeners.delete(cb) };
}

/** How a spawned process ended, with both streams: what cockpit.spawn's promise carries (see spawnOutcome). */
export interface SpawnOutcome {
    stdout: string;
    /** stderr with err: "message" (on failure Cockpit trims it). */
    stderr: string;
    /** null when the process could not run or was stopped (see problem); negative = killed by that signal number */
    exitStatus: number | null;
    signal: string | null;
    /** Cockpit's problem code: "not-found", "access-denied", "timeout", "terminated", …, or null */
    problem: string | null;
}

/**
 * cockpit.spawn's promise resolves with two values (stdout, stderr when err: "message") and rejects with two
 * (ProcessError, stdout); a standard `await` keeps only the first. This reads both, and never rejects.
 */
export function spawnOutcome(handle: SpawnHandle): Promise<SpawnOutcome> {
    type TwoValued = { then(ok: (out?: string, err?: string) => void, bad: (e: unknown, out?: string) => void): unknown };
    return new Promise(resolve => {
        (handle as unknown as TwoValued).then(
            (out, err) => resolve({ stdout: out ?? "", stderr: err ?? "", exitStatus: 0, signal: null, problem: null }),
            (e, out) => {
                if (isProcessError(e))
                    resolve({ stdout: out ?? "", stderr: e.message ?? "", exitStatus: e.exit_status, signal: e.exit_signal, problem: e.problem });
                else
                    resolve({ stdout: out ?? "", stderr: String(e), exitStatus: null, signal: null, problem: "internal-error" });
            });
    });
}
