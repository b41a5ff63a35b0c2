/* Attaching the VF before the migration (src/migration/attach-vf.ts): the interface, the virsh line, the attach read back. */
import { attachVf, attachVirshLine, heldVfs, vfInterfaceXml } from "../../../src/migration/attach-vf";
import { Mac } from "../../../src/host/values";
import { FakeLibvirt } from "../session/fake-libvirt";

const VM = "g1";
const BARE = `<domain type='kvm'><name>${VM}</name><devices>\n</devices></domain>`;

test("the interface and the virsh line that attaches it live and persistently", () => {
    const xml = vfInterfaceXml(Mac.of("52:54:00:ab:cd:ef"), "0000:e1:00.2");
    expect(xml).toContain("<interface type='hostdev' managed='yes'>");
    expect(xml).toContain("<mac address='52:54:00:ab:cd:ef'/>");
    // the variant driver is pinned: no silent fall-back to plain vfio-pci, which cannot migrate (review R18)
    expect(xml).toContain("<driver model='mlx5_vfio_pci'/>");
    expect(xml).toContain("bus='0xe1' slot='0x00' function='0x2'");
    expect(attachVirshLine(VM, "vf.xml"))
        .toEqual(["virsh", "-c", "qemu:///system", "attach-device", "--domain", VM, "--file", "vf.xml", "--live", "--config"]);
});

test("attach: AttachDevice, then both definitions read back name the VF", async () => {
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: BARE });
    expect(await heldVfs(libvirt.asClient(), VM)).toEqual({ live: [], config: [] });
    const xml = vfInterfaceXml(Mac.of("52:54:00:ab:cd:ef"), "0000:e1:00.2");
    expect(await attachVf(libvirt.asClient(), VM, xml, "0000:e1:00.2")).toEqual({ pci: "0000:e1:00.2", mac: "52:54:00:ab:cd:ef" });
    expect(libvirt.calls).toContain(`AttachDevice ${VM} 3`);
});

test("attach accepted by libvirt but absent from the definitions afterwards: an error, never a silent success", async () => {
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: BARE });
    libvirt.attachIgnored = true;
    const xml = vfInterfaceXml(Mac.of("52:54:00:ab:cd:ef"), "0000:e1:00.2");
    await expect(attachVf(libvirt.asClient(), VM, xml, "0000:e1:00.2")).rejects.toThrow(/does not name 0000:e1:00.2 afterwards/);
});
