/** Firmware version comparison, numeric and dot-wise: 28.36.1010 < 28.41.1000; 28.9.1 < 28.10.0. */

/** [28, 41, 1000] for "28.41.1000"; undefined when not dot-separated decimal numbers. */
export function parseFirmwareVersion(v: string): number[] | undefined {
    if (!/^[0-9]+(\.[0-9]+)*$/.test(v.trim()))
        return undefined;
    return v.trim().split(".").map(Number);
}

/**
 * -1, 0 or 1 as a < b, a = b, a > b. Missing trailing parts count as 0 ("28.41" = "28.41.0").
 * Throws RangeError for anything that is not a dotted number, so a bad version can never pass a check.
 */
export function compareFirmware(a: string, b: string): -1 | 0 | 1 {
    const x = parseFirmwareVersion(a);
    const y = parseFirmwareVersion(b);
    if (!x || !y)
        throw new RangeError(`not a firmware version: "${!x ? a : b}"`);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0)
            return d < 0 ? -1 : 1;
    }
    return 0;
}
