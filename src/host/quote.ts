/*
 * The one quoting function: an argv → a command line that a POSIX shell (the remote user's login shell, bash on
 * RHEL, to which sshd hands the command as `$SHELL -c LINE`) splits back into exactly that argv. It is also the
 * copyable form shown to the admin. Words made only of safe characters stay bare for readability; every other word
 * is put in single quotes, inside which nothing is special, and a ' is written as '\''.
 * Not for csh/fish login shells: the destination's SSH user must have a POSIX shell (root on RHEL has bash).
 */

import { hasLoneSurrogate } from "./values/common";

// no glob, tilde, brace, comment, variable, quote or separator character: a bare word stays one literal word
const SAFE = /^[A-Za-z0-9_@+=:,./-]+$/;
// in command position these would be shell syntax rather than a program name
const RESERVED = new Set(["if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "coproc", "{", "}", "!", "[[", "]]"]);

export class QuoteError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "QuoteError";
    }
}

export function quoteArgv(argv: readonly string[]): string {
    if (argv.length === 0)
        throw new QuoteError("empty command");
    return argv.map((word, i) => {
        if (typeof word !== "string")
            throw new QuoteError(`argument ${i} is not a string`);
        if (word.includes("\0"))
            throw new QuoteError(`argument ${i} contains a NUL character, which no command line can carry`);
        if (hasLoneSurrogate(word))
            throw new QuoteError(`argument ${i} contains half of a UTF-16 surrogate pair, which UTF-8 cannot carry`);
        // a bare `a=b` in command position would be a variable assignment
        if (SAFE.test(word) && !(i === 0 && (word.includes("=") || RESERVED.has(word))))
            return word;
        return "'" + word.replace(/'/g, "'\\''") + "'";
    }).join(" ");
}
