/*
 * Checks shared by the argv builders of src/host/commands/: a word from a fixed list, a number in a range.
 * Every variable part of a command is a validated value (src/host/values/), none of which can start with '-'; where
 * a tool accepts it, `--` also ends the options. `changes` in a builder's comment = the command changes the host
 * (journaled); the others only read.
 */

/** `value` if it is one of `allowed`, else throws (a programming error: callers pass constants). */
export function allowedWord<T extends string>(value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value))
        throw new Error(`unexpected value ${JSON.stringify(value)} (allowed: ${allowed.join(", ")})`);
    return value as T;
}

export function intIn(n: number, min: number, max: number): number {
    if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new Error(`number out of range ${min}..${max}: ${n}`);
    return n;
}
