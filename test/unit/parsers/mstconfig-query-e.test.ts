import { readSample, section, withoutElisions } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "mstconfig-query-e.txt";

describe("mstconfig-query-e on mstconfig-query-e.txt", () => {
    const fixture = section(FILE, "# %s/%d are the fixture's template holes");

    test("CX-4 Lx fixture, its %d/%s template holes filled: * marks, Default/Current/Next Boot", () => {
        const text = withoutElisions(fixture).replace(/%d/g, "8").replace("%s(0)", "False(0)").replace(/%s\(1\)/g, "True(1)");
        const v = parsed("mstconfig-query-e", text);
        if (v.kind !== "query-e") throw new Error("expected query-e");
        expect(v.device).toMatchObject({ deviceType: "ConnectX4LX", name: "0R887V", device: "19:00.0" });
        expect(v.params.SRIOV_EN).toEqual({
            default: { raw: "False(0)", label: "False", number: 0 }, current: { raw: "True(1)", label: "True", number: 1 },
            nextBoot: { raw: "True(1)", label: "True", number: 1 }, modified: true, readOnly: false,
        });
        expect(v.params.NUM_OF_VFS).toMatchObject({ modified: true, default: { number: 8 }, current: { number: 8 } });
        expect(v.params.NUM_OF_PF.modified).toBe(false);
        expect(Object.keys(v.params)).toEqual(["MEMIC_BAR_SIZE", "MEMIC_SIZE_LIMIT", "NUM_OF_VFS", "NUM_OF_PF", "SRIOV_EN"]);
    });

    test("the fixture as published is an error at its first '[...]'; with only the elisions removed, at the '%d' hole", () => {
        expect(parseError("mstconfig-query-e", fixture).text.trim()).toBe("[...]");
        const e = parseError("mstconfig-query-e", withoutElisions(fixture));
        expect(e.text).toMatch(/^\*\s+NUM_OF_VFS\s+8\s+%d/);
        expect(e.message).toMatch(/"%d" does not look like an mstconfig value/);
    });

    test("2019 ConnectX-5 narrow columns (9-space indent)", () => {
        const v = parsed("mstconfig-query-e", section(FILE, "# Older mstflint (2019"));
        if (v.kind !== "query-e") throw new Error("expected query-e");
        expect(v.device).toMatchObject({ deviceType: "ConnectX5", name: "MCX556A-ECA_Ax", device: "0000:02:00.1" });
        expect(v.params.HOST_CHAINING_MODE.current).toEqual({ raw: "DISABLED(0)", label: "DISABLED", number: 0 });
    });

    test("ConnectX-6 Lx -e header of mstconfig-query-cx7-header.txt", () => {
        const lines = readSample("mstconfig-query-cx7-header.txt").split("\n");
        const text = lines.slice(lines.findIndex(l => l.startsWith("# (k8snetworkplumbingwg")) + 1).join("\n");
        const v = parsed("mstconfig-query-e", text);
        if (v.kind !== "query-e") throw new Error("expected query-e");
        expect(v.device).toMatchObject({ deviceType: "ConnectX6LX", device: "0108:00:00.0" });
        expect(v.params.LARGE_MTU_TWEAK_64).toMatchObject({ current: { label: "False" }, modified: false });
    });
});

describe("mstconfig-query-e edge cases", () => {
    const HEAD = "Device #1:\n----------\n\nDevice type:        ConnectX7\nName:               MCX755106AS-HEA_Ax\n" +
        "Description:        NVIDIA ConnectX-7\nDevice:             0000:e1:00.0\n\n" +
        "Configurations:                                          Default             Current         Next Boot\n";

    test("pending reboot: Current DEVICE_DEFAULT(0), Next Boot MIGRATION_ENABLED(2), trailer lines and RO", () => {
        const v = parsed("mstconfig-query-e", HEAD +
            "*       VF_MIGRATION_MODE                           DEVICE_DEFAULT(0)    DEVICE_DEFAULT(0)    MIGRATION_ENABLED(2)\n" +
            " RO     NUM_OF_PF                                   2                    2                    2\n" +
            "The '*' shows parameters with next value different from default/current value.\n\n" +
            "The 'RO' shows parameters which are for read only and cannot be changed\n");
        if (v.kind !== "query-e") throw new Error("expected query-e");
        expect(v.params.VF_MIGRATION_MODE).toMatchObject({ modified: true, current: { number: 0 }, nextBoot: { label: "MIGRATION_ENABLED", number: 2 } });
        expect(v.params.NUM_OF_PF).toMatchObject({ readOnly: true, modified: false });
    });

    test("a plain query (one column) is refused", () => {
        expect(parseError("mstconfig-query-e", HEAD.replace(/Default.*$/m, "Next Boot") + "        SRIOV_EN  True(1)\n").message).toMatch(/Default Current Next Boot/);
    });

    test("a line with two values (truncated) names its line; a line after the trailer too", () => {
        expect(parseError("mstconfig-query-e", HEAD + "        SRIOV_EN   False(0)   True(1)\n")).toMatchObject({ line: 10 });
        expect(parseError("mstconfig-query-e", HEAD + "        A  1  1  1\nThe '*' shows parameters with next value different from default/current value.\n        B  1  1  1\n").line).toBe(12);
    });

    test("empty output and -E- errors", () => {
        expect(parseError("mstconfig-query-e", "").line).toBe(0);
        expect(parsed("mstconfig-query-e", "-E- Failed to open the device\n")).toMatchObject({ kind: "error" });
    });
});
