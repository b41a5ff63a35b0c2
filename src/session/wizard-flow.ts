/*
 * The migration wizard as a state machine. Each stage reports what it found, as one outcome read from the hosts
 * (never from which buttons were pressed); this table says where Next leads from there, or why it cannot be pressed
 * and what fixes it: an action on the stage itself, or another stage. A stage is entered only when what it needs was
 * chosen (`entry`). Every (stage, outcome) pair is listed here, and the compiler holds the table complete.
 */
import { _, format } from "../lib/cockpit";

export type StageId = "choose" | "checks" | "prepare" | "attach" | "migrate" | "verify";
export const STAGES: StageId[] = ["choose", "checks", "prepare", "attach", "migrate", "verify"];

/** Every outcome of every stage. */
export const OUTCOMES = {
    choose: ["no-vm", "input-invalid", "not-checked", "checking", "contact-failed", "answered"],
    checks: ["reading", "host-error", "blocked", "needs-preparation", "ready"],
    prepare: ["reading", "limited", "host-error", "record-refused", "not-ready", "running", "ready", "ready-no-vf"],
    attach: ["loading", "vm-gone", "no-free-vf", "needed", "attaching", "failed", "held"],
    migrate: ["loading", "blocked", "ready", "rechecking", "refused", "source-refused", "running", "failed", "absent", "done"],
    verify: ["checking", "verified", "not-as-expected"],
} as const satisfies Record<StageId, readonly string[]>;

export type OutcomeOf<S extends StageId> = (typeof OUTCOMES)[S][number];
export type Outcome = { [S in StageId]: { stage: S; kind: OutcomeOf<S> } }[StageId];

/** What fixes a stage that cannot go on: an action of the stage itself (named), or another stage. */
export type Fix = { kind: "here"; label: string } | { kind: "stage"; to: StageId; label: string };

export type Move =
    /** Next leads to `to`; `auto`: the wizard moves on by itself */
    | { kind: "next"; to: StageId; auto?: boolean }
    /** something runs: Next waits, and says for what */
    | { kind: "wait"; why: string }
    /** Next cannot be pressed: why, and what fixes it */
    | { kind: "act"; why: string; fix: Fix }
    /** the last stage */
    | { kind: "end" };

const next = (to: StageId, auto = false): Move => (auto ? { kind: "next", to, auto } : { kind: "next", to });
const wait = (why: string): Move => ({ kind: "wait", why });
const here = (why: string, label: string): Move => ({ kind: "act", why, fix: { kind: "here", label } });
const back = (why: string, to: StageId, label: string): Move => ({ kind: "act", why, fix: { kind: "stage", to, label } });

const FLOW: { [S in StageId]: Record<OutcomeOf<S>, () => Move> } = {
    choose: {
        "no-vm": () => here(_("Choose the VM to migrate in the list of running VMs."), _("Choose a VM")),
        "input-invalid": () => here(_("A field of the destination is not valid: its message says what to change."), _("Correct the field")),
        "not-checked": () => here(_("The destination has not answered yet: check it before going on."), _("Check the destination")),
        checking: () => wait(_("Reaching the destination…")),
        "contact-failed": () => here(_("The destination did not answer: its message says why. Correct the destination, then check it again."), _("Check the destination")),
        answered: () => next("checks"),
    },
    checks: {
        reading: () => wait(_("The checks are running…")),
        "host-error": () => here(_("A host could not be checked."), _("Check again")),
        blocked: () => here(_("A check refuses the migration: fix what it names, then check again."), _("Check again")),
        "needs-preparation": () => next("prepare"),
        ready: () => next("attach"),
    },
    prepare: {
        reading: () => wait(_("Reading the hosts…")),
        limited: () => here(_("Preparing the hosts needs administrative access."), _("Turn on administrative access (“Limited access” at the top of the page)")),
        "host-error": () => here(_("A host could not be read: its column says why."), _("Read the hosts again")),
        "record-refused": () => here(_("A host keeps a progress record this page cannot use: set it aside to go on."), _("Discard the record")),
        "not-ready": () => here(_("Both hosts must be prepared before the VF is attached."), _("Prepare both hosts")),
        running: () => wait(_("The preparation is running…")),
        ready: () => next("attach"),
        // the checks chose no destination VF before the preparation made one: they run again and pick it
        "ready-no-vf": () => next("checks"),
    },
    attach: {
        loading: () => wait(_("Reading the VM's interfaces…")),
        "vm-gone": () => back(_("The VM does not run on this host any more: only a running VM can be live-migrated."), "choose", _("Choose a running VM")),
        "no-free-vf": () => back(_("No VF of this host is free and prepared."), "prepare", _("Prepare the hosts")),
        needed: () => here(_("The VM holds no VF yet: attach one before the migration."), _("Attach the VF")),
        attaching: () => wait(_("Attaching the VF…")),
        failed: () => here(_("The VF could not be attached: its message says why."), _("Attach the VF")),
        held: () => next("migrate"),
    },
    migrate: {
        loading: () => wait(_("Reading the VM from libvirt…")),
        blocked: () => back(_("The migration cannot start from here."), "checks", _("Run the checks again")),
        ready: () => here(_("Start the migration when ready; the wizard moves on once it has completed."), _("Migrate")),
        rechecking: () => wait(_("Checking the VFs…")),
        refused: () => here(_("The destination VF is not ready any more."), _("Check the VFs again")),
        // checking again cannot help: the VM holds its VF through the wrong driver, or one not migratable
        "source-refused": () => back(_("The VM holds this host's VF in a way QEMU cannot migrate: detach it, then attach a prepared VF."), "attach", _("Go to VF attach")),
        running: () => wait(_("The migration is running…")),
        failed: () => here(_("The migration did not complete: its message says where the VM is."), _("Back to the plan")),
        absent: () => next("verify"),
        done: () => next("verify", true),
    },
    verify: {
        checking: () => ({ kind: "end" }),
        verified: () => ({ kind: "end" }),
        "not-as-expected": () => ({ kind: "end" }),
    },
};

/** Where the wizard goes from this outcome, or why it cannot. */
export function move(o: Outcome): Move {
    return (FLOW[o.stage] as Record<string, () => Move>)[o.kind]();
}

/** What a stage needs chosen before it can be entered. */
export interface Chosen {
    vm: string | null;
    destination: unknown;
    destinationVf: string | null;
}

/** null: the stage can be entered; otherwise why not, and the stage that makes the choice. */
export function entry(stage: StageId, s: Chosen): Move | null {
    const needs = (what: string, to: StageId, label: string): Move => back(format(_("This stage needs $0 first."), what), to, label);
    const vm = s.vm !== null && s.vm !== "";
    const dest = s.destination !== null && s.destination !== undefined;
    switch (stage) {
    case "choose":
        return null;
    case "prepare":
        return dest ? null : needs(_("a destination"), "choose", _("Choose the destination"));
    case "checks":
    case "attach":
        return vm && dest ? null : needs(_("a VM and a destination"), "choose", _("Choose the VM and the destination"));
    case "migrate":
    case "verify":
        if (!vm || !dest)
            return needs(_("a VM and a destination"), "choose", _("Choose the VM and the destination"));
        return s.destinationVf ? null : needs(_("the destination VF the checks choose"), "checks", _("Run the checks"));
    }
}
