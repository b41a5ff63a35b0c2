/*
 * The preparation progress, kept on the host (a closed browser, a lost session or a reboot does not lose it).
 */
import { Argv, makeArgv } from "../argv";
import { STATE_DIR, stateFile } from "./state-file";

const file = stateFile("prepare.json");
export const PROGRESS_DIR = STATE_DIR;
export const PROGRESS_FILE = file.path;
export const progressCheckText = file.checkText;
export const progressRead = file.read;
export const progressMkdir = file.mkdir;
export const progressWriteNew = file.writeNew;
export const progressProtectNew = file.protectNew;
export const progressCommit = file.commit;
/** changes: sets aside a record the page cannot read (kept beside for the admin to look at) */
export const PROGRESS_DISCARDED = `${PROGRESS_FILE}.discarded`;
export const progressDiscard = (): Argv => makeArgv("mv", "-f", "-T", "--", PROGRESS_FILE, PROGRESS_DISCARDED);
