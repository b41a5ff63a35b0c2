/*
 * Installing packages on this host through PackageKit over D-Bus, as Cockpit's own pages do: Resolve what will be
 * installed, then InstallPackages with progress, cancellable while PackageKit allows it (during the download).
 * The result is shaped as a CommandResult, so the preparation stage shows it like any command: the D-Bus calls as
 * its "argv", PackageKit's stages ("downloading 25 %") then the packages as its output, its error text as stderr.
 */
import { _, cockpit, format, type DBusClient } from "../lib/cockpit";
import type { CommandResult } from "./transport";

const NAME = "org.freedesktop.PackageKit";
const PATH = "/org/freedesktop/PackageKit";
const TX = "org.freedesktop.PackageKit.Transaction";

// pk-enum.h
const FILTER_NOT_INSTALLED = 1 << 3, FILTER_NEWEST = 1 << 16, FILTER_ARCH = 1 << 18, FILTER_NOT_SOURCE = 1 << 21;
const FLAG_ONLY_TRUSTED = 1 << 1;
const EXIT_SUCCESS = 1, EXIT_CANCELLED = 3;
const INFO_INSTALLED = 1;
const STATUS: Record<number, string> = {
    1: "waiting", 2: "setting up", 4: "querying", 7: "refreshing the cache", 8: "downloading", 9: "installing", 18: "finished",
};

/** A package PackageKit offers: "mstflint;4.28.0-1.el9;x86_64;rhel-9-for-x86_64-appstream-rpms". */
export interface PackageCandidate { id: string; name: string; version: string; installed: boolean; summary: string }

export interface InstallProgress { percent: number | null; status: string; packages: string[]; cancellable: boolean }

interface TxEvents {
    packages: { info: number; id: string; summary: string }[];
    error: string | null;
    exit: number;
}

/** Runs one transaction method and collects its signals until Finished. */
async function transaction(client: DBusClient, method: string, args: unknown[], signature: string,
                           opts: { signal?: AbortSignal; onProgress?: (p: { percent: number | null; status: string; cancellable: boolean }) => void } = {}): Promise<TxEvents> {
    const [path] = await client.call(PATH, NAME, "CreateTransaction", []) as [string];
    const ev: TxEvents = { packages: [], error: null, exit: 0 };
    let percent: number | null = null, status = "", cancellable = false;
    return new Promise<TxEvents>((resolve, reject) => {
        const onAbort = () => { client.call(path, TX, "Cancel", []).catch(() => undefined) };
        const sub = client.subscribe({ path }, (_p, iface, signal, a) => {
            if (iface === TX && signal === "Package")
                ev.packages.push({ info: a[0] as number, id: a[1] as string, summary: a[2] as string });
            else if (iface === TX && signal === "ErrorCode")
                ev.error = String(a[1]);
            else if (iface === TX && signal === "Finished") {
                sub.remove();
                opts.signal?.removeEventListener("abort", onAbort);
                ev.exit = a[0] as number;
                resolve(ev);
            } else if (iface === "org.freedesktop.DBus.Properties" && signal === "PropertiesChanged" && a[0] === TX) {
                const changed = a[1] as Record<string, { v: unknown } | unknown>;
                const val = (k: string) => { const x = changed[k]; return x && typeof x === "object" && "v" in x ? x.v : x };
                if ("Percentage" in changed) {
                    const p = Number(val("Percentage"));
                    percent = p > 100 ? null : p;
                }
                if ("Status" in changed)
                    status = STATUS[Number(val("Status"))] ?? "";
                if ("AllowCancel" in changed)
                    cancellable = Boolean(val("AllowCancel"));
                opts.onProgress?.({ percent, status, cancellable });
            }
        });
        opts.signal?.addEventListener("abort", onAbort);
        client.call(path, TX, method, args, { type: signature }).catch(e => {
            sub.remove();
            reject(e);
        });
    });
}

function openClient(): DBusClient {
    return cockpit().dbus(NAME, { bus: "system", superuser: "try" });
}

/** RHEL names Open vSwitch e.g. openvswitch3.3: "openvswitch" resolves to the newest openvswitchN.M offered. */
function matches(want: string, name: string): boolean {
    return name === want || (want === "openvswitch" && /^openvswitch[0-9]+\.[0-9]+$/.test(name));
}

function candidate(p: { info: number; id: string; summary: string }): PackageCandidate {
    const [name, version] = p.id.split(";");
    return { id: p.id, name, version, installed: p.info === INFO_INSTALLED || p.id.split(";")[3]?.startsWith("installed") === true, summary: p.summary };
}

/** What installing these names would install (the newest offered, not installed), found through PackageKit. */
export async function resolvePackages(names: readonly string[], client: DBusClient = openClient()): Promise<PackageCandidate[]> {
    const filter = FILTER_NOT_INSTALLED | FILTER_NEWEST | FILTER_ARCH | FILTER_NOT_SOURCE;
    const exact = await transaction(client, "Resolve", [filter, names], "tas");
    const found = exact.packages.map(candidate);
    const missing = names.filter(n => !found.some(c => matches(n, c.name)));
    if (missing.length) {
        const search = await transaction(client, "SearchNames", [filter, missing], "tas");
        found.push(...search.packages.map(candidate).filter(c => missing.some(n => matches(n, c.name))));
    }
    return names.map(n => found.filter(c => matches(n, c.name)).sort((a, b) => b.name.localeCompare(a.name, undefined, { numeric: true }))[0])
            .filter((c): c is PackageCandidate => !!c);
}

/** Installs the packages; the result reads like a command's: exit 0 when installed, 1 on failure, 130 cancelled. */
export async function installPackages(names: readonly string[],
                                      opts: { signal?: AbortSignal; onProgress?: (p: InstallProgress) => void; client?: DBusClient } = {}): Promise<CommandResult> {
    const client = opts.client ?? openClient();
    const startedAt = Date.now();
    const argv = ["PackageKit", "InstallPackages", ...names];
    const result = (exitStatus: number, stdout: string, stderr: string): CommandResult =>
        ({ host: "localhost", argv, stdout, stderr, exitStatus, durationMs: Date.now() - startedAt, startedAt, wire: ["dbus", NAME, "InstallPackages"] });
    try {
        const ids = await resolvePackages(names, client);
        const absent = names.filter(n => !ids.some(c => matches(n, c.name)));
        if (absent.length)
            return result(1, "", format(_("No repository offers $0"), absent.join(", ")));
        const list = ids.map(c => c.id);
        argv.splice(2, names.length, ...list);
        const stages: string[] = [];
        const tx = await transaction(client, "InstallPackages", [FLAG_ONLY_TRUSTED, list], "tas", {
            signal: opts.signal,
            onProgress: p => {
                if (p.status && !stages[stages.length - 1]?.startsWith(p.status))
                    stages.push(p.percent === null ? p.status : `${p.status} ${p.percent} %`);
                opts.onProgress?.({ ...p, packages: list });
            },
        });
        const out = [...stages, ...tx.packages.map(p => `${p.id} ${p.summary}`)].join("\n");
        if (tx.exit === EXIT_SUCCESS)
            return result(0, out, "");
        if (tx.exit === EXIT_CANCELLED)
            return result(130, out, tx.error ?? _("Cancelled"));
        return result(1, out, tx.error ?? _("PackageKit could not install the packages"));
    } catch (e) {
        const msg = (e as { message?: string })?.message ?? String(e);
        return result(1, "", format(_("PackageKit: $0"), msg));
    } finally {
        if (!opts.client)
            client.close();
    }
}

/** The installer the preparation runner takes (src/steps/runner.ts PackageInstaller) for this host. */
export const packageKitInstaller = {
    install: (names: readonly string[], o: { signal?: AbortSignal; onProgress?: (p: InstallProgress) => void }) => installPackages(names, o),
};
