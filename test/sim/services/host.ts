/*
 * A bare simulated host for the service stand-ins: a private dbus-daemon as its system bus, a temporary
 * VFSIM_HOST_DIR with the scenario, and test/simhost/services/start — no namespaces. Every process it starts
 * (the bus, the services daemon, signal monitors) is stopped by PID in stop().
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

export const SERVICES = path.resolve(__dirname, "../../simhost/services");

export interface Result { status: number | null; stdout: string; stderr: string }

/** What a unit runs when started, stopped, restarted; pid_file names its main process (see services/README.md). */
export interface Hook { start?: string[]; stop?: string[]; restart?: string[]; pid_file?: string }

const BUS_CONFIG = (socket: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
`;

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = probe();
        if (v)
            return v;
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise(r => setTimeout(r, 50));
    }
}

export class Host {
    readonly dir: string;
    readonly address: string;
    readonly env: NodeJS.ProcessEnv;
    private bus: ChildProcess | null = null;
    private monitors: ChildProcess[] = [];

    constructor(scenario: object) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "vfsim-services-"));
        fs.writeFileSync(path.join(this.dir, "scenario.json"), JSON.stringify(scenario));
        this.setHooks({});
        this.address = `unix:path=${this.dir}/system_bus_socket`;
        this.env = {
            PATH: `${SERVICES}/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
            DBUS_SYSTEM_BUS_ADDRESS: this.address,
            VFSIM_HOST_DIR: this.dir,
            VFSIM_DEVLOG: `${this.dir}/devlog`,
            LANG: "C.UTF-8",
            TZ: "UTC",
        };
    }

    /**
     * The commands units run when started/stopped (before start()). Units not named run nothing: the default
     * hooks drive the pair's daemons, which a test outside the pair must not touch.
     */
    setHooks(hooks: Record<string, Hook>): void {
        const none = { "openvswitch.service": {}, "sshd.service": {}, "virtqemud.service": {} };
        fs.writeFileSync(path.join(this.dir, "services-hooks.json"), JSON.stringify({ ...none, ...hooks }));
    }

    async start(): Promise<void> {
        const conf = path.join(this.dir, "bus.conf");
        fs.writeFileSync(conf, BUS_CONFIG(`${this.dir}/system_bus_socket`));
        this.bus = spawn("dbus-daemon", ["--config-file", conf, "--nofork", "--nopidfile"], { stdio: "ignore" });
        await waitFor("the system bus socket", () => fs.existsSync(`${this.dir}/system_bus_socket`));
        const r = this.run([`${SERVICES}/start`]);
        if (r.status !== 0)
            throw new Error(`services/start failed: ${r.stderr}`);
    }

    daemonPid(): number | null {
        try {
            return Number(fs.readFileSync(path.join(this.dir, "pids", "vfsim-services.pid"), "utf8"));
        } catch {
            return null;
        }
    }

    run(argv: string[], input?: string): Result {
        const r = spawnSync(argv[0], argv.slice(1), { env: this.env, encoding: "utf8", input, timeout: 60000 });
        return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    }

    /** Runs a command the way a test expects it to succeed; throws with its output otherwise. */
    ok(argv: string[]): string {
        const r = this.run(argv);
        if (r.status !== 0)
            throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}${r.stdout}`);
        return r.stdout;
    }

    /** busctl call/get-property with JSON output: returns the "data" member. */
    busctl(args: string[]): unknown {
        const out = this.ok(["busctl", `--address=${this.address}`, "--json=short", ...args]);
        return out.trim() ? JSON.parse(out).data : undefined;
    }

    property(service: string, objectPath: string, iface: string, name: string): unknown {
        return this.busctl(["get-property", service, objectPath, iface, name]);
    }

    /** Records the signals a bus name sends (gdbus monitor) into a file; returns a reader of that file. */
    async monitor(busName: string): Promise<() => string> {
        const file = path.join(this.dir, `monitor-${this.monitors.length}.txt`);
        const fd = fs.openSync(file, "w");
        this.monitors.push(spawn("gdbus", ["monitor", "--system", "--dest", busName],
                                 { env: this.env, stdio: ["ignore", fd, fd] }));
        fs.closeSync(fd);
        const read = () => fs.readFileSync(file, "utf8");
        await waitFor(`gdbus monitor of ${busName}`, () => /is owned by|does not have an owner|has no owner/.test(read()));
        return read;
    }

    async stop(): Promise<void> {
        this.run([`${SERVICES}/stop`]);
        const pid = this.daemonPid();
        if (pid)
            killQuietly(pid);
        for (const m of this.monitors)
            if (m.pid)
                killQuietly(m.pid);
        if (this.bus?.pid)
            killQuietly(this.bus.pid);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

function killQuietly(pid: number): void {
    try {
        process.kill(pid, "SIGTERM");
    } catch {
        // already gone
    }
}

export function unitPath(name: string): string {
    return "/org/freedesktop/systemd1/unit/" +
        name.replace(/[^A-Za-z0-9]/g, c => "_" + c.charCodeAt(0).toString(16).padStart(2, "0"));
}
