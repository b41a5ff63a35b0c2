/**
 * @jest-environment jsdom
 */
/* Translations happen at call time everywhere: loading any module of src/ translates nothing (po.js may load later). */
import * as fs from "fs";
import * as path from "path";

const translated: string[] = [];

jest.mock("../../src/lib/cockpit", () => {
    const real = jest.requireActual("../../src/lib/cockpit");
    return {
        ...real,
        _: (s: string) => { translated.push(s); return s },
        ngettext: (a: string, b: string, n: number) => { translated.push(a); return n === 1 ? a : b },
    };
});

function modules(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
        const p = path.join(dir, e.name);
        if (e.isDirectory())
            return modules(p);
        return /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
    });
}

test("no _() or ngettext() runs while any module of src/ loads (the entry point, which renders, aside)", () => {
    const src = path.join(__dirname, "..", "..", "src");
    const files = modules(src).filter(f => f !== path.join(src, "index.tsx"));
    expect(files.length).toBeGreaterThan(150);
    const at: Record<string, string[]> = {};
    for (const f of files) {
        const before = translated.length;
        jest.isolateModules(() => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            require(f);
        });
        if (translated.length > before)
            at[path.relative(src, f)] = translated.slice(before);
    }
    expect(at).toEqual({});
});
