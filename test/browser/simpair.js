/*
 * The simulated host pair as the browser tests use it: which scenario is loaded, and the addresses the
 * destination is reached at. The pair itself is brought up by test/run-suites (or by hand: test/simhost/up).
 */
const { spawnSync } = require("child_process");
const path = require("path");

const simhost = path.join(__dirname, "..", "simhost");

function pairIsUp() {
    return spawnSync(path.join(simhost, "state"), ["source"], { stdio: "ignore" }).status === 0;
}

/** Swaps the hosts' state to another scenario (seconds; the guest and daemons keep running). */
function loadScenario(name) {
    const r = spawnSync(path.join(simhost, "load"), [name], { encoding: "utf8" });
    if (r.status !== 0)
        throw new Error(`test/simhost/load ${name} failed:\n${r.stdout}\n${r.stderr}`);
}

function hostExec(host, ...argv) {
    return spawnSync(path.join(simhost, "exec"), [host, ...argv], { encoding: "utf8" });
}

const DESTINATION = "rhel-dst.example.test";

module.exports = { pairIsUp, loadScenario, hostExec, DESTINATION };
