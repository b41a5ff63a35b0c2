import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { makeArgv } from "../../../src/host/argv";
import { LocalTransport } from "../../../src/host/local";
import { SshTransport } from "../../../src/host/ssh";
import { DEFAULT_SSH_CONFIG, SshTarget, buildSshArgv, classifySshFailure, parseFingerprints, parseKeyscan } from "../../../src/host/ssh-argv";
import { Host, Port, SshUser } from "../../../src/host/values";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit() });

const target: SshTarget = { host: Host.of("192.0.2.2"), user: SshUser.of("root"), port: Port.of(22) };

test("the ssh command line: strict host keys, a shared connection, the remote argv as one quoted word after --", () => {
    const argv = buildSshArgv(target, makeArgv("virsh", "-c", "qemu:///system", "list", "--name", "it's"), DEFAULT_SSH_CONFIG, 30);
    expect(argv).toEqual(["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=/root/.ssh/known_hosts",
        "-o", "ControlMaster=auto", "-o", "ControlPath=/run/cockpit-vf-migration/ssh/%C", "-o", "ControlPersist=600",
        "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2",
        "-T", "-l", "root", "-p", "22", "192.0.2.2", "--", "timeout -k 5 30 virsh -c qemu:///system list --name 'it'\\''s'"]);
    expect(argv.join(" ")).not.toMatch(/StrictHostKeyChecking=(no|accept-new)/);
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

test("remote results come back under the remote argv; failures become typed errors", async () => {
    fake.script(["mkdir"], {});
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
    expect(fake.calls[0].args).toEqual(["mkdir", "-p", "-m", "0700", "--", "/run/cockpit-vf-migration/ssh"]);
    expect(fake.calls[1].options.superuser).toBe("require");
    await expect(t.run(makeArgv("devlink", "dev"))).rejects.toMatchObject({ kind: "command-not-found", message: "“devlink” is not installed on root@192.0.2.2" });
    await expect(t.run(makeArgv("sleep", "99"))).rejects.toMatchObject({ kind: "timeout" });
    await expect(t.run(makeArgv("id"))).rejects.toMatchObject({ kind: "auth-refused" });
    expect(fake.calls.filter(c => c.args[0] === "mkdir").length).toBe(1);
});

test("first contact: only this host's plain key lines are offered, fingerprinted, and appended as offered", async () => {
    const t2: SshTarget = { ...target, port: Port.of(2222) };
    const scan = [
        "# 192.0.2.2:2222 SSH-2.0-OpenSSH_8.7",
        "[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1",
        "[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1",
        "@cert-authority * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB2",
        "[evil]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ",
        "[192.0.2.2]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=",
    ].join("\n");
    expect(parseKeyscan(scan, t2).map(k => k.line)).toEqual([
        "[192.0.2.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1", "[192.0.2.2]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY="]);
    expect(parseFingerprints("256 SHA256:uZf0vXcU3nJZ8Hj3b/7s+Q [192.0.2.2]:2222 (ED25519)\n")).toEqual([{ bits: 256, sha256: "SHA256:uZf0vXcU3nJZ8Hj3b/7s+Q", type: "ED25519" }]);

    fake.script(["ssh-keyscan"], { stdout: scan });
    fake.script(["ssh-keygen", "-l"], { stdout: "256 SHA256:aaa [192.0.2.2]:2222 (ED25519)\n256 SHA256:bbb [192.0.2.2]:2222 (ECDSA)\n" });
    fake.script(["mkdir"], {});
    fake.script(["tee"], {});
    const t = new SshTransport(t2, new LocalTransport());
    const offer = await t.offerHostKeys();
    expect(offer.fingerprints.map(f => f.sha256)).toEqual(["SHA256:aaa", "SHA256:bbb"]);
    expect(fake.calls[0].args).toEqual(["ssh-keyscan", "-T", "5", "-p", "2222", "--", "192.0.2.2"]);
    await t.trustHostKeys(offer);
    const tee = fake.calls.find(c => c.args[0] === "tee");
    expect(tee?.args).toEqual(["tee", "-a", "--", "/root/.ssh/known_hosts"]);
    expect(tee?.input).toBe(offer.keys.map(k => k.line).join("\n") + "\n");
    expect(fake.calls.filter(c => c.args[0] === "ssh-keyscan").length).toBe(1);
});
