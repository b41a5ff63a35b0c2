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

/** The page's shared SSH connection to the destination (src/host/ssh-argv.ts). */
const CONTROL_PATH = "/run/cockpit-vf-migration/ssh/%C";

/** Ends the page's SSH master connection from the source to the destination, if one is up. */
function exitSshMaster() {
    hostExec("source", "ssh", "-o", `ControlPath=${CONTROL_PATH}`, "-O", "exit", "-l", "root", "-p", "22", DESTINATION);
}

/**
 * Swaps the hosts' state to another scenario (seconds; the guest and daemons keep running). The scenario sets what
 * the source trusts (known_hosts): an SSH master from before would carry on past that, so it is ended first.
 */
function loadScenario(name) {
    exitSshMaster();
    const r = spawnSync(path.join(simhost, "load"), [name], { encoding: "utf8" });
    if (r.status !== 0)
        throw new Error(`test/simhost/load ${name} failed:\n${r.stdout}\n${r.stderr}`);
}

function hostExec(host, ...argv) {
    return spawnSync(path.join(simhost, "exec"), [host, ...argv], { encoding: "utf8" });
}

const DESTINATION = "rhel-dst.example.test";
/** The destination's own Cockpit (root, no login), as `up` forwards it: either host can drive a migration. */
const peerUrl = () => process.env.COCKPIT_PEER_URL || `http://127.0.0.1:${process.env.VFSIM_PORT_PEER_ROOT || 9093}`;

/** Runs one Python statement on a host's hardware state (hw.json), with `arg` parsed from JSON. */
function changeHw(host, statement, arg = "null") {
    const code = "import sys, json\nsys.path.insert(0, '/run/vfsim-host/lib')\nimport hwstate as H\n" +
        `arg = json.loads(sys.argv[1])\nwith H.mutate() as st:\n    ${statement}\n`;
    const r = hostExec(host, "/usr/bin/python3", "-B", "-c", code, arg);
    if (r.status !== 0)
        throw new Error(`changing the hardware of ${host}: ${r.stderr}`);
}

/** hw.json's faults[] (test/simhost/hw/README.md): the fake tools, ovs-vsctl and firewall-cmd apply them. */
const setHwFaults = (host, faults) => changeHw(host, "st['faults'] = arg", JSON.stringify(faults));

module.exports = { pairIsUp, loadScenario, hostExec, exitSshMaster, changeHw, setHwFaults, peerUrl, CONTROL_PATH, DESTINATION };
