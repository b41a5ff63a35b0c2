/*
 * The two stand-ins on their own: the wrapper leaves capability probing to the real QEMU, and the preload library
 * keeps the memlock limit where raising it is not permitted (root without CAP_SYS_RESOURCE here).
 */
import fs from "fs";
import os from "os";
import path from "path";
import { PASSTHROUGH, run, WRAPPER } from "./minipair";

describe("passthrough stand-ins", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "vfsim-pt-build-"));
    const lib = path.join(out, "vf-netdev-preload.so");

    beforeAll(() => {
        const r = run(["make", "-s", "-C", PASSTHROUGH, `OUT=${out}`]);
        if (r.status !== 0)
            throw new Error(`building the preload library failed: ${r.stderr}`);
    });

    afterAll(() => {
        fs.rmSync(out, { recursive: true, force: true });
    });

    test("capability probing gets the real QEMU's answers", () => {
        for (const args of [["-version"], ["-machine", "help"], ["-device", "help"]])
            expect(run([WRAPPER, ...args]).stdout).toBe(run(["/usr/bin/qemu-system-x86_64", ...args]).stdout);
    });

    test("raising RLIMIT_MEMLOCK beyond the hard limit reports success and keeps the limit", () => {
        const script = "prlimit --pid $$ --memlock=1073741824:1073741824 && prlimit --pid $$ --memlock --raw --noheadings";
        const plain = run(["/bin/sh", "-c", script]);
        const preloaded = run(["env", `LD_PRELOAD=${lib}`, "/bin/sh", "-c", script]);
        if (plain.status === 0) {
            // a machine that may raise it: nothing to stand in for
            expect(preloaded.status).toBe(0);
            return;
        }
        expect(plain.stderr).toMatch(/Operation not permitted/);
        expect(preloaded.status).toBe(0);
        expect(preloaded.stdout).not.toMatch(/1073741824/);
    });
});
