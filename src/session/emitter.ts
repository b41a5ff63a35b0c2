/*
 * The smallest event emitter: what a session object (the migration job, a host model) tells its subscribers.
 * A subscriber that throws does not stop the others.
 */
export type Listener<E> = (event: E) => void;

export class Emitter<E> {
    private listeners = new Set<Listener<E>>();

    /** Calls `fn` with every later event; returns what unsubscribes it. */
    subscribe(fn: Listener<E>): () => void {
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
