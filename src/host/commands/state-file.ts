/*
 * A file the page keeps on a host, in its own folder (root's alone): one fixed path each, read and written with
 * coreutils; the content goes on stdin, never in argv. Written beside, made root's alone, then renamed over the
 * old one, so a cut write never leaves half a file.
 */
import { Argv, makeArgv } from "../argv";

export const STATE_DIR = "/var/lib/cockpit-vf-migration";

export interface StateFile {
    path: string;
    /** exits non-zero, printing nothing else, unless the file is UTF-8 text (bytes that are not never reach the page) */
    checkText(): Argv;
    /** the file, `maxBytes` of it at most (the file is the host's: a huge one must not reach the page whole) */
    read(maxBytes: number): Argv;
    /** the folder, root's alone (install -d also corrects the mode of a folder that exists) */
    mkdir(): Argv;
    /** the new content on stdin, beside the file */
    writeNew(): Argv;
    protectNew(): Argv;
    commit(): Argv;
}

export function stateFile(name: string): StateFile {
    const path = `${STATE_DIR}/${name}`;
    const fresh = `${path}.new`;
    return {
        path,
        checkText: () => makeArgv("iconv", "-f", "UTF-8", "-t", "UTF-8", "-o", "/dev/null", "--", path),
        read: maxBytes => makeArgv("head", "-c", String(Math.trunc(maxBytes)), "--", path),
        mkdir: () => makeArgv("install", "-d", "-m", "0700", "-o", "root", "-g", "root", "--", STATE_DIR),
        writeNew: () => makeArgv("tee", "--", fresh),
        protectNew: () => makeArgv("chmod", "0600", "--", fresh),
        commit: () => makeArgv("mv", "-f", "--", fresh, path),
    };
}
