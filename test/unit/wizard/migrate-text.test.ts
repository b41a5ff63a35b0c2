/* The migration stage's figures and its XML diff (src/ui/wizard/MigrateText.ts). */
import { bytes, changedLines, duration, flagWords, rate } from "../../../src/ui/wizard/MigrateText";

describe("migration stage text", () => {
    test("sizes, rates and durations as the progress view shows them", () => {
        expect(bytes(undefined)).toBe("—");
        expect(bytes(512)).toBe("512 B");
        expect(bytes(1536)).toBe("1.5 KiB");
        expect(bytes(192 * 1024 * 1024)).toBe("192 MiB");
        expect(rate(10 * 1024 * 1024)).toBe("10.0 MiB/s");
        expect(duration(250)).toBe("250 ms");
        expect(duration(18_400)).toBe("18.4 s");
        expect(duration(185_000)).toBe("3 min 5 s");
    });

    test("the diff shows only the hostdev's source address, with its line", () => {
        const before = "<domain>\n  <interface type='hostdev'>\n    <address bus='0xe1'/>\n  </interface>\n</domain>";
        const after = before.replace("0xe1", "0xc1");
        expect(changedLines(before, after)).toEqual([{ line: 3, before: "<address bus='0xe1'/>", after: "<address bus='0xc1'/>" }]);
        expect(changedLines(before, before)).toEqual([]);
        // a rewrite with another line count is shown whole
        expect(changedLines(before, after + "\n")).toHaveLength(1);
    });

    test("every flag the plan sets has words; post-copy is not among them", () => {
        for (const f of ["LIVE", "PEER2PEER", "ABORT_ON_ERROR", "PERSIST_DEST", "UNDEFINE_SOURCE", "PARALLEL", "NON_SHARED_DISK"])
            expect(flagWords(f)).not.toBe(f);
        expect(flagWords("POSTCOPY")).toBe("POSTCOPY");
    });
});
