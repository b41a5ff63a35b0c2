import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { CommandJournal, commandLine, journaled } from "../../../src/host/journal";
import { LocalTransport } from "../../../src/host/local";
import { devlinkEswitchSet, ethtoolInfo } from "../../../src/host/commands";
import { virshAttachDevice } from "../../../src/host/commands-system";
import { Netdev, PciAddress, SysfsValue, VmName, deviceAttrPath } from "../../../src/host/values";

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

test("read-only commands are kept as evidence but not logged", async () => {
    fake.script(["ethtool"], { stdout: "driver: mlx5_core\n" });
    const journal = new CommandJournal();
    await journaled(new LocalTransport(), journal, "admin").run(ethtoolInfo(Netdev.of("eth0")));
    expect(fake.calls.length).toBe(1);
    expect(journal.entries()).toMatchObject([{ changes: false, syslog: "not-needed", stdout: "driver: mlx5_core\n" }]);
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
    await expect(t.run(virshAttachDevice(VmName.of("vm1")), { input: "<interface>\n</interface>\n", changes: true })).rejects.toMatchObject({ kind: "command-not-found" });
    expect(journal.entries()[1]).toMatchObject({ error: { kind: "command-not-found" }, syslog: "written" });
    expect(journal.entries()[1].line).toBe("virsh -c qemu:///system attach-device --domain vm1 --file /dev/stdin --live --config <<'EOF'\n<interface>\n</interface>\nEOF");
});

test("copyable lines with stdin", () => {
    expect(commandLine(["tee", "x"], "\n")).toBe("printf '%s\\n' '' | tee x");
    expect(commandLine(["tee", "x"], "a b\n")).toBe("printf '%s\\n' 'a b' | tee x");
    expect(commandLine(["cat"], "EOF\nx")).toBe("cat <<'EOF_'\nEOF\nx\nEOF_");
});
