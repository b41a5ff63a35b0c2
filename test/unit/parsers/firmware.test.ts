import { compareFirmware, parseFirmwareVersion } from "../../../src/parsers";

describe("compareFirmware (numeric, dot-wise)", () => {
    test("the RHEL and NVIDIA floors", () => {
        expect(compareFirmware("28.36.1010", "28.41.1000")).toBe(-1);
        expect(compareFirmware("28.42.1000", "28.41.1000")).toBe(1);
        expect(compareFirmware("28.36.1010", "28.36.1010")).toBe(0);
        expect(compareFirmware("28.35.9999", "28.36.1010")).toBe(-1);
    });

    test("numeric, not textual; zero padding and missing parts", () => {
        expect(compareFirmware("28.9.1000", "28.10.1000")).toBe(-1);
        expect(compareFirmware("16.26.0100", "16.26.100")).toBe(0);
        expect(compareFirmware("28.41", "28.41.0")).toBe(0);
        expect(compareFirmware("28.41", "28.41.1")).toBe(-1);
    });

    test("anything else throws, so it can never pass a check", () => {
        expect(() => compareFirmware("28.42.1000 (MT_0000000834)", "28.41.1000")).toThrow(RangeError);
        expect(() => compareFirmware("", "1")).toThrow(/not a firmware version/);
        expect(parseFirmwareVersion("N/A")).toBeUndefined();
        expect(parseFirmwareVersion("28.42.1000")).toEqual([28, 42, 1000]);
    });
});
