import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { LocalTransport } from "../../../src/host/local";
import { TransportError } from "../../../src/host/transport";
import { devlinkEswitchSet } from "../../../src/host/commands/devlink";
import { makeArgv } from "../../../src/host/argv";
import { PciAddress, SysfsValue, deviceAttrPath } from "../../../src/host/values";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit() });

const pf = PciAddress.of("0000:e1:00.0");

test("a command's output, errors and exit status come back as a result, non-zero included", async () => {
    fake.script(["mstflint"], { stdout: "", stderr: "-E- Cannot open device\n", exit: 1 });
    fake.script(["ethtool"], { stdout: "driver: mlx5_core\n", stderr: "note\n" });
    const t = new LocalTransport();
    const ok = await t.run(makeArgv("ethtool", "-i", "enp225s0np0"));
    expect(ok).toMatchObject({ host: "localhost", argv: ["ethtool", "-i", "enp225s0np0"], stdout: "driver: mlx5_core\n", stderr: "note\n", exitStatus: 0 });
    expect(typeof ok.durationMs).toBe("number");
    const bad = await t.run(makeArgv("mstflint", "-d", pf, "q"), { superuser: true });
    expect(bad).toMatchObject({ exitStatus: 1, stderr: "-E- Cannot open device" });
    expect(fake.calls[0].options).toEqual({ err: "message" });
    expect(fake.calls[1].options).toEqual({ err: "message", superuser: "require" });
});

test("stdin is always closed, with the input when there is one", async () => {
    fake.script(["tee"], { stdout: "1\n" });
    const t = new LocalTransport();
    const r = await t.writeSysfs(deviceAttrPath(pf, "sriov_numvfs"), SysfsValue.of("1"));
    expect(r.exitStatus).toBe(0);
    expect(fake.calls[0]).toMatchObject({ args: ["tee", "--", "/sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs"], input: "1\n", options: { superuser: "require" } });
});

test("a missing program, a refused root, a timeout and a cancel are distinct errors", async () => {
    const t = new LocalTransport();
    fake.script(["devlink"], { problem: "not-found" });
    await expect(t.run(devlinkEswitchSet(pf, "switchdev"))).rejects.toMatchObject({ kind: "command-not-found", message: "“devlink” is not installed on localhost" });
    fake.script(["devlink"], { problem: "access-denied" });
    await expect(t.run(devlinkEswitchSet(pf, "switchdev"), { superuser: true })).rejects.toMatchObject({ kind: "permission-denied" });

    fake.script(["devlink"], { hang: true });
    const e = await t.run(devlinkEswitchSet(pf, "switchdev"), { timeoutMs: 20 }).catch(x => x);
    expect(e).toBeInstanceOf(TransportError);
    expect(e.kind).toBe("timeout");
    expect(fake.calls[fake.calls.length - 1].closedWith).toBe("timeout");

    const ctl = new AbortController();
    const p = t.run(devlinkEswitchSet(pf, "switchdev"), { signal: ctl.signal });
    ctl.abort();
    await expect(p).rejects.toMatchObject({ kind: "cancelled" });
    expect(fake.calls[fake.calls.length - 1].closedWith).toBe("cancelled");
});

test("a process killed by a signal (negative status from Cockpit's bridge) is a result with the signal", async () => {
    fake.script(["ethtool"], { exit: -9 });
    const r = await new LocalTransport().run(makeArgv("ethtool", "-i", "eth0"));
    expect([r.exitStatus, r.signal]).toEqual([137, "SIGKILL"]);
});

describe("output cap", () => {
    const MiB = 1024 * 1024;

    test("a command that writes without end is stopped at the cap; the page gets its first MiB, marked as cut", async () => {
        fake.script(["cat"], { endless: "y\n".repeat(32 * 1024) });
        const r = await new LocalTransport().run(makeArgv("cat", "/dev/zero"), { timeoutMs: 60_000 });
        expect(fake.calls[0].closedWith).toBe("too-large");
        expect(r.stdout.length).toBe(MiB);
        expect(r.stdout.startsWith("y\ny\n")).toBe(true);
        expect(r).toMatchObject({ truncated: { stdout: true, stderr: false }, outputLimit: MiB, signal: "SIGTERM", exitStatus: 143 });
    });

    test("a finished command with more than the cap keeps the cap, cut at a character boundary", async () => {
        fake.script(["journalctl"], { stdout: "é".repeat(MiB), stderr: "warn\n" });
        const r = await new LocalTransport().run(makeArgv("journalctl"), { outputLimit: 1001 });
        expect(r.stdout).toBe("é".repeat(500));
        expect(r.truncated).toEqual({ stdout: true, stderr: false });
        expect(r.exitStatus).toBe(143);
    });

    test("under the cap nothing is cut or marked; stderr past the cap is cut and marked", async () => {
        fake.script(["ethtool"], { stdout: "x".repeat(100), stderr: "e".repeat(300), exit: 1 });
        const r = await new LocalTransport().run(makeArgv("ethtool", "-i", "eth0"), { outputLimit: 200 });
        expect(r).toMatchObject({ stdout: "x".repeat(100), exitStatus: 1, truncated: { stdout: false, stderr: true } });
        expect(r.stderr.length).toBe(200);
        fake.script(["ethtool"], { stdout: "y".repeat(200) });
        const ok = await new LocalTransport().run(makeArgv("ethtool", "-i", "eth0"), { outputLimit: 200 });
        expect(ok.stdout).toBe("y".repeat(200));
        expect(ok.truncated).toBeUndefined();
    });
});
