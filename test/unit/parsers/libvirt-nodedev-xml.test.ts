import { readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = readSample("virsh-nodedev-dumpxml-vf.xml");
const [BLOG, LIBVIRT_TEST] = FILE.match(/<device>[\s\S]*?<\/device>/g) as string[];

describe("libvirt-nodedev-xml on virsh-nodedev-dumpxml-vf.xml (Intel 82576 VFs)", () => {
    test("blog sample: decimal bus/slot -> 0000:82:10.1, driver, vendor/product, phys_function", () => {
        expect(parsed("libvirt-nodedev-xml", BLOG)).toEqual({
            name: "pci_0000_82_10_1", path: "/sys/devices/pci0000:80/0000:80:01.0/0000:82:10.1", parent: "pci_0000_80_01_0",
            driver: "igbvf", address: "0000:82:10.1",
            vendor: { id: "8086", name: "Intel Corporation" }, product: { id: "10ca", name: "82576 Virtual Function" },
            physFunction: "0000:82:00.1",
        });
    });

    test("libvirt test data: class, iommuGroup, numa node, no driver (unbound)", () => {
        const v = parsed("libvirt-nodedev-xml", LIBVIRT_TEST);
        expect(v).toMatchObject({ address: "0000:02:10.7", class: "0xffffff", physFunction: "0000:02:00.1",
            iommuGroup: { number: 31, addresses: ["0000:02:10.7"] }, numaNode: 0 });
        expect(v.driver).toBeUndefined();
    });

    test("the file as a whole (prompt line, two roots) is refused at the prompt line", () => {
        expect(parseError("libvirt-nodedev-xml", FILE)).toMatchObject({ line: 8, text: "[root@fish devices]# virsh nodedev-dumpxml pci_0000_82_10_1" });
    });
});

describe("libvirt-nodedev-xml edge cases", () => {
    const CX7_VF = BLOG.replace("<name>igbvf</name>", "<name>mlx5_vfio_pci</name>")
        .replace("<product id='0x10ca'>82576 Virtual Function</product>", "<product id='0x101e'>ConnectX Family mlx5Gen Virtual Function</product>")
        .replace("<vendor id='0x8086'>Intel Corporation</vendor>", "<vendor id='0x15b3'>Mellanox Technologies</vendor>");

    test("a CX-7 VF as the file's caveat describes it", () => {
        expect(parsed("libvirt-nodedev-xml", CX7_VF)).toMatchObject({ driver: "mlx5_vfio_pci", vendor: { id: "15b3" }, product: { id: "101e" } });
    });

    test("a PF with virt_functions", () => {
        const pf = "<device><name>pci_0000_e1_00_0</name><capability type='pci'><domain>0</domain><bus>225</bus><slot>0</slot><function>0</function>" +
            "<product id='0x1021'>MT2910 Family [ConnectX-7]</product><vendor id='0x15b3'>Mellanox Technologies</vendor>" +
            "<capability type='virt_functions' maxCount='16'><address domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/></capability></capability></device>";
        expect(parsed("libvirt-nodedev-xml", pf)).toMatchObject({ address: "0000:e1:00.0", virtFunctions: { maxCount: 16, addresses: ["0000:e1:00.1"] } });
    });

    test("hex where decimal is expected, missing vendor, not PCI, wrong root", () => {
        expect(parseError("libvirt-nodedev-xml", BLOG.replace("<bus>130</bus>", "<bus>0x82</bus>"))).toMatchObject({ line: 10, text: "    <bus>0x82</bus>" });
        expect(parseError("libvirt-nodedev-xml", BLOG.replace(/<vendor[^\n]*\n/, "")).message).toMatch(/vendor/);
        expect(parseError("libvirt-nodedev-xml", "<device><name>net_x</name><capability type='net'/></device>").message).toMatch(/not a PCI device/);
        expect(parseError("libvirt-nodedev-xml", "<domain/>").message).toMatch(/expected <device>/);
    });
});
