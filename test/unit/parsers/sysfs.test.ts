// sysfs-hex-id, sysfs-int, sysfs-link, sysfs-modalias. Values as lspci-sysfs-connectx7.txt describes them
// (kernel ABI, "0x15b3", "101e", driver/iommu_group links); placeholders of that file filled with real names.
import { readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

const DOC = readSample("lspci-sysfs-connectx7.txt");

describe("sysfs values from lspci-sysfs-connectx7.txt", () => {
    test('vendor "0x15b3", device "0x101e", sriov_vf_device "101e"', () => {
        expect(DOC).toContain('vendor "0x15b3", device "0x101e"');
        expect(parsed("sysfs-hex-id", "0x15b3\n")).toEqual({ id: "15b3", value: 0x15b3 });
        expect(parsed("sysfs-hex-id", "0x101e\n").id).toBe("101e");
        expect(parsed("sysfs-hex-id", "101e\n").id).toBe("101e");
    });

    test("driver and iommu_group links", () => {
        expect(DOC).toContain("driver -> ../../../bus/pci/drivers/<mlx5_core|mlx5_vfio_pci|vfio-pci>");
        for (const d of ["mlx5_core", "mlx5_vfio_pci", "vfio-pci"])
            expect(parsed("sysfs-link", `../../../bus/pci/drivers/${d}\n`).name).toBe(d);
        expect(parsed("sysfs-link", "../../../kernel/iommu_groups/31\n")).toEqual({ target: "../../../kernel/iommu_groups/31", name: "31" });
        expect(parsed("sysfs-link", "../0000:e1:00.1\n").name).toBe("0000:e1:00.1");
        expect(parsed("sysfs-link", "/sys/bus/pci/drivers/mlx5_core").name).toBe("mlx5_core");
    });

    test("sriov_numvfs / sriov_totalvfs integers", () => {
        expect(parsed("sysfs-int", "16\n")).toEqual({ value: 16 });
        expect(parsed("sysfs-int", "0\n").value).toBe(0);
    });

    test("modalias of a CX-7 VF", () => {
        expect(parsed("sysfs-modalias", "pci:v000015B3d0000101Esv000015B3sd00000021bc02sc00i00\n")).toEqual({
            vendor: "15b3", device: "101e", subvendor: "15b3", subdevice: "0021", baseClass: "02", subClass: "00", progIf: "00",
        });
    });
});

describe("sysfs edge cases", () => {
    test("empty values, extra lines, malformed values", () => {
        expect(parseError("sysfs-int", "")).toMatchObject({ line: 0 });
        expect(parseError("sysfs-int", "16\n17\n")).toMatchObject({ line: 2 });
        expect(parseError("sysfs-int", "-1\n")).toMatchObject({ line: 1, text: "-1" });
        expect(parseError("sysfs-hex-id", "0x15b\n").line).toBe(1);
        expect(parseError("sysfs-link", "../drivers/\n").line).toBe(1);
        expect(parseError("sysfs-link", "..\n").message).toMatch(/\.\./);
        expect(parseError("sysfs-modalias", "pci:v000015B3d0000101Esv*sd*bc*sc*i*\n").line).toBe(1);
    });
});
