import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { LocalTransport } from "../../../src/host/local";
import { TransportError } from "../../../src/host/transport";
import { devlinkEswitchSet, ethtoolInfo, mstflintQuery } from "../../../src/host/commands";
import { Netdev, PciAddress, SysfsValue, deviceAttrPath } from "../../../src/host/values";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit() });

const pf = PciAddress.of("0000:e1:00.0");

test("a command's output, errors and exit status come back as a result, non-zero included", async () => {
    fake.script(["mstflint"], { stdout: "", stderr: "-E- Cannot open device\n", exit: 1 });
    fake.script(["ethtool"], { stdout: "driver: mlx5_core\n", stderr: "note\n" });
    const t = new LocalTransport();
    const ok = await t.run(ethtoolInfo(Netdev.of("enp225s0np0")));
    expect(ok).toMatchObject({ host: "localhost", argv: ["ethtool", "-i", "enp225s0np0"], stdout: "driver: mlx5_core\n", stderr: "note\n", exitStatus: 0 });
    expect(typeof ok.durationMs).toBe("number");
    const bad = await t.run(mstflintQuery(pf), { superuser: true });
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
    const r = await new LocalTransport().run(ethtoolInfo(Netdev.of("eth0")));
    expect([r.exitStatus, r.signal]).toEqual([137, "SIGKILL"]);
});
