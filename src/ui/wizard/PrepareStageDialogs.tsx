import type { Role } from "../../checks/facts";
import { commandLine } from "../../session/show";
import type { ProgressRecord } from "../../steps";
import { PrepareStageConfirmDialog } from "./PrepareStageConfirmDialog";
import { PrepareStageOverrideDialog } from "./PrepareStageOverrideDialog";
import { PrepareStageRebootDialog } from "./PrepareStageRebootDialog";
import { PrepareStageUndoDialog } from "./PrepareStageUndoDialog";
import type { Ask } from "../../session/ask";

/** The dialog the run is waiting on, if any. */
export function PrepareStageDialogs({ ask, label, progress, reply }: {
    ask: Ask | null;
    label: (role: Role) => string;
    progress: Record<Role, ProgressRecord | null>;
    reply: (yes: boolean) => void;
}) {
    if (!ask)
        return null;
    const { planned, role, ctx } = ask;
    const step = planned.step;
    const hostLabel = label(role);
    const yes = () => reply(true);
    const no = () => reply(false);
    switch (ask.kind) {
    case "confirm":
        return <PrepareStageConfirmDialog onRun={yes} onCancel={no}
                                          request={{ hostLabel, title: step.title, changes: step.changes, impact: step.impact, lines: planned.commands.map(commandLine) }} />;
    case "override":
        return <PrepareStageOverrideDialog hostLabel={hostLabel} title={step.title} guard={planned.guard!} onRun={yes} onCancel={no} />;
    case "reboot": {
        const kind = step.action === "firmware-reset" ? "firmware-reset" : "reboot";
        const pending = progress[role]?.pending[kind === "reboot" ? "reboot" : "firmwareReset"]?.why ?? [];
        return <PrepareStageRebootDialog onRun={yes} onCancel={no} request={{
            hostLabel, kind, reasons: pending.length ? pending : [planned.status.summary],
            lines: planned.commands.map(commandLine), isThisHost: role === "source" && kind === "reboot",
        }} />;
    }
    case "undo": {
        const undo = step.undo(ctx);
        const blocked = step.undoBlocked?.(ctx);
        return <PrepareStageUndoDialog onRun={yes} onCancel={no} request={{
            hostLabel, title: step.title, lines: undo ? undo.map(commandLine) : null, ...(step.undoNote ? { note: step.undoNote } : {}),
            ...(blocked ? { blocked } : {}),
        }} />;
    }
    }
}
