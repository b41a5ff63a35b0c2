/* Typed parameters: the variant types libvirt checks, and GetJobStats replies as they arrive. */
import { fromVariant, jobStatsFrom, unwrapParams, variant } from "../../../src/libvirt";

test("variants carry the D-Bus type libvirt expects for each parameter", () => {
    expect(variant.string("x")).toEqual({ t: "s", v: "x" });
    expect(variant.ullong(100)).toEqual({ t: "t", v: 100 });
    expect(variant.int(-1)).toEqual({ t: "i", v: -1 });
    expect(variant.uint(7)).toEqual({ t: "u", v: 7 });
    expect(variant.boolean(true)).toEqual({ t: "b", v: true });
});

test("out-of-range numbers are refused rather than wrapped", () => {
    expect(() => variant.ullong(-1)).toThrow(RangeError);
    expect(() => variant.ullong(1.5)).toThrow(RangeError);
    expect(() => variant.int(2 ** 31)).toThrow(RangeError);
    expect(() => variant.uint(2 ** 32)).toThrow(RangeError);
    expect(() => variant.ullong(Number.NaN)).toThrow(RangeError);
});

test("replies wrap each value twice (libvirt-dbus): unwrapped to the value; single wrapping is read too", () => {
    expect(fromVariant({ t: "v", v: { t: "i", v: 1 } })).toBe(1);
    expect(fromVariant({ t: "i", v: 1 })).toBe(1);
    expect(unwrapParams({ "state.state": { t: "v", v: { t: "i", v: 1 } }, "state.reason": { t: "v", v: { t: "i", v: 2 } } }))
            .toEqual({ "state.state": 1, "state.reason": 2 });
    // a chain of variants without end is not followed forever
    expect(fromVariant({ t: "v", v: { t: "v", v: { t: "v", v: { t: "v", v: { t: "v", v: { t: "i", v: 1 } } } } } })).toBeUndefined();
});

test("unwrapping: numbers (also 64-bit ones sent as strings), booleans, strings; anything else dropped", () => {
    expect(fromVariant({ t: "t", v: "9007199254740993" })).toBe(9007199254740992);
    expect(fromVariant({ t: "d", v: 0.5 })).toBe(0.5);
    expect(fromVariant({ t: "s", v: 5 })).toBeUndefined();
    expect(fromVariant({ t: "ay", v: "AAA=" })).toBeUndefined();
    expect(fromVariant(42)).toBeUndefined();
    expect(unwrapParams({ a: { t: "b", v: false }, b: { t: "as", v: [] }, c: "bare" })).toEqual({ a: false });
    expect(unwrapParams(null)).toEqual({});
});

test("job types by number; an unknown number reads as no job, with the raw code kept", () => {
    expect(["none", "bounded", "unbounded", "completed", "failed", "cancelled"].map((_t, i) => jobStatsFrom(i, {}).type))
            .toEqual(["none", "bounded", "unbounded", "completed", "failed", "cancelled"]);
    expect(jobStatsFrom(9, {})).toMatchObject({ type: "none", typeCode: 9 });
    expect(jobStatsFrom(undefined, undefined)).toMatchObject({ type: "none", typeCode: 0 });
});

test("a failed job's error message and success flag are kept; a wrongly typed figure is left out", () => {
    const s = jobStatsFrom(4, { errmsg: { t: "s", v: "migration failed" }, success: { t: "b", v: false }, data_total: { t: "s", v: "12" } });
    expect(s).toMatchObject({ type: "failed", errmsg: "migration failed", success: false });
    expect(s.dataTotal).toBeUndefined();
});
