/*
 * The session's change notification: a state object and the functions to call when it changes (as cockpit-machines'
 * state + useOn). The UI subscribes and re-renders; nothing else listens.
 */
export type Unsubscribe = () => void;

export class Emitter<S> {
    private listeners = new Set<(s: S) => void>();

    constructor(protected current: S) {}

    get state(): S {
        return this.current;
    }

    subscribe(fn: (s: S) => void): Unsubscribe {
        this.listeners.add(fn);
        return () => { this.listeners.delete(fn) };
    }

    protected update(next: Partial<S>): void {
        this.current = { ...this.current, ...next };
        for (const fn of [...this.listeners])
            fn(this.current);
    }
}
