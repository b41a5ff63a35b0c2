import { readSample } from "./samples";
import { parsed } from "./expect-parse";

const LINES = readSample("iommu-detection.txt").split("\n").filter(l => l !== "" && !l.startsWith("#"));

describe("iommu-dmesg on iommu-detection.txt", () => {
    test("Intel dmesg (both REAL blocks): DMAR table, IOMMU enabled, the logged command line", () => {
        const v = parsed("iommu-dmesg", LINES.filter(l => l.startsWith("[")).join("\n"));
        expect(v).toMatchObject({ dmarTable: true, intelIommuEnabled: true, amdVi: false, passthrough: false });
        expect(v.cmdline).toMatch(/intel_iommu=on/);
        expect(v.evidence).toContain("DMAR: IOMMU enabled");
    });

    test("AMD line quoted without a timestamp", () => {
        const v = parsed("iommu-dmesg", LINES.filter(l => l.startsWith("AMD-Vi")).join("\n"));
        expect(v).toMatchObject({ amdVi: true, intelIommuEnabled: false, evidence: ["AMD-Vi: AMD IOMMUv2 loaded and initialized"] });
    });
});

describe("iommu-dmesg edge cases", () => {
    test("nothing found (dmesg rotated or IOMMU off): every flag false, never a pass", () => {
        expect(parsed("iommu-dmesg", "")).toEqual({ dmarTable: false, intelIommuEnabled: false, amdVi: false, passthrough: false, evidence: [] });
    });

    test("passthrough default domain; unrelated lines are ignored", () => {
        const v = parsed("iommu-dmesg", "[    1.0] iommu: Default domain type: Passthrough (set via kernel command line)\n[    1.1] usb 1-1: new device\n");
        expect(v.passthrough).toBe(true);
        expect(v.evidence).toHaveLength(1);
    });
});
