/*
 * One simulated host's hardware, for the simulator's own tests: a private mount+net namespace (unshare, held by
 * a `sleep`), test/simhost/hw/start inside it with VFSIM_HOST_DIR in a temp dir, commands run through nsenter.
 * stop() unmounts and kills what start began (by pid file), then the holder by its pid.
 */
import { spawn, spawnSync, ChildProcess } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

export const HW = path.resolve(__dirname, "../../simhost/hw");
export const SCENARIOS = path.resolve(__dirname, "../../simhost/scenarios/hw");
// the real samples, beside the repository as in CI (a copy of shared/ next to the clone)
export const SAMPLES = path.resolve(__dirname, "../../../../shared/formats");

export interface Result { stdout: string; stderr: string; status: number | null; ms: number }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HwScenario = Record<string, any>;

export class HwHost {
    readonly dir: string;
    private holder: ChildProcess | null = null;

    constructor() {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "vfsim-hw-"));
    }

    get env(): Record<string, string> {
        return {
            VFSIM_HOST_DIR: this.dir, VFSIM_DEV_DIR: path.join(this.dir, "dev"),
            PATH: `${HW}/bin:/usr/sbin:/usr/bin:/sbin:/bin`, LC_ALL: "C",
        };
    }

    async start(hw: HwScenario): Promise<void> {
        this.writeScenario(hw);
        this.holder = spawn("unshare", ["-m", "-n", "--propagation", "private", "sleep", "infinity"],
                            { stdio: "ignore" });
        const pid = this.holder.pid;
        // wait until the holder has entered its own namespaces
        for (let i = 0; i < 100; i++) {
            if (pid && fs.readlinkSync(`/proc/${pid}/ns/net`) !== fs.readlinkSync("/proc/self/ns/net"))
                break;
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        const r = this.run([`${HW}/start`]);
        if (r.status !== 0)
            throw new Error(`hw/start failed: ${r.stderr}`);
    }

    writeScenario(hw: HwScenario): void {
        fs.writeFileSync(path.join(this.dir, "scenario.json"), JSON.stringify({ hw }));
    }

    /** argv inside the host's namespaces; input goes to stdin */
    run(argv: string[], input = ""): Result {
        if (!this.holder?.pid)
            throw new Error("host not started");
        const env = Object.entries(this.env).map(([k, v]) => `${k}=${v}`);
        const t0 = Date.now();
        const r = spawnSync("nsenter", ["-t", String(this.holder.pid), "-m", "-n", "--", "env", ...env, ...argv],
                            { input, encoding: "utf8", timeout: 60000 });
        return { stdout: r.stdout, stderr: r.stderr, status: r.status, ms: Date.now() - t0 };
    }

    /** a fixed test script run by bash inside the host */
    sh(script: string): Result {
        return this.run(["bash", "-c", script]);
    }

    hwState(): HwScenario {
        return JSON.parse(fs.readFileSync(path.join(this.dir, "hw.json"), "utf8"));
    }

    stop(): void {
        if (this.holder?.pid) {
            this.run([`${HW}/stop`]);
            this.holder.kill("SIGKILL");
            this.holder = null;
        }
        // the daemon lives in the namespace: if stop could not run, kill it by its pid file
        const pidFile = path.join(this.dir, "pids", "hw-sysfs.pid");
        if (fs.existsSync(pidFile)) {
            const pid = Number(fs.readFileSync(pidFile, "utf8"));
            try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
        }
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** A host's part of a scenario file, with the tools' delays shortened for tests unless told otherwise. */
export function scenarioHost(name: string, side: "source" | "destination", scale = 0.01): HwScenario {
    const all = JSON.parse(fs.readFileSync(path.join(SCENARIOS, `${name}.json`), "utf8"));
    return { ...all[side], timing: { scale } };
}

export function sample(name: string): string {
    return fs.readFileSync(path.join(SAMPLES, name), "utf8");
}
