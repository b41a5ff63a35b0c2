/*
 * The host's journal: logger and syslog(3) write to it, journalctl reads it back in its formats, and the systemd
 * stand-in's unit messages are found with -u.
 */
import { Host, waitFor } from "./host";

interface Entry { [field: string]: string }

describe("journal stand-in", () => {
    let host: Host;

    beforeAll(async () => {
        host = new Host({ services: {} });
        await host.start();
    });

    afterAll(async () => {
        await host.stop();
    });

    const json = (argv: string[]): Entry[] =>
        host.ok(["journalctl", ...argv, "-o", "json"]).split("\n").filter(Boolean).map(l => JSON.parse(l));

    test("logger -t -p, then journalctl -o json finds the message with its fields", () => {
        host.ok(["logger", "-t", "vf-migration", "-p", "user.err", "VF 0000:3b:00.2 attached"]);
        const entries = json(["-t", "vf-migration"]);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
            MESSAGE: "VF 0000:3b:00.2 attached", SYSLOG_IDENTIFIER: "vf-migration", PRIORITY: "3",
            SYSLOG_FACILITY: "1", _TRANSPORT: "syslog", _UID: "0",
        });
        expect(entries[0]._PID).toMatch(/^\d+$/);
        expect(Number(entries[0].__REALTIME_TIMESTAMP) / 1000).toBeGreaterThan(Date.now() - 60000);
        expect(entries[0].__CURSOR).toBeTruthy();
    });

    test("journalctl short output, -n, -p and an empty result", () => {
        host.ok(["logger", "-t", "vf-migration", "second message"]);
        const short = host.ok(["journalctl", "-t", "vf-migration", "-n", "1"]);
        expect(short).toMatch(/^\w{3} \d\d \d\d:\d\d:\d\d \S+ vf-migration\[\d+\]: second message\n$/);
        expect(host.ok(["journalctl", "-t", "vf-migration", "-p", "err", "-o", "cat"])).toBe("VF 0000:3b:00.2 attached\n");
        expect(host.ok(["journalctl", "-t", "nobody"])).toBe("-- No entries --\n");
        expect(host.ok(["journalctl", "-t", "nobody", "-q"])).toBe("");
    });

    test("syslog(3) datagrams on the host's /dev/log land in the journal", async () => {
        // util-linux logger speaking syslog to a socket, as glibc's syslog(3) does to /dev/log
        host.ok(["/usr/bin/logger", "-u", `${host.dir}/devlog`, "-t", "qemu-wrapper", "-i", "device_add rewritten"]);
        const entry = await waitFor("the syslog message", () => json(["-t", "qemu-wrapper"])[0]);
        expect(entry).toMatchObject({ MESSAGE: "device_add rewritten", PRIORITY: "5", _TRANSPORT: "syslog" });
        expect(entry.SYSLOG_PID).toMatch(/^\d+$/);
    });

    test("journalctl -u shows what systemd logged about the unit, -b the current boot only", () => {
        host.ok(["systemctl", "restart", "virtqemud.socket"]);
        expect(host.ok(["journalctl", "-u", "virtqemud.socket", "-o", "cat"]))
                .toBe("Starting libvirt QEMU daemon socket...\nStarted libvirt QEMU daemon socket.\n");
        const before = json(["-b"]).length;
        host.ok([`${__dirname}/../../simhost/services/reboot`]);
        expect(json(["-b", "-1"])).toHaveLength(before);
        expect(json(["-b"]).map(e => e.MESSAGE)).toEqual(["Linux version 5.14.0-570.12.1.el9_6.x86_64 (simulated boot)"]);
    });
});
