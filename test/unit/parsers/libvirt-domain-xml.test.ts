import { assignedPciAddresses, hostdevInterfaces } from "../../../src/parsers";
import { readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = readSample("domain-hostdev-interface.xml");
/** The collector's comments are annotations, not virsh output (one contains "--live", which XML forbids in comments). */
const IFACE = FILE.replace(/<!--[\s\S]*?-->\n?/g, "");
/** The minimal attach-device form, written inside the sample's second comment. */
const MINIMAL = /<!--\n(<interface[\s\S]*?<\/interface>)\n-->/.exec(FILE)?.[1] as string;
/** The <devices><iommu> block of domain-viommu.xml.md (documented syntax, "#   " prefixes removed). */
const VIOMMU = readSample("domain-viommu.xml.md").split("\n").filter(l => /^#\s{3}\s*</.test(l)).map(l => l.replace(/^#\s{3}/, "")).join("\n");

function domain(devices: string, extra = ""): string {
    return `<domain type='kvm' id='3'>\n  <name>vm1</name>\n  <uuid>0A1B2C3D-0000-4000-8000-000000000001</uuid>\n${extra}  <devices>\n${devices}\n  </devices>\n</domain>\n`;
}

/** An interface read inside a domain (a device line is 4 lines further down than in the interface alone). */
const iface = (xml: string) => parsed("libvirt-domain-xml", domain(xml)).interfaces[0];
const ifaceError = (xml: string) => parseError("libvirt-domain-xml", domain(xml));

describe("interfaces on domain-hostdev-interface.xml", () => {
    test("live dumpxml excerpt: MAC, managed, VF source address, vfio driver, alias, guest slot", () => {
        expect(iface(IFACE)).toEqual({
            type: "hostdev", mac: "fa:16:3e:84:01:08", managed: true, sourcePci: "0000:41:00.6", driverName: "vfio",
            alias: "hostdev0", guestPci: "0000:00:06.0", line: 5,
        });
    });

    test("the file as stored: its annotation comment with '--live' is not well-formed XML -> error on line 19", () => {
        expect(ifaceError(FILE)).toMatchObject({ line: 19, message: "malformed XML: '--' inside a comment" });
    });

    test("the minimal attach-device form in the comment", () => {
        expect(iface(MINIMAL)).toEqual({
            type: "hostdev", mac: "52:54:00:00:12:53", managed: true, sourcePci: "0000:42:02.5", line: 5,
        });
    });

    test("hostdev interface without a source address is an error naming its line", () => {
        expect(ifaceError("<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:00:00:01'/>\n</interface>"))
            .toMatchObject({ line: 5, text: "<interface type='hostdev' managed='yes'>" });
    });

    test("out-of-range slot, bad managed, non-PCI source address", () => {
        expect(ifaceError(MINIMAL.replace("slot='0x02'", "slot='0x20'")).message).toMatch(/slot/);
        expect(ifaceError(MINIMAL.replace("managed='yes'", "managed='true'")).message).toMatch(/managed/);
        expect(ifaceError(MINIMAL.replace("type='pci'", "type='usb'")).line).toBe(8);
    });
});

describe("libvirt-domain-xml", () => {
    test("a domain holding the sample VF interface, a PCI hostdev, disks and a CPU", () => {
        const hostdev = "    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <driver name='vfio' model='mlx5_vfio_pci'/>\n" +
            "      <source>\n        <address domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/>\n      </source>\n      <alias name='hostdev1'/>\n    </hostdev>";
        const disks = "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2' cache='none'/>\n      <source file='/var/lib/libvirt/images/vm1.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n" +
            "    <disk type='network' device='disk'>\n      <source protocol='rbd' name='pool/img'>\n        <host name='192.0.2.10' port='6789'/>\n      </source>\n      <target dev='vdb' bus='virtio'/>\n      <shareable/>\n    </disk>\n" +
            "    <interface type='network'>\n      <mac address='52:54:00:AA:00:01'/>\n      <source network='default'/>\n      <model type='virtio'/>\n    </interface>";
        const cpu = "  <cpu mode='custom' match='exact'>\n    <model fallback='forbid'>Icelake-Server</model>\n  </cpu>\n";
        const v = parsed("libvirt-domain-xml", domain(IFACE + hostdev + "\n" + disks, cpu));
        expect(v).toMatchObject({ name: "vm1", uuid: "0a1b2c3d-0000-4000-8000-000000000001", type: "kvm", id: 3,
            cpu: { mode: "custom", match: "exact", model: "Icelake-Server", fallback: "forbid" } });
        expect(v.viommu).toBeUndefined();
        expect(hostdevInterfaces(v).map(i => i.sourcePci)).toEqual(["0000:41:00.6"]);
        expect(v.interfaces[1]).toMatchObject({ type: "network", mac: "52:54:00:aa:00:01", source: { network: "default" }, modelType: "virtio" });
        expect(v.hostdevs[0]).toMatchObject({ mode: "subsystem", type: "pci", managed: true, sourcePci: "0000:e1:00.1", driverModel: "mlx5_vfio_pci" });
        expect(assignedPciAddresses(v)).toEqual(["0000:41:00.6", "0000:e1:00.1"]);
        expect(v.disks).toEqual([
            { type: "file", device: "disk", sourceFile: "/var/lib/libvirt/images/vm1.qcow2", targetDev: "vda", targetBus: "virtio", driverType: "qcow2", cache: "none", readonly: false, shareable: false },
            { type: "network", device: "disk", sourceNetwork: { protocol: "rbd", name: "pool/img", hosts: [{ name: "192.0.2.10", port: "6789" }] }, targetDev: "vdb", targetBus: "virtio", readonly: false, shareable: true },
        ]);
    });

    test("vIOMMU of domain-viommu.xml.md is found, with its line; ioapic driver read from <features>", () => {
        expect(VIOMMU).toContain("<iommu model='intel'>");
        const v = parsed("libvirt-domain-xml", domain(VIOMMU.replace(/<\/?devices>/g, ""), "  <features>\n    <ioapic driver='qemu'/>\n  </features>\n"));
        expect(v.viommu).toEqual({ model: "intel", source: "element", line: 9 });
        expect(v.ioapicDriver).toBe("qemu");
    });

    test("vIOMMU through QEMU command-line passthrough (the -device line quoted in domain-viommu.xml.md)", () => {
        expect(readSample("domain-viommu.xml.md")).toContain("-device intel-iommu,intremap=on,eim=off,caching-mode=on");
        const src = domain("").replace("<domain type='kvm' id='3'>", "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
            .replace("</domain>", "  <qemu:commandline>\n    <qemu:arg value='-device'/>\n    <qemu:arg value='intel-iommu,intremap=on,eim=off,caching-mode=on'/>\n  </qemu:commandline>\n</domain>");
        expect(parsed("libvirt-domain-xml", src).viommu).toEqual({ model: "intel", source: "qemu-commandline", line: 9 });
    });

    test("hostile names are data: markup in <name> stays text", () => {
        expect(parsed("libvirt-domain-xml", domain("").replace("<name>vm1</name>", "<name>&lt;img src=x&gt;</name>")).name).toBe("<img src=x>");
    });

    test("not a domain, no name, malformed XML, empty", () => {
        expect(parseError("libvirt-domain-xml", IFACE).message).toMatch(/expected <domain>/);
        expect(parseError("libvirt-domain-xml", "<domain type='kvm'>\n</domain>").message).toMatch(/no <name>/);
        const cut = domain(MINIMAL).split("</devices>")[0];
        expect(parseError("libvirt-domain-xml", cut).message).toMatch(/malformed XML.*not closed/);
        expect(parseError("libvirt-domain-xml", domain("<interface type='hostdev'>\n<source><address type='pci' bus='0x100' slot='0' function='0'/></source></interface>")))
            .toMatchObject({ line: 6, text: expect.stringContaining("bus='0x100'") });
        expect(parseError("libvirt-domain-xml", "").line).toBe(1);
    });
});
