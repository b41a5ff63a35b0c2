/*
 * The one version comparator, the strict one: dotted decimal numbers only ("28.36.1010", "10.0.0"); missing trailing
 * parts count as 0. Anything else gives null, which a check turns into "unknown" with its evidence, never a pass.
 * A package's "EPOCH:VERSION-RELEASE" is compared by its VERSION.
 */
function parts(v: string): number[] | null {
    const upstream = v.trim().replace(/^\d+:/, "").replace(/-.*$/, "");
    return /^[0-9]+(\.[0-9]+)*$/.test(upstream) ? upstream.split(".").map(Number) : null;
}

/** Negative, zero or positive as a < b, a = b, a > b; null when either is not a version. */
export function compareVersions(a: string, b: string): number | null {
    const [x, y] = [parts(a), parts(b)];
    if (!x || !y)
        return null;
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0)
            return d;
    }
    return 0;
}
