import type { ValidateCheck, VirtHostValidate } from "../../../src/parsers/virt-host-validate";
import { section } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "virt-host-validate.txt";

/** The two IOMMU checks the status page reads. */
function iommuChecks(v: VirtHostValidate): { hardware?: ValidateCheck; kernel?: ValidateCheck } {
    const qemu = v.checks.filter(c => c.driver === "QEMU");
    return {
        hardware: qemu.find(c => c.what === "for device assignment IOMMU support"),
        kernel: qemu.find(c => c.what === "if IOMMU is enabled by kernel"),
    };
}

describe("virt-host-validate on virt-host-validate.txt", () => {
    test("(a) CentOS Stream 9: the IOMMU lines PASS; the third line is cut off in the excerpt -> error on line 3", () => {
        const text = section(FILE, "## (a)");
        const e = parseError("virt-host-validate", text);
        expect(e).toMatchObject({ line: 3 });
        expect(e.text).toMatch(/WARN \(Unknown if this platform has Secure$/);
        const v = parsed("virt-host-validate", text.split("\n").slice(0, 2).join("\n"));
        expect(iommuChecks(v)).toEqual({
            hardware: { driver: "QEMU", what: "for device assignment IOMMU support", result: "PASS" },
            kernel: { driver: "QEMU", what: "if IOMMU is enabled by kernel", result: "PASS" },
        });
    });

    test("(b) IOMMU present but disabled on the kernel command line: WARN with the hint", () => {
        const { kernel } = iommuChecks(parsed("virt-host-validate", section(FILE, "## (b)")));
        expect(kernel).toEqual({
            driver: "QEMU", what: "if IOMMU is enabled by kernel", result: "WARN",
            hint: "IOMMU appears to be disabled in kernel. Add intel_iommu=on to kernel cmdline arguments",
        });
    });

    test("(d) old release without leading spaces: no DMAR table", () => {
        const v = parsed("virt-host-validate", section(FILE, "## (d)"));
        expect(v.checks[0]).toMatchObject({ result: "WARN", hint: expect.stringMatching(/^No ACPI DMAR table found/) });
        expect(iommuChecks(v).kernel).toBeUndefined();
    });
});

describe("virt-host-validate edge cases", () => {
    test("FAIL and NOTE with hints; PASS with a hint or FAIL without one is an error", () => {
        const v = parsed("virt-host-validate", "  QEMU: Checking for hardware virtualization                                 : FAIL (Only emulated CPUs are available)\n   LXC: Checking for cgroup 'memory' controller support : NOTE (x)\n");
        expect(v.checks.map(c => [c.driver, c.result])).toEqual([["QEMU", "FAIL"], ["LXC", "NOTE"]]);
        expect(parseError("virt-host-validate", "  QEMU: Checking x : PASS (why)\n").message).toMatch(/PASS with a hint/);
        expect(parseError("virt-host-validate", "  QEMU: Checking x : FAIL\n").message).toMatch(/without a hint/);
    });

    test("empty and unexpected lines", () => {
        expect(parseError("virt-host-validate", "").line).toBe(0);
        expect(parseError("virt-host-validate", "  QEMU: Checking x : PASS\nerror: bad\n")).toMatchObject({ line: 2, text: "error: bad" });
    });
});
