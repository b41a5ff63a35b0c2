import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "mstflint-query.txt";

describe("mstflint-query on mstflint-query.txt (ConnectX-7, flint query layout)", () => {
    test("MCX715105AS-WEAT: FW Version, PSID, Rom Info continuation, GUID/MAC with counts", () => {
        const v = parsed("mstflint-query", afterCommand(FILE, "flint -d 37:00.0 query"));
        if (v.kind !== "query") throw new Error("expected a query");
        expect(v).toMatchObject({
            imageType: "FS4", fwVersion: "28.43.1014", fwVersionActive: "28.43.1014", fwReleaseDate: "7.11.2024",
            productVersion: "28.43.1014", psid: "MT_0000001244", securityAttributes: ["secure-fw"],
            baseGuid: { base: "e09d730300126744", count: 16 }, baseMac: { base: "e09d73126744", count: 16 },
        });
        expect(v.fwVersionRunning).toBeUndefined();
        expect(v.romInfo).toEqual([
            { type: "UEFI", version: "14.36.16", cpu: ["AMD64", "AARCH64"] },
            { type: "PXE", version: "3.7.500", cpu: ["AMD64"] },
        ]);
        expect(v.fields["Image VSD"]).toBe("N/A");
        expect(v.fields.Description).toMatch(/^UID\s+GuidsNumber$/);
    });

    test("second CX-7 sample: fw 28.42.1000, same PSID", () => {
        const v = parsed("mstflint-query", afterCommand(FILE, "flint -d /dev/mst/mt4129_pciconf0 query"));
        expect(v).toMatchObject({ kind: "query", fwVersion: "28.42.1000", psid: "MT_0000001244" });
    });

    test("error line of mstflint issue #737", () => {
        expect(parsed("mstflint-query", afterCommand(FILE, "# ./mstflint -d 01:00.0 q"))).toEqual({
            kind: "error", message: "Cannot open Device: 01:00.0. Operation not supported. MFE_CR_ERROR",
        });
    });
});

describe("mstflint-query edge cases", () => {
    const BASE = afterCommand(FILE, "flint -d 37:00.0 query");

    test("FW Version(Running) when a new image is burned but not active: the active version is the running one", () => {
        const v = parsed("mstflint-query", BASE.replace("FW Version:            28.43.1014\n",
            "FW Version:            28.43.1014\nFW Version(Running):   28.39.1002\n"));
        expect(v).toMatchObject({ fwVersion: "28.43.1014", fwVersionRunning: "28.39.1002", fwVersionActive: "28.39.1002" });
    });

    test("truncated before PSID / without FW Version -> whole-text error", () => {
        expect(parseError("mstflint-query", BASE.split("PSID:")[0])).toMatchObject({ line: 0, message: 'no "PSID:" line' });
        expect(parseError("mstflint-query", "PSID:   MT_0000001244\n").message).toMatch(/FW Version/);
    });

    test("a line that is not 'Key: value' names its line; a repeated key too", () => {
        expect(parseError("mstflint-query", BASE.replace("Image VSD:", "Image VSD"))).toMatchObject({ text: "Image VSD             N/A" });
        expect(parseError("mstflint-query", BASE + "PSID:   MT_X\n").message).toMatch(/twice/);
    });

    test("empty output", () => {
        expect(parseError("mstflint-query", "").line).toBe(0);
    });
});
