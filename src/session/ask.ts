/*
 * The admin's answers, for a run that asks through `confirm`: the question waits here until the UI replies. A new
 * question (or `reply`) settles the one before it.
 */
import type { Role } from "../checks/facts";
import type { PlannedStep, StepContext } from "../steps";
import { Store } from "./emitter";

export type AskKind = "confirm" | "override" | "reboot" | "undo";

export interface Ask { kind: AskKind; role: Role; planned: PlannedStep; ctx: StepContext }

/** Asks the admin; resolves true to go on. */
export type Confirm = (kind: AskKind, planned: PlannedStep, about: { role: Role; ctx: StepContext }) => Promise<boolean>;

export class Asker extends Store<{ ask: Ask | null }> {
    private answer: ((yes: boolean) => void) | null = null;

    constructor() {
        super({ ask: null });
    }

    readonly confirm: Confirm = (kind, planned, about) => new Promise<boolean>(resolve => {
        this.answer?.(false);
        this.answer = resolve;
        this.update({ ask: { kind, planned, ...about } });
    });

    reply(yes: boolean): void {
        const answer = this.answer;
        this.answer = null;
        this.update({ ask: null });
        answer?.(yes);
    }
}
