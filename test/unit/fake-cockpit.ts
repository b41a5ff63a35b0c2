/*
 * A fake cockpit.js for unit tests: gettext/format like Cockpit's, and spawn with scripted answers and a record
 * of every call. Its spawn promise passes two values like Cockpit's: (stdout, stderr) on success, (ProcessError,
 * stdout) on failure. Install with `installFakeCockpit()`; answers with `fake.script(match, answer)`.
 */
import { CockpitApi, DBusClient, FileHandle, ProcessError, SpawnHandle, SpawnOptions, setCockpit } from "../../src/lib/cockpit";

export interface SpawnAnswer {
    stdout?: string;
    stderr?: string;
    exit?: number;
    /** Cockpit's channel problem ("not-found", "access-denied", …): the process did not run */
    problem?: string;
    /** answer after this many ms (default: next tick) */
    delayMs?: number;
    /** never answer by itself (until closed) */
    hang?: boolean;
    /** write this to stdout again and again, without end (until closed) */
    endless?: string;
}

export interface SpawnCall { args: string[]; options: SpawnOptions; input: string; closedWith?: string }

const STREAM_BLOCK = 64 * 1024;

type Answerer = SpawnAnswer | ((call: SpawnCall) => SpawnAnswer);

export class FakeCockpit implements CockpitApi {
    calls: SpawnCall[] = [];
    private scripts: { match: (args: string[]) => boolean; answer: Answerer }[] = [];
    language = "en";
    transport = { host: "localhost", wait: (cb: () => void) => cb() };
    location = { path: [], options: {}, go: () => {}, replace: () => {} };

    /** Later scripts win; `match` is the argv's first words or a predicate. */
    script(match: string[] | ((args: string[]) => boolean), answer: Answerer): this {
        const m = typeof match === "function" ? match : (args: string[]) => match.every((w, i) => args[i] === w);
        this.scripts.unshift({ match: m, answer });
        return this;
    }

    spawn(args: string[], options: SpawnOptions = {}): SpawnHandle {
        const call: SpawnCall = { args: [...args], options: { ...options }, input: "" };
        this.calls.push(call);
        let settled = false;
        let okCbs: ((out: string, err?: string) => void)[] = [];
        let badCbs: ((e: ProcessError, out?: string) => void)[] = [];
        let outcome: { ok: true; out: string; err: string } | { ok: false; e: ProcessError; out: string } | null = null;
        // like cockpit.js: with a stream callback, stdout goes to it in blocks and the promise gets what it left
        let streamCb: ((chunk: string) => unknown) | null = null;
        const fire = () => {
            if (!outcome)
                return;
            const o = outcome;
            if (o.ok)
                okCbs.forEach(cb => cb(o.out, o.err));
            else
                badCbs.forEach(cb => cb(o.e, o.out));
            okCbs = []; badCbs = [];
        };
        const settle = (o: typeof outcome) => {
            if (settled)
                return;
            if (streamCb && o && o.out) {
                const out = o.out;
                o = { ...o, out: "" };
                for (let i = 0; i < out.length && !settled; i += STREAM_BLOCK)
                    streamCb(out.slice(i, i + STREAM_BLOCK));
                if (settled)
                    return;
            }
            settled = true;
            outcome = o;
            fire();
        };
        const answer = (): SpawnAnswer => {
            const s = this.scripts.find(x => x.match(call.args));
            if (!s)
                return { problem: "not-found" };
            return typeof s.answer === "function" ? s.answer(call) : s.answer;
        };
        let timer: ReturnType<typeof setTimeout> | undefined;
        let flood: ReturnType<typeof setInterval> | undefined;
        const handle = {
            then(ok?: (out: string, err?: string) => unknown, bad?: (e: ProcessError, out?: string) => unknown) {
                return new Promise((resolve, reject) => {
                    okCbs.push((out, err) => { try { resolve(ok ? ok(out, err) : out) } catch (x) { reject(x) } });
                    badCbs.push((e, out) => { try { if (bad) resolve(bad(e, out)); else reject(e) } catch (x) { reject(x) } });
                    fire();
                });
            },
            catch(bad: (e: ProcessError) => unknown) { return handle.then(undefined, bad) },
            finally(f: () => void) { return handle.then(v => { f(); return v }, e => { f(); throw e }) },
            input(data: string, stream?: boolean) {
                call.input += data ?? "";
                if (!stream && timer === undefined) {
                    const a = answer();
                    if (a.endless !== undefined) {
                        const chunk = a.endless;
                        flood = setInterval(() => streamCb?.(chunk), 0);
                    } else if (!a.hang)
                        timer = setTimeout(() => settle(toOutcome(a)), a.delayMs ?? 0);
                }
                return handle;
            },
            stream(cb: (chunk: string) => unknown) {
                streamCb = cb;
                return handle;
            },
            close(problem?: string) {
                call.closedWith = problem ?? "";
                if (timer)
                    clearTimeout(timer);
                if (flood)
                    clearInterval(flood);
                settle({ ok: false, e: processError({ problem: problem ?? "terminated" }), out: "" });
            },
        };
        return handle as unknown as SpawnHandle;
    }

    dbus(): DBusClient {
        throw new Error("fake cockpit: no D-Bus");
    }

    /** what cockpit.file() reads, by path (a path not here reads as a missing file: null) */
    files = new Map<string, string>();

    file(path: string): FileHandle {
        return { read: async () => this.files.get(path) ?? null, close: () => {} };
    }

    gettext(a: string, b?: string): string {
        return b ?? a;
    }

    ngettext(one: string, many: string, n: number): string {
        return n === 1 ? one : many;
    }

    format(template: string, ...args: (string | number)[]): string {
        return template.replace(/\$([0-9])/g, (_m, i) => String(args[Number(i)] ?? ""));
    }

    addEventListener(): void {}
    removeEventListener(): void {}
    jump(): void {}

    async user() {
        return { name: "admin", id: 1000, groups: ["wheel"] };
    }
}

function processError(o: { problem?: string; exit?: number; message?: string }): ProcessError {
    return { problem: o.problem ?? null, exit_status: o.exit ?? null, exit_signal: null, message: o.message ?? "" };
}

function toOutcome(a: SpawnAnswer) {
    if (a.problem)
        return { ok: false as const, e: processError({ problem: a.problem, message: a.stderr ?? a.problem }), out: "" };
    if (a.exit)
        return { ok: false as const, e: processError({ exit: a.exit, message: (a.stderr ?? "").trim() }), out: a.stdout ?? "" };
    return { ok: true as const, out: a.stdout ?? "", err: a.stderr ?? "" };
}

export function installFakeCockpit(): FakeCockpit {
    const fake = new FakeCockpit();
    setCockpit(fake);
    return fake;
}
