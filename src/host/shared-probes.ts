/*
 * Probes asked of one host in the same turn of the event loop go as one probe, each distinct command once: the first
 * VMs of an evacuation check their VFs again together, each with the same reads of the host (devlink's ports, the
 * running VMs, the links, Open vSwitch) beside its VF's own. A probe runs its commands side by side anyway; measured
 * on the loaded simulated pair (docs/performance.md, "Evacuation"), three re-checks of 7 commands sent at once took
 * 1.3 s each, one alone 0.5–0.65 s. A probe with a signal (one the admin can stop) goes alone.
 */
import type { HostTransport, ProbeCommand, ProbeOptions, ProbeResult } from "./transport";

interface Asked { commands: readonly ProbeCommand[]; done: (r: ProbeResult) => void; failed: (e: unknown) => void }

const keyOf = (c: ProbeCommand): string => JSON.stringify(c.argv);

/** One caller's part of a shared probe: its commands' records, in its order, up to the first the probe lacks. */
function partOf(r: ProbeResult, keys: readonly string[], commands: readonly ProbeCommand[]): ProbeResult {
    const records = [];
    for (const c of commands) {
        const rec = r.records[keys.indexOf(keyOf(c))];
        if (!rec)
            break;
        records.push(rec);
    }
    // a probe that did not end as it should leaves every part in doubt, as it would a probe of its own
    const complete = r.complete && records.length === commands.length;
    return { ...r, records, complete, problem: complete ? undefined : r.problem ?? "cut short" };
}

export function sharedProbes(t: HostTransport): HostTransport {
    const waiting = new Map<string, Asked[]>();
    const send = async (options: ProbeOptions, asked: Asked[]) => {
        const keys: string[] = [];
        const all: ProbeCommand[] = [];
        for (const c of asked.flatMap(a => a.commands)) {
            if (!keys.includes(keyOf(c))) {
                keys.push(keyOf(c));
                all.push(c);
            }
        }
        try {
            const r = await t.probe(all, options);
            for (const a of asked)
                a.done(partOf(r, keys, a.commands));
        } catch (e) {
            for (const a of asked)
                a.failed(e);
        }
    };
    return {
        host: t.host,
        run: (argv, options) => t.run(argv, options),
        writeSysfs: (path, value, options) => t.writeSysfs(path, value, options),
        close: () => t.close(),
        ...(t.together ? { together: () => t.together!() } : {}),
        probe(commands, options = {}) {
            if (options.signal)
                return t.probe(commands, options);
            const key = JSON.stringify(options);
            return new Promise<ProbeResult>((done, failed) => {
                const list = waiting.get(key);
                if (list)
                    return list.push({ commands, done, failed });
                waiting.set(key, [{ commands, done, failed }]);
                queueMicrotask(() => {
                    const asked = waiting.get(key) ?? [];
                    waiting.delete(key);
                    void send(options, asked);
                });
            });
        },
    };
}
