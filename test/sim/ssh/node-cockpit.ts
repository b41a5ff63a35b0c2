/*
 * cockpit.spawn done with child_process, with Cockpit's semantics (two-valued promise, err: "message", problem
 * "not-found" for a missing program, close(problem) stops the process): lets the real transports run on this
 * machine without a browser. Superuser options are ignored (the tests run as root).
 */
import { spawn } from "child_process";
import { FakeCockpit } from "../../unit/fake-cockpit";
import { ProcessError, SpawnHandle, SpawnOptions, setCockpit } from "../../../src/lib/cockpit";

export class NodeCockpit extends FakeCockpit {
    pids: number[] = [];

    override spawn(args: string[], options: SpawnOptions = {}): SpawnHandle {
        this.calls.push({ args: [...args], options: { ...options }, input: "" });
        const child = spawn(args[0], args.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
        if (child.pid)
            this.pids.push(child.pid);
        let out = "", err = "", problem: string | null = null;
        child.stdout.setEncoding("utf8").on("data", d => { out += d });
        child.stderr.setEncoding("utf8").on("data", d => { err += d });
        child.stdin.on("error", () => { /* the process did not read its input */ });
        const done = new Promise<{ ok: boolean; e?: ProcessError }>(resolve => {
            child.on("error", (e: NodeJS.ErrnoException) => {
                resolve({ ok: false, e: { problem: e.code === "ENOENT" ? "not-found" : "internal-error", exit_status: null, exit_signal: null, message: e.message } });
            });
            child.on("close", (code, signal) => {
                if (problem)
                    resolve({ ok: false, e: { problem, exit_status: null, exit_signal: null, message: err.trim() } });
                else if (code === 0)
                    resolve({ ok: true });
                else
                    resolve({ ok: false, e: { problem: null, exit_status: code ?? -(signal === "SIGKILL" ? 9 : 15), exit_signal: null, message: err.trim() } });
            });
        });
        const handle = {
            then(ok?: (o: string, e?: string) => unknown, bad?: (e: ProcessError, o?: string) => unknown) {
                return done.then(r => (r.ok ? (ok ? ok(out, err) : out) : bad ? bad(r.e as ProcessError, out) : Promise.reject(r.e)));
            },
            input(data: string, stream?: boolean) {
                if (data)
                    child.stdin.write(data);
                if (!stream)
                    child.stdin.end();
                return handle;
            },
            stream() { return handle },
            close(p?: string) {
                problem = p ?? "terminated";
                child.kill("SIGTERM");
            },
        };
        return handle as unknown as SpawnHandle;
    }
}

export function installNodeCockpit(): NodeCockpit {
    const c = new NodeCockpit();
    setCockpit(c);
    return c;
}
