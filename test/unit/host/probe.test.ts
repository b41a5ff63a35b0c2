/*
 * The probe: the shipped script run by real shells (bash, dash) with the argv the transports send, and its
 * framing parsed back — including output that contains the framing's markers, binary junk, and output past the
 * byte limit.
 */
import { spawnSync } from "child_process";
import { installFakeCockpit } from "../fake-cockpit";
import { makeArgv } from "../../../src/host/argv";
import { PROBE_SCRIPT } from "../../../src/host/probe-script";
import { parseProbeOutput, probeArgv, runProbe } from "../../../src/host/probe";
import { LocalTransport } from "../../../src/host/local";

function runScript(shell: string, argv: readonly string[]) {
    const r = spawnSync(shell, argv.slice(1), { input: PROBE_SCRIPT, maxBuffer: 64 << 20 });
    return { stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString(), status: r.status };
}

const commands = [
    makeArgv("printf", "%s\n", "VFM-PROBE-END 0", "R 0 0 0 0 0", "O", "E", ".", "VFM-PROBE 1"),
    makeArgv("sh", "-c", "printf '\\377\\376\\000junk\\n'; echo err >&2; exit 3"),
    makeArgv("head", "-c", "3000000", "/dev/zero"),
    makeArgv("no-such-command-vfm"),
    makeArgv("printf", "%s", "it's $HOME `id` ; a b"),
    makeArgv("sleep", "5"),
].map(argv => ({ argv }));

for (const shell of ["bash", "dash"]) {
    test(`${shell}: one run frames every command; markers in output stay data; output is cut at the limit`, () => {
        const argv = probeArgv(commands, 1, 1024 * 1024);
        expect(argv.slice(0, 5)).toEqual(["sh", "-s", "--", "1", "1048576"]);
        const r = runScript(shell, argv);
        expect(r.status).toBe(0);
        const p = parseProbeOutput(r.stdout);
        expect(p.complete).toBe(true);
        expect(p.records.map(x => x.exitStatus)).toEqual([0, 3, 0, 127, 0, 124]);
        expect(p.records[0].stdout).toBe("VFM-PROBE-END 0\nR 0 0 0 0 0\nO\nE\n.\nVFM-PROBE 1\n");
        expect(p.records[1].stdout).toBe("\ufffd\ufffd\0junk\n");
        expect(p.records[1].stderr).toBe("err\n");
        expect(p.records[2].stdoutBytes).toBe(3000000);
        expect(p.records[2].stdout.length).toBe(1024 * 1024);
        expect(p.records[3].stderr).toMatch(/no-such-command-vfm/);
        expect(p.records[4].stdout).toBe("it's $HOME `id` ; a b");
        expect(p.records[5].durationMs).toBeGreaterThanOrEqual(900);
        expect(p.records[5].durationMs).toBeLessThan(4000);
    });
}

test("a command reads /dev/null on stdin, never the rest of the script", () => {
    const r = runScript("dash", probeArgv([{ argv: makeArgv("cat") }, { argv: makeArgv("echo", "after") }], 5, 100));
    const p = parseProbeOutput(r.stdout);
    expect(p.records.map(x => x.stdout)).toEqual(["", "after\n"]);
});

test("a cut-short or foreign output is reported incomplete, never misread", () => {
    expect(parseProbeOutput("").complete).toBe(false);
    expect(parseProbeOutput("VFM-PROBE-ERROR count\n").error).toBe("VFM-PROBE-ERROR count");
    const full = runScript("dash", probeArgv([{ argv: makeArgv("echo", "a") }, { argv: makeArgv("echo", "b") }])).stdout;
    const cut = full.slice(0, full.indexOf("R 1"));
    const p = parseProbeOutput(cut);
    expect([p.complete, p.records.length, p.records[0].stdout]).toEqual([false, 1, "a\n"]);
    expect(parseProbeOutput(full.replace("VFM-PROBE-END 2", "VFM-PROBE-END 3")).complete).toBe(false);
    expect(parseProbeOutput(full.replace("YQo=", "Y!o=")).complete).toBe(false);
});

test("a command whose record is never made (its subshell killed): the records before it, then the error", () => {
    // kills the probe's subshell of this command (the parent of its `timeout`)
    const killer = makeArgv("sh", "-c", "read -r _ _ _ pp _ </proc/$PPID/stat; kill -9 $pp; sleep 1");
    for (const shell of ["bash", "dash"]) {
        const r = runScript(shell, probeArgv([{ argv: makeArgv("echo", "a") }, { argv: killer }, { argv: makeArgv("echo", "c") }], 5, 100));
        const p = parseProbeOutput(r.stdout);
        expect([shell, p.complete, p.records.map(x => x.stdout), p.error]).toEqual([shell, false, ["a\n"], "VFM-PROBE-ERROR record"]);
    }
});

test("bad arguments stop the script before anything runs", () => {
    const r = spawnSync("dash", ["-s", "--", "1", "10", "5", "echo"], { input: PROBE_SCRIPT });
    expect(r.stdout.toString()).toContain("VFM-PROBE-ERROR count");
    expect(parseProbeOutput(r.stdout.toString()).records).toEqual([]);
});

test("runProbe: one spawn of `sh -s` with the script on stdin; records carry their argv", async () => {
    const fake = installFakeCockpit();
    fake.script(["sh", "-s"], call => {
        const r = spawnSync("dash", call.args.slice(1), { input: call.input });
        return { stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString(), exit: r.status ?? 0 };
    });
    const res = await runProbe(new LocalTransport(), [{ argv: makeArgv("echo", "one") }, { argv: makeArgv("false") }]);
    expect(fake.calls.length).toBe(1);
    expect(fake.calls[0].input).toBe(PROBE_SCRIPT);
    expect(fake.calls[0].options.superuser).toBeUndefined();
    expect(res.complete).toBe(true);
    expect(res.records.map(r => [r.argv, r.stdout, r.exitStatus])).toEqual([[["echo", "one"], "one\n", 0], [["false"], "", 1]]);
});
