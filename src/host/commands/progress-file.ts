/*
 * The preparation progress, kept on the host (a closed browser, a lost session or a reboot does not lose it): one
 * fixed path, read and written with coreutils; its content goes on stdin, never in argv.
 */
import { Argv, makeArgv } from "../argv";

export const PROGRESS_DIR = "/var/lib/cockpit-vf-migration";
export const PROGRESS_FILE = `${PROGRESS_DIR}/prepare.json`;
const PROGRESS_NEW = `${PROGRESS_FILE}.new`;
/** exits non-zero, printing nothing else, unless the record is UTF-8 text (bytes that are not never reach the page) */
export const progressCheckText = (): Argv => makeArgv("iconv", "-f", "UTF-8", "-t", "UTF-8", "-o", "/dev/null", "--", PROGRESS_FILE);
/** the record, `maxBytes` of it at most (the file is the host's: a huge one must not reach the page whole) */
export const progressRead = (maxBytes: number): Argv => makeArgv("head", "-c", String(Math.trunc(maxBytes)), "--", PROGRESS_FILE);
/** the record holds tool output: root's alone (install -d also corrects the mode of a directory that exists) */
export const progressMkdir = (): Argv => makeArgv("install", "-d", "-m", "0700", "-o", "root", "-g", "root", "--", PROGRESS_DIR);
/** the record on stdin; written beside, made root's alone, then renamed over the old one (a cut write never leaves half a record) */
export const progressWriteNew = (): Argv => makeArgv("tee", "--", PROGRESS_NEW);
export const progressProtectNew = (): Argv => makeArgv("chmod", "0600", "--", PROGRESS_NEW);
export const progressCommit = (): Argv => makeArgv("mv", "-f", "--", PROGRESS_NEW, PROGRESS_FILE);
/** changes: sets aside a record the page cannot read (kept beside for the admin to look at) */
export const PROGRESS_DISCARDED = `${PROGRESS_FILE}.discarded`;
export const progressDiscard = (): Argv => makeArgv("mv", "-f", "-T", "--", PROGRESS_FILE, PROGRESS_DISCARDED);
