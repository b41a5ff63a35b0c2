import { useEffect } from "react";
import type { StageProps } from "./types";

/** Placeholder until the stage lands: says what it will do. */
export function VerifyStage({ setCanContinue }: StageProps) {
    useEffect(() => setCanContinue(false), [setCanContinue]);
    return <div id="vfm-stage-verify" />;
}
