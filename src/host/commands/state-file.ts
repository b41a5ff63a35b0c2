/*
 * A file the page keeps on a host, in its own folder (root's alone): one fixed path each, read and written with
 * coreutils; the content goes on stdin, never in argv. Written beside, made root's alone, then renamed over the
 * old one, so a cut write never leaves half a file. Each of reading and writing is one fixed script (one spawn:
 * a migration notes its start and its end, and each spawn through Cockpit costs a round trip); a writer that knows
 * what it last wrote writes again in one command that checks the file is still that.
 */
import { Argv, makeArgv } from "../argv";

export const STATE_DIR = "/var/lib/cockpit-vf-migration";

/* exits non-zero, printing iconv's message alone, unless the file is UTF-8 text (bytes that are not never reach the
 * page); then prints at most $2 bytes of it (the file is the host's: a huge one must not reach the page whole) */
const READ_SH = 'iconv -f UTF-8 -t UTF-8 -o /dev/null -- "$1" || exit; exec head -c "$2" -- "$1"';

/* the folder root's alone (install -d also corrects the mode of one that exists), locked (flock on the folder, held
 * by mv through the rename: two pages' writes do not interleave), new files root's alone */
const LOCKED = 'install -d -m 0700 -o root -g root -- "$1" || exit; exec 9<"$1" && flock 9 || exit; umask 077 || exit; ';
/* stdin beside the file, root's alone, renamed over it (-T: a folder in the file's place is an error, not a place to
 * move the file into) */
const COMMIT = 'cat > "$2" || exit; chmod 0600 -- "$2" || exit; exec mv -f -T -- "$2" "$3"';

const REPLACE_SH = LOCKED + COMMIT;

/* as REPLACE_SH, only if the file still holds the text the page last saw: stdin is its length in bytes ("-" for no
 * file) on a line, that text, then the new text. Exit 3 when the file changed (the page reads it again). The texts
 * are compared as the shell reads them (trailing newlines aside: JSON the page wrote, where they do not matter). */
const SWAP_SH = 'IFS= read -r n || exit 2; ' + LOCKED + 'f=$3; ' +
    'changed() { cat >/dev/null; echo "$f changed since the page read it" >&2; exit 3; }; ' +
    'if [ "$n" = - ]; then [ ! -e "$3" ] || changed; ' +
    'else case $n in ""|*[!0-9]*) echo "bad length: $n" >&2; exit 2;; esac; ' +
    '[ -f "$3" ] && [ "$(head -c "$n")" = "$(cat -- "$3")" ] || changed; fi; ' + COMMIT;

export interface StateFile {
    path: string;
    /** the file's text, `maxBytes` of it at most; exits non-zero with iconv's message for a file that is not UTF-8 */
    read(maxBytes: number): Argv;
    /** changes: the file replaced by the text on stdin */
    replace(): Argv;
    /** changes: the same, if the file still holds the text the page last saw (stdin: swapInput) */
    swap(): Argv;
}

/** What swap() reads on stdin: the text expected in the file (null: no file), then the new text. */
export const swapInput = (expected: string | null, text: string): string =>
    expected === null ? `-\n${text}` : `${new TextEncoder().encode(expected).length}\n${expected}${text}`;

export function stateFile(name: string): StateFile {
    const path = `${STATE_DIR}/${name}`;
    return {
        path,
        read: maxBytes => makeArgv("bash", "-c", READ_SH, "vfm-state-read", path, String(Math.trunc(maxBytes))),
        replace: () => makeArgv("bash", "-c", REPLACE_SH, "vfm-state-write", STATE_DIR, `${path}.new`, path),
        swap: () => makeArgv("bash", "-c", SWAP_SH, "vfm-state-swap", STATE_DIR, `${path}.new`, path),
    };
}
