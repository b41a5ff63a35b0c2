/*
 * Before the browser tests: build dist/ from the current sources (unless $COCKPIT_URL points at a Cockpit that
 * serves its own copy), check the endpoint variables, and open the registry of every process the tests start.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const http = require("http");
const path = require("path");

/** Cockpit answers GET /ping without a session. */
function ping(base) {
    return new Promise(resolve => {
        const req = http.get(new URL("/ping", base), res => { res.resume(); resolve(res.statusCode === 200) });
        req.on("error", () => resolve(false));
        req.setTimeout(5000, () => { req.destroy(); resolve(false) });
    });
}

const root = path.join(__dirname, "..", "..");

module.exports = async function globalSetup() {
    const e = process.env;
    if (e.COCKPIT_URL) {
        if (!(e.COCKPIT_USER && e.COCKPIT_PASSWORD))
            throw new Error("COCKPIT_URL is set: also set COCKPIT_USER and COCKPIT_PASSWORD (a non-root user)");
        for (const url of new Set([e.COCKPIT_URL, e.COCKPIT_LOGIN_URL || e.COCKPIT_URL])) {
            if (!await ping(url))
                throw new Error(`no Cockpit answers at ${url}/ping`);
        }
    } else {
        const r = spawnSync(process.execPath, ["build.js"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
        if (r.status !== 0)
            throw new Error("node build.js failed");
    }
    const runDir = path.join(root, "test", ".run");
    fs.mkdirSync(runDir, { recursive: true });
    fs.mkdirSync(path.join(root, "test", "artifacts"), { recursive: true });
    // read by test/lib/cockpit-ws.processes.js in the test files (same process: jest runs them in band)
    e.VFM_PID_REGISTRY = path.join(runDir, `browser-${process.pid}.pids`);
    fs.writeFileSync(e.VFM_PID_REGISTRY, "");
};
