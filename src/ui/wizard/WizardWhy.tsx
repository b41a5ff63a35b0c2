import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { _, format } from "../../lib/cockpit";
import type { Move, StageId } from "../../session/wizard-flow";

/** Beside a Next that cannot be pressed: why, and what fixes it (an action of the stage, or a stage to go to). */
export function WizardWhy({ move, onGo }: { move: Extract<Move, { kind: "act" | "wait" }>; onGo: (stage: StageId) => void }) {
    return (
        <div id="vfm-wizard-why" data-move={move.kind} className="vfm-row vfm-row-sm">
            <span className="vfm-hint">{move.why}</span>
            {move.kind === "act" && move.fix.kind === "here" &&
                <span className="vfm-hint" id="vfm-wizard-fix-here">{format(_("On this stage: “$0”."), move.fix.label)}</span>}
            {move.kind === "act" && move.fix.kind === "stage" &&
                <Button id="vfm-wizard-fix" variant="link" isInline data-to={move.fix.to}
                        onClick={() => { if (move.fix.kind === "stage") onGo(move.fix.to) }}>
                    {move.fix.label}
                </Button>}
        </div>
    );
}
