/* The preparation run as the stage renders it: the session's PreparationRun, the question it waits on, and both records. */
import { useEffect, useMemo, useRef } from "react";
import type { Role } from "../checks/facts";
import type { PrepareOptions, ProgressRecord, ProgressRecordError } from "../steps";
import { Asker } from "../session/ask";
import type { HostModel } from "../session/host-model";
import { PreparationRun } from "../session/preparation";
import { useStore, useModelState } from "./useHostModel";

const idle = new PreparationRun({
    hosts: {} as Record<Role, HostModel>, options: () => { throw new Error("no hosts") }, confirm: async () => false,
});

/** `hosts`: both hosts' models (null until both are known); `options`: what the admin chose, read at every step. */
export function usePreparation(hosts: Record<Role, HostModel> | null, options: PrepareOptions) {
    const optionsRef = useRef(options);
    optionsRef.current = options;
    const source = hosts?.source ?? null;
    const destination = hosts?.destination ?? null;
    const asker = useMemo(() => new Asker(), []);
    const run = useMemo(() => (source && destination
        ? new PreparationRun({ hosts: { source, destination }, options: () => optionsRef.current, confirm: asker.confirm })
        : idle), [source, destination, asker]);
    useEffect(() => {
        if (run === idle)
            return undefined;
        const detach = run.attach();
        // leaving the stage ends the run at its next step: nobody would be there to answer its questions
        return () => {
            detach();
            run.close();
        };
    }, [run]);
    // a question left open when the stage goes away is answered "no"
    useEffect(() => () => asker.reply(false), [asker]);

    const state = useStore(run);
    const { ask } = useStore(asker);
    const src = useModelState(source);
    const dst = useModelState(destination);
    const progress: Record<Role, ProgressRecord | null> = { source: src.record, destination: dst.record };
    const recordErrors: Record<Role, ProgressRecordError | null> = { source: src.recordError, destination: dst.recordError };
    // without both hosts there is nothing to run
    const live = run !== idle;
    return {
        ...state, ask, progress, recordErrors,
        reply: (yes: boolean) => asker.reply(yes),
        start: () => { if (live) void run.start() },
        undo: (role: Role, stepId: string) => { if (live) void run.undo(role, stepId) },
        cancel: () => run.cancel(),
        checkNow: () => run.checkNow(),
        stopWaiting: () => run.stopWaiting(),
        discardRecord: async (role: Role) => { if (live) await run.discardRecord(role) },
    };
}
