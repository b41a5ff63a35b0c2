import { useCallback, useEffect, useState } from "react";
import { cockpit } from "../../lib/cockpit";
import { restore, save } from "../../session/saved";
import { INITIAL_STATE, STAGES, type WizardState } from "./types";

const KEY = "vf-migration:wizard";

/** The wizard opened with a VM and a destination (`#/migrate?vm=…&destination=…`, the link a source gives for the way back). */
function prefilled(): Partial<WizardState> | null {
    const o = cockpit().location.options;
    const one = (v: unknown) => (typeof v === "string" && v.length <= 256 ? v : null);
    const vm = one(o.vm);
    const host = one(o.destination);
    if (vm === null && host === null)
        return null;
    return { vm, destination: host === null ? null : { host, user: "root", port: "", protocol: "ssh" }, fromLink: true };
}

function load(): { state: WizardState; foreign: string | null } {
    const r = restore<WizardState>(KEY, raw => {
        const v = raw as Partial<WizardState>;
        return STAGES.includes(v.stage as WizardState["stage"]) ? { ...INITIAL_STATE, ...v } : null;
    });
    const saved = r.value ?? INITIAL_STATE;
    // a link's choices fill the first stage; a wizard further on keeps its own (it is not left by following a link)
    const fill = saved.stage === "choose" ? prefilled() : null;
    return { state: fill ? { ...saved, ...fill } : saved, foreign: r.foreign };
}

/**
 * The wizard's choices, remembered across reloads of the page on this host. `foreign`: the host whose saved
 * progress this browser holds and which was not restored here (the page of another host in Cockpit's switcher).
 */
export function useWizardState(): [WizardState, (patch: Partial<WizardState>) => void, () => void, string | null] {
    const [initial] = useState(load);
    const [state, setState] = useState<WizardState>(initial.state);
    // the link's options are used once: a reload keeps what the admin typed since, not the link's values
    useEffect(() => {
        const l = cockpit().location;
        if (Object.keys(l.options).length > 0)
            l.replace(l.path);
    }, []);
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
