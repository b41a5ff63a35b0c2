import { readSample, section } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "lspci-sysfs-connectx7.txt";

describe("lspci on lspci-sysfs-connectx7.txt", () => {
    test("REAL -nn lines: CX-7 Ethernet and InfiniBand PFs, BlueField-3 with rev", () => {
        const v = parsed("lspci", section(FILE, "## REAL lspci -nn lines"));
        expect(v.devices).toEqual([
            { address: "0000:01:00.0", className: "Ethernet controller", classId: "0200", vendorId: "15b3", deviceId: "1021",
                name: "Mellanox Technologies MT2910 Family [ConnectX-7]", capabilities: [], sriov: false },
            { address: "0000:31:00.0", className: "Infiniband controller", classId: "0207", vendorId: "15b3", deviceId: "1021",
                name: "Mellanox Technologies MT2910 Family [ConnectX-7]", capabilities: [], sriov: false },
            { address: "0000:46:00.1", className: "Ethernet controller", classId: "0200", vendorId: "15b3", deviceId: "a2dc",
                name: "Mellanox Technologies MT43244 BlueField-3 integrated ConnectX-7 network controller", rev: "01",
                capabilities: [], sriov: false },
        ]);
    });

    test("`lspci -s 41:00.0 -vvn` first line (-n form, no domain printed = 0000)", () => {
        const line = readSample(FILE).split("\n").find(l => l.includes("(first line): "))?.split("(first line): ")[1] as string;
        expect(parsed("lspci", line).devices[0]).toEqual({
            address: "0000:41:00.0", classId: "0207", vendorId: "15b3", deviceId: "1021", capabilities: [], sriov: false,
        });
    });

    test("the -Dnnk lines 'as quoted' (re-wrapped by the doc) are refused; the real -k layout parses", () => {
        const quoted = section(FILE, "# lspci -Dnnk -s 0000:03:00.0");
        expect(parseError("lspci", quoted)).toMatchObject({ line: 1, text: "0000:03:00.0 Ethernet controller:" });
        const real = "0000:03:00.0 Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n" +
            "\tKernel driver in use: mlx5_core\n\tKernel modules: mlx5_core\n";
        expect(parsed("lspci", real).devices[0]).toMatchObject({ driverInUse: "mlx5_core", kernelModules: ["mlx5_core"] });
    });

    test("the CX-4 Lx VF line is dpdk-devbind output, not lspci: refused", () => {
        const line = readSample(FILE).split("\n").find(l => l.startsWith("0000:81:00.2 'MT27710")) as string;
        expect(parseError("lspci", line + "\n")).toMatchObject({ line: 1 });
    });
});

describe("lspci edge cases", () => {
    test("-vv: SR-IOV capability and other detail lines", () => {
        const v = parsed("lspci", [
            "0000:e1:00.0 Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]",
            "\tSubsystem: Mellanox Technologies Device [15b3:0041]",
            "\tCapabilities: [60] Express (v2) Endpoint, MSI 00",
            "\t\tDevCap:\tMaxPayload 512 bytes",
            "\tCapabilities: [180 v1] Single Root I/O Virtualization (SR-IOV)",
            "\t\tIOVCap:\tMigration- 10BitTagReq- Interrupt Message Number: 000",
            "\tKernel driver in use: mlx5_core",
            "0000:e1:00.1 Ethernet controller [0200]: Mellanox Technologies ConnectX Family mlx5Gen Virtual Function [15b3:101e]",
            "\tKernel driver in use: mlx5_vfio_pci",
        ].join("\n"));
        expect(v.devices[0]).toMatchObject({ subsystem: "Mellanox Technologies Device [15b3:0041]", driverInUse: "mlx5_core", sriov: true });
        expect(v.devices[0].capabilities).toEqual([{ offset: "60", name: "Express (v2) Endpoint, MSI 00" },
            { offset: "180", name: "Single Root I/O Virtualization (SR-IOV)" }]);
        expect(v.devices[1]).toMatchObject({ deviceId: "101e", driverInUse: "mlx5_vfio_pci", sriov: false });
    });

    test("prog-if, no output, detail before device, truncated device line", () => {
        expect(parsed("lspci", "0000:00:14.0 USB controller [0c03]: Intel Corporation Device [8086:a36d] (rev 10) (prog-if 30 [XHCI])\n").devices[0])
            .toMatchObject({ rev: "10", progIf: "30" });
        expect(parsed("lspci", "").devices).toEqual([]);
        expect(parseError("lspci", "\tKernel driver in use: x\n").line).toBe(1);
        expect(parseError("lspci", "0000:01:00.0 Ethernet controller [0200]: Mellanox Technologies MT2910 Family [Conn\n").line).toBe(1);
    });
});
