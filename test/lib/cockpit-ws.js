/*
 * Starts a real Cockpit (Debian's cockpit-ws/cockpit-bridge, 337 from bookworm-backports) without systemd, serving
 * our plugin from a dist/ folder, and stops everything it started.
 *
 *   const cockpit = await startCockpit({ pluginDir: "/work/main/dist", kind: "local" });   // or kind: "login"
 *   cockpit.url  …  await cockpit.stop();
 *
 * kind "local": `--local-session=cockpit-bridge`, no login, a session of the user running this (root).
 * kind "login": the normal login path (cockpit-session + PAM) for a non-root test user with a password.
 *
 * What Cockpit 337 needs here (measured, see test/browser/README.md):
 * - a system bus and a session bus: private dbus-daemons without service activation (so nothing like upowerd,
 *   packagekitd, polkitd gets started behind our back), addressed through DBUS_*_BUS_ADDRESS;
 * - PATH without pyenv; XDG_DATA_DIRS with <tmp>/data/cockpit/vf-migration -> dist (nothing under /usr/share);
 * - for logins: cockpit.conf `[basic] Command = cockpit-session`, since without it cockpit-ws 337 connects to
 *   systemd's /run/cockpit/session socket and answers "Authentication not available";
 * - cockpit-session hands the bridge only PAM's environment: the user's bus addresses and XDG_DATA_DIRS reach it
 *   through ~user/.pam_environment (pam_env user_readenv=1 in /etc/pam.d/cockpit).
 */
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const http = require("http");
const net = require("net");
const os = require("os");
const path = require("path");
const { register, stopProcesses, sleep } = require("./cockpit-ws.processes");

const WS = "/usr/lib/cockpit/cockpit-ws";
const SESSION = "/usr/lib/cockpit/cockpit-session";
const PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
const TEST_USER = { user: "vfmtest", password: "vfm-Test-pw1" };

// A permissive bus with no <servicedir>: no bus activation at all.
const busConfig = (type, socket) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>${type}</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

async function waitFor(what, check, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await check())
            return;
        await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
}

function httpOk(url) {
    return new Promise(resolve => {
        const req = http.get(url, res => { res.resume(); resolve(res.statusCode === 200) });
        req.on("error", () => resolve(false));
        req.setTimeout(1000, () => { req.destroy(); resolve(false) });
    });
}

function run(argv, input) {
    const r = spawnSync(argv[0], argv.slice(1), { input, encoding: "utf8" });
    if (r.status !== 0)
        throw new Error(`${argv.join(" ")} failed: ${r.stderr || r.error}`);
    return r.stdout;
}

/** Creates the non-root test user if missing and (re)sets its password. */
function ensureTestUser({ user, password } = TEST_USER) {
    if (spawnSync("id", ["-u", user]).status !== 0)
        run(["useradd", "--create-home", "--shell", "/bin/bash", user]);
    run(["chpasswd"], `${user}:${password}\n`);
    const [uid, gid] = [run(["id", "-u", user]), run(["id", "-g", user])].map(s => Number(s.trim()));
    return { user, password, uid, gid, home: run(["getent", "passwd", user]).split(":")[5] };
}

/**
 * @param {object} o
 * @param {string} o.pluginDir  folder served as the "vf-migration" package (our dist/)
 * @param {"local"|"login"} [o.kind]
 * @param {string} [o.logDir]   where cockpit-ws.log goes (default: the run folder, removed on stop)
 */
async function startCockpit({ pluginDir, kind = "local", logDir = null }) {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `vfm-cockpit-${kind}-`));
    fs.chmodSync(runDir, 0o755); // the test user's bridge reaches the buses and the data folder through it
    register({ path: runDir });
    const procs = [];
    const cleanups = [];
    const track = (child, name) => {
        child.on("error", e => console.error(`${name}: ${e.message}`));
        procs.push({ pid: child.pid, pgid: child.pid });
        register(child.pid, child.pid);
        return child;
    };
    const logFile = path.join(logDir || runDir, `cockpit-ws-${kind}.log`);
    const log = fs.openSync(logFile, "w");
    const startBus = async (type, socket, user) => {
        const conf = path.join(runDir, `${path.basename(socket)}.conf`);
        fs.writeFileSync(conf, busConfig(type, socket));
        const argv = ["dbus-daemon", `--config-file=${conf}`, "--nofork", "--nopidfile"];
        const cmd = user ? ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", ...argv] : argv;
        track(spawn(cmd[0], cmd.slice(1), { detached: true, stdio: ["ignore", log, log] }), "dbus-daemon");
        await waitFor(`${type} bus ${socket}`, () => fs.existsSync(socket));
    };

    const stop = async () => {
        await stopProcesses(procs);
        for (const c of cleanups.reverse())
            c();
        fs.closeSync(log);
        fs.rmSync(runDir, { recursive: true, force: true });
    };

    try {
        const systemBus = path.join(runDir, "system_bus_socket");
        const sessionBus = path.join(runDir, "session_bus_socket");
        await startBus("system", systemBus);
        await startBus("session", sessionBus);

        const dataDir = path.join(runDir, "data");
        fs.mkdirSync(path.join(dataDir, "cockpit"), { recursive: true });
        fs.symlinkSync(path.resolve(pluginDir), path.join(dataDir, "cockpit", "vf-migration"));
        const xdgDataDirs = `${dataDir}:/usr/local/share:/usr/share`;

        const configDir = path.join(runDir, "config");
        fs.mkdirSync(path.join(configDir, "cockpit"), { recursive: true });
        fs.writeFileSync(path.join(configDir, "cockpit", "cockpit.conf"),
                         `[WebService]\nAllowUnencrypted = true\n\n[basic]\nCommand = ${SESSION}\n`);

        let user = null;
        if (kind === "login") {
            user = ensureTestUser();
            const userRuntime = path.join(runDir, `user-${user.uid}`);
            fs.mkdirSync(userRuntime, { mode: 0o700 });
            fs.chownSync(userRuntime, user.uid, user.gid);
            const userBus = path.join(userRuntime, "bus");
            await startBus("session", userBus, user);
            const pamEnv = path.join(user.home, ".pam_environment");
            fs.writeFileSync(pamEnv, [
                `DBUS_SYSTEM_BUS_ADDRESS DEFAULT="unix:path=${systemBus}"`,
                `DBUS_SESSION_BUS_ADDRESS DEFAULT="unix:path=${userBus}"`,
                `XDG_RUNTIME_DIR DEFAULT=${userRuntime}`,
                `XDG_DATA_DIRS DEFAULT=${xdgDataDirs}`,
            ].join("\n") + "\n");
            fs.chownSync(pamEnv, user.uid, user.gid);
            register({ path: pamEnv });
            cleanups.push(() => fs.rmSync(pamEnv, { force: true }));
        }

        const port = await freePort();
        const env = {
            PATH, HOME: os.homedir(), LANG: "C.UTF-8", USER: os.userInfo().username,
            XDG_RUNTIME_DIR: runDir, XDG_CONFIG_DIRS: configDir, XDG_DATA_DIRS: xdgDataDirs,
            DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${systemBus}`, DBUS_SESSION_BUS_ADDRESS: `unix:path=${sessionBus}`,
        };
        const args = ["--no-tls", "--port", String(port), "--address", "127.0.0.1"];
        if (kind === "local")
            args.push("--local-session=cockpit-bridge");
        track(spawn(WS, args, { env, cwd: runDir, detached: true, stdio: ["ignore", log, log] }), "cockpit-ws");
        const url = `http://127.0.0.1:${port}`;
        await waitFor(`cockpit-ws on ${url}`, () => httpOk(`${url}/ping`));
        return {
            url, kind, logFile, stop,
            user: user && user.user, password: user && user.password,
            pids: () => procs.map(p => p.pid),
        };
    } catch (e) {
        await stop();
        throw e;
    }
}

module.exports = { startCockpit, ensureTestUser, TEST_USER };
