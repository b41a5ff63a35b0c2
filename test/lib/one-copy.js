/*
 * "No VM is ever lost, and none ever runs twice": every test that migrates a VM (browser, simulator, benchmark)
 * watches both hosts while it does. The sampling runs in a process of its own (one-copy-child.js says what a sample
 * is and what counts as a violation), so it goes on while the test blocks in a synchronous `virsh migrate`.
 *
 *   const w = watchOneCopy({ vms: ["guest1"], hosts: { source: [EXEC, "source"], destination: [EXEC, "destination"] } });
 *   … migrate …
 *   assertOneCopy(w.stopSync());     // or: assertOneCopy(await w.stop())
 */
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const CHILD = path.join(__dirname, "one-copy-child.js");

/** The watchers not stopped yet: a test that fails before its stop() leaves one sampling both hosts. */
const live = new Set();

function sleepSync(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function waitForFile(file, ms, what) {
    const end = Date.now() + ms;
    while (!fs.existsSync(file)) {
        if (Date.now() > end)
            throw new Error(`the one-copy watcher did not ${what} within ${ms / 1000} s`);
        sleepSync(50);
    }
}

/**
 * Starts watching; returns once the first sample is taken (so the migration that follows is covered from its start).
 * `hosts`: two entries, host name → argv prefix that runs a command on that host.
 */
function watchOneCopy({ vms, hosts }) {
    if (Object.keys(hosts).length !== 2)
        throw new Error("watchOneCopy needs exactly two hosts");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "one-copy-"));
    const out = path.join(dir, "result.json");
    const child = spawn(process.execPath, [CHILD, JSON.stringify({ vms, hosts, out })], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    let exited = false;
    live.add(child);
    child.on("exit", () => { exited = true; live.delete(child) });
    child.unref();
    child.channel?.unref();
    waitForFile(out + ".ready", 30000, "take its first sample");
    let result = null;
    const finish = () => {
        const r = JSON.parse(fs.readFileSync(out, "utf8"));
        fs.rmSync(dir, { recursive: true, force: true });
        return r;
    };
    return {
        /** Ends the watch after its current sample: { samples, failedReads, violations, longestSampleMs, peakOnBoth, ms }. */
        stopSync() {
            if (!result) {
                child.kill("SIGTERM");
                waitForFile(out, 60000, "stop");
                result = finish();
            }
            return result;
        },
        async stop() {
            if (!result) {
                child.kill("SIGTERM");
                const end = Date.now() + 60000;
                while (!fs.existsSync(out)) {
                    if (Date.now() > end || (exited && !fs.existsSync(out)))
                        throw new Error("the one-copy watcher did not stop");
                    await new Promise(resolve => setTimeout(resolve, 50));
                }
                result = finish();
            }
            return result;
        },
    };
}

/** The watch saw the VMs at every moment, each on exactly one host. */
function assertOneCopy(r) {
    if (r.samples < 1 || r.violations.length > 0)
        throw new Error(`one-copy watch: ${r.samples} samples, ${r.violations.length} violations:\n${r.violations.slice(0, 20).join("\n")}`);
    return r;
}

/** Runs `fn` (synchronous) under a watch and asserts the result; returns what `fn` returned. */
function withOneCopy(watch, fn) {
    const w = watchOneCopy(watch);
    let value;
    try {
        value = fn();
    } catch (e) {
        w.stopSync();
        throw e;
    }
    assertOneCopy(w.stopSync());
    return value;
}

/**
 * Stops the watchers a failed test left running (its afterEach): otherwise each samples both hosts until jest
 * exits, and slows every test after it.
 */
function stopLeftOverWatchers() {
    for (const child of live)
        child.kill("SIGKILL");
    live.clear();
}

module.exports = { watchOneCopy, assertOneCopy, withOneCopy, stopLeftOverWatchers };
