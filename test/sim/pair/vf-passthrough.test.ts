/*
 * The VF in the real libvirt domain on the pair: attached as the procedure's <interface type='hostdev'
 * managed='yes'>, then live-migrated with destination and persistent XML naming the destination's VF, and back.
 * libvirt's own managed-hostdev code binds and releases the simulated VFs (passthrough/README.md). The guest's NIC
 * sends through the VF's representor, so the host it runs on reaches it over br-vf (ready-pair: 198.51.100.0/24).
 */
import fs from "fs";
import { withOneCopy } from "../../lib/one-copy";
import {
    PAIR_WATCH, bootedAgain, boots, hostPath, lastTick, ok, requirePair, run, runningGuests, simhost, ticksAfter, trustHostKeys, virsh, waitFor, Host,
} from "./pair";

const MAC = "52:54:00:12:34:56";
const VF: Record<Host, { pci: string; bus: string }> = {
    source: { pci: "0000:e1:00.1", bus: "0xe1" },
    destination: { pci: "0000:c1:00.1", bus: "0xc1" },
};

function interfaceXml(bus: string): string {
    return `<interface type='hostdev' managed='yes'>\n  <mac address='${MAC}'/>\n  <source>\n` +
        `    <address type='pci' domain='0x0000' bus='${bus}' slot='0x00' function='0x1'/>\n  </source>\n</interface>\n`;
}

/** The VF's driver, "" when it is bound to none (prepared, in ready-pair). */
const driverOf = (host: Host, pci: string) => run(host, ["readlink", `/sys/bus/pci/devices/${pci}/driver`]).stdout.trim().split("/").pop() ?? "";

/** The domain XML with the VF's source bus changed to the other host's (what the plugin's plan does, simply). */
function retargeted(host: Host, inactive: boolean, to: Host): string {
    const xml = virsh(host, "dumpxml", "--migratable", ...(inactive ? ["--inactive"] : []), "guest1");
    const from = `bus='${VF[host].bus}' slot='0x00' function='0x1'`;
    expect(xml.split(from).length).toBe(2);
    return xml.replace(from, `bus='${VF[to].bus}' slot='0x00' function='0x1'`);
}

function migrateWithVf(from: Host, to: Host): void {
    fs.writeFileSync(hostPath(from, "/tmp/dest.xml"), retargeted(from, false, to));
    fs.writeFileSync(hostPath(from, "/tmp/persist.xml"), retargeted(from, true, to));
    withOneCopy(PAIR_WATCH, () => virsh(from, "migrate", "--live", "--persistent", "--undefinesource", "--xml", "/tmp/dest.xml",
                                        "--persistent-xml", "/tmp/persist.xml", "guest1",
                                        `qemu+ssh://root@rhel-${to === "source" ? "src" : "dst"}.example.test/system`));
}

/** The guest prints its NICs every 5 s on its console: the VF's MAC among them. */
function seesMac(host: Host): Promise<boolean> {
    return waitFor(`the guest on the ${host} to show a NIC with ${MAC}`, () =>
        run(host, ["tail", "-n", "20", "/var/log/libvirt/qemu/guest1-serial.log"]).stdout.includes(MAC), 30_000);
}

const GUEST_ADDR = "198.51.100.11";
const REP: Record<Host, string> = { source: "enp225s0npf0vf0", destination: "enp193s0npf0vf0" };
const ping = (host: Host) => run(host, ["ping", "-n", "-c", "1", "-W", "1", GUEST_ADDR]);

/** The guest answers ping from the host it runs on, through the VF's representor and br-vf. */
function answersPing(host: Host): Promise<boolean> {
    return waitFor(`the guest to answer ping from the ${host}`, () => ping(host).status === 0, 30_000);
}

describe("a VF attached to the test guest and migrated with it", () => {
    let restoreKeys: () => void = () => undefined;

    beforeAll(async () => {
        requirePair();
        // whatever the file before left (the run's order is jest's): the scenario's prepared, unbound VFs
        simhost("load", "ready-pair");
        restoreKeys = trustHostKeys();
        await ticksAfter("source", 0);
    });

    afterAll(async () => {
        // back to ready-pair: the guest on the source without the VF, the VFs free again
        if (runningGuests("destination").includes("guest1"))
            migrateWithVf("destination", "source");
        if (virsh("source", "dumpxml", "--inactive", "guest1").includes("type='hostdev'")) {
            fs.writeFileSync(hostPath("source", "/tmp/vf.xml"), interfaceXml(VF.source.bus));
            const before = boots("source");
            virsh("source", "detach-device", "guest1", "/tmp/vf.xml", "--config");
            virsh("source", "destroy", "guest1");
            virsh("source", "start", "guest1");
            await bootedAgain("source", before);
        }
        // libvirt gave the VFs back to mlx5_core: the scenario's prepared (unbound) VFs again
        simhost("load", "ready-pair");
        restoreKeys();
    });

    test("attach-device --live --config of the procedure's interface XML binds the VF to mlx5_vfio_pci", async () => {
        expect(driverOf("source", VF.source.pci)).toBe("");
        fs.writeFileSync(hostPath("source", "/tmp/vf.xml"), interfaceXml(VF.source.bus));
        virsh("source", "attach-device", "guest1", "/tmp/vf.xml", "--live", "--config");
        expect(driverOf("source", VF.source.pci)).toBe("mlx5_vfio_pci");
        expect(virsh("source", "dumpxml", "--inactive", "guest1")).toContain(`bus='${VF.source.bus}'`);
        // hot-plugged: the guest finds a NIC with the VF's MAC
        await seesMac("source");
        await answersPing("source");
    });

    test("migrating with --xml/--persistent-xml naming the destination VF moves the VF too", async () => {
        const before = lastTick("source");
        migrateWithVf("source", "destination");
        expect(runningGuests("destination")).toContain("guest1");
        expect(runningGuests("source")).not.toContain("guest1");
        for (const xml of [virsh("destination", "dumpxml", "guest1"), virsh("destination", "dumpxml", "--inactive", "guest1")]) {
            expect(xml).toContain(`bus='${VF.destination.bus}' slot='0x00' function='0x1'`);
            expect(xml).toContain(MAC);
        }
        expect(driverOf("destination", VF.destination.pci)).toBe("mlx5_vfio_pci");
        expect(driverOf("source", VF.source.pci)).toBe("mlx5_core");
        await ticksAfter("destination", before);
        await seesMac("destination");
        // on the destination's side of its bridge now; with the destination VF's representor down, cut off
        await answersPing("destination");
        try {
            ok("destination", ["ip", "link", "set", REP.destination, "down"]);
            expect(ping("destination").status).toBe(1);
        } finally {
            ok("destination", ["ip", "link", "set", REP.destination, "up"]);
        }
        await answersPing("destination");
    });

    test("and back: the source's VF is bound again, the destination's released", async () => {
        const before = lastTick("destination");
        migrateWithVf("destination", "source");
        expect(runningGuests("source")).toContain("guest1");
        expect(virsh("source", "dumpxml", "guest1")).toContain(`bus='${VF.source.bus}' slot='0x00' function='0x1'`);
        expect(driverOf("source", VF.source.pci)).toBe("mlx5_vfio_pci");
        expect(driverOf("destination", VF.destination.pci)).toBe("mlx5_core");
        await ticksAfter("source", before);
        await seesMac("source");
        await answersPing("source");
    });
});
