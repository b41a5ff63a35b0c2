#!/usr/bin/env node
/*
 * Benchmark: the probe script (src/host/probe-script.ts) of the working tree against the one of a git revision, on
 * the simulated destination, with the 13 commands of three destination VF re-checks sent together (what an
 * evacuation's first three VMs ask: per VF its driver and physfn links and the PF's virtfn links; devlink's ports,
 * the running VMs, the links and Open vSwitch once). Runs alternate (the order flips each round). Clock: from the
 * spawn of `test/simhost/exec destination sh -s …` (the script on stdin) to its exit. BUSY shell loops run beside,
 * as load (the evacuation benchmark's five emulated guests keep both cores busy).
 * Usage (the pair up): node test/bench/probe-script.js [RUNS=7] [REV=HEAD~1] [BUSY=0]
 */
const { spawn, spawnSync, execFileSync } = require("child_process");
const path = require("path");
const ts = require("typescript");

const root = path.join(__dirname, "..", "..");
const RUNS = Number(process.argv[2] || 7);
const REV = process.argv[3] || "HEAD~1";
const BUSY = Number(process.argv[4] || 0);
const FILE = "src/host/probe-script.ts";

const scriptOf = source => {
    const m = { exports: {} };
    new Function("exports", ts.transpile(source))(m.exports);
    return m.exports.PROBE_SCRIPT;
};
const scripts = {
    [REV]: scriptOf(execFileSync("git", ["show", `${REV}:${FILE}`], { cwd: root, encoding: "utf8" })),
    "working tree": scriptOf(require("fs").readFileSync(path.join(root, FILE), "utf8")),
};

const commands = [];
for (const fn of [1, 2, 3]) {
    const dev = `/sys/bus/pci/devices/0000:c1:00.${fn}`;
    commands.push(["readlink", `${dev}/driver`], ["readlink", `${dev}/physfn`],
        ["find", `${dev}/physfn/`, "-maxdepth", "1", "-name", "virtfn*", "-printf", "%f %l\\n"]);
}
commands.push(["devlink", "-j", "port", "show"], ["virsh", "list", "--name"], ["ip", "-d", "-j", "link", "show"], ["ovs-vsctl", "show"]);
const argv = ["destination", "sh", "-s", "--", "15", "1048576", ...commands.flatMap(c => [String(c.length), ...c])];

const busy = Array.from({ length: BUSY }, () => spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" }));
const times = Object.fromEntries(Object.keys(scripts).map(k => [k, []]));
try {
    for (let i = 0; i < RUNS; i++) {
        const order = Object.keys(scripts);
        for (const k of i % 2 ? order.reverse() : order) {
            const t0 = process.hrtime.bigint();
            const r = spawnSync(path.join(root, "test/simhost/exec"), argv, { input: scripts[k] });
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            if (!r.stdout.toString().includes(`VFM-PROBE-END ${commands.length}`))
                throw new Error(`${k}: the probe did not end: ${r.stdout.toString().slice(-300)}${r.stderr}`);
            times[k].push(ms);
        }
    }
} finally {
    busy.forEach(b => b.kill());
}
const median = a => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`probe of ${commands.length} commands on the simulated destination, ${RUNS} alternating runs each, ${BUSY} busy loops beside`);
for (const [k, t] of Object.entries(times))
    console.log(`${k.padEnd(14)} median ${median(t).toFixed(0)} ms, spread ${Math.min(...t).toFixed(0)}–${Math.max(...t).toFixed(0)} ms`);
