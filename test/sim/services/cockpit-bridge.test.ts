/*
 * Cockpit's own bridge reading the stand-ins, the way a page's cockpit.dbus() does: a dbus-json3 channel on the
 * system bus, a method call, and a watch on a unit's path (introspection, GetAll, then change notifications).
 */
import { ChildProcess, spawn } from "child_process";
import { Host, waitFor } from "./host";

type Message = Record<string, unknown>;

class Bridge {
    private proc: ChildProcess;
    private buf = Buffer.alloc(0);
    readonly received: Array<[string, Message]> = [];

    constructor(env: NodeJS.ProcessEnv) {
        this.proc = spawn("/usr/bin/cockpit-bridge", [], { env: { ...env, HOME: "/root" }, stdio: ["pipe", "pipe", "ignore"] });
        this.proc.stdout!.on("data", (chunk: Buffer) => this.parse(chunk));
    }

    // cockpit's framing: "<length>\n<channel>\n<json>", length counting channel, newline and payload bytes
    private parse(chunk: Buffer): void {
        this.buf = Buffer.concat([this.buf, chunk]);
        for (;;) {
            const nl = this.buf.indexOf(10);
            if (nl < 0)
                return;
            const len = Number(this.buf.subarray(0, nl).toString());
            if (this.buf.length < nl + 1 + len)
                return;
            const frame = this.buf.subarray(nl + 1, nl + 1 + len).toString();
            this.buf = this.buf.subarray(nl + 1 + len);
            const sep = frame.indexOf("\n");
            this.received.push([frame.slice(0, sep), JSON.parse(frame.slice(sep + 1))]);
        }
    }

    send(channel: string, message: Message): void {
        const data = Buffer.from(`${channel}\n${JSON.stringify(message)}`);
        this.proc.stdin!.write(`${data.length}\n`);
        this.proc.stdin!.write(data);
    }

    on(channel: string): Message[] {
        return this.received.filter(([c]) => c === channel).map(([, m]) => m);
    }

    stop(): void {
        if (this.proc.pid && this.proc.exitCode === null)
            process.kill(this.proc.pid, "SIGTERM");
    }
}

describe("Cockpit's bridge on the stand-ins", () => {
    let host: Host;
    let bridge: Bridge;

    beforeAll(async () => {
        host = new Host({
            services: {
                units: { "virtproxyd-tls.socket": "inactive disabled" },
                packages: { installed: [], available: ["mstflint-4.28.0-1.el9"], install_seconds: 1 },
            },
        });
        await host.start();
        bridge = new Bridge(host.env);
        bridge.send("", { command: "init", version: 1, host: "localhost" });
    });

    afterAll(async () => {
        bridge.stop();
        await host.stop();
    });

    test("a page sees a unit's state and its change after systemctl start", async () => {
        bridge.send("", { command: "open", channel: "sd", payload: "dbus-json3", name: "org.freedesktop.systemd1", bus: "system" });
        bridge.send("sd", { call: ["/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "LoadUnit", ["virtproxyd-tls.socket"]], id: "load" });
        const reply = await waitFor("LoadUnit reply", () => bridge.on("sd").find(m => m.id === "load"));
        const path = (reply.reply as string[][])[0][0];
        expect(path).toBe("/org/freedesktop/systemd1/unit/virtproxyd_2dtls_2esocket");

        bridge.send("sd", { watch: { path }, id: "watch" });
        await waitFor("the watch", () => bridge.on("sd").find(m => m.id === "watch"));
        const unitState = () => bridge.on("sd")
                .map(m => (m.notify as Record<string, Record<string, Record<string, unknown>>> | undefined)?.[path]?.["org.freedesktop.systemd1.Unit"])
                .filter(Boolean) as Array<Record<string, unknown>>;
        expect(unitState()[0]).toMatchObject({ Id: "virtproxyd-tls.socket", ActiveState: "inactive", UnitFileState: "disabled" });

        host.ok(["systemctl", "start", "virtproxyd-tls.socket"]);
        await waitFor("the notification of the new state", () => unitState().some(s => s.ActiveState === "active"));
        expect(unitState().at(-1)).toMatchObject({ ActiveState: "active", SubState: "listening" });
    });

    test("the Services page's calls on load are answered through the bridge, which looks their signatures up", async () => {
        // the shell preloads the Services page on every page: hidden, it asks only for failed units
        const calls: Array<[string, unknown[] | null]> = [["Subscribe", null], ["ListUnitsFiltered", [["failed"]]],
            ["ListUnits", null], ["ListUnitFiles", null]];
        for (const [method, args] of calls)
            bridge.send("sd", { call: ["/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", method, args ?? []], id: method });
        const replies = await waitFor("the replies", () => {
            const r = calls.map(([m]) => bridge.on("sd").find(msg => msg.id === m));
            return r.every(Boolean) && r as Message[];
        });
        expect(replies.map(r => r.error)).toEqual([undefined, undefined, undefined, undefined]);
        expect(replies[1].reply).toEqual([[[]]]);
        const firstArg = (r: Message) => (r.reply as string[][][][])[0][0];
        const units = firstArg(replies[2]).map(u => u[0]);
        expect(units).toContain("virtproxyd-tls.socket");
        expect(firstArg(replies[3])).toContainEqual(["/usr/lib/systemd/system/sshd.service", "enabled"]);
    });

    test("PackageKit detection as pkg/lib/packagekit.js does it", async () => {
        bridge.send("", { command: "open", channel: "pk", payload: "dbus-json3", name: "org.freedesktop.PackageKit", bus: "system" });
        bridge.send("pk", { call: ["/org/freedesktop/PackageKit", "org.freedesktop.DBus.Properties", "Get", ["org.freedesktop.PackageKit", "VersionMajor"]], id: "v" });
        const reply = await waitFor("VersionMajor", () => bridge.on("pk").find(m => m.id === "v"));
        expect(reply.reply).toEqual([[{ t: "u", v: 1 }]]);
    });

    test("an install's progress reaches the page as property notifications of the transaction", async () => {
        bridge.send("pk", { call: ["/org/freedesktop/PackageKit", "org.freedesktop.PackageKit", "CreateTransaction", []], id: "tx" });
        const tx = ((await waitFor("a transaction", () => bridge.on("pk").find(m => m.id === "tx"))).reply as string[][])[0][0];
        bridge.send("pk", { watch: { path: tx }, id: "txwatch" });
        bridge.send("pk", { "add-match": { path: tx, interface: "org.freedesktop.PackageKit.Transaction" }, id: "match" });
        await waitFor("the transaction watch", () => bridge.on("pk").find(m => m.id === "txwatch"));
        bridge.send("pk", { call: [tx, "org.freedesktop.PackageKit.Transaction", "InstallPackages", [0, ["mstflint;4.28.0-1.el9;x86_64;rhel-9-for-x86_64-appstream-rpms"]]], id: "install" });
        const finished = () => bridge.on("pk").find(m => (m.signal as unknown[] | undefined)?.[2] === "Finished");
        await waitFor("Finished", finished, 20000);
        expect((finished()!.signal as unknown[])[3]).toEqual([1, expect.any(Number)]);
        const percentages = bridge.on("pk")
                .map(m => (m.notify as Record<string, Record<string, Record<string, unknown>>> | undefined)?.[tx]?.["org.freedesktop.PackageKit.Transaction"]?.Percentage)
                .filter(p => typeof p === "number" && p <= 100);
        expect(percentages.length).toBeGreaterThanOrEqual(10);
        expect(percentages.at(-1)).toBe(100);
        expect(host.ok(["rpm", "-q", "mstflint"])).toBe("mstflint-4.28.0-1.el9.x86_64\n");
    });
});
