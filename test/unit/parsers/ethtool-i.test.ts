import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "ethtool-i-mlx5.txt";

describe("ethtool-i on ethtool-i-mlx5.txt", () => {
    test("(a) ConnectX-7 VF: firmware split into version and PSID, empty expansion-rom-version with trailing space", () => {
        expect(parsed("ethtool-i", afterCommand(FILE, "ethtool -i net1"))).toEqual({
            driver: "mlx5_core", version: "6.1.106-116.188.amzn2023.x86_64",
            firmware: { raw: "28.42.1000 (MT_0000000834)", version: "28.42.1000", psid: "MT_0000000834" },
            expansionRomVersion: "", busInfo: "0001:16:00.3",
            supports: { statistics: true, test: true, eepromAccess: false, registerDump: false, privFlags: true },
        });
    });

    test("(c) ConnectX-4 Lx 2018: no PSID suffix, old driver version string, no trailing space after the colon", () => {
        const v = parsed("ethtool-i", afterCommand(FILE, "sudo ethtool -i p3p1"));
        expect(v.firmware).toEqual({ raw: "14.23.1020", version: "14.23.1020" });
        expect(v.version).toBe("3.0-1 (January 2015)");
        expect(v.supports.test).toBe(false);
    });
});

describe("ethtool-i edge cases", () => {
    const A = afterCommand(FILE, "ethtool -i net1");

    test("a representor reports driver mlx5e_rep; a non-numeric firmware stays raw", () => {
        const v = parsed("ethtool-i", A.replace("driver: mlx5_core", "driver: mlx5e_rep").replace(/firmware-version: .*/, "firmware-version: N/A"));
        expect(v.driver).toBe("mlx5e_rep");
        expect(v.firmware).toEqual({ raw: "N/A" });
    });

    test("truncated output lists the missing keys; unknown key and bad yes/no name their line", () => {
        expect(parseError("ethtool-i", A.split("supports-test")[0]).message).toMatch(/supports-test/);
        expect(parseError("ethtool-i", A + "new-key: 1\n")).toMatchObject({ line: 11, text: "new-key: 1" });
        expect(parseError("ethtool-i", A.replace("supports-test: yes", "supports-test: maybe"))).toMatchObject({ line: 7 });
        expect(parseError("ethtool-i", "").line).toBe(0);
        expect(parseError("ethtool-i", "Cannot get driver information: No such device\n").line).toBe(1);
    });
});
