import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { CommandJournal, SYSLOG_BYTES, copyableLine, journaled, journaledInstaller, outcomeText, syslogMessage } from "../../../src/host/journal";
import { LocalTransport } from "../../../src/host/local";
import { devlinkEswitchSet } from "../../../src/host/commands/devlink";
import { makeArgv } from "../../../src/host/argv";
import { PciAddress, SysfsValue, deviceAttrPath } from "../../../src/host/values";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit() });
const pf = PciAddress.of("0000:e1:00.0");

test("a change is run, then logged to the same host's system log with the user, the command line and the outcome", async () => {
    fake.script(["devlink"], { stderr: "" });
    fake.script(["logger"], {});
    const journal = new CommandJournal();
    let changes = 0;
    journal.subscribe(() => changes++);
    const t = journaled(new LocalTransport(), journal, "admin");
    await t.run(devlinkEswitchSet(pf, "switchdev"), { superuser: true, changes: true });
    expect(fake.calls.map(c => c.args[0])).toEqual(["devlink", "logger"]);
    expect(fake.calls[1].args).toEqual(["logger", "-t", "cockpit-vf-migration", "-p", "user.notice", "--",
        "admin ran on localhost: devlink dev eswitch set pci/0000:e1:00.0 mode switchdev → exit status 0"]);
    expect(journal.entries()).toMatchObject([{ changes: true, syslog: "written", exitStatus: 0, user: "admin" }]);
    expect(changes).toBeGreaterThanOrEqual(2);
    expect(journal.asText()).toContain("devlink dev eswitch set pci/0000:e1:00.0 mode switchdev");
});

test("entries name where they ran once: this host by its own name once known, an SSH target by its login", () => {
    const journal = new CommandJournal();
    const base = { argv: ["true"], line: "true", changes: false, user: "admin", probe: false, startedAt: 0, durationMs: 1,
                   stdout: "", stderr: "", exitStatus: 0, syslog: "not-needed" as const };
    const here = journal.add({ ...base, host: "localhost" });
    const there = journal.add({ ...base, host: "root@rhel-dst.example.test" });
    expect(journal.where(here)).toBe("admin@localhost");
    journal.nameHost("localhost", "rhel-src.example.test");
    expect(journal.where(here)).toBe("admin@rhel-src.example.test");
    expect(journal.where(there)).toBe("root@rhel-dst.example.test");
    expect(journal.asText()).toContain("# 1970-01-01T00:00:00.000Z root@rhel-dst.example.test (exit status 0, 1 ms)");
    expect(journal.asText()).not.toContain("admin@root@");
});

test("read-only commands are kept as evidence but not logged", async () => {
    fake.script(["ethtool"], { stdout: "driver: mlx5_core\n" });
    const journal = new CommandJournal();
    await journaled(new LocalTransport(), journal, "admin").run(makeArgv("ethtool", "-i", "eth0"));
    expect(fake.calls.length).toBe(1);
    expect(journal.entries()).toMatchObject([{ changes: false, syslog: "not-needed", stdout: "driver: mlx5_core\n" }]);
});

test("a probe made again with the same answer is counted in its entry, not listed again; a new answer or a change in between is a new entry", async () => {
    /** the probe script's framing for one command, as the shipped script prints it */
    const framed = (out: string) => `VFM-PROBE 1\nR 0 0 5 ${out.length} 0\nO\n${Buffer.from(out).toString("base64")}\nE\n.\nVFM-PROBE-END 1\n`;
    const journal = new CommandJournal();
    const t = journaled(new LocalTransport(), journal, "admin");
    const read = [{ argv: makeArgv("readlink", "-f", "--", "/sys/bus/pci/devices/0000:e1:00.1/driver") }];
    fake.script(["sh", "-s"], { stdout: framed("/sys/bus/pci/drivers/mlx5_vfio_pci\n") });
    await t.probe(read);
    await t.probe(read);
    await t.probe(read);
    expect(journal.entries()).toHaveLength(1);
    expect(journal.entries()[0].repeats?.count).toBe(2);
    expect(journal.asText()).toContain("2 more times until");
    // the VF moved to another driver, then back: each new answer is evidence of its own, in the order they came
    fake.script(["sh", "-s"], { stdout: framed("/sys/bus/pci/drivers/mlx5_core\n") });
    await t.probe(read);
    fake.script(["sh", "-s"], { stdout: framed("/sys/bus/pci/drivers/mlx5_vfio_pci\n") });
    await t.probe(read);
    expect(journal.entries().map(e => e.stdout)).toEqual(["/sys/bus/pci/drivers/mlx5_vfio_pci\n", "/sys/bus/pci/drivers/mlx5_core\n",
                                                         "/sys/bus/pci/drivers/mlx5_vfio_pci\n"]);
    // after a change, the same read and answer is listed again: it is what the host said after that change
    fake.script(["devlink"], { stderr: "" });
    fake.script(["logger"], {});
    await t.run(devlinkEswitchSet(pf, "switchdev"), { superuser: true, changes: true });
    await t.probe(read);
    expect(journal.entries().map(e => [e.changes, e.repeats?.count ?? 0])).toEqual([[false, 2], [false, 0], [false, 0], [true, 0], [false, 0]]);
});

test("a sysfs write shows as `echo VALUE | tee PATH`; a failed change is logged with its error and still thrown", async () => {
    fake.script(["tee"], { exit: 1, stderr: "tee: /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs: Device or resource busy\n" });
    fake.script(["logger"], {});
    fake.script(["virsh"], { problem: "not-found" });
    const journal = new CommandJournal();
    const t = journaled(new LocalTransport(), journal, "admin");
    const r = await t.writeSysfs(deviceAttrPath(pf, "sriov_numvfs"), SysfsValue.of("2"));
    expect(r.exitStatus).toBe(1);
    expect(journal.entries()[0].line).toBe("echo 2 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs");
    expect(fake.calls[1].args[6]).toMatch(/→ exit status 1$/);
    const attach = makeArgv("virsh", "-c", "qemu:///system", "attach-device", "--domain", "vm1", "--file", "/dev/stdin", "--live", "--config");
    await expect(t.run(attach, { input: "<interface>\n</interface>\n", changes: true })).rejects.toMatchObject({ kind: "command-not-found" });
    expect(journal.entries()[1]).toMatchObject({ error: { kind: "command-not-found" }, syslog: "written" });
    expect(journal.entries()[1].line).toBe("virsh -c qemu:///system attach-device --domain vm1 --file /dev/stdin --live --config <<'EOF'\n<interface>\n</interface>\nEOF");
});

test("copyable lines with stdin", () => {
    expect(copyableLine(["tee", "x"], "\n")).toBe("printf '%s\\n' '' | tee x");
    expect(copyableLine(["tee", "x"], "a b\n")).toBe("printf '%s\\n' 'a b' | tee x");
    expect(copyableLine(["cat"], "EOF\nx")).toBe("cat <<'EOF_'\nEOF\nx\nEOF_");
});

test("a command cut at the output cap says so in its entry and in the system log", async () => {
    fake.script(["journalctl"], { endless: "line\n".repeat(10_000) });
    fake.script(["logger"], {});
    const journal = new CommandJournal();
    const r = await journaled(new LocalTransport(), journal, "admin").run(makeArgv("journalctl", "-b"), { changes: true });
    expect(r.truncated?.stdout).toBe(true);
    const [e] = journal.entries();
    expect(e.truncated).toEqual({ stdout: true, stderr: false, limit: 1024 * 1024 });
    expect(outcomeText(e)).toBe("killed by SIGTERM, output cut at 1 MiB");
    expect(fake.calls[1].args[6]).toBe("admin ran on localhost: journalctl -b → killed by SIGTERM, output cut at 1 MiB");
});

test("system log lines: here-documents on one line, long ones cut within logger's 1 KiB and marked", () => {
    expect(syslogMessage("a <<'EOF'\nx\nEOF")).toBe("a <<'EOF' ⏎ x ⏎ EOF");
    const long = syslogMessage("é".repeat(2000));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(SYSLOG_BYTES);
    expect(long).toMatch(/^é+ \[…cut: the whole command is in the page's command log\]$/);
});

describe("PackageKit installs", () => {
    const installed = (exitStatus: number, stdout: string, stderr = "") => ({
        install: jest.fn(async (_names: readonly string[], _o: object) => ({ host: "localhost", argv: ["PackageKit", "InstallPackages", "mstflint;4.28.0-1.el9;x86_64;appstream"],
            stdout, stderr, exitStatus, durationMs: 1200, startedAt: Date.now(), wire: ["dbus", "org.freedesktop.PackageKit", "InstallPackages"] })),
    });

    test("are changes in the command log with the dnf line, PackageKit's stages and packages as output, and in the system log", async () => {
        fake.script(["logger"], {});
        const journal = new CommandJournal();
        const inner = installed(0, "downloading 25 %\nmstflint;4.28.0-1.el9;x86_64;appstream Firmware tools");
        const progress = jest.fn();
        const r = await journaledInstaller(inner, new LocalTransport(), journal, "admin").install(["mstflint"], { onProgress: progress });
        expect(r.exitStatus).toBe(0);
        expect(inner.install).toHaveBeenCalledWith(["mstflint"], { onProgress: progress });
        expect(journal.entries()).toMatchObject([{ line: "dnf -y install mstflint", via: "PackageKit", changes: true, syslog: "written", exitStatus: 0,
            call: "PackageKit InstallPackages mstflint;4.28.0-1.el9;x86_64;appstream",
            stdout: "downloading 25 %\nmstflint;4.28.0-1.el9;x86_64;appstream Firmware tools" }]);
        expect(fake.calls.map(c => c.args[6])).toEqual([
            "admin started on localhost through PackageKit: dnf -y install mstflint",
            "admin ran on localhost through PackageKit: dnf -y install mstflint → done",
        ]);
    });

    test("a failed install is logged as failed with PackageKit's words kept", async () => {
        fake.script(["logger"], {});
        const journal = new CommandJournal();
        await journaledInstaller(installed(1, "", "No repository offers openvswitch"), new LocalTransport(), journal, "admin").install(["openvswitch"], {});
        // the dnf line an admin can copy asks for Open vSwitch by its file: RHEL's package is named after its version
        expect(journal.entries()[0]).toMatchObject({ line: "dnf -y install /usr/bin/ovs-vsctl", exitStatus: 1, stderr: "No repository offers openvswitch" });
        expect(fake.calls[1].args[6]).toBe("admin ran on localhost through PackageKit: dnf -y install /usr/bin/ovs-vsctl → failed (exit status 1)");
    });
});
