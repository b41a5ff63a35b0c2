/* The page's state files read by the real bash, iconv and head: the one command the page runs on the host. */
import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stateFile } from "../../../src/host/commands/state-file";

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
