import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { makeArgv } from "../../../src/host/argv";
import { LocalTransport } from "../../../src/host/local";
import { SshTransport } from "../../../src/host/ssh";
import {
    DEFAULT_SSH_CONFIG, SshTarget, buildSshArgv, buildSshExitArgv, classifySshFailure, keyToOffer, missingKeyLines, parseFingerprints, parseKeyscan,
} from "../../../src/host/ssh-argv";
import { Host, Port, SshUser } from "../../../src/host/values";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit() });

const target: SshTarget = { host: Host.of("192.0.2.2"), user: SshUser.of("root"), port: Port.of(22) };

const NO_FORWARDING = ["-o", "ForwardAgent=no", "-o", "ForwardX11=no", "-o", "ClearAllForwardings=yes", "-o", "PermitLocalCommand=no"];

test("the ssh command line: strict host keys, a shared connection, no forwarding, the remote argv as one quoted word after --", () => {
    const argv = buildSshArgv(target, makeArgv("virsh", "-c", "qemu:///system", "list", "--name", "it's"), DEFAULT_SSH_CONFIG, 30);
    expect(argv).toEqual(["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=/root/.ssh/known_hosts",
        "-o", "ControlMaster=auto", "-o", "ControlPath=/run/cockpit-vf-migration/ssh/%C", "-o", "ControlPersist=60", ...NO_FORWARDING,
        "-o", "ConnectTimeout=6", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2",
        "-T", "-l", "root", "-p", "22", "192.0.2.2", "--", "timeout -k 5 30 virsh -c qemu:///system list --name 'it'\\''s'"]);
    expect(argv.join(" ")).not.toMatch(/StrictHostKeyChecking=(no|accept-new)/);
    // root's ssh_config cannot add an agent, X11 or tunnels to the master that `-O exit` talks to either
    expect(buildSshExitArgv(target, DEFAULT_SSH_CONFIG).join(" ")).toContain(NO_FORWARDING.join(" "));
});

test("ssh's own failures are told apart from a remote command's exit status", () => {
    expect(classifySshFailure(255, "root@192.0.2.2: Permission denied (publickey,gssapi-keyex).\r\n")).toBe("auth-refused");
    expect(classifySshFailure(255, "@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n")).toBe("host-key-changed");
    expect(classifySshFailure(255, "No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n")).toBe("host-key-unknown");
    expect(classifySshFailure(255, "ssh: connect to host 192.0.2.9 port 22: No route to host\r\n")).toBe("unreachable");
    expect(classifySshFailure(255, "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n")).toBe("unreachable");
    expect(classifySshFailure(255, "ssh: Could not resolve hostname nowhere: Name or service not known\r\n")).toBe("unreachable");
    expect(classifySshFailure(255, "some tool failed\n")).toBeNull();
    expect(classifySshFailure(1, "Permission denied (publickey)")).toBeNull();
});

const CONTROL_DIR_OK = { stdout: "700 0 0 directory\n" };
const KEY_KNOWN = { stdout: "# Host 192.0.2.2 found: line 3\n192.0.2.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1\n" };

test("remote results come back under the remote argv; failures become typed errors", async () => {
    fake.script(["install"], {});
    fake.script(["stat"], CONTROL_DIR_OK);
    fake.script(["ssh-keygen", "-F"], KEY_KNOWN);
    fake.script(["ssh"], call => {
        const line = call.args[call.args.length - 1];
        if (line.includes("devlink"))
            return { exit: 127, stderr: "timeout: failed to run command 'devlink': No such file or directory\n" };
        if (line.includes("sleep"))
            return { exit: 124 };
        if (line.includes("uname"))
            return { stdout: "5.14.0-427.el9.x86_64\n" };
        return { exit: 255, stderr: "root@192.0.2.2: Permission denied (publickey).\r\n" };
    });
    const t = new SshTransport(target, new LocalTransport());
    const r = await t.run(makeArgv("uname", "-r"));
    expect(r).toMatchObject({ host: "root@192.0.2.2", argv: ["uname", "-r"], stdout: "5.14.0-427.el9.x86_64\n", exitStatus: 0 });
    expect(r.wire[0]).toBe("ssh");
    expect(fake.calls[0].args).toEqual(["install", "-d", "-m", "0700", "-o", "root", "-g", "root", "--", "/run/cockpit-vf-migration/ssh"]);
    expect(fake.calls[1].args).toEqual(["stat", "-c", "%a %u %g %F", "--", "/run/cockpit-vf-migration/ssh"]);
    expect(fake.calls[2].args).toEqual(["ssh-keygen", "-F", "192.0.2.2", "-f", "/root/.ssh/known_hosts"]);
    expect(fake.calls[3].options.superuser).toBe("require");
    await expect(t.run(makeArgv("devlink", "dev"))).rejects.toMatchObject({ kind: "command-not-found", message: "“devlink” is not installed on root@192.0.2.2" });
    await expect(t.run(makeArgv("sleep", "99"))).rejects.toMatchObject({ kind: "timeout" });
    await expect(t.run(makeArgv("id"))).rejects.toMatchObject({ kind: "auth-refused" });
    expect(fake.calls.filter(c => c.args[0] === "install").length).toBe(1);
    // the key is looked up once per connection, not before every command
    expect(fake.calls.filter(c => c.args[0] === "ssh-keygen").length).toBe(1);
});

test("a host whose key root's known_hosts does not hold: a master left open is ended first, so ssh checks the key", async () => {
    fake.script(["install"], {});
    fake.script(["stat"], CONTROL_DIR_OK);
    fake.script(["ssh-keygen", "-F"], { exit: 1 });
    fake.script(["ssh"], call => (call.args.includes("-O")
        ? { stderr: "Exit request sent.\r\n" }
        : { exit: 255, stderr: "No ED25519 host key is known for 192.0.2.2 and you have requested strict checking.\r\nHost key verification failed.\r\n" }));
    const t = new SshTransport(target, new LocalTransport());
    await expect(t.run(makeArgv("uname", "-r"))).rejects.toMatchObject({ kind: "host-key-unknown" });
    const ssh = fake.calls.filter(c => c.args[0] === "ssh");
    expect(ssh.map(c => c.args.includes("-O") ? "exit" : "command")).toEqual(["exit", "command"]);
});

test("a key ssh trusts from elsewhere (the system's known_hosts, sssd): the master is ended once, not before every command", async () => {
    fake.script(["install"], {});
    fake.script(["stat"], CONTROL_DIR_OK);
    fake.script(["ssh-keygen", "-F"], { exit: 1 });
    fake.script(["ssh"], call => (call.args.includes("-O") ? { stderr: "Exit request sent.\r\n" } : { stdout: "ok\n" }));
    const t = new SshTransport(target, new LocalTransport());
    // the checks start commands together: they share one look-up, and none closes the master of another
    await Promise.all([t.run(makeArgv("uname", "-r")), t.run(makeArgv("hostname"))]);
    await t.run(makeArgv("id"));
    const kinds = fake.calls.filter(c => c.args[0] === "ssh" || c.args[0] === "ssh-keygen")
        .map(c => (c.args[0] === "ssh-keygen" ? "lookup" : c.args.includes("-O") ? "exit" : "command"));
    expect(kinds).toEqual(["lookup", "exit", "command", "command", "command"]);
});

test("a ControlPath folder that is not root's alone with mode 0700 (after install -d) stops every command", async () => {
    fake.script(["install"], {});
    fake.script(["stat"], { stdout: "777 1000 1000 symbolic link\n" });
    fake.script(["ssh"], { stdout: "ran\n" });
    const t = new SshTransport(target, new LocalTransport());
    await expect(t.run(makeArgv("uname", "-r"))).rejects.toMatchObject({
        message: "/run/cockpit-vf-migration/ssh must be a folder owned by root with mode 0700; it is: 777 1000 1000 symbolic link" });
    expect(fake.calls.filter(c => c.args[0] === "ssh")).toEqual([]);
});

test("first contact: only this host's plain key lines count; one key is offered (ED25519 first), fingerprinted, appended as offered", async () => {
    const t2: SshTarget = { ...target, port: Port.of(2222) };
    const scan = [
        "# 192.0.2.2:2222 SSH-2.0-OpenSSH_8.7",
        "[192.0.2.2]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=",
        "[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1",
        "[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1",
        "@cert-authority * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB2",
        "[evil]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ",
        "[192.0.2.2]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ",
    ].join("\n");
    const keys = parseKeyscan(scan, t2);
    expect(keys.map(k => k.line)).toEqual([
        "[192.0.2.2]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=", "[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1",
        "[192.0.2.2]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"]);
    expect(keyToOffer(keys)?.type).toBe("ssh-ed25519");
    // a host without ED25519: exactly one other type
    expect(keyToOffer(keys.filter(k => k.type !== "ssh-ed25519"))?.type).toBe("ecdsa-sha2-nistp256");
    expect(keyToOffer(keys.filter(k => k.type === "ssh-rsa"))?.type).toBe("ssh-rsa");
    expect(parseFingerprints("256 SHA256:uZf0vXcU3nJZ8Hj3b/7s+Q [192.0.2.2]:2222 (ED25519)\n")).toEqual([{ bits: 256, sha256: "SHA256:uZf0vXcU3nJZ8Hj3b/7s+Q", type: "ED25519" }]);

    fake.script(["ssh-keyscan"], { stdout: scan });
    fake.script(["ssh-keygen", "-l"], { stdout: "256 SHA256:aaa [192.0.2.2]:2222 (ED25519)\n" });
    fake.script(["ssh-keygen", "-F"], { exit: 1 });
    fake.script(["mkdir"], {});
    fake.script(["tee"], {});
    const t = new SshTransport(t2, new LocalTransport());
    const offer = await t.offerHostKeys();
    expect(offer.fingerprints.map(f => f.sha256)).toEqual(["SHA256:aaa"]);
    expect(offer.keys.map(k => k.line)).toEqual(["[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1"]);
    expect(fake.calls[0].args).toEqual(["ssh-keyscan", "-T", "5", "-p", "2222", "--", "192.0.2.2"]);
    // only the offered key is fingerprinted
    expect(fake.calls[1].input).toBe("[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1\n");
    await t.trustHostKeys(offer);
    const tee = fake.calls.find(c => c.args[0] === "tee");
    expect(tee?.args).toEqual(["tee", "-a", "--", "/root/.ssh/known_hosts"]);
    expect(tee?.input).toBe("[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1\n");
    expect(fake.calls.filter(c => c.args[0] === "ssh-keyscan").length).toBe(1);
    // an offer whose keys are not the ones fingerprinted is refused, nothing written
    const teeCalls = fake.calls.filter(c => c.args[0] === "tee").length;
    await expect(t.trustHostKeys({ ...offer, keys: keys })).rejects.toThrow("host key offer does not match its fingerprints");
    expect(fake.calls.filter(c => c.args[0] === "tee").length).toBe(teeCalls);
});

test("a fingerprint of another type than the key offered is refused", async () => {
    fake.script(["ssh-keyscan"], { stdout: "192.0.2.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1\n" });
    fake.script(["ssh-keygen", "-l"], { stdout: "256 SHA256:aaa 192.0.2.2 (ECDSA)\n" });
    await expect(new SshTransport(target, new LocalTransport()).offerHostKeys()).rejects.toMatchObject({ kind: "protocol" });
});

test("trusting again writes nothing twice: a key known_hosts already has (hashed or not) is not appended", async () => {
    const line = "192.0.2.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1";
    const keys = parseKeyscan(line, target);
    expect(missingKeyLines(keys, `# Host 192.0.2.2 found: line 3\n${line}\n`)).toEqual([]);
    expect(missingKeyLines(keys, "# Host 192.0.2.2 found: line 1\n|1|Zm9v|YmFy ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1\n")).toEqual([]);
    expect(missingKeyLines(keys, "# Host 192.0.2.2 found: line 1\n192.0.2.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9\n")).toEqual(keys);
    expect(missingKeyLines(keys, "")).toEqual(keys);

    fake.script(["ssh-keyscan"], { stdout: line + "\n" });
    fake.script(["ssh-keygen", "-l"], { stdout: "256 SHA256:aaa 192.0.2.2 (ED25519)\n" });
    fake.script(["mkdir"], {});
    fake.script(["tee"], {});
    let file = "";
    fake.script(["ssh-keygen", "-F"], () => (file ? { stdout: `# Host 192.0.2.2 found: line 1\n${file}` } : { exit: 255, stderr: "No such file or directory\n" }));
    fake.script(["tee"], call => { file += call.input; return {} });
    const t = new SshTransport(target, new LocalTransport());
    const offer = await t.offerHostKeys();
    await t.trustHostKeys(offer);
    await t.trustHostKeys(offer);
    await t.trustHostKeys(offer);
    expect(file).toBe(line + "\n");
    expect(fake.calls.find(c => c.args[1] === "-F")?.args).toEqual(["ssh-keygen", "-F", "192.0.2.2", "-f", "/root/.ssh/known_hosts"]);
});

test("a changed key, once the admin confirms the new one: the old entry is removed first, then only the new key is written", async () => {
    const line = "192.0.2.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB2";
    fake.script(["ssh-keyscan"], { stdout: line + "\n" });
    fake.script(["ssh-keygen", "-l"], { stdout: "256 SHA256:new 192.0.2.2 (ED25519)\n" });
    fake.script(["mkdir"], {});
    fake.script(["ssh-keygen", "-R"], { stdout: "# Host 192.0.2.2 found: line 1\n" });
    fake.script(["ssh-keygen", "-F"], { exit: 1 });
    fake.script(["tee"], {});
    const t = new SshTransport(target, new LocalTransport());
    const offer = await t.offerHostKeys(true);
    expect(offer.replaces).toBe(true);
    await t.trustHostKeys(offer);
    const order = fake.calls.map(c => c.args.slice(0, 2).join(" ")).filter(c => /ssh-keygen -R|tee/.test(c));
    expect(order).toEqual(["ssh-keygen -R", "tee -a"]);
    expect(fake.calls.find(c => c.args[1] === "-R")?.args).toEqual(["ssh-keygen", "-R", "192.0.2.2", "-f", "/root/.ssh/known_hosts"]);
    expect(fake.calls.find(c => c.args[0] === "tee")?.input).toBe(line + "\n");
    // a first contact removes nothing
    fake.calls.length = 0;
    await t.trustHostKeys({ ...offer, replaces: false });
    expect(fake.calls.some(c => c.args[1] === "-R")).toBe(false);
});

test("forgetting a key that cannot be removed is an error that says so", async () => {
    fake.script(["ssh-keygen", "-R"], { exit: 255, stderr: "mkstemp: Read-only file system\n" });
    await expect(new SshTransport(target, new LocalTransport()).forgetHostKey()).rejects.toMatchObject({
        message: "The old host key of root@192.0.2.2 could not be removed from /root/.ssh/known_hosts: “ssh-keygen” exited with status 255",
        detail: "mkstemp: Read-only file system" });
});

describe("a destination given by name: looked up first, bounded, once", () => {
    const named: SshTarget = { ...target, host: Host.of("rhel-dst.example.test") };
    const ready = () => {
        fake.script(["install"], {});
        fake.script(["stat"], CONTROL_DIR_OK);
        fake.script(["ssh-keygen", "-F"], KEY_KNOWN);
        fake.script(["ssh"], { stdout: "ran\n" });
    };

    test("the lookup runs before ssh, once for several commands", async () => {
        ready();
        fake.script(["getent"], { stdout: "192.0.2.2       STREAM rhel-dst.example.test\n" });
        const t = new SshTransport(named, new LocalTransport());
        await Promise.all([t.run(makeArgv("uname", "-r")), t.run(makeArgv("true"))]);
        await t.run(makeArgv("true"));
        const words = fake.calls.map(c => c.args[0]).filter(w => w === "getent" || w === "ssh");
        expect(words[0]).toBe("getent");
        expect(fake.calls.filter(c => c.args[0] === "getent").map(c => c.args)).toEqual([["getent", "ahosts", "--", "rhel-dst.example.test"]]);
    });

    test("a name with no address: ssh still decides (root's ssh_config may name it), and its “Could not resolve” is said plainly", async () => {
        ready();
        fake.script(["getent"], { exit: 2 });
        fake.script(["ssh"], { exit: 255, stderr: "ssh: Could not resolve hostname rhel-dst.example.test: Name or service not known\r\n" });
        const t = new SshTransport(named, new LocalTransport());
        await expect(t.run(makeArgv("true"))).rejects.toMatchObject({ kind: "unreachable",
            message: "No address is known for “rhel-dst.example.test” on this host: check the name, or type its IP address." });
        // an alias in root's ssh_config: getent does not know the name, ssh does
        fake.script(["ssh"], { stdout: "ran\n" });
        expect((await t.run(makeArgv("true"))).stdout).toBe("ran\n");
    });

    test("a name server that does not answer: the lookup is stopped after 3 s with a message that says so", async () => {
        ready();
        fake.script(["getent"], { hang: true });
        jest.useFakeTimers();
        try {
            const t = new SshTransport(named, new LocalTransport());
            const r = t.run(makeArgv("true"));
            const seen = expect(r).rejects.toMatchObject({ kind: "unreachable", message: expect.stringContaining("did not end within 3 seconds") });
            await jest.advanceTimersByTimeAsync(3100);
            await seen;
        } finally {
            jest.useRealTimers();
        }
    });

    test("cancelled by the admin: that command stops at once; another one waiting on the same lookup goes on", async () => {
        ready();
        fake.script(["getent"], { stdout: "192.0.2.2 STREAM rhel-dst.example.test\n", delayMs: 50 });
        const t = new SshTransport(named, new LocalTransport());
        const stop = new AbortController();
        const cancelled = t.run(makeArgv("true"), { signal: stop.signal });
        const other = t.run(makeArgv("uname"));
        await new Promise(r => setTimeout(r, 5));
        stop.abort();
        await expect(cancelled).rejects.toMatchObject({ kind: "cancelled" });
        expect((await other).stdout).toBe("ran\n");
        expect(fake.calls.filter(c => c.args[0] === "getent")).toHaveLength(1);
    });
});
