// Placeholder until src/host/quote.ts lands; replaced by its quoting function at integration.
export function shellLine(argv: string[]): string {
    return argv.map(a => /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : "'" + a.replace(/'/g, "'\\''") + "'").join(" ");
}

export function fixLine(c: string[] | { path: string; value: string }): string {
    return Array.isArray(c) ? shellLine(c) : `echo ${shellLine([c.value])} > ${shellLine([c.path])}`;
}
