import { useCallback, useState } from "react";
import { restore, save } from "../../session/saved";
import { INITIAL_STATE, STAGES, type WizardState } from "./types";

const KEY = "vf-migration:wizard";

function load(): { state: WizardState; foreign: string | null } {
    const r = restore<WizardState>(KEY, raw => {
        const v = raw as Partial<WizardState>;
        return STAGES.includes(v.stage as WizardState["stage"]) ? { ...INITIAL_STATE, ...v } : null;
    });
    return { state: r.value ?? INITIAL_STATE, foreign: r.foreign };
}

/**
 * The wizard's choices, remembered across reloads of the page on this host. `foreign`: the host whose saved
 * progress this browser holds and which was not restored here (the page of another host in Cockpit's switcher).
 */
export function useWizardState(): [WizardState, (patch: Partial<WizardState>) => void, () => void, string | null] {
    const [initial] = useState(load);
    const [state, setState] = useState<WizardState>(initial.state);
    const [foreign, setForeign] = useState(initial.foreign);
    const update = useCallback((patch: Partial<WizardState>) => {
        setForeign(null);
        setState(s => {
            const n = { ...s, ...patch };
            save(KEY, n);
            return n;
        });
    }, []);
    const reset = useCallback(() => {
        localStorage.removeItem(KEY);
        setForeign(null);
        setState(INITIAL_STATE);
    }, []);
    return [state, update, reset, foreign];
}
