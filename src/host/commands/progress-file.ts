/*
 * The preparation progress, kept on the host (a closed browser, a lost session or a reboot does not lose it).
 */
import { Argv, makeArgv } from "../argv";
import { STATE_DIR, stateFile } from "./state-file";

export const PROGRESS_STATE = stateFile("prepare.json");
export const PROGRESS_DIR = STATE_DIR;
export const PROGRESS_FILE = PROGRESS_STATE.path;
/** changes: sets aside a record the page cannot read (kept beside for the admin to look at) */
export const PROGRESS_DISCARDED = `${PROGRESS_FILE}.discarded`;
export const progressDiscard = (): Argv => makeArgv("mv", "-f", "-T", "--", PROGRESS_FILE, PROGRESS_DISCARDED);
