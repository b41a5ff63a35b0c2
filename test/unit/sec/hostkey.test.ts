/*
 * Security review E3 and R1, as regression tests through the page's own destination object (session/hosts.ts):
 * an on-path attacker answers ssh-keyscan's ECDSA connection with its own key while the ED25519 one reaches the real
 * host. Only the key whose fingerprint the admin was shown is written; the keyscan, fingerprint and trust commands
 * are in the command log, the trust also in this host's system log; a failed write is an error, not silence.
 */
import { FakeCockpit, SpawnCall, installFakeCockpit } from "../fake-cockpit";
import { destinationHost, journal } from "../../../src/session/hosts";
import { Host, Port, SshUser } from "../../../src/host/values";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit() });

const REAL_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVhbHJlYWxob3N0a2V5";
const FORGED_ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGF0dGFja2Vy";

/** ssh-keyscan as seen through the attacker, and ssh-keygen -lf - fingerprinting whatever it is given */
function hostAnswering(name: string, tee: { exit?: number; stderr?: string } = {}) {
    fake.script(["ssh-keyscan"], { stdout: `# ${name}:22 SSH-2.0-OpenSSH_9.9\n${name} ${FORGED_ECDSA}\n${name} ${REAL_ED25519}\n` });
    fake.script(["ssh-keygen", "-l"], (call: SpawnCall) => ({
        stdout: call.input.split("\n").filter(Boolean).map(l => (l.includes("ecdsa") ? `256 SHA256:forged ${name} (ECDSA)` : `256 SHA256:real ${name} (ED25519)`)).join("\n") + "\n",
    }));
    fake.script(["ssh-keygen", "-F"], { exit: 1 });
    fake.script(["mkdir"], {});
    fake.script(["logger"], {});
    fake.script(["tee"], tee);
}

const target = (host: string) => ({ host: Host.of(host), user: SshUser.of("root"), port: Port.of(22) });

test("first contact through the page's destination: only the key shown is written, and the trust is on the record", async () => {
    hostAnswering("192.0.2.7");
    const d = destinationHost(target("192.0.2.7"));
    const offer = await d.ssh.offerHostKeys();
    // what the dialog shows
    expect(offer.fingerprints.map(f => [f.type, f.sha256])).toEqual([["ED25519", "SHA256:real"]]);
    await d.ssh.trustHostKeys(offer);

    const tees = fake.calls.filter(c => c.args[0] === "tee");
    expect(tees.map(c => c.input)).toEqual([`192.0.2.7 ${REAL_ED25519}\n`]);
    expect(tees[0].input).not.toContain("ecdsa");

    const lines = journal.entries().map(e => e.line);
    expect(lines).toContain("ssh-keyscan -T 5 -p 22 -- 192.0.2.7");
    expect(lines).toContain(`printf '%s\\n' '192.0.2.7 ${REAL_ED25519}' | ssh-keygen -l -E sha256 -f -`);
    const trust = journal.entries().find(e => e.argv[0] === "tee");
    expect(trust).toMatchObject({ host: "localhost", changes: true, exitStatus: 0, syslog: "written",
                                  line: `printf '%s\\n' '192.0.2.7 ${REAL_ED25519}' | tee -a -- /root/.ssh/known_hosts` });
    const logged = fake.calls.filter(c => c.args[0] === "logger").map(c => c.args[c.args.length - 1]);
    expect(logged).toEqual([expect.stringContaining("mkdir -p -m 0700 -- /root/.ssh → exit status 0"),
                            expect.stringContaining("tee -a -- /root/.ssh/known_hosts → exit status 0")]);
});

test("a tee that fails is an error naming the file and the status; the system log records the failure", async () => {
    hostAnswering("192.0.2.8", { exit: 1, stderr: "tee: /root/.ssh/known_hosts: Read-only file system\n" });
    const d = destinationHost(target("192.0.2.8"));
    const offer = await d.ssh.offerHostKeys();
    await expect(d.ssh.trustHostKeys(offer)).rejects.toMatchObject({
        message: "The host key of root@192.0.2.8 could not be written to /root/.ssh/known_hosts: “tee” exited with status 1",
        detail: "tee: /root/.ssh/known_hosts: Read-only file system",
    });
    const trust = journal.entries().filter(e => e.argv[0] === "tee").pop();
    expect(trust).toMatchObject({ exitStatus: 1, syslog: "written", line: expect.stringContaining("192.0.2.8") });
    expect(fake.calls.filter(c => c.args[0] === "logger").pop()?.args.pop()).toContain("tee -a -- /root/.ssh/known_hosts → exit status 1");
});

test("forgetting a key runs through the journal and the system log", async () => {
    fake.script(["ssh-keygen", "-R"], { stdout: "# Host 192.0.2.9 found: line 1\n/root/.ssh/known_hosts updated.\n" });
    fake.script(["logger"], {});
    await destinationHost(target("192.0.2.9")).ssh.forgetHostKey();
    expect(journal.entries().find(e => e.argv[1] === "-R")).toMatchObject({
        line: "ssh-keygen -R 192.0.2.9 -f /root/.ssh/known_hosts", changes: true, syslog: "written" });
});
