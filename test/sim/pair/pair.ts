/*
 * The simulated host pair as the simulator suite uses it. The pair comes up once per CI run (test/run-suites calls
 * `test/simhost/up ready-pair` before this suite and `test/simhost/down` at the end); these helpers only use it and
 * fail clearly when it is not up. Each test file leaves it as it found it: scenario ready-pair, guest1 running on
 * the source.
 */
import { spawnSync } from "child_process";
import fs from "fs";
import path from "path";

export const SIMHOST = path.resolve(__dirname, "../../simhost");
const RUN = process.env.VFSIM_RUN ?? "/run/vfsim";

export type Host = "source" | "destination";
export interface Result { stdout: string; stderr: string; status: number | null }

function sh(argv: string[], timeoutMs = 120_000): Result {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: timeoutMs });
    return { stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : ""), status: r.status };
}

/** Throws unless `test/simhost/up` has brought the pair up. */
export function requirePair(): void {
    const r = sh([path.join(SIMHOST, "state"), "--summary"], 30_000);
    if (r.status !== 0)
        throw new Error("the simulated host pair is not up: run `test/simhost/up ready-pair` first " +
                        `(test/run-suites does)\n${r.stderr}`);
}

/** Runs a command inside a host, as root with Cockpit's PATH. */
export function run(host: Host, argv: string[], timeoutMs?: number): Result {
    return sh([path.join(SIMHOST, "exec"), host, ...argv], timeoutMs);
}

/** Like run(), but throws with the command's output when it fails; returns stdout. */
export function ok(host: Host, argv: string[], timeoutMs?: number): string {
    const r = run(host, argv, timeoutMs);
    if (r.status !== 0)
        throw new Error(`${host}: ${argv.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout;
}

/** Both hosts with guest1, for the one-copy watch of every migration (test/lib/one-copy.js). */
export const PAIR_WATCH = {
    vms: ["guest1"],
    hosts: { source: [path.join(SIMHOST, "exec"), "source"], destination: [path.join(SIMHOST, "exec"), "destination"] },
};

export function virsh(host: Host, ...args: string[]): string {
    return ok(host, ["virsh", "-c", "qemu:///system", ...args]);
}

/** A simhost command (load, reboot, state…); throws on failure. */
export function simhost(cmd: string, ...args: string[]): string {
    const r = sh([path.join(SIMHOST, cmd), ...args], 300_000);
    if (r.status !== 0)
        throw new Error(`test/simhost/${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout + r.stderr;
}

/** A file of a host's private file system, as seen from outside (its /root, /tmp, /home are binds of these). */
export function hostPath(host: Host, p: string): string {
    for (const dir of ["/root", "/tmp", "/home"])
        if (p === dir || p.startsWith(dir + "/"))
            return path.join(RUN, host, "fs", dir.slice(1), p.slice(dir.length));
    throw new Error(`no outside path for ${p}`);
}

export function scenarioOf(host: Host): { scenario: string; hostname: string; address: string } {
    return JSON.parse(fs.readFileSync(path.join(RUN, host, "scenario.json"), "utf8"));
}

export function runningGuests(host: Host): string[] {
    return virsh(host, "list", "--name").split("\n").filter(Boolean);
}

/** The last heartbeat the guest printed on its serial console on that host (0 if none yet). */
export function lastTick(host: Host, guest = "guest1"): number {
    const r = run(host, ["tail", "-n", "5", `/var/log/libvirt/qemu/${guest}-serial.log`]);
    const ticks = [...r.stdout.matchAll(/vfsim-guest: tick (\d+)/g)].map(m => Number(m[1]));
    return ticks.length ? ticks[ticks.length - 1] : 0;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>,
                                 timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise(resolve => setTimeout(resolve, 500));
    }
}

/** How many times the guest has booted on that host (its serial log survives reboots of the guest). */
export function boots(host: Host, guest = "guest1"): number {
    const r = run(host, ["grep", "-c", "vfsim-guest: up", `/var/log/libvirt/qemu/${guest}-serial.log`]);
    return Number(r.stdout.trim()) || 0;
}

/** Waits until the guest has booted once more than `before` and printed a heartbeat. */
export function bootedAgain(host: Host, before: number, guest = "guest1"): Promise<number> {
    return waitFor(`${guest} to boot on the ${host}`, () => {
        if (boots(host, guest) <= before)
            return false;
        const log = run(host, ["tail", "-n", "3", `/var/log/libvirt/qemu/${guest}-serial.log`]).stdout;
        return /vfsim-guest: tick \d+\s*$/.test(log) ? boots(host, guest) : false;
    }, 90_000);
}

/**
 * Back to ready-pair for the suites after this one: `load` leaves the guests as they are, so guest1, stopped by a test
 * (or by a reboot), runs again, booted, its heartbeat going.
 */
export async function backToReadyPair(): Promise<void> {
    simhost("load", "ready-pair");
    if (!runningGuests("source").includes("guest1")) {
        const before = boots("source");
        virsh("source", "start", "guest1");
        await bootedAgain("source", before);
    }
}

/** The guest's heartbeat goes on after `after` on that host. */
export function ticksAfter(host: Host, after: number, guest = "guest1"): Promise<number> {
    return waitFor(`${guest} to print a heartbeat after tick ${after} on the ${host}`,
                   () => { const t = lastTick(host, guest); return t > after ? t : false; }, 60_000);
}

/**
 * libvirt's peer-to-peer migration runs ssh with no terminal, so each host's root must know the other's host key;
 * the scenarios leave known_hosts empty for the plugin's first contact. Adds the keys; returns the restore.
 */
export function trustHostKeys(): () => void {
    const saved: [string, string | null][] = [];
    for (const [host, peer] of [["source", "destination"], ["destination", "source"]] as [Host, Host][]) {
        const file = hostPath(host, "/root/.ssh/known_hosts");
        saved.push([file, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null]);
        const keys = ok(host, ["ssh-keyscan", "-T", "5", scenarioOf(peer).hostname]);
        fs.appendFileSync(file, keys);
    }
    return () => {
        for (const [file, content] of saved) {
            if (content === null)
                fs.rmSync(file, { force: true });
            else
                fs.writeFileSync(file, content);
        }
    };
}
