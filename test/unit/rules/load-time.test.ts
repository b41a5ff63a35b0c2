/* Translations happen at call time: loading the checks and the steps translates nothing (po.js may load later). */
const translated: string[] = [];

jest.mock("../../../src/lib/cockpit", () => {
    const real = jest.requireActual("../../../src/lib/cockpit");
    return {
        ...real,
        _: (s: string) => { translated.push(s); return real._(s) },
        ngettext: (a: string, b: string, n: number) => { translated.push(a); return real.ngettext(a, b, n) },
    };
});

test("no _() or ngettext() runs while src/checks and src/steps load; their texts are translated when read", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const steps = require("../../../src/steps") as typeof import("../../../src/steps");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const checks = require("../../../src/checks") as typeof import("../../../src/checks");
    expect(translated).toEqual([]);
    expect(steps.STEPS.map(s => s.title)).toContain("Install mstflint");
    expect(checks.HOST_CHECKS.map(c => c.title)).toContain("Virtual functions allowed by firmware");
    expect(translated).toContain("Install mstflint");
});
