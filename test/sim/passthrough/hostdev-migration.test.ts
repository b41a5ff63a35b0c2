/*
 * A guest carrying a simulated ConnectX-7 VF as <interface type='hostdev' managed='yes'>, run and migrated by the
 * real libvirt 11.3 and QEMU 10.0 (through the test-only preload library and <emulator> wrapper), and the refusals
 * a real host gives. The hosts' sysfs is the hardware simulator's (test/simhost/hw): libvirt's managed binding moves
 * each VF between mlx5_core and mlx5_vfio_pci as on a real host.
 */
import { withOneCopy } from "../../lib/one-copy";
import { hostdevInterface, MiniPair, domainXml } from "./minipair";

const MAC1 = "52:54:00:10:00:01";
const MAC2 = "52:54:00:10:00:02";

function sources(xml: string): string[] {
    return [...xml.matchAll(/<interface type='hostdev'[\s\S]*?<source>\s*<address [^>]*function='(0x\w+)'/g)]
        .map(m => m[1]);
}

/** The domain's migratable XML with each VF source function replaced (what the plugin's destination XML does). */
function retarget(xml: string, map: Record<string, string>): string {
    return xml.replace(/(<source>\s*<address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function=')(0x\w+)'/g,
        (_m, head: string, fn: string) => `${head}${map[fn] ?? fn}'`);
}

describe("VF passthrough on the simulated hosts", () => {
    const pair = new MiniPair(true);
    const { a, b } = pair;

    beforeAll(() => {
        pair.start();
    });

    afterAll(() => {
        pair.stop();
    });

    test("a guest with a VF interface starts; it sees a NIC with the VF's MAC in the slot libvirt gave the VF", () => {
        const iface = hostdevInterface(1, MAC1).replace("</source>",
            "</source>\n  <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>");
        a.virshOk("define", a.write("vm1.xml", domainXml("vm1", iface)));
        a.virshOk("start", "vm1");

        expect(a.guestNics("vm1")).toEqual([{ id: "hostdev0", model: "e1000", mac: MAC1 }]);
        const pci = JSON.parse(a.virshOk("qemu-monitor-command", "vm1", '{"execute":"query-pci"}'));
        const dev = pci.return[0].devices.find((d: { qdev_id: string }) => d.qdev_id === "hostdev0");
        expect(dev.slot).toBe(7);
        // libvirt set the guest's MAC on VF 0 through the PF, as `ip link show <pf>` would show it
        expect(a.vfMac(0)).toBe(MAC1);
        expect(sources(a.virshOk("dumpxml", "vm1"))).toEqual(["0x1"]);
        expect(a.driver("0000:e1:00.1")).toBe("mlx5_vfio_pci");
    });

    test("attach-device --live --config of the procedure's interface XML adds the VF to the running guest", () => {
        const file = a.write("vf2.xml", hostdevInterface(2, MAC2));
        a.virshOk("attach-device", "vm1", file, "--live", "--config");

        expect(a.guestNics("vm1").map(n => n.mac)).toEqual([MAC1, MAC2]);
        expect(sources(a.virshOk("dumpxml", "vm1"))).toEqual(["0x1", "0x2"]);
        expect(sources(a.virshOk("dumpxml", "--inactive", "vm1"))).toEqual(["0x1", "0x2"]);
        expect(a.vfMac(1)).toBe(MAC2);
        expect(a.driver("0000:e1:00.2")).toBe("mlx5_vfio_pci");
    });

    test("live migration with --xml/--persistent-xml naming the destination's VFs moves the guest and its MACs", () => {
        const dest = a.write("vm1-dest.xml",
            retarget(a.virshOk("dumpxml", "--migratable", "vm1"), { "0x1": "0x3", "0x2": "0x4" }));
        const r = withOneCopy(pair.watch("vm1"), () => a.virsh(
            "migrate", "--live", "--persistent", "--undefinesource", "vm1", b.uri,
            "--migrateuri", "tcp://192.0.2.2", "--xml", dest, "--persistent-xml", dest));
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);

        expect(sources(b.virshOk("dumpxml", "vm1"))).toEqual(["0x3", "0x4"]);
        expect(sources(b.virshOk("dumpxml", "--inactive", "vm1"))).toEqual(["0x3", "0x4"]);
        expect(b.guestNics("vm1").map(n => n.mac)).toEqual([MAC1, MAC2]);
        expect([b.vfMac(2), b.vfMac(3)]).toEqual([MAC1, MAC2]);
        expect([b.driver("0000:e1:00.3"), b.driver("0000:e1:00.4")]).toEqual(["mlx5_vfio_pci", "mlx5_vfio_pci"]);
        // the source released its VFs: back on mlx5_core, MAC restored through the PF, the guest forgotten
        expect([a.driver("0000:e1:00.1"), a.driver("0000:e1:00.2")]).toEqual(["mlx5_core", "mlx5_core"]);
        expect([a.vfMac(0), a.vfMac(1)]).toEqual(["00:00:00:00:00:00", "00:00:00:00:00:00"]);
        expect(a.virsh("dominfo", "vm1").status).not.toBe(0);
    });

    test("the migration back to the source succeeds the same way", () => {
        const back = b.write("vm1-back.xml",
            retarget(b.virshOk("dumpxml", "--migratable", "vm1"), { "0x3": "0x1", "0x4": "0x2" }));
        const r = withOneCopy(pair.watch("vm1"), () => b.virsh(
            "migrate", "--live", "--persistent", "--undefinesource", "vm1", a.uri,
            "--migrateuri", "tcp://192.0.2.1", "--xml", back, "--persistent-xml", back));
        expect(r.stderr).toBe("");
        expect(sources(a.virshOk("dumpxml", "vm1"))).toEqual(["0x1", "0x2"]);
        expect(a.guestNics("vm1").map(n => n.mac)).toEqual([MAC1, MAC2]);
        expect([b.vfMac(2), b.vfMac(3)]).toEqual(["00:00:00:00:00:00", "00:00:00:00:00:00"]);
        expect([a.driver("0000:e1:00.1"), b.driver("0000:e1:00.3")]).toEqual(["mlx5_vfio_pci", "mlx5_core"]);
        a.virshOk("destroy", "vm1");
        a.virshOk("undefine", "vm1");
    });

    test("a hot-plugged VF whose devlink migratable is off blocks the migration with QEMU's VFIO blocker", () => {
        a.virshOk("define", a.write("vm7.xml", domainXml("vm7", "")));
        a.virshOk("start", "vm7");
        a.virshOk("attach-device", "vm7", a.write("vf7.xml", hostdevInterface(7, "52:54:00:10:00:07")), "--live");
        expect(a.driver("0000:e1:00.7")).toBe("mlx5_vfio_pci");

        const r = withOneCopy(pair.watch("vm7"), () => a.virsh(

            "migrate", "--live", "--persistent", "--undefinesource",

            "vm7", b.uri, "--migrateuri", "tcp://192.0.2.2"));
        expect(r.status).not.toBe(0);
        expect(r.stderr.trim()).toBe("error: Requested operation is not valid: cannot migrate domain: " +
            "0000:e1:00.7: VFIO migration is not supported in kernel");
        expect(a.virshOk("domstate", "vm7").trim()).toBe("running");
        a.virshOk("destroy", "vm7");
    });

    test("a VF on plain vfio-pci instead of mlx5_vfio_pci blocks the migration the same way", () => {
        const iface = hostdevInterface(6, "52:54:00:10:00:06")
            .replace("<source>", "<driver name='vfio' model='vfio-pci'/>\n  <source>");
        a.virshOk("define", a.write("vm6.xml", domainXml("vm6", iface)));
        a.virshOk("start", "vm6");
        expect(a.driver("0000:e1:00.6")).toBe("vfio-pci");

        const r = withOneCopy(pair.watch("vm6"), () => a.virsh(

            "migrate", "--live", "vm6",

            b.uri, "--migrateuri", "tcp://192.0.2.2"));
        expect(r.stderr.trim()).toBe("error: Requested operation is not valid: cannot migrate domain: " +
            "0000:e1:00.6: VFIO migration is not supported in kernel");
        a.virshOk("destroy", "vm6");
    });
});
