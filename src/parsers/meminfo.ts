/*
 * One line of /proc/meminfo, as `grep ^MemAvailable: /proc/meminfo` prints it: "MemAvailable:   23897192 kB"
 * (the kernel's fs/proc/meminfo.c prints every field in kB, right-aligned to 8 digits).
 */
import { failWhole } from "./common";

/** MemAvailable in MiB. */
export function parseMemAvailable(text: string): number {
    const m = /^MemAvailable:\s+(\d+) kB\s*$/m.exec(text);
    if (!m)
        failWhole("no \"MemAvailable: N kB\" line");
    return Number(m[1]) / 1024;
}
