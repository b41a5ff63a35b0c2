/*
 * quoteArgv: examples, and 10,000 generated argvs parsed back by real shells (bash: RHEL's login shell; dash:
 * Debian's sh) in one process each, through a printer made only of builtins.
 */
import fc from "fast-check";
import { spawnSync } from "child_process";
import { QuoteError, quoteArgv } from "../../../src/host/quote";
import { RUNS, special } from "./arbitraries";

test("readable where it can be, quoted where it must be", () => {
    expect(quoteArgv(["devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev"]))
            .toBe("devlink dev eswitch set pci/0000:e1:00.0 mode switchdev");
    expect(quoteArgv(["echo", "", "it's", "a b", "$HOME", "*", "~", "-n"])).toBe("echo '' 'it'\\''s' 'a b' '$HOME' '*' '~' -n");
    expect(quoteArgv(["a=b", "c=d"])).toBe("'a=b' c=d");
    expect(quoteArgv(["if", "then"])).toBe("'if' then");
    expect(quoteArgv(["printf", "x\ny"])).toBe("printf 'x\ny'");
});

test("refuses what no command line can carry", () => {
    expect(() => quoteArgv([])).toThrow(QuoteError);
    expect(() => quoteArgv(["a\0b"])).toThrow(QuoteError);
    expect(() => quoteArgv(["\ud800"])).toThrow(QuoteError);
});

const word = fc.oneof(
    fc.string({ unit: special, maxLength: 8 }).filter(s => !s.includes("\0") && !s.includes("\ud800")),
    fc.string({ unit: "binary", maxLength: 12 }).filter(s => !s.includes("\0")),
    fc.string({ unit: "binary-ascii", maxLength: 12 }).filter(s => !s.includes("\0")),
);
export const argvArb = fc.array(word, { minLength: 1, maxLength: 6 });

// `p WORDS…` prints its argument count and arguments, each NUL-terminated; p is the first word so that the
// generated words are all in argument position, as after a program name
const PRINTER = "p() { printf '%s\\0' \"$#\" \"$@\"; }\n";

function roundTrip(shell: string, argvs: string[][]): void {
    const script = PRINTER + argvs.map(a => quoteArgv(["p", ...a])).join("\n") + "\n";
    const r = spawnSync(shell, ["-s"], { input: Buffer.from(script, "utf8"), env: { PATH: process.env.PATH, LC_ALL: "C.UTF-8" }, maxBuffer: 64 << 20 });
    expect(r.stderr.toString()).toBe("");
    const fields = r.stdout.toString("utf8").split("\0");
    let i = 0;
    for (const a of argvs) {
        const n = Number(fields[i++]);
        const got = fields.slice(i, i + n);
        i += n;
        expect(got).toEqual(a);
    }
    expect(fields.length - 1).toBe(i);
}

const samples = fc.sample(argvArb, { numRuns: RUNS, seed: Date.now() & 0xffff });

test(`bash parses each of ${RUNS} quoted argvs back into exactly that argv`, () => roundTrip("bash", samples));
test(`dash parses each of ${RUNS} quoted argvs back into exactly that argv`, () => roundTrip("dash", samples));

// bash forks for every command_not_found_handle call: 300 here keeps the suite fast
const FIRST_WORD_RUNS = 300;

test(`a quoted first word is a program name, never shell syntax, in bash, for ${FIRST_WORD_RUNS} argvs`, () => {
    // `a=b`, `if`, `!`, `{`… in command position must still be looked up as a program. Left out: builtins, names
    // with '/' (run as paths) and names starting with '%' (bash runs `fg` for them, quoted or not)
    const builtins = new Set(spawnSync("/bin/bash", ["-c", "compgen -b"]).stdout.toString().split("\n"));
    const firsts = fc.sample(fc.tuple(word.filter(w => w !== "" && !builtins.has(w) && !w.includes("/") && !w.startsWith("%")), argvArb), { numRuns: FIRST_WORD_RUNS, seed: 7 });
    const script = "command_not_found_handle() { printf '%s\\0' \"$#\" \"$@\"; return 0; }\n" +
        firsts.map(([f, rest]) => quoteArgv([f, ...rest])).join("\n") + "\n";
    const r = spawnSync("/bin/bash", ["-s"], { input: Buffer.from(script, "utf8"), env: { PATH: "/nonexistent", LC_ALL: "C.UTF-8" }, maxBuffer: 64 << 20 });
    expect(r.stderr.toString()).toBe("");
    const fields = r.stdout.toString("utf8").split("\0");
    let i = 0;
    for (const [f, rest] of firsts) {
        const n = Number(fields[i++]);
        expect(fields.slice(i, i + n)).toEqual([f, ...rest]);
        i += n;
    }
});
