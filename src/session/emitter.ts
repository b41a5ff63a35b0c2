/*
 * What a session object tells the UI (as cockpit-machines' state + useOn): `Events` sends events to subscribers;
 * `Store` holds a state and tells subscribers each new one. A subscriber that throws does not stop the others.
 */
export type Listener<E> = (event: E) => void;
export type Unsubscribe = () => void;

export class Events<E> {
    private listeners = new Set<Listener<E>>();

    /** Calls `fn` with every later event; returns what unsubscribes it. */
    subscribe(fn: Listener<E>): Unsubscribe {
        this.listeners.add(fn);
        return () => { this.listeners.delete(fn) };
    }

    emit(event: E): void {
        for (const fn of [...this.listeners]) {
            try {
                fn(event);
            } catch (e) {
                console.error("session event listener", e);
            }
        }
    }

    get size(): number {
        return this.listeners.size;
    }
}

export class Store<S> {
    private events = new Events<S>();

    constructor(protected current: S) {}

    get state(): S {
        return this.current;
    }

    subscribe(fn: Listener<S>): Unsubscribe {
        return this.events.subscribe(fn);
    }

    protected update(next: Partial<S>): void {
        this.current = { ...this.current, ...next };
        this.events.emit(this.current);
    }
}
