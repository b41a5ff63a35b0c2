/*
 * The systemd stand-in as Cockpit and an admin see it: unit states over org.freedesktop.systemd1, and systemctl
 * changing them (with jobs, signals and the real daemon's command where the host has one).
 */
import fs from "fs";
import path from "path";
import { Host, unitPath, waitFor } from "./host";

const SD = "org.freedesktop.systemd1";
const UNIT = "org.freedesktop.systemd1.Unit";
const TLS = "virtproxyd-tls.socket";

describe("systemd stand-in", () => {
    let host: Host;
    let marker: string;

    beforeAll(async () => {
        host = new Host({
            services: {
                units: {
                    [TLS]: { state: "inactive", enabled: "disabled" },
                    "openvswitch.service": { state: "inactive", enabled: "enabled" },
                    "libvirtd.service": { state: "inactive", enabled: "disabled", fail_start: true },
                },
            },
        });
        marker = path.join(host.dir, "ovs-started");
        // the daemon's pid file: here this test process stands in for ovs-vswitchd
        const pidFile = path.join(host.dir, "ovs-vswitchd.pid");
        fs.writeFileSync(pidFile, `${process.pid}\n`);
        // what the pair helper does: the unit's real daemon command (here one that leaves a trace)
        host.setHooks({
            "openvswitch.service": { start: ["touch", marker], stop: ["rm", "-f", marker], pid_file: pidFile },
            "sshd.service": { start: ["false"] },
        });
        await host.start();
    });

    afterAll(async () => {
        await host.stop();
    });

    test("enable --now of virtproxyd-tls.socket changes its D-Bus ActiveState and UnitFileState", async () => {
        const obj = host.busctl(["call", SD, "/org/freedesktop/systemd1", `${SD}.Manager`, "LoadUnit", "s", TLS]);
        expect(obj).toEqual([unitPath(TLS)]);
        expect(host.property(SD, unitPath(TLS), UNIT, "ActiveState")).toBe("inactive");
        expect(host.property(SD, unitPath(TLS), UNIT, "UnitFileState")).toBe("disabled");
        expect(host.run(["systemctl", "is-active", TLS])).toMatchObject({ status: 3, stdout: "inactive\n" });

        const signals = await host.monitor(SD);
        const r = host.run(["systemctl", "enable", "--now", TLS]);
        expect(r.status).toBe(0);
        expect(r.stderr).toBe(`Created symlink /etc/systemd/system/sockets.target.wants/${TLS} \u2192 ` +
                              `/usr/lib/systemd/system/${TLS}.\n`);

        expect(host.property(SD, unitPath(TLS), UNIT, "ActiveState")).toBe("active");
        expect(host.property(SD, unitPath(TLS), UNIT, "SubState")).toBe("listening");
        expect(host.property(SD, unitPath(TLS), UNIT, "UnitFileState")).toBe("enabled");
        await waitFor("JobRemoved and PropertiesChanged", () => /JobRemoved \(uint32 \d+, objectpath '[^']+', 'virtproxyd-tls.socket', 'done'\)/.test(signals()));
        expect(signals()).toMatch(/virtproxyd_2dtls_2esocket: org.freedesktop.DBus.Properties.PropertiesChanged \('org.freedesktop.systemd1.Unit', \{'ActiveState': <'active'>/);
        expect(host.ok(["systemctl", "is-enabled", TLS])).toBe("enabled\n");
        expect(host.ok(["systemctl", "show", "-p", "ActiveState,UnitFileState", TLS]))
                .toBe("ActiveState=active\nUnitFileState=enabled\n");
    });

    test("systemctl status shows the unit, its listen address and its journal", () => {
        const r = host.run(["systemctl", "status", TLS]);
        expect(r.status).toBe(0);
        const lines = r.stdout.split("\n");
        expect(lines[0]).toBe(`\u25cf ${TLS} - libvirt proxy daemon TLS IP socket`);
        expect(lines[1]).toBe(`     Loaded: loaded (/usr/lib/systemd/system/${TLS}; enabled; preset: disabled)`);
        expect(lines[2]).toMatch(/^ {5}Active: active \(listening\) since \w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; \d+s ago$/);
        expect(lines[3]).toBe("     Listen: [::]:16514 (Stream)");
        expect(r.stdout).toMatch(/systemd\[1\]: Started libvirt proxy daemon TLS IP socket\.\n/);
        expect(host.run(["systemctl", "status", "nope.service"])).toMatchObject({
            status: 4, stderr: "Unit nope.service could not be found.\n",
        });
    });

    test("starting and stopping openvswitch runs the host's real command for it", () => {
        expect(fs.existsSync(marker)).toBe(false);
        host.ok(["systemctl", "start", "openvswitch"]);
        expect(fs.existsSync(marker)).toBe(true);
        expect(host.property(SD, unitPath("openvswitch.service"), UNIT, "ActiveState")).toBe("active");
        expect(host.property(SD, unitPath("openvswitch.service"), `${SD}.Service`, "MainPID")).toBe(process.pid);
        expect(host.ok(["systemctl", "status", "openvswitch"])).toContain(`   Main PID: ${process.pid} (`);
        host.ok(["systemctl", "stop", "openvswitch.service"]);
        expect(fs.existsSync(marker)).toBe(false);
        expect(host.run(["systemctl", "is-active", "openvswitch"])).toMatchObject({ status: 3, stdout: "inactive\n" });
    });

    test("a unit whose start fails ends in the failed state, as systemctl reports it", () => {
        for (const unit of ["sshd.service", "libvirtd.service"]) {
            const r = host.run(["systemctl", "restart", unit]);
            expect(r.status).toBe(1);
            expect(r.stderr).toBe(`Job for ${unit} failed because the control process exited with error code.\n` +
                                  `See "systemctl status ${unit}" and "journalctl -xeu ${unit}" for details.\n`);
            expect(host.property(SD, unitPath(unit), UNIT, "ActiveState")).toBe("failed");
            expect(host.run(["systemctl", "is-active", unit])).toMatchObject({ status: 3, stdout: "failed\n" });
        }
        expect(host.ok(["journalctl", "-u", "libvirtd", "-o", "cat"]))
                .toMatch(/Failed to start libvirt legacy monolithic daemon\.\n$/);
    });

    test("list-units lists loaded units with their states", () => {
        const out = host.ok(["systemctl", "list-units", "--type=socket", "--all", "--no-legend", "--plain"]);
        expect(out.split("\n").filter(Boolean).map(l => l.split(/\s+/).slice(0, 4))).toEqual([
            [TLS, "loaded", "active", "listening"],
            ["virtproxyd-tcp.socket", "loaded", "inactive", "dead"],
            ["virtqemud.socket", "loaded", "active", "listening"],
        ].sort((a, b) => a[0].localeCompare(b[0])));
    });

    test("a reboot brings enabled units up and keeps disabled ones down", async () => {
        host.ok(["systemctl", "disable", "--now", TLS]);
        host.ok(["systemctl", "enable", "virtproxyd-tcp.socket"]);
        host.ok([path.join(__dirname, "../../simhost/services/reboot")]);
        await waitFor("the new states", () =>
            host.property(SD, unitPath("virtproxyd-tcp.socket"), UNIT, "ActiveState") === "active");
        expect(host.property(SD, unitPath(TLS), UNIT, "ActiveState")).toBe("inactive");
        expect(host.property(SD, unitPath("openvswitch.service"), UNIT, "ActiveState")).toBe("active");
    });
});
