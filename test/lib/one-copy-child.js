#!/usr/bin/env node
/*
 * The one-copy watcher's sampling process (started by one-copy.js). It runs apart from the test so that it keeps
 * sampling while the test blocks in spawnSync (`virsh migrate` run synchronously).
 *
 * One sample = `virsh list --all` on host A, then B, then A again, back to back; the next sample starts as soon as
 * one ends, so the samples leave no gap in time. For each watched VM:
 *   - "running on both": running at A's first read, on B, and at A's second read (a switch-over goes one way, so a
 *     correct migration can never look like this, in either direction);
 *   - "active on neither": not active (running or paused) at any of the three reads.
 * Also recorded: the most VMs active on both hosts at all three reads of one sample (a migration under way: running
 * here, paused as the incoming copy there), the number migrating at once as libvirt shows it.
 * A read that fails (exit status, time-out, output that is not virsh's table) is a failure too: a watcher that
 * cannot see a host proves nothing.
 *
 * argv[2]: JSON { vms: [names], hosts: { NAME: [argv prefix that runs a command on that host] }, out: FILE }.
 * Writes FILE.ready after the first sample, and FILE (JSON result) when it gets SIGTERM, after its current sample.
 */
const { execFile } = require("child_process");
const fs = require("fs");

const { vms, hosts, out } = JSON.parse(process.argv[2]);
const [A, B] = Object.keys(hosts);
const LIST = ["virsh", "-c", "qemu:///system", "list", "--all"];

/** { name: state } from `virsh list --all`, or an error string. */
function read(host) {
    const [cmd, ...pre] = hosts[host];
    return new Promise(resolve => execFile(cmd, [...pre, ...LIST], { encoding: "utf8", timeout: 20000 }, (err, stdout, stderr) => {
        if (err)
            return resolve(`${host}: ${LIST.join(" ")} failed: ${String(stderr || err.message).trim()}`);
        const lines = stdout.split("\n");
        if (!/^\s*Id\s+Name\s+State\s*$/.test(lines[0] ?? "") || !/^-+$/.test((lines[1] ?? "").trim()))
            return resolve(`${host}: unexpected virsh list output: ${JSON.stringify(stdout.slice(0, 200))}`);
        const states = {};
        for (const l of lines.slice(2)) {
            const m = /^\s*(\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(l);
            if (m)
                states[m[2]] = m[3];
        }
        resolve(states);
    }));
}

const running = (s, vm) => s[vm] === "running";
const active = (s, vm) => s[vm] !== undefined && s[vm] !== "shut off";

let stopping = false;
process.on("SIGTERM", () => { stopping = true });
// the test process went away without stopping the watch
process.on("disconnect", () => { stopping = true });

(async () => {
    const violations = [];
    let samples = 0, failedReads = 0;
    const started = Date.now();
    let longestMs = 0;
    let peakOnBoth = 0;
    do {
        const t0 = Date.now();
        const reads = [await read(A), await read(B), await read(A)];
        const when = new Date().toISOString();
        const failed = reads.filter(r => typeof r === "string");
        if (failed.length) {
            failedReads += failed.length;
            violations.push(...failed.map(f => `${when} ${f}`));
        } else {
            const [a1, b, a2] = reads;
            peakOnBoth = Math.max(peakOnBoth, vms.filter(vm => active(a1, vm) && active(b, vm) && active(a2, vm)).length);
            for (const vm of vms) {
                if (running(a1, vm) && running(b, vm) && running(a2, vm))
                    violations.push(`${when} ${vm} running on both hosts`);
                if (!active(a1, vm) && !active(b, vm) && !active(a2, vm))
                    violations.push(`${when} ${vm} active on neither host`);
            }
        }
        samples++;
        longestMs = Math.max(longestMs, Date.now() - t0);
        if (samples === 1)
            fs.writeFileSync(out + ".ready", "");
    } while (!stopping);
    fs.writeFileSync(out + ".tmp", JSON.stringify({ samples, failedReads, violations, longestSampleMs: longestMs, peakOnBoth, ms: Date.now() - started }));
    fs.renameSync(out + ".tmp", out);
})();
