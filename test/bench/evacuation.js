#!/usr/bin/env node
/*
 * Benchmark: evacuating five VMs with VFs from the source, the page's "Evacuate host" against the best hand-written
 * loop of `virsh migrate` that keeps 4 running at once (the per-port limit), on the simulated pair (scenario
 * evacuate-five: five free VFs per host), with the same bandwidth cap per migration, in alternating runs (RUNS each,
 * default 3; the order flips each round).
 *
 * Guests: guest1 (the pair's own, 192 MiB) and guest2–guest5 (128 MiB, dirtying 1 MiB/s), each with VF 0000:e1:00.N.
 * After each timed run every VM is moved back uncapped and untimed, and the destination's VFs are taken off
 * mlx5_core again (libvirt gave them back when the VMs left), so that each run starts from the same hosts.
 *
 * Clocks:
 *  - page: the plan is shown (5 rows, not refused). Start: the click on the confirmation's "Evacuate". Stop: the run
 *    shows as finished, as the page's MutationObserver saw it (until session 31: when Playwright's wait for it
 *    returned, up to 500 ms later, as it polls every 500 ms after its first second). Inside: per VM the XML read again, the destination VF re-checked over SSH, the departure
 *    noted, MigrateToURI3 through libvirt-dbus, GetJobStats polls; at most libvirt-dbus's threads − 1 at a time (3). Also printed: the time from the
 *    click to the first row migrating (the page's time before the first migration starts).
 *  - loop: the XML files are written first (the admin prepares them before). Start: the first spawn of
 *    `test/simhost/exec source virsh migrate --live --p2p … --bandwidth B`; a new one is spawned as soon as one exits,
 *    never more than 4 at once. Stop: the last exit.
 * Both are watched by the one-copy watcher (every VM, both hosts): a VM on both hosts or on neither fails the run.
 * Per run, a trace per VM in ms after that run's start: the page's row statuses as they changed (seen in the page by a
 * MutationObserver, no polling), or the loop's spawn and exit; and for both, libvirt's own end of the migration (the
 * source's "Stopped Migrated" event, `virsh event --timestamp`).
 * Target: median(page) / median(loop) ≤ 1.05.
 * Usage (the pair up, under its lock; not part of make check):
 *   flock /run/vfsim-pair.lock node test/bench/evacuation.js [RUNS] [BANDWIDTH_MiBps] [LOOP_AT_ONCE] [DBUS_THREADS]
 * DBUS_THREADS: libvirt-dbus started with `--threads N` on both hosts for the runs (RHEL's default is 4, so the page
 * runs 3 at once; with 5 it runs 4, as the loop does), put back afterwards.
 * Each run also prints the CPU time this Chromium's processes used during it (from /proc, by kind: browser, GPU, renderers;
 * CDP's SystemInfo.getProcessInfo counted about three times more than /proc for the renderers in one run), and for the page's the time
 * its renderer's main thread spent in tasks, script, style and layout (CDP Performance: wall time, not CPU): the page
 * shares the two cores with the emulated guests, whose migrations it slows.
 * VFM_BENCH_PAGE_ONLY=1: page runs only (no loop, no ratio), for comparing two builds of the page quickly.
 * VFM_BENCH_AB_DIST=DIR: page runs only, alternating two builds of the page each round (the order flips each round):
 * "A" the dist/ there at the start, "B" the one in DIR (`node build.js` output copied there); their files are copied
 * into dist/ before each run (Cockpit's bridge resolves the package's folder once, and reads its files at each request).
 * dist/ holds A again at the end.
 * VFM_BENCH_CONFIRM_MS=MS: the confirmation stays open MS before its "Evacuate" is clicked, as an admin reads it (the
 * page begins the first migrations' reads when it opens); the clock still starts at that click.
 * VFM_BENCH_POLL_AB=MS: no page; the loop against the same loop with one `virsh` shell per migration asking
 * `domjobinfo` every MS (what libvirtd and QEMU do for the page's progress, without the page), "page" lines then
 * being the polled loop's.
 */
/* global window, document, MutationObserver */
const { chromium } = require("playwright-core");
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const P = require("../browser/migrate-pair");
const { loadScenario } = require("../browser/simpair");
const { assertOneCopy, watchOneCopy } = require("../lib/one-copy");

const PAGE_URL = (process.env.COCKPIT_URL || "http://127.0.0.1:9091") + "/vf-migration";
const RUNS = Number(process.argv[2] || 3);
const BANDWIDTH = Number(process.argv[3] || 10);
/** the loop's migrations at once: 4 (the per-port limit), or 3 to compare with the page at libvirt-dbus's default pool */
const AT_ONCE = Number(process.argv[4] || 4);
/** libvirt-dbus's worker threads for the runs; 0: the host's default */
const DBUS_THREADS = Number(process.argv[5] || 0);
const DBUS_ARGS = "/run/vfsim-host/libvirt-dbus.args";
/** VFM_BENCH_POLL_AB=MS: the loop against the same loop asking `virsh domjobinfo` of each migration every MS, no page */
const POLL_AB = Number(process.env.VFM_BENCH_POLL_AB || 0);
/** VFM_BENCH_CONFIRM_MS: the time the confirmation stays open before its "Evacuate" is clicked (default 0) */
const CONFIRM_MS = Number(process.env.VFM_BENCH_CONFIRM_MS || 0);
/** VFM_BENCH_AB_DIST=DIR: builds A (dist/ at the start) and B (DIR) alternate, page runs only */
const AB_DIST = process.env.VFM_BENCH_AB_DIST || "";
const DIST = path.join(__dirname, "..", "..", "dist");
const DIST_A = AB_DIST ? fs.mkdtempSync("/work/.vfm-bench-dist-a-") : "";
if (AB_DIST)
    fs.cpSync(DIST, DIST_A, { recursive: true });
/** dist/'s files replaced by those of `dir` */
function useBuild(dir) {
    for (const f of fs.readdirSync(DIST))
        fs.rmSync(path.join(DIST, f), { recursive: true });
    fs.cpSync(dir, DIST, { recursive: true });
}
const DAEMON_CTL = path.join(__dirname, "..", "simhost", "lib", "daemon-ctl");

/** libvirt-dbus on both hosts with N threads (0: its default); the hosts share one PID namespace, so both */
function dbusThreads(n) {
    for (const h of ["source", "destination"]) {
        if (n)
            P.ok(h, ["tee", DBUS_ARGS], `--threads\n${n}\n`);
        else
            P.run(h, ["rm", "-f", DBUS_ARGS]);
        P.ok(h, [DAEMON_CTL, "restart", "libvirt-dbus"]);
    }
}
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const EXEC = path.join(__dirname, "..", "simhost", "exec");
const GUESTS = [1, 2, 3, 4, 5].map(fn => ({ name: fn === 1 ? P.VM : `guest${fn}`, fn, mac: fn === 1 ? P.MAC : `52:54:00:4d:16:2${fn}` }));
const WATCH = { vms: GUESTS.map(g => g.name), hosts: { source: [EXEC, "source"], destination: [EXEC, "destination"] } };
const other = h => (h === "source" ? "destination" : "source");
const BUS = { source: "0xe1", destination: "0xc1" };
const PCI = { source: "0000:e1:00.", destination: "0000:c1:00." };

/**
 * libvirt's own view of the run, for the per-VM trace: `virsh event --timestamp` on the source prints when each
 * migration ended there ("Stopped Migrated"), on the same clock as this process (the simulated hosts share the
 * machine's). Returns stop(): { vm: epoch ms }.
 */
function hostEnds() {
    const child = spawn(EXEC, ["source", "virsh", "-c", "qemu:///system", "event", "--all", "--loop", "--timestamp"],
                        { stdio: ["ignore", "pipe", "ignore"], detached: true });
    let out = "";
    child.stdout.on("data", d => { out += d });
    const exited = new Promise(r => child.on("exit", r));
    return async () => {
        // its process group: virsh runs under the host's exec, which a kill of the child alone leaves running
        try {
            process.kill(-child.pid, "SIGTERM");
        } catch {
            // already gone
        }
        await exited;
        const ends = {};
        for (const m of out.matchAll(/^(\S+ \S+?)(?:\+0000)?: event 'lifecycle' for domain '?([^':]+)'?: Stopped Migrated/gm))
            ends[m[2]] = Date.parse(`${m[1].replace(" ", "T")}Z`);
        return ends;
    };
}

/** Per VM, ms after t0: the page's row statuses as they changed, the loop's spawn and exit, libvirt's end. */
function printTrace(label, t0, perVm, ends) {
    for (const g of GUESTS) {
        const marks = (perVm[g.name] ?? []).map(([what, at]) => `${what} ${at - t0}`);
        const end = ends[g.name] ? `libvirt-end ${ends[g.name] - t0}` : "libvirt-end ?";
        console.log(`  ${label} ${g.name}: ${[...marks, end].join(", ")}`);
    }
}

const sorted = xs => [...xs].sort((a, b) => a - b);
const median = xs => { const s = sorted(xs); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 };
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function frameOf(page) {
    for (;;) {
        const f = page.frames().find(x => /\/vf-migration\/index\.html/.test(x.url()));
        if (f)
            return f;
        await sleep(20);
    }
}

/** The XML files for moving `g` from `from` onto the same VF function of the other host. */
function writeXml(g, from) {
    const to = other(from);
    const mine = `bus='${BUS[from]}' slot='0x00' function='0x${g.fn}'`;
    const theirs = `bus='${BUS[to]}' slot='0x00' function='0x${g.fn}'`;
    for (const [file, inactive] of [[`/tmp/vfm-${g.name}-dest.xml`, false], [`/tmp/vfm-${g.name}-persist.xml`, true]]) {
        const xml = P.virsh(from, "dumpxml", "--migratable", ...(inactive ? ["--inactive"] : []), g.name);
        P.ok(from, ["tee", file], xml.replace(mine, theirs));
    }
}

const migrateArgv = (g, from, extra = []) => ["virsh", "-c", "qemu:///system", "migrate", "--live", "--p2p", "--abort-on-error",
    "--persistent", "--undefinesource", "--domain", g.name, "--desturi", `qemu+ssh://root@${P.HOSTNAME[other(from)]}/system`,
    "--xml", `/tmp/vfm-${g.name}-dest.xml`, "--persistent-xml", `/tmp/vfm-${g.name}-persist.xml`, ...extra];

/** The hand-written loop: 4 `virsh migrate` at once, a new one as soon as one exits. */
async function loop(from, guests, extra, pollMs = 0) {
    for (const g of guests)
        writeXml(g, from);
    const queue = [...guests];
    const t0 = Date.now();
    const trace = {};
    const one = async () => {
        for (let g = queue.shift(); g; g = queue.shift()) {
            trace[g.name] = [["spawn", Date.now()]];
            const child = spawn(EXEC, [from, ...migrateArgv(g, from, extra)], { stdio: ["ignore", "pipe", "pipe"] });
            // as the page asks libvirt for each job's figures: one virsh shell per migration, `domjobinfo` every pollMs
            const poller = pollMs ? spawn(EXEC, [from, "virsh", "-c", "qemu:///system"], { stdio: ["pipe", "ignore", "ignore"] }) : null;
            const timer = poller ? setInterval(() => poller.stdin.write(`domjobinfo ${g.name}\n`), pollMs) : null;
            let out = "";
            child.stdout.on("data", d => { out += d });
            child.stderr.on("data", d => { out += d });
            const code = await new Promise(r => child.on("exit", r));
            if (poller) {
                clearInterval(timer);
                poller.stdin.end("quit\n");
            }
            trace[g.name].push(["exit", Date.now()]);
            if (code !== 0)
                throw new Error(`virsh migrate ${g.name} exited ${code}: ${out}`);
        }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, one));
    return { ms: Date.now() - t0, t0, trace };
}

/** Every VM back on the source, untimed; the destination's VFs off mlx5_core again, as the page's plan needs them. */
async function back() {
    await loop("destination", GUESTS.filter(g => P.activeOn("destination").includes(g.name)), []);
    for (const g of GUESTS) {
        const driver = P.ok("destination", ["readlink", "-f", `/sys/bus/pci/devices/${PCI.destination}${g.fn}/driver`]).trim().split("/").pop();
        if (driver === "mlx5_core")
            P.ok("destination", ["tee", "/sys/bus/pci/drivers/mlx5_core/unbind"], `${PCI.destination}${g.fn}`);
    }
}

/**
 * CPU seconds each process of this Chromium (the browser `root` and its descendants) has used so far, by PID, with
 * its kind (browser, renderer, gpu-process, utility), from /proc (utime + stime of all its threads): the bench runs on
 * the machine it measures. Read while the page is still open (a closed page's renderer takes its count with it).
 */
function chromiumCpu(root) {
    const tick = 100; // USER_HZ
    const procs = new Map();
    for (const pid of fs.readdirSync("/proc").filter(d => /^\d+$/.test(d))) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
            if (!/^\S*chromium/.test(args))
                continue;
            procs.set(Number(pid), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / tick, kind: /--type=(\S+)/.exec(args)?.[1] ?? "browser" });
        } catch {
            // gone meanwhile
        }
    }
    const mine = pid => { for (let p = pid; p > 1; p = procs.get(p)?.ppid ?? 0) if (p === root || procs.get(p)?.ppid === root) return true; return false };
    return new Map([...procs].filter(([pid]) => mine(pid)));
}

/** By kind: CPU seconds used between two readings by the processes of the second (one started meanwhile: all of it). */
function cpuDelta(a, b) {
    const by = {};
    for (const [pid, p] of b)
        by[p.kind] = (by[p.kind] ?? 0) + p.cpu - (a.get(pid)?.cpu ?? 0);
    return Object.keys(by).map(k => `${k} ${by[k].toFixed(2)}`).join(", ");
}

let browserPid = 0;

async function pageRun(ctx) {
    const page = await ctx.newPage();
    try {
        await page.goto(PAGE_URL);
        let frame = await frameOf(page);
        await frame.locator("[id$='-vfm-tab-evacuate']").waitFor({ timeout: 30000 });
        await frame.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith("vf-migration:evacuation")).forEach(k => localStorage.removeItem(k)));
        await page.goto(`${PAGE_URL}#/evacuate?destination=${P.HOSTNAME.destination}`);
        frame = await frameOf(page);
        await frame.locator("#vfm-evacuation-plan[data-rows='5'][data-refused='no']").waitFor({ timeout: 120000 }).catch(async e => {
            throw new Error(`the plan is not ready for five VMs: ${await frame.locator("#vfm-evacuate").innerText().catch(() => "?")}\n${e.message}`);
        });
        await frame.locator("#vfm-evacuation-bandwidth").fill(String(BANDWIDTH));
        await frame.locator("#vfm-evacuation-start").click();
        await frame.locator("#vfm-evacuation-confirm-run").waitFor();
        // an admin reads the confirmation before clicking "Evacuate" (not on the clock, which starts at that click)
        await new Promise(r => setTimeout(r, CONFIRM_MS));
        await frame.evaluate(() => {
            const log = window.__vfmTrace = [];
            const seen = {};
            const note = () => {
                const phase = document.querySelector("#vfm-evacuation")?.getAttribute("data-phase");
                if (seen[""] !== phase) {
                    seen[""] = phase;
                    log.push(["", phase, Date.now()]);
                }
                for (const tr of document.querySelectorAll("#vfm-evacuation-rows tr[data-status]")) {
                    const vm = tr.id.replace("vfm-evacuation-row-", "");
                    const st = tr.getAttribute("data-status");
                    if (seen[vm] !== st) {
                        seen[vm] = st;
                        log.push([vm, st, Date.now()]);
                    }
                }
            };
            new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "data-phase"] });
            note();
        });
        const cdp = await ctx.newCDPSession(page);
        await cdp.send("Performance.enable");
        const metrics = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map(m => [m.name, m.value]));
        const m0 = await metrics();
        const cpu0 = chromiumCpu(browserPid);
        const t0 = Date.now();
        await frame.locator("#vfm-evacuation-confirm-run").click();
        await frame.locator("#vfm-evacuation[data-phase='finished']").waitFor({ timeout: 600000 });
        const cpu = cpuDelta(cpu0, chromiumCpu(browserPid));
        const m1 = await metrics();
        const main = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"]
            .map(k => `${k.replace("Duration", "")} ${(m1[k] - m0[k]).toFixed(2)}`).join(", ");
        // from the page's own record of its changes: Playwright's wait polls every 500 ms after its first second
        const log = await frame.evaluate(() => window.__vfmTrace);
        const at = (vm, status) => log.find(([v, st]) => v === vm && st === status)?.[2];
        const first = Math.min(...log.filter(([vm, st]) => vm !== "" && st === "running").map(([, , t]) => t)) - t0;
        const ms = at("", "finished") - t0;
        const moved = await frame.locator("#vfm-evacuation-rows tr[data-status='moved']").count();
        if (moved !== 5)
            throw new Error(`the page moved ${moved} of 5 VMs`);
        const trace = {};
        for (const [vm, st, t] of log.filter(([vm]) => vm !== ""))
            (trace[vm] ??= []).push([st, t]);
        return { ms, first, t0, trace, main, cpu };
    } finally {
        await page.close();
    }
}

async function main() {
    P.backToReadyPair();
    loadScenario("evacuate-five");
    P.ok("source", ["tee", "/tmp/vfm-vf.xml"], P.interfaceXml("source"));
    P.virsh("source", "attach-device", "--domain", P.VM, "--file", "/tmp/vfm-vf.xml", "--live", "--config");
    for (const g of GUESTS.slice(1))
        P.startGuestWithVf("source", g.name, g.fn, g.mac);
    const restoreKeys = P.trustHostKeys();
    let browser = null;
    const pageMs = [];
    const loopMs = [];
    const firstMs = [];
    try {
        if (DBUS_THREADS)
            dbusThreads(DBUS_THREADS);
        browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
        // Playwright starts Chromium as a child of this process
        browserPid = [...chromiumCpu(process.pid)].find(([pid, p]) => pid !== process.pid && p.ppid === process.pid && p.kind === "browser")?.[0] ?? 0;
        if (!browserPid)
            throw new Error("Chromium's process was not found under this one");
        const keep = await browser.newPage();
        await keep.goto(PAGE_URL.replace("/vf-migration", "/system"));
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        for (let i = 0; i < RUNS; i++) {
            const first = POLL_AB ? "poll" : "page";
            const order = AB_DIST ? (i % 2 === 0 ? ["A", "B"] : ["B", "A"])
                : process.env.VFM_BENCH_PAGE_ONLY ? ["page"] : i % 2 === 0 ? [first, "loop"] : ["loop", first];
            for (const build of order) {
                const which = AB_DIST ? "page" : build;
                if (AB_DIST)
                    useBuild(build === "A" ? DIST_A : AB_DIST);
                const watch = watchOneCopy(WATCH);
                const ends = hostEnds();
                const cpu0 = chromiumCpu(browserPid);
                let r;
                try {
                    r = which === "page" ? await pageRun(ctx)
                        : await loop("source", GUESTS, ["--bandwidth", String(BANDWIDTH)], which === "poll" ? POLL_AB : 0);
                } finally {
                    r = { ...r, ends: await ends() };
                }
                const cpu = r.cpu ?? cpuDelta(cpu0, chromiumCpu(browserPid));
                if (which === "poll") {
                    pageMs.push(r.ms);
                    console.log(`run ${i + 1} loop polled every ${POLL_AB} ms: ${r.ms} ms (started at ${r.t0})`);
                } else if (which === "page") {
                    (build === "B" ? loopMs : pageMs).push(r.ms);
                    firstMs.push(r.first);
                    console.log(`run ${i + 1} page${AB_DIST ? ` build ${build}` : ""}: ${r.ms} ms (click → first migrating: ${r.first} ms; started at ${r.t0})`);
                    console.log(`  Chromium CPU s: ${cpu}; the page's main thread s: ${r.main}`);
                } else {
                    loopMs.push(r.ms);
                    console.log(`run ${i + 1} loop: ${r.ms} ms (started at ${r.t0})`);
                    console.log(`  Chromium CPU s: ${cpu}`);
                }
                printTrace(which, r.t0, r.trace, r.ends);
                assertOneCopy(await watch.stop());
                if (P.activeOn("source").length !== 0 || GUESTS.some(g => !P.runningOn("destination").includes(g.name)))
                    throw new Error("the run did not end with the five VMs on the destination only");
                await back();
            }
        }
    } finally {
        if (AB_DIST) {
            useBuild(DIST_A);
            fs.rmSync(DIST_A, { recursive: true });
        }
        await browser?.close();
        restoreKeys();
        if (DBUS_THREADS)
            dbusThreads(0);
        for (const g of GUESTS.slice(1))
            for (const h of ["source", "destination"]) {
                P.run(h, ["virsh", "-c", "qemu:///system", "destroy", g.name]);
                P.run(h, ["virsh", "-c", "qemu:///system", "undefine", g.name]);
            }
        P.run("source", ["rm", "-f", "/var/lib/cockpit-vf-migration/departed.json"]);
        P.backToReadyPair();
    }
    const mp = median(pageMs);
    const ml = median(loopMs);
    console.log(`\nfive VMs with VFs, bandwidth ${BANDWIDTH} MiB/s each, ` +
                (AB_DIST ? `builds A and B, ${RUNS} alternating runs each` : loopMs.length ? `the loop ${AT_ONCE} at once, ${RUNS} alternating runs each` : `${RUNS} page runs`) +
                (DBUS_THREADS ? `, libvirt-dbus with ${DBUS_THREADS} threads` : ""));
    if (!AB_DIST) {
        console.log(`page (click "Evacuate" → run finished): median ${mp} ms, spread ${Math.min(...pageMs)}–${Math.max(...pageMs)} ms`);
        console.log(`page: click → first row migrating: median ${median(firstMs)} ms`);
    }
    if (AB_DIST) {
        console.log(`build A: median ${mp} ms, spread ${Math.min(...pageMs)}–${Math.max(...pageMs)} ms`);
        console.log(`build B (${AB_DIST}): median ${ml} ms, spread ${Math.min(...loopMs)}–${Math.max(...loopMs)} ms; B/A ${(ml / mp).toFixed(3)}`);
    } else if (loopMs.length) {
        console.log(`virsh loop (first spawn → last exit):   median ${ml} ms, spread ${Math.min(...loopMs)}–${Math.max(...loopMs)} ms`);
        console.log(`ratio of medians: ${(mp / ml).toFixed(3)} (target ≤ 1.05)`);
    }
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
