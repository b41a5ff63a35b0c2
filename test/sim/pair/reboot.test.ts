/*
 * `test/simhost/reboot HOST` behaves as a reboot does for a user of the host: running guests are gone (their
 * definitions stay), volatile files vanish, the daemons come back with new processes, Cockpit answers again.
 */
import http from "http";
import { bootedAgain, boots, ok, requirePair, run, runningGuests, simhost, virsh, waitFor } from "./pair";

function httpStatus(url: string): Promise<number> {
    return new Promise(resolve => {
        http.get(url, res => { res.resume(); resolve(res.statusCode ?? 0); }).on("error", () => resolve(0));
    });
}

describe("rebooting a simulated host", () => {
    beforeAll(() => requirePair());

    afterAll(async () => {
        // ready-pair again: guest1 running on the source
        if (!runningGuests("source").includes("guest1")) {
            const before = boots("source");
            virsh("source", "start", "guest1");
            await bootedAgain("source", before);
        }
    });

    test("the source's guest stops but stays defined, /run is emptied, daemons restart", async () => {
        ok("source", ["touch", "/run/before-reboot"]);
        const libvirtdBefore = ok("source", ["cat", "/run/vfsim-host/pids/pair-libvirtd.pid"]).trim();

        simhost("reboot", "source");

        expect(virsh("source", "domstate", "guest1").trim()).toBe("shut off");
        expect(run("source", ["test", "-e", "/run/before-reboot"]).status).not.toBe(0);
        expect(ok("source", ["cat", "/run/vfsim-host/pids/pair-libvirtd.pid"]).trim()).not.toBe(libvirtdBefore);
        expect(ok("source", ["ss", "-Hltn", "sport = :22"])).toMatch(/:22/);
        // the browser reaches the source's Cockpit again
        const port = process.env.VFSIM_PORT_ROOT ?? "9091";
        await waitFor("Cockpit after the reboot", async () => await httpStatus(`http://127.0.0.1:${port}/`) === 200, 30_000);
    });

    test("the guest starts again after the reboot", async () => {
        const before = boots("source");
        virsh("source", "start", "guest1");
        expect(await bootedAgain("source", before)).toBe(before + 1);
    });
});
