/*
 * `test/simhost/load` swaps the scenario of the running pair in seconds, without restarting the guest, and the
 * scenario's network settings take effect as a user of the hosts sees them (`ip route`, ssh).
 */
import fs from "fs";
import os from "os";
import path from "path";
import { ok, requirePair, run, scenarioOf, simhost, SIMHOST, ticksAfter, virsh } from "./pair";

const READY = path.join(SIMHOST, "scenarios", "ready-pair.json");

function qemuPid(): string {
    return ok("source", ["cat", "/run/libvirt/qemu/guest1.pid"]).trim();
}

describe("switching scenarios on the running pair", () => {
    let tmp = "";

    beforeAll(() => {
        requirePair();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vfsim-load-"));
    });

    afterAll(() => {
        simhost("load", "ready-pair");
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    test("load fresh-pair changes both hosts' scenario while the guest keeps running", async () => {
        const pid = qemuPid();
        const t0 = Date.now();
        simhost("load", "fresh-pair");
        expect(Date.now() - t0).toBeLessThan(30_000);

        expect(scenarioOf("source").scenario).toBe("fresh-pair");
        expect(scenarioOf("destination").scenario).toBe("fresh-pair");
        expect(ok("source", ["cat", "/run/vfsim-host/scenario.json"])).toContain('"fresh-pair"');
        // same QEMU process: the guest was not restarted
        expect(virsh("source", "domstate", "guest1").trim()).toBe("running");
        expect(qemuPid()).toBe(pid);
        await ticksAfter("source", 0);
    });

    test("a scenario naming another management interface renames it; routes and ssh follow", () => {
        const sc = JSON.parse(fs.readFileSync(READY, "utf8"));
        sc.name = "mgmt-eno2";
        sc.hosts.source.mgmt.interface = "eno2";
        const file = path.join(tmp, "mgmt-eno2.json");
        fs.writeFileSync(file, JSON.stringify(sc));
        simhost("load", file);

        const dest = scenarioOf("destination").address.split("/")[0];
        expect(ok("source", ["ip", "route", "get", dest])).toMatch(/ dev eno2 /);
        expect(ok("source", ["ip", "-br", "link"])).not.toMatch(/^eno1\b/m);
        const r = run("source", ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                                 "-o", "UserKnownHostsFile=/dev/null", `root@${dest}`, "hostname"]);
        expect(r.stdout.trim()).toBe(scenarioOf("destination").hostname);
    });

    test("a daemon follows its unit: openvswitch inactive, no OVS; systemctl start brings it up", () => {
        const sc = JSON.parse(fs.readFileSync(READY, "utf8"));
        sc.name = "ovs-off";
        sc.hosts.destination.services = { ...sc.hosts.destination.services,
                                          units: { "openvswitch.service": "inactive disabled" } };
        const file = path.join(tmp, "ovs-off.json");
        fs.writeFileSync(file, JSON.stringify(sc));
        simhost("load", file);

        expect(run("destination", ["systemctl", "is-active", "openvswitch"]).stdout.trim()).toBe("inactive");
        expect(run("destination", ["ovs-vsctl", "--timeout=5", "show"]).status).not.toBe(0);
        ok("destination", ["systemctl", "start", "openvswitch"]);
        expect(ok("destination", ["ovs-vsctl", "--timeout=5", "show"])).toMatch(/ovs_version/);
    });

    test("the scenario decides whether root on the source knows the destination's host key", () => {
        const sc = JSON.parse(fs.readFileSync(READY, "utf8"));
        sc.name = "keys-known";
        sc.hosts.source.sshKnowsPeer = true;
        const file = path.join(tmp, "keys-known.json");
        fs.writeFileSync(file, JSON.stringify(sc));
        const dest = scenarioOf("destination").hostname;
        const strict = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", `root@${dest}`, "true"];

        simhost("load", "ready-pair");
        expect(run("source", strict).stderr).toMatch(/Host key verification failed/);
        simhost("load", file);
        expect(run("source", strict).status).toBe(0);
    });
});
