/* MemAvailable from `grep -m 1 ^MemAvailable: /proc/meminfo` (the line as this Debian 12 kernel prints it). */
import { parse } from "../../../src/parsers";

test("MemAvailable in MiB from the kernel's kB line", () => {
    expect(parse("meminfo-available", "MemAvailable:   23897192 kB\n")).toEqual({ ok: true, tool: "meminfo-available", value: 23897192 / 1024 });
});

test("anything else is a parse error, never a figure", () => {
    for (const text of ["", "MemFree:   1000 kB\n", "MemAvailable:   lots kB\n", "MemAvailable: 1000 MB\n"])
        expect(parse("meminfo-available", text).ok).toBe(false);
});
