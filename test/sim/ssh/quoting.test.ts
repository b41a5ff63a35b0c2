/*
 * The SSH transport against a real sshd on 127.0.0.1 (temporary host keys and authorized key): the exact ssh
 * command line that src/host/ssh-argv.ts builds, run as root.
 *  - a few hundred generated argvs arrive on the remote side as exactly that argv (printed by a fixed printer);
 *  - first contact: ssh-keyscan + ssh-keygen fingerprints match the server's key; before trust: host-key-unknown;
 *  - auth-refused (wrong key), host-key-changed (server key replaced), unreachable (closed port), a missing remote
 *    command, the remote timeout, and a probe in one SSH exchange.
 * sshd, and every ssh master connection, is stopped by PID in afterAll.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import fc from "fast-check";
import fs from "fs";
import net from "net";
import os from "os";
import path from "path";
import { installNodeCockpit } from "./node-cockpit";
import { LocalTransport } from "../../../src/host/local";
import { SshTransport } from "../../../src/host/ssh";
import { CommandJournal, journaled } from "../../../src/host/journal";
import { makeArgv } from "../../../src/host/argv";
import { PROBE_SCRIPT } from "../../../src/host/probe-script";
import { parseProbeOutput, probeArgv } from "../../../src/host/probe";
import {
    FINGERPRINT_ARGV, SshConfig, SshTarget, buildKeyscanArgv, buildSshArgv, buildSshExitArgv,
    classifySshFailure, parseFingerprints, parseKeyscan, remoteCommandNotFound,
} from "../../../src/host/ssh-argv";
import { Host, Port, SshUser } from "../../../src/host/values";

/** `ssh -O check`: is the shared master connection up (the page itself never asks; this test does). */
const buildSshCheckArgv = (t: SshTarget, c: SshConfig) => makeArgv(...buildSshExitArgv(t, c).map(w => (w === "exit" ? "check" : w)));

const ARGVS = 300;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vfm-ssh-"));
const f = (name: string) => path.join(dir, name);
let sshd: ChildProcess | null = null;
let port = 0;
const configs: SshConfig[] = [];

function run(argv: readonly string[], input = "", timeoutMs = 30_000) {
    const r = spawnSync(argv[0], argv.slice(1), { input, timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { stdout: r.stdout?.toString("utf8") ?? "", stderr: r.stderr?.toString("utf8") ?? "", status: r.status ?? -1 };
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.listen(0, "127.0.0.1", () => {
            const p = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(p));
        });
        s.on("error", reject);
    });
}

async function startSshd(hostKey: string): Promise<void> {
    fs.writeFileSync(f("sshd_config"), [
        `Port ${port}`, "ListenAddress 127.0.0.1", `HostKey ${hostKey}`, `PidFile ${f("sshd.pid")}`,
        `AuthorizedKeysFile ${f("authorized_keys")}`, "PermitRootLogin prohibit-password", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "LogLevel ERROR",
    ].join("\n") + "\n");
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    // an empty /root for the sessions: Debian's bash reads ~/.bashrc for an ssh command, and this machine's root
    // .bashrc may start slow tools (pyenv: 0.7-2 s per command), which would be timed here instead of ssh
    sshd = spawn("unshare", ["-m", "--propagation", "private", "sh", "-c",
        'mount -t tmpfs -o mode=0700 vfm-root /root && exec /usr/sbin/sshd -D -e -f "$0"', f("sshd_config")],
                 { stdio: ["ignore", "ignore", "pipe"] });
    for (let i = 0; i < 100; i++) {
        const ok = await new Promise<boolean>(resolve => {
            const c = net.connect(port, "127.0.0.1", () => { c.destroy(); resolve(true) });
            c.on("error", () => resolve(false));
        });
        if (ok)
            return;
        await new Promise(r => setTimeout(r, 50));
    }
    throw new Error("sshd did not start");
}

/** Stops sshd and the per-connection sshd-session processes it forked (they survive the listener). */
async function stopSshd(): Promise<void> {
    if (!sshd?.pid)
        return;
    const children = run(["ps", "-o", "pid=", "--ppid", String(sshd.pid)]).stdout.split(/\s+/).filter(Boolean).map(Number);
    const done = new Promise(resolve => sshd?.once("exit", resolve));
    sshd.kill("SIGTERM");
    await done;
    for (const pid of children) {
        try { process.kill(pid, "SIGTERM") } catch { /* already gone */ }
    }
    sshd = null;
}

function config(name: string, identity = "client"): SshConfig {
    fs.mkdirSync(f(name), { mode: 0o700 });
    const c = { knownHostsFile: f("known_hosts"), controlDir: f(name), connectTimeoutS: 5, identityFile: f(identity) };
    configs.push(c);
    return c;
}

let target: SshTarget;
let main: SshConfig;

beforeAll(async () => {
    installNodeCockpit();
    for (const k of ["hostkey", "hostkey2", "client", "wrong"])
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", f(k)]);
    fs.copyFileSync(f("client.pub"), f("authorized_keys"));
    fs.writeFileSync(f("known_hosts"), "");
    port = await freePort();
    await startSshd(f("hostkey"));
    target = { host: Host.of("127.0.0.1"), user: SshUser.of("root"), port: Port.of(port) };
    main = config("cm");
});

afterAll(async () => {
    const masters: number[] = [];
    for (const c of configs) {
        const check = run(buildSshCheckArgv(target, c));
        const m = /pid=(\d+)/.exec(check.stderr);
        if (m)
            masters.push(Number(m[1]));
        run(buildSshExitArgv(target, c));
    }
    await stopSshd();
    for (const pid of masters) {
        try { process.kill(pid, "SIGTERM") } catch { /* exited with -O exit */ }
    }
    fs.rmSync(dir, { recursive: true, force: true });
});

const ssh = (argv: readonly string[], c = main, input = "", remoteTimeoutS = 20) => run(buildSshArgv(target, makeArgv(...argv), c, remoteTimeoutS), input);

test("before the admin confirms the key: host-key-unknown; first contact offers the server's real fingerprint", () => {
    const r = ssh(["true"]);
    expect(r.status).toBe(255);
    expect(classifySshFailure(r.status, r.stderr)).toBe("host-key-unknown");

    const scan = run(buildKeyscanArgv(target));
    const keys = parseKeyscan(scan.stdout, target);
    expect(keys.map(k => k.type)).toEqual(["ssh-ed25519"]);
    const offered = parseFingerprints(run(FINGERPRINT_ARGV, keys.map(k => k.line).join("\n") + "\n").stdout);
    const real = parseFingerprints(run(["ssh-keygen", "-l", "-E", "sha256", "-f", f("hostkey.pub")]).stdout.replace(/ hostkey /, " x "));
    expect(offered.map(x => x.sha256)).toEqual(real.map(x => x.sha256));
    fs.appendFileSync(f("known_hosts"), keys.map(k => k.line).join("\n") + "\n");
    const t0 = Date.now();
    expect(ssh(["true"]).status).toBe(0);
    console.log(`first ssh command (handshake, master started): ${Date.now() - t0} ms`);
});

const word = fc.oneof(
    fc.string({ unit: fc.constantFrom("'", "\"", "\\", "$", "`", " ", "\n", "\t", ";", "&", "|", "*", "~", "-", "#", "!", "é", "😀", "a", "="), maxLength: 10 }),
    fc.string({ unit: "binary", maxLength: 10 }).filter(s => !s.includes("\0")),
);

test(`${ARGVS} generated argvs arrive on the remote side exactly as sent`, () => {
    const printer = ["/bin/sh", "-c", "printf '%s\\0' \"$#\" \"$@\"", "printer"];
    const samples = fc.sample(fc.array(word, { minLength: 0, maxLength: 5 }), { numRuns: ARGVS, seed: 42 });
    const t0 = Date.now();
    for (const a of samples) {
        const r = ssh([...printer, ...a]);
        expect(r.stderr).toBe("");
        const fields = r.stdout.split("\0");
        expect(fields.slice(1, -1)).toEqual(a);
        expect(Number(fields[0])).toBe(a.length);
    }
    const perCommand = (Date.now() - t0) / ARGVS;
    // one shared connection: each command is a new session on it, not a new SSH handshake
    expect(run(buildSshCheckArgv(target, main)).stderr).toMatch(/Master running/);
    console.log(`ssh over the shared connection: ${perCommand.toFixed(1)} ms per command`);
}, 300_000);

test("a missing remote command, the remote timeout, and a probe in one exchange", () => {
    const nf = ssh(["no-such-command-vfm"]);
    expect(remoteCommandNotFound(nf.status, nf.stderr)).toBe(true);
    const slow = ssh(["sleep", "10"], main, "", 1);
    expect(slow.status).toBe(124);
    const cmds = [makeArgv("echo", "VFM-PROBE-END 0"), makeArgv("uname", "-s"), makeArgv("no-such-command-vfm")].map(argv => ({ argv }));
    const p = parseProbeOutput(ssh(probeArgv(cmds, 5), main, PROBE_SCRIPT, 60).stdout);
    expect(p.complete).toBe(true);
    expect(p.records.map(r => [r.exitStatus, r.stdout])).toEqual([[0, "VFM-PROBE-END 0\n"], [0, "Linux\n"], [127, ""]]);
});

test("auth-refused with a key the server does not know", () => {
    const r = ssh(["true"], config("cm-wrong", "wrong"));
    expect(classifySshFailure(r.status, r.stderr)).toBe("auth-refused");
});

test("unreachable: nothing listens on the port", async () => {
    const closed = await freePort();
    const r = run(buildSshArgv({ ...target, port: Port.of(closed) }, makeArgv("true"), config("cm-closed")));
    expect(classifySshFailure(r.status, r.stderr)).toBe("unreachable");
});

test("SshTransport end to end (through cockpit.spawn semantics): first contact, runs, probe, typed errors, close", async () => {
    const c = config("cm-transport");
    const kh = f("known_hosts_transport");
    const cfg = { ...c, knownHostsFile: kh };
    const journal = new CommandJournal();
    const t = new SshTransport(target, new LocalTransport(), cfg);
    await expect(t.run(makeArgv("true"))).rejects.toMatchObject({ kind: "host-key-unknown" });
    const offer = await t.offerHostKeys();
    expect(offer.fingerprints.length).toBe(1);
    expect((await t.trustHostKeys(offer)).exitStatus).toBe(0);
    const j = journaled(t, journal, "admin");
    const r = await j.run(makeArgv("printf", "%s|", "a b", "it's", ""), { changes: true });
    expect([r.stdout, r.exitStatus, r.host]).toEqual(["a b|it's||", 0, `root@127.0.0.1:${port}`]);
    expect(journal.entries()[0].syslog).toBe("written");
    const p = await j.probe([{ argv: makeArgv("uname", "-s") }, { argv: makeArgv("cat", "/nonexistent") }]);
    expect(p.records.map(x => x.exitStatus)).toEqual([0, 1]);
    expect(journal.entries().length).toBe(3);
    await expect(t.run(makeArgv("no-such-command-vfm"))).rejects.toMatchObject({ kind: "command-not-found" });
    await expect(t.run(makeArgv("sleep", "10"), { timeoutMs: 1000 })).rejects.toMatchObject({ kind: "timeout" });
    await t.close();
    expect(run(buildSshCheckArgv(target, cfg)).status).not.toBe(0);
});

test("host-key-changed once the server's key is replaced (a new connection)", async () => {
    run(buildSshExitArgv(target, main));
    await stopSshd();
    await startSshd(f("hostkey2"));
    const r = ssh(["true"], config("cm-changed"));
    expect(r.status).toBe(255);
    expect(classifySshFailure(r.status, r.stderr)).toBe("host-key-changed");
});
