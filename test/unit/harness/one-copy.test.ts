/*
 * The one-copy watcher (test/lib/one-copy.js) that every migrating test relies on: it must see a VM running twice,
 * a VM gone from both hosts, and a host it cannot read. Hosts here are files holding what `virsh list --all` prints.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { assertOneCopy, watchOneCopy } from "../../lib/one-copy";

const TABLE = (rows: string[]) => ` Id   Name     State\n-------------------------\n${rows.map(r => ` ${r}\n`).join("")}\n`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "one-copy-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A "host" whose virsh list answers with the file's content (or fails when the file is missing). */
function host(name: string, content: string | null): string[] {
    const f = path.join(dir, name);
    if (content === null)
        fs.rmSync(f, { force: true });
    else
        fs.writeFileSync(f, content);
    return ["sh", "-c", `cat "${f}"`, "sh"];
}

function watchFor(a: string | null, b: string | null, ms = 300) {
    const w = watchOneCopy({ vms: ["guest1"], hosts: { a: host("a", a), b: host("b", b) } });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return w.stopSync();
}

test("a VM on one host, and another VM shut off elsewhere, is no violation", () => {
    const r = watchFor(TABLE(["1    guest1   running"]), TABLE(["-    guest1   shut off", "2    other    running"]));
    expect(r.samples).toBeGreaterThan(0);
    expect(r.violations).toEqual([]);
    expect(() => assertOneCopy(r)).not.toThrow();
});

test("a VM paused on the destination while it runs on the source (a migration in flight) is no violation", () => {
    expect(watchFor(TABLE(["1    guest1   running"]), TABLE(["3    guest1   paused"])).violations).toEqual([]);
});

test("a VM running on both hosts is seen", () => {
    const r = watchFor(TABLE(["1    guest1   running"]), TABLE(["4    guest1   running"]));
    expect(r.violations[0]).toMatch(/guest1 running on both hosts/);
    expect(() => assertOneCopy(r)).toThrow(/running on both/);
});

test("a VM active on neither host is seen", () => {
    const r = watchFor(TABLE(["-    guest1   shut off"]), TABLE([]));
    expect(r.violations[0]).toMatch(/guest1 active on neither host/);
});

test("a host that cannot be read is a failure, not a pass", () => {
    const r = watchFor(TABLE(["1    guest1   running"]), null);
    expect(r.failedReads).toBeGreaterThan(0);
    expect(r.violations[0]).toMatch(/b: virsh -c qemu:\/\/\/system list --all failed/);
    expect(() => assertOneCopy(r)).toThrow();
});

test("output that is not virsh's table is a failure", () => {
    const r = watchFor(TABLE(["1    guest1   running"]), "error: failed to connect to the hypervisor\n");
    expect(r.violations[0]).toMatch(/unexpected virsh list output/);
});
