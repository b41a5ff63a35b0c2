import { afterCommand, section, withoutElisions } from "./samples";
import { parsed, parseError } from "./expect-parse";

const BF3 = afterCommand("mstconfig-query.txt", "mstconfig -d 0002:01:00.0 q");
const CX7_HEADER = "mstconfig-query-cx7-header.txt";

describe("mstconfig-query on mstconfig-query.txt (BlueField-3 / integrated CX-7, RHEL 9.4)", () => {
    test("the excerpt as published contains '[...]' elisions: real output never has them -> error on that line", () => {
        const e = parseError("mstconfig-query", BF3);
        expect(e.text.trim()).toBe("[...]");
        expect(e.line).toBeGreaterThan(1);
    });

    test("without the elision lines: header and the Next Boot values the checks read", () => {
        const v = parsed("mstconfig-query", withoutElisions(BF3));
        if (v.kind !== "query") throw new Error("expected a query");
        expect(v.device).toEqual({
            deviceType: "BlueField3", name: "900-9D3B6-00CV-A_Ax", device: "0002:01:00.0",
            description: expect.stringMatching(/^NVIDIA BlueField-3 B3220 P-Series FHHL DPU; .* Crypto Enabled$/),
        });
        expect(v.nextBoot.VF_MIGRATION_MODE).toEqual({ raw: "DEVICE_DEFAULT(0)", label: "DEVICE_DEFAULT", number: 0 });
        expect(v.nextBoot.SRIOV_EN).toEqual({ raw: "True(1)", label: "True", number: 1 });
        expect(v.nextBoot.NUM_OF_VFS).toEqual({ raw: "16", number: 16 });
        expect(v.nextBoot.LINK_TYPE_P1).toMatchObject({ label: "ETH", number: 2 });
        expect(v.nextBoot.MODULE_SPLIT_M0).toEqual({ raw: "Array[0..15]" });
        expect(v.nextBoot.MEMIC_SIZE_LIMIT).toMatchObject({ label: "_256KB", number: 1 });
        expect(Object.keys(v.nextBoot)).toHaveLength(35); // every configuration line of the excerpt
    });
});

describe("mstconfig-query on mstconfig-query-cx7-header.txt (ConnectX-7, IB mode)", () => {
    const excerpt = section(CX7_HEADER, "# k8snetworkplumbingwg/sriov-network-device-plugin issue #601");

    test("the ConnectX7 header, with the elided lines restored as the Configurations line", () => {
        const text = excerpt.replace("[...]", "Configurations:                                      Next Boot").replace(/\n\[\.\.\.\]\n?$/, "\n");
        const v = parsed("mstconfig-query", text);
        if (v.kind !== "query") throw new Error("expected a query");
        expect(v.device).toMatchObject({ deviceType: "ConnectX7", name: "MCX75310AAS-NEA_Ax", device: "/dev/mst/mt4129_pciconf1" });
        expect(v.device.description).toMatch(/^NVIDIA ConnectX-7 HHHL Adapter card; 400GbE \/ NDR IB/);
        expect(v.nextBoot.LINK_TYPE_P1).toEqual({ raw: "IB(1)", label: "IB", number: 1 });
    });

    test("the excerpt as published is an error at the '[...]' line", () => {
        expect(parseError("mstconfig-query", excerpt)).toMatchObject({ text: "[...]" });
    });

    test("the -e header (ConnectX-6 Lx) is refused by the plain-query parser: it names the Configurations line", () => {
        const e = parseError("mstconfig-query", section(CX7_HEADER, "# (k8snetworkplumbingwg/sriov-network-operator issue #968"));
        expect(e.text).toMatch(/^Configurations:\s+Default\s+Current\s+Next Boot$/);
        expect(e.message).toMatch(/mstconfig-query-e/);
    });
});

describe("mstconfig-query edge cases", () => {
    const HEAD = "\nDevice #1:\n----------\n\nDevice type:    ConnectX7\nName:           MCX755106AS-HEA_Ax\n" +
        "Description:    NVIDIA ConnectX-7 HHHL Adapter Card\nDevice:         0000:e1:00.0\n\nConfigurations:                                      Next Boot\n";

    test("VF_MIGRATION_MODE=MIGRATION_ENABLED(2) as Next Boot", () => {
        const v = parsed("mstconfig-query", HEAD + "        VF_MIGRATION_MODE                           MIGRATION_ENABLED(2)\n");
        expect(v.kind === "query" && v.nextBoot.VF_MIGRATION_MODE.number).toBe(2);
    });

    test("-E- error lines give kind error, never a configuration", () => {
        expect(parsed("mstconfig-query", "-E- Failed to open the device\n")).toEqual({ kind: "error", message: "Failed to open the device", line: 1 });
    });

    test("empty, truncated, unexpected and duplicated lines", () => {
        expect(parseError("mstconfig-query", "")).toMatchObject({ line: 0 });
        expect(parseError("mstconfig-query", HEAD).message).toMatch(/no configuration lines/);
        expect(parseError("mstconfig-query", HEAD.split("Configurations")[0]).message).toMatch(/before "Configurations:"/);
        expect(parseError("mstconfig-query", HEAD + "        SRIOV_EN   True(1)   extra\n")).toMatchObject({ line: 11 });
        expect(parseError("mstconfig-query", HEAD + "        SRIOV_EN   True(1)\n        SRIOV_EN   False(0)\n").line).toBe(12);
        expect(parseError("mstconfig-query", HEAD + "        SRIOV_EN   True(1)\nDevice #2:\n").message).toMatch(/more than one device/);
    });

    test("hostile header values are kept as data", () => {
        const v = parsed("mstconfig-query", HEAD.replace("NVIDIA ConnectX-7 HHHL Adapter Card", "<img src=x onerror=alert(1)>") + "        SRIOV_EN   True(1)\n");
        expect(v.kind === "query" && v.device.description).toBe("<img src=x onerror=alert(1)>");
    });
});
