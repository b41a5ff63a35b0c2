/* The page's state files read by the real bash, iconv and head: the one command the page runs on the host. */
import { execFileSync, spawn } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stateFile, swapInput } from "../../../src/host/commands/state-file";

/** the read command's script, run on `path` instead of the fixed one */
function read(path: string, max: number): { status: number; stdout: string; stderr: string } {
    const argv = [...stateFile("departed.json").read(max)];
    expect(argv.slice(0, 2)).toEqual(["bash", "-c"]);
    try {
        const stdout = execFileSync("bash", ["-c", argv[2], argv[3], path, argv[5]], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return { status: 0, stdout, stderr: "" };
    } catch (e) {
        const x = e as { status: number; stdout: string; stderr: string };
        return { status: x.status, stdout: x.stdout, stderr: x.stderr };
    }
}

const dir = mkdtempSync(join(tmpdir(), "vfm-state-"));

test("a file of UTF-8 text is printed, cut at the byte limit", () => {
    writeFileSync(join(dir, "ok.json"), '{"version": 1, "départ": []}\n');
    expect(read(join(dir, "ok.json"), 1000)).toEqual({ status: 0, stdout: '{"version": 1, "départ": []}\n', stderr: "" });
    expect(read(join(dir, "ok.json"), 5).stdout).toBe('{"ver');
});

test("no file: a failure whose message says so (the page reads it as none yet)", () => {
    const r = read(join(dir, "absent.json"), 1000);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/No such file/);
});

test("bytes that are not UTF-8: nothing of the file reaches the page, iconv says where", () => {
    writeFileSync(join(dir, "bin.json"), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    const r = read(join(dir, "bin.json"), 1000);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/illegal input sequence at position 2|incomplete character/);
});

/*
 * The write command's script, run on paths in a temporary folder. Its `install -d -o root -g root` needs root: a
 * stand-in first on PATH drops the owner options and runs the real install (the folder's mode is still install's).
 */
function write(dir: string, fresh: string, file: string, input: string, how: "replace" | "swap" = "replace"): { status: number; stderr: string } {
    const argv = [...stateFile("departed.json")[how]()];
    const shims = mkdtempSync(join(tmpdir(), "vfm-shim-"));
    writeFileSync(join(shims, "install"), '#!/bin/bash\nargs=(); skip=0\nfor a in "$@"; do\n' +
        '  if [ $skip = 1 ]; then skip=0; continue; fi\n  case $a in -o|-g) skip=1;; *) args+=("$a");; esac\ndone\n' +
        'exec /usr/bin/install "${args[@]}"\n', { mode: 0o755 });
    try {
        execFileSync("bash", ["-c", argv[2], argv[3], dir, fresh, file],
                     { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PATH: `${shims}:${process.env.PATH}` } });
        return { status: 0, stderr: "" };
    } catch (e) {
        const x = e as { status: number; stderr: string };
        return { status: x.status, stderr: x.stderr };
    }
}

test("written: the folder made root's alone (0700), the file 0600, its text exactly what came on stdin", () => {
    const root = mkdtempSync(join(tmpdir(), "vfm-write-"));
    const d = join(root, "cockpit-vf-migration");
    const f = join(d, "departed.json");
    expect(write(d, `${f}.new`, f, '{"version": 1}\n')).toEqual({ status: 0, stderr: "" });
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readFileSync(f, "utf8")).toBe('{"version": 1}\n');
    expect(existsSync(`${f}.new`)).toBe(false);
    // a leftover readable .new from an earlier cut write is made 0600 before it becomes the file
    writeFileSync(`${f}.new`, "old", { mode: 0o644 });
    chmodSync(d, 0o755);
    expect(write(d, `${f}.new`, f, "second\n").status).toBe(0);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(readFileSync(f, "utf8")).toBe("second\n");
});

test("a folder where the file should be: the write fails and says so, nothing is moved into it", () => {
    const d = mkdtempSync(join(tmpdir(), "vfm-write-"));
    const f = join(d, "departed.json");
    mkdirSync(f);
    const r = write(d, `${f}.new`, f, "text\n");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot overwrite directory|Is a directory/);
    expect(readdirSync(f)).toEqual([]);
});

test("a write made only if the file is as the page last saw it: none yet, then its own text (accents counted in bytes)", () => {
    const d = mkdtempSync(join(tmpdir(), "vfm-swap-"));
    const f = join(d, "departed.json");
    const first = '{"départ": 1}\n';
    expect(write(d, `${f}.new`, f, swapInput(null, first), "swap")).toEqual({ status: 0, stderr: "" });
    expect(readFileSync(f, "utf8")).toBe(first);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(write(d, `${f}.new`, f, swapInput(first, '{"départ": 2}\n'), "swap")).toEqual({ status: 0, stderr: "" });
    expect(readFileSync(f, "utf8")).toBe('{"départ": 2}\n');
});

test("the file changed since (another page wrote it, or it appeared): exit 3, said, and left as it is", () => {
    const d = mkdtempSync(join(tmpdir(), "vfm-swap-"));
    const f = join(d, "departed.json");
    writeFileSync(f, "theirs\n");
    let r = write(d, `${f}.new`, f, swapInput("mine\n", "new\n"), "swap");
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`${f} changed since the page read it`);
    r = write(d, `${f}.new`, f, swapInput(null, "new\n"), "swap");
    expect(r.status).toBe(3);
    expect(readFileSync(f, "utf8")).toBe("theirs\n");
    expect(existsSync(`${f}.new`)).toBe(false);
});

test("another writer holding the folder's lock: the write waits for it, then finds the file changed and leaves it", async () => {
    const d = mkdtempSync(join(tmpdir(), "vfm-swap-"));
    const f = join(d, "departed.json");
    // a writer that takes the lock first (as another page's write would), then writes the file while holding it
    const other = spawn("flock", [d, "bash", "-c", 'echo held; sleep 0.3; echo theirs > "$1"', "other", f]);
    await new Promise<void>(resolve => other.stdout.once("data", () => resolve()));
    const r = write(d, `${f}.new`, f, swapInput(null, "mine\n"), "swap");
    await new Promise(resolve => other.once("exit", resolve));
    expect(r.status).toBe(3);
    expect(readFileSync(f, "utf8")).toBe("theirs\n");
});
