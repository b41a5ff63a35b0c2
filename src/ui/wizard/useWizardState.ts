import { useCallback, useState } from "react";
import { INITIAL_STATE, STAGES, type WizardState } from "./types";

const KEY = "vf-migration:wizard";

function load(): WizardState {
    try {
        const v = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<WizardState> | null;
        if (v && typeof v === "object" && STAGES.includes(v.stage as WizardState["stage"]))
            return { ...INITIAL_STATE, ...v };
    } catch {
        // nothing remembered, or not ours
    }
    return INITIAL_STATE;
}

/** The wizard's choices, remembered across reloads of the page. */
export function useWizardState(): [WizardState, (patch: Partial<WizardState>) => void, () => void] {
    const [state, setState] = useState<WizardState>(load);
    const update = useCallback((patch: Partial<WizardState>) => {
        setState(s => {
            const n = { ...s, ...patch };
            localStorage.setItem(KEY, JSON.stringify(n));
            return n;
        });
    }, []);
    const reset = useCallback(() => {
        localStorage.removeItem(KEY);
        setState(INITIAL_STATE);
    }, []);
    return [state, update, reset];
}
