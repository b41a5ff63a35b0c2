/* A run of findings (src/session/finding-run.ts), subscribed to for one stage: its state, and the run to start. */
import { useEffect, useMemo, useState } from "react";
import type { Finding } from "../../checks/types";
import { FindingRun, type FindingRunState } from "../../session/finding-run";

export function useFindingRun<F extends Finding>(): [FindingRunState<F>, FindingRun<F>] {
    const run = useMemo(() => new FindingRun<F>(), []);
    const [state, setState] = useState(run.state);
    useEffect(() => {
        const off = run.subscribe(setState);
        return () => {
            off();
            run.close();
        };
    }, [run]);
    return [state, run];
}
