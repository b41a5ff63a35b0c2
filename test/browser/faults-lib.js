/*
 * Shared by the fault, untrusted-output and soak tests: the status page as a user reads it, fault injection on the
 * simulated pair (its LAN port, root's SSH masters, scenarios generated from ready-pair with hw faults), and the
 * source host's processes. Everything here acts on the pair: callers hold /run/vfsim-pair.lock.
 */
const { expect } = require("@jest/globals");
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { pluginFrame, eventually, root } = require("./harness");
const { loadScenario, hostExec, exitSshMaster, CONTROL_PATH, DESTINATION } = require("./simpair");

const SIMHOST = path.join(root, "test", "simhost");
const VFSIM_RUN = process.env.VFSIM_RUN || "/run/vfsim";
/** The page's SSH master connections (src/host/ssh-argv.ts DEFAULT_SSH_CONFIG.controlDir). */

async function openStatus(page) {
    const frame = await pluginFrame(page);
    await frame.locator("#vfm-host-source").waitFor();
    return frame;
}

/** Every check row of a host column: id → verdict ("pending" while it has none). */
async function allVerdicts(frame, host) {
    return frame.locator(`#vfm-host-${host} li.vfm-check`).evaluateAll(els =>
        Object.fromEntries(els.map(e => [e.getAttribute("data-check"), e.getAttribute("data-verdict")])));
}

/**
 * Waits until no row of the host column is pending and its refresh is not running, then returns the verdicts. Rows
 * and button are read in one DOM pass: rows read during a refresh still show the old verdicts, and a refresh that
 * ends between two separate reads would pass them off as the new ones.
 */
async function settledVerdicts(frame, host, timeoutMs = 60000) {
    return eventually(async () => {
        const { verdicts, refreshing } = await frame.locator(`#vfm-host-${host}`).evaluate((col, id) => ({
            verdicts: Object.fromEntries([...col.querySelectorAll("li.vfm-check")].map(e => [e.getAttribute("data-check"), e.getAttribute("data-verdict")])),
            refreshing: col.querySelector(`#${id}[disabled]`) !== null,
        }), `vfm-refresh-${host}`);
        expect(Object.keys(verdicts).length).toBeGreaterThan(10);
        expect(Object.values(verdicts)).not.toContain("pending");
        expect(refreshing).toBe(false);
        return verdicts;
    }, timeoutMs);
}

/** Types the destination and trusts its key if asked; resolves once the column shows a summary or an error. */
async function checkDestination(frame, { host = DESTINATION, trust = true } = {}) {
    await frame.locator("#vfm-destination-host").fill(host);
    await frame.locator("#vfm-destination-connect").click();
    const dialog = frame.locator("#vfm-hostkey-dialog");
    const summary = frame.locator("#vfm-summary-destination");
    const error = frame.locator("#vfm-error-destination");
    await dialog.or(summary).or(error).first().waitFor({ timeout: 70000 });
    if (trust && await dialog.isVisible()) {
        await frame.locator("#vfm-hostkey-accept").click();
        await summary.or(error).first().waitFor({ timeout: 70000 });
    }
}

async function clickRefresh(frame, host) {
    const button = frame.locator(`#vfm-refresh-${host}`);
    await eventually(async () => expect(await button.isEnabled()).toBe(true), 90000);
    await button.click();
}

/** The column's error text, once there is one. */
async function columnError(frame, host, timeoutMs = 60000) {
    const error = frame.locator(`#vfm-error-${host}`);
    await error.waitFor({ timeout: timeoutMs });
    return error.innerText();
}

const lanPid = () => fs.readFileSync(path.join(VFSIM_RUN, "pair", "lan.pid"), "utf8").trim();

/** Cuts (or restores) a host's LAN port on the LAN's side, as the scenario key `unreachable` does. */
function setLanPort(host, up) {
    const r = spawnSync("nsenter", ["-t", lanPid(), "-n", "ip", "link", "set", `vfsim-${host.slice(0, 3)}`, up ? "up" : "down"], { encoding: "utf8" });
    if (r.status !== 0)
        throw new Error(`cannot set the LAN port of ${host} ${up ? "up" : "down"}: ${r.stderr}`);
}

/** Ends the page's shared SSH connection to the destination (as a host reinstall or a network change would). */
function merged(base, over) {
    if (base && over && typeof base === "object" && typeof over === "object" && !Array.isArray(base) && !Array.isArray(over)) {
        const out = { ...base };
        for (const [k, v] of Object.entries(over))
            out[k] = k in base ? merged(base[k], v) : v;
        return out;
    }
    return over;
}

/**
 * Loads ready-pair with changes: `hosts` is deep-merged over it (arrays replace), `hw` over its hardware layer
 * (e.g. { source: { faults: [...] } }), then `edit(scenario)` may change it in place. The file goes to test/.run/scenarios/NAME.json (it may be megabytes).
 */
function loadReadyPairWith(name, { hosts = {}, hw = {}, edit = null } = {}) {
    const scenarios = path.join(SIMHOST, "scenarios");
    const pair = JSON.parse(fs.readFileSync(path.join(scenarios, "ready-pair.json"), "utf8"));
    const hwBase = JSON.parse(fs.readFileSync(path.join(scenarios, "hw", "ready-pair.json"), "utf8"));
    const sc = merged(pair, { name, description: `ready-pair with test faults (${name})`, hosts });
    delete sc.$schema;
    for (const h of ["source", "destination"])
        sc.hosts[h].hw = merged(hwBase[h], hw[h] || {});
    if (edit)
        edit(sc);
    const dir = path.join(root, "test", ".run", "scenarios");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(sc));
    loadScenario(file);
    return file;
}

/** A fresh load of ready-pair with root's known_hosts emptied and no SSH master left from an earlier test. */
function freshReadyPair() {
    loadScenario("ready-pair");
}

/** Processes whose network namespace is the host's (the pair has no PID namespaces). */
function hostProcesses(host) {
    const ns = fs.readFileSync(path.join(VFSIM_RUN, host, "ns.net"), "utf8").trim();
    const out = [];
    for (const d of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(d))
            continue;
        try {
            if (fs.readlinkSync(`/proc/${d}/ns/net`) !== ns)
                continue;
            const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
            const close = stat.lastIndexOf(")");
            const state = stat.slice(close + 2, close + 3);
            if (state === "Z")
                continue;
            const args = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").filter(Boolean);
            out.push({ pid: Number(d), ppid: Number(stat.slice(close + 2).split(" ")[1]), comm: stat.slice(stat.indexOf("(") + 1, close), args });
        } catch {
            // gone meanwhile
        }
    }
    return out;
}

/** What the page makes the source run: its bridge's descendants, SSH processes and masters, probe shells. */
function sourceCounts() {
    const procs = hostProcesses("source");
    const byPid = new Map(procs.map(p => [p.pid, p]));
    const bridges = procs.filter(p => p.args.some(a => a.endsWith("cockpit-bridge")) || p.comm === "cockpit-bridge");
    const under = p => {
        for (let q = byPid.get(p.ppid); q; q = byPid.get(q.ppid))
            if (bridges.includes(q))
                return true;
        return false;
    };
    const ssh = procs.filter(p => p.comm === "ssh");
    return {
        total: procs.length,
        bridges: bridges.length,
        bridgeDescendants: procs.filter(under).length,
        ssh: ssh.length,
        // a ControlPersist master renames itself "ssh: PATH [mux]"
        sshMasters: ssh.filter(p => p.args.join(" ").includes("[mux]")).length,
        probeShells: procs.filter(p => p.args[0] === "sh" && p.args[1] === "-s").length,
    };
}

/** The source's system bus: match rules and connections (dbus-daemon's Debug.Stats), or null if unavailable. */
function systemBusStats() {
    const r = hostExec("source", "dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                       "org.freedesktop.DBus.Debug.Stats.GetStats");
    if (r.status !== 0)
        return null;
    const num = key => {
        const m = new RegExp(`string "${key}"\\s+variant\\s+uint32 (\\d+)`).exec(r.stdout);
        return m ? Number(m[1]) : null;
    };
    return { matchRules: num("MatchRules"), connections: num("ActiveConnections") };
}

module.exports = {
    openStatus, allVerdicts, settledVerdicts, checkDestination, clickRefresh, columnError, setLanPort, exitSshMaster,
    loadReadyPairWith, freshReadyPair, hostProcesses, sourceCounts, systemBusStats, CONTROL_PATH, SIMHOST,
};
