/*
 * An argv that came from a builder in src/host (commands/*.ts, probe.ts, ssh-argv.ts): transports only accept this type,
 * so a command line cannot be assembled from loose strings elsewhere. `makeArgv` is for src/host only.
 */
import type { Brand } from "./values/common";

export type Argv = Brand<readonly string[], "Argv">;

export function makeArgv(...words: (string | number)[]): Argv {
    if (words.length === 0)
        throw new Error("empty argv");
    return Object.freeze(words.map(String)) as unknown as Argv;
}
