/*
 * Process bookkeeping for the test harnesses: every process we start is recorded (PID, process group, name) in a
 * registry file, and stopped by PID/process group — with its whole process tree, because Cockpit's bridge and PAM
 * start helpers (ssh-agent) in sessions of their own that a process-group kill misses.
 */
const fs = require("fs");

function readStat(pid) {
    try {
        const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = s.lastIndexOf(")");
        const comm = s.slice(s.indexOf("(") + 1, close);
        const f = s.slice(close + 2).split(" ");
        // starttime (field 22) tells a process from a later one with the same PID, also across exec()
        return { pid, comm, state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), start: f[19] };
    } catch {
        return null;
    }
}

/** Alive = exists and is not a zombie (PID 1 here does not reap orphans promptly). */
function alive(pid) {
    const st = readStat(pid);
    return !!st && st.state !== "Z";
}

/** All live descendants of the given PIDs (by walking /proc's parent links). */
function descendants(roots) {
    const children = new Map();
    for (const d of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(d))
            continue;
        const st = readStat(Number(d));
        if (!st || st.state === "Z")
            continue;
        if (!children.has(st.ppid))
            children.set(st.ppid, []);
        children.get(st.ppid).push(st.pid);
    }
    const out = new Set();
    const todo = [...roots];
    while (todo.length) {
        const p = todo.pop();
        for (const c of children.get(p) || []) {
            if (!out.has(c)) {
                out.add(c);
                todo.push(c);
            }
        }
    }
    return [...out];
}

function signal(pid, sig) {
    try {
        process.kill(pid, sig);
    } catch {
        /* already gone */
    }
}

/** ssh-agents that PAM (pam_ssh_add) started for processes in `pids`: they re-parent to PID 1, out of our tree. */
function sshAgentsOf(pids) {
    const out = [];
    for (const pid of pids) {
        let env = "";
        try {
            env = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
        } catch {
            continue;
        }
        const m = /(?:^|\0)SSH_AGENT_PID=(\d+)/.exec(env);
        const st = m && readStat(Number(m[1]));
        if (st && st.comm === "ssh-agent")
            out.push(st.pid);
    }
    return out;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Stops processes we started: `procs` = [{ pid, pgid? }]. SIGTERM to each process group we created, each PID and
 * each descendant; after `graceMs`, SIGKILL whatever is left. Resolves when all are gone.
 */
async function stopProcesses(procs, graceMs = 3000) {
    const roots = procs.filter(p => alive(p.pid));
    if (!roots.length)
        return;
    const tree = [...roots.map(p => p.pid), ...descendants(roots.map(p => p.pid))];
    const all = new Set([...tree, ...sshAgentsOf(tree)]);
    for (const p of roots)
        if (p.pgid)
            signal(-p.pgid, "SIGTERM");
    for (const pid of all)
        signal(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && [...all].some(alive))
        await sleep(50);
    for (const pid of [...all, ...descendants([...all])]) {
        if (alive(pid))
            signal(pid, "SIGKILL");
    }
    for (const p of roots)
        if (p.pgid)
            signal(-p.pgid, "SIGKILL");
    while ([...all].some(alive) && Date.now() < deadline + 2000)
        await sleep(50);
}

/**
 * Records a started process (or, with `{ path }`, a file or folder to remove) in the registry file named by
 * $VFM_PID_REGISTRY, if any: the global teardown cleans up what a test file left behind.
 */
function register(pid, pgid) {
    const file = process.env.VFM_PID_REGISTRY;
    const st = typeof pid === "number" ? readStat(pid) : null;
    if (file && st)
        fs.appendFileSync(file, JSON.stringify({ pid, pgid: pgid || null, start: st.start }) + "\n");
    else if (file && pid && pid.path)
        fs.appendFileSync(file, JSON.stringify({ path: pid.path }) + "\n");
}

/** Stops every registered process that is still the one we started, removes registered paths and the file. */
async function stopRegistered(file) {
    if (!file || !fs.existsSync(file))
        return;
    const entries = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l));
    await stopProcesses(entries.filter(e => {
        const st = e.pid && readStat(e.pid);
        return st && st.start === e.start;
    }));
    for (const e of entries.filter(e => e.path))
        fs.rmSync(e.path, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
}

module.exports = { readStat, alive, descendants, stopProcesses, register, stopRegistered, sleep };
