import { readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

describe("proc-cmdline on the kernel command line logged in iommu-detection.txt", () => {
    const logged = readSample("iommu-detection.txt").split("\n").find(l => l.includes("Kernel command line: "))?.split("Kernel command line: ")[1] as string;

    test("intel_iommu=on found, iommu=pt absent", () => {
        const v = parsed("proc-cmdline", logged + "\n");
        expect(v.args).toHaveLength(7);
        expect(v.params.root).toBe("UUID=d1b5bfc8-4be8-4d91-acd8-77673ad934a3");
        expect(v.params).toMatchObject({ BOOT_IMAGE: "/vmlinuz-linux5.17.0", rw: "", "vfio-pci.ids": "1002:6665", intel_iommu: "on" });
        expect(v.iommu).toEqual({ intelIommu: "on", intelIommuOn: true, iommuOff: false, iommuPt: false });
    });
});

describe("proc-cmdline edge cases", () => {
    test("RHEL Intel args, AMD off, comma options, quotes, last occurrence wins", () => {
        const v = parsed("proc-cmdline", 'BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.14.0-427.el9.x86_64 root=/dev/mapper/rhel-root ro intel_iommu=on,sm_on iommu=pt foo="a b" iommu=nopt iommu=pt\n');
        expect(v.iommu).toMatchObject({ intelIommuOn: true, iommuPt: true, intelIommu: "on,sm_on" });
        expect(v.params.foo).toBe("a b");
        expect(parsed("proc-cmdline", "ro amd_iommu=off\n").iommu).toMatchObject({ iommuOff: true, amdIommu: "off", intelIommuOn: false });
    });

    test("empty, two lines, unbalanced quote", () => {
        expect(parseError("proc-cmdline", "").line).toBe(0);
        expect(parseError("proc-cmdline", "ro\nquiet\n")).toMatchObject({ line: 2, text: "quiet" });
        expect(parseError("proc-cmdline", 'ro foo="bar\n').message).toMatch(/quote/);
    });
});

describe("grubby-info (`grubby --info=ALL`; iommu-detection.txt names it for the persisted args)", () => {
    const TEXT = [
        "index=0",
        'kernel="/boot/vmlinuz-5.14.0-427.13.1.el9_4.x86_64"',
        'args="ro crashkernel=1G-4G:192M resume=/dev/mapper/rhel-swap rhgb quiet intel_iommu=on iommu=pt $tuned_params"',
        'root="/dev/mapper/rhel-root"',
        'initrd="/boot/initramfs-5.14.0-427.13.1.el9_4.x86_64.img $tuned_initrd"',
        'title="Red Hat Enterprise Linux (5.14.0-427.13.1.el9_4.x86_64) 9.4 (Plow)"',
        'id="abc-5.14.0-427.13.1.el9_4.x86_64"',
        "index=1",
        'kernel="/boot/vmlinuz-0-rescue-abc"',
        'args="ro crashkernel=1G-4G:192M"',
    ].join("\n") + "\n";

    test("entries with their args: set for the next boot", () => {
        const v = parsed("grubby-info", TEXT);
        expect(v.entries).toHaveLength(2);
        expect(v.entries[0]).toMatchObject({ index: 0, kernel: "/boot/vmlinuz-5.14.0-427.13.1.el9_4.x86_64", cmdline: { iommu: { intelIommuOn: true, iommuPt: true } } });
        expect(v.entries[1].cmdline.iommu.intelIommuOn).toBe(false);
    });

    test("a line that is not key=value, a key before index, a repeated key", () => {
        expect(parseError("grubby-info", "index=0\nnonsense\n")).toMatchObject({ line: 2 });
        expect(parseError("grubby-info", 'kernel="/boot/x"\n').line).toBe(1);
        expect(parseError("grubby-info", "index=0\nargs=\"a\"\nargs=\"b\"\n").line).toBe(3);
        expect(parseError("grubby-info", "").line).toBe(0);
    });
});
