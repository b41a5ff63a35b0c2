/* The MAC chosen for the VF interface (src/migration/mac.ts): the MACs both hosts' VMs use, and a new one. */
import { macsInUse, uniqueMac } from "../../../src/migration/mac";
import { FakeLibvirt } from "../session/fake-libvirt";
import { fakeTransport } from "../session/fake-transport";

const dom = (name: string, mac: string) => `<domain type='kvm'><name>${name}</name><devices>
<interface type='network'><mac address='${mac}'/><source network='default'/></interface></devices></domain>`;

test("the MAC: libvirt's QEMU prefix, never one in use", () => {
    const bytes = [0x12, 0x34, 0x56, 0xab, 0xcd, 0xef];
    let n = 0;
    const mac = uniqueMac(new Set(["52:54:00:12:34:56"]), () => bytes[n++ % bytes.length]);
    expect(mac).toBe("52:54:00:ab:cd:ef");
    expect(uniqueMac(new Set())).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
});

test("the MACs in use: live and persistent definitions here, both definitions of every VM on the destination", async () => {
    const libvirt = new FakeLibvirt();
    libvirt.domains.set("a", { active: true, persistent: true, xml: dom("a", "52:54:00:00:00:0A"),
                               inactiveXml: dom("a", "52:54:00:00:00:0b") });
    libvirt.domains.set("b", { active: false, persistent: true, xml: dom("b", "52:54:00:00:00:0c") });
    const dst = fakeTransport("root@dst", line => {
        if (line === "virsh -c qemu:///system list --all --name")
            return { stdout: "c\n\n" };
        if (line === "virsh -c qemu:///system dumpxml --domain c")
            return { stdout: dom("c", "52:54:00:00:00:0d") };
        if (line === "virsh -c qemu:///system dumpxml --domain c --inactive")
            return { stdout: "not xml" };
        return undefined;
    });
    const m = await macsInUse(libvirt.asClient(), dst);
    expect([...m.macs].sort()).toEqual(["52:54:00:00:00:0a", "52:54:00:00:00:0b", "52:54:00:00:00:0c", "52:54:00:00:00:0d"]);
    expect(m).toMatchObject({ sourceVms: 2, destinationVms: 1 });
});

test("the destination's list failing is an error, not an empty set", async () => {
    const dst = fakeTransport("root@dst", () => ({ exit: 1, stderr: "error: failed to connect to the hypervisor" }));
    await expect(macsInUse(new FakeLibvirt().asClient(), dst)).rejects.toThrow(/failed to connect/);
});
