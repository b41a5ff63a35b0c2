/*
 * mlx5 migrates at most 4 VFs of one PF port at a time: a 5th concurrent migration fails while setting up its VF,
 * the 4 others complete. Guests carry an 8 MiB ballast in RAM and migrate at 1 MiB/s so that they overlap.
 */
import { spawn } from "child_process";
import crypto from "crypto";
import fs from "fs";
import path from "path";
import { assertOneCopy, watchOneCopy } from "../../lib/one-copy";
import { domainXml, hostdevInterface, MiniPair, Result } from "./minipair";

function runAsync(argv: string[]): Promise<Result> {
    return new Promise(resolve => {
        const p = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "", stderr = "";
        p.stdout.on("data", d => { stdout += d });
        p.stderr.on("data", d => { stderr += d });
        p.on("close", status => resolve({ status, stdout, stderr }));
    });
}

async function waitFor(what: string, probe: () => boolean, timeoutMs = 20000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!probe()) {
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise(r => setTimeout(r, 200));
    }
}

describe("concurrent VF migrations of one PF", () => {
    const pair = new MiniPair(false);
    const { a, b } = pair;

    beforeAll(() => {
        pair.start();
    });

    afterAll(() => {
        pair.stop();
    });

    test("a 5th VF of the same PF migrating while 4 are in progress is refused; the 4 complete", async () => {
        const ballast = path.join(a.dir, "ballast.bin");
        fs.writeFileSync(ballast, crypto.randomBytes(8 << 20)); // incompressible: ~8 s at 1 MiB/s

        const names = [1, 2, 3, 4, 5].map(n => `vmL${n}`);
        const dest: string[] = [];
        names.forEach((name, i) => {
            const mac = `52:54:00:20:00:0${i + 1}`;
            a.virshOk("define", a.write(`${name}.xml`, domainXml(name, hostdevInterface(i + 1, mac), ballast)));
            a.virshOk("start", name);
            dest.push(a.write(`${name}-dest.xml`, a.virshOk("dumpxml", "--migratable", name)));
        });
        const migrate = (i: number) => ["nsenter", "-t", String(a.pid), "-m", "-n", "virsh", "-c", "qemu:///system",
            "migrate", "--live", "--persistent", "--undefinesource", "--bandwidth", "1", names[i], b.uri,
            "--migrateuri", "tcp://192.0.2.2", "--xml", dest[i]];

        const watch = watchOneCopy(pair.watch(...names));
        const first4 = [0, 1, 2, 3].map(i => runAsync(migrate(i)));
        // QEMU streams RAM of all 4 (the job alone starts earlier, in libvirt)
        await waitFor("4 migrations in progress", () => names.slice(0, 4).every(n =>
            /Data processed:\s+[1-9]/.test(a.virsh("domjobinfo", n).stdout)));
        const fifth = await runAsync(migrate(4));
        // libvirt words it "job 'migration out' failed: …" or, when the destination's report races in,
        // "migration failed. Message from the source host: … job 'migration out' failed: …"
        expect(fifth.status).not.toBe(0);
        expect(fifth.stderr).toMatch(/^error: operation failed: .*job 'migration out' failed: 0000:e1:00\.5: Failed setting device state to PRE_COPY\.: Device or resource busy/);
        expect(a.virshOk("domstate", names[4]).trim()).toBe("running");

        const results = await Promise.all(first4);
        assertOneCopy(await watch.stop());
        expect(results.map(r => r.stderr)).toEqual(["", "", "", ""]);
        expect(b.virshOk("list", "--name").split("\n").filter(Boolean).sort()).toEqual(names.slice(0, 4));
    });
});
