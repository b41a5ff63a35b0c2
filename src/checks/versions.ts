/** Compares dotted numeric versions ("28.36.1010", "11.3.0"): negative, zero or positive. Non-numeric parts count as 0. */
export function compareVersions(a: string, b: string): number {
    const pa = a.split(/[.-]/).map(x => parseInt(x, 10) || 0);
    const pb = b.split(/[.-]/).map(x => parseInt(x, 10) || 0);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d)
            return d;
    }
    return 0;
}
