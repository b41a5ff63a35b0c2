/* The UI's view of the session's host models: it subscribes and renders; the model does the reading. */
import { useCallback, useEffect, useSyncExternalStore } from "react";
import type { Store } from "../session/emitter";
import { type HostModel, type HostState, INITIAL_HOST_STATE } from "../session/host-model";

/** A store.s state, re-rendered on every change. */
export function useStore<S>(emitter: Store<S>): S {
    const subscribe = useCallback((fn: () => void) => emitter.subscribe(fn), [emitter]);
    return useSyncExternalStore(subscribe, () => emitter.state);
}

const nothing = { subscribe: () => () => {}, state: INITIAL_HOST_STATE } as unknown as Store<HostState>;

/** A host model's state (nothing for no model), without reading the host. */
export function useModelState(model: HostModel | null): HostState {
    return useStore<HostState>(model ?? nothing);
}

/**
 * A host model's state, read afresh when the view opens (or the model or access changes), unless the view before
 * read it seconds ago, or a read just started, and the page changed nothing on it since; `refresh` reads it again. Older facts are not shown:
 * every view shows the host as it reads it.
 */
export function useHostModel(model: HostModel | null, superuser: boolean): HostState & { refresh: () => void; cancel: () => void } {
    const state = useModelState(model);
    const refresh = useCallback(() => { model?.refresh({ superuser }).catch(() => {}) }, [model, superuser]);
    const cancel = useCallback(() => model?.cancel(), [model]);
    useEffect(() => {
        if (model?.fresh(superuser) || model?.readingNow(superuser))
            return;
        model?.forget();
        refresh();
    }, [model, refresh, superuser]);
    return { ...state, refresh, cancel };
}
