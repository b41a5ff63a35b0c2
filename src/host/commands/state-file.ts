/*
 * A file the page keeps on a host, in its own folder (root's alone): one fixed path each, read and written with
 * coreutils; the content goes on stdin, never in argv. Written beside, made root's alone, then renamed over the
 * old one, so a cut write never leaves half a file. Each of reading and writing is one fixed script (one spawn:
 * a migration notes its start and its end, and each spawn through Cockpit costs a round trip).
 */
import { Argv, makeArgv } from "../argv";

export const STATE_DIR = "/var/lib/cockpit-vf-migration";

/* exits non-zero, printing iconv's message alone, unless the file is UTF-8 text (bytes that are not never reach the
 * page); then prints at most $2 bytes of it (the file is the host's: a huge one must not reach the page whole) */
const READ_SH = 'iconv -f UTF-8 -t UTF-8 -o /dev/null -- "$1" || exit; exec head -c "$2" -- "$1"';

/* the folder root's alone (install -d also corrects the mode of one that exists), stdin beside the file, root's
 * alone, renamed over it (-T: a folder in the file's place is an error, not a place to move the file into) */
const REPLACE_SH = 'install -d -m 0700 -o root -g root -- "$1" || exit; (umask 077 && cat > "$2") || exit; ' +
    'chmod 0600 -- "$2" || exit; exec mv -f -T -- "$2" "$3"';

export interface StateFile {
    path: string;
    /** the file's text, `maxBytes` of it at most; exits non-zero with iconv's message for a file that is not UTF-8 */
    read(maxBytes: number): Argv;
    /** changes: the file replaced by the text on stdin */
    replace(): Argv;
}

export function stateFile(name: string): StateFile {
    const path = `${STATE_DIR}/${name}`;
    return {
        path,
        read: maxBytes => makeArgv("bash", "-c", READ_SH, "vfm-state-read", path, String(Math.trunc(maxBytes))),
        replace: () => makeArgv("bash", "-c", REPLACE_SH, "vfm-state-write", STATE_DIR, `${path}.new`, path),
    };
}
