/* A host transport whose commands answer from a script (argv joined by spaces → answer); every other command fails. */
import type { Argv } from "../../../src/host/argv";
import type { CommandResult, HostTransport, RunOptions } from "../../../src/host/transport";

export interface Answer { stdout?: string; stderr?: string; exit?: number }

export type Script = (line: string, input?: string) => Answer | undefined;

export function fakeTransport(host: string, answer: Script): HostTransport & { runs: string[] } {
    const runs: string[] = [];
    return {
        host,
        runs,
        async run(argv: Argv, o?: RunOptions): Promise<CommandResult> {
            const line = argv.join(" ");
            runs.push(line);
            const a = answer(line, o?.input) ?? { exit: 127, stderr: `not scripted: ${line}` };
            return {
                host, argv, stdout: a.stdout ?? "", stderr: a.stderr ?? "", exitStatus: a.exit ?? 0, durationMs: 1, startedAt: 0, wire: [],
            };
        },
        writeSysfs: () => Promise.reject(new Error("not scripted")),
        probe: () => Promise.reject(new Error("not scripted")),
        close: async () => {},
    };
}
