#!/usr/bin/env node
/*
 * Benchmark: one preparation run from the page, with two builds of the plugin: the host read again in full after
 * every step (A), and without the firmware query after a step that cannot change what it reads (B,
 * src/steps/all.ts FIRMWARE_STEPS). On the simulated pair (test/simhost/up ready-pair) in the scenario
 * test/browser/scenarios/prepare-after-reboot.json (packages, switchdev, VF, Open vSwitch, libvirt socket and
 * firewall still to do on both hosts, no reboot), the tools at their real delays (hw.json timing scale 1:
 * `mstconfig -e query` 2.5 s).
 * Clock: starts at the click on "Start preparation" (the stage open, both hosts read, the destination's key trusted)
 * and stops when the run says done.
 * The builds alternate (A B, then B A, …), RUNS each (default 5); each run gets the scenario afresh and a new
 * browser context. The builds are two dist/ directories (`node build.js` at each commit, copied aside); the
 * pair's Cockpit serves this checkout's dist/, which the benchmark fills with each build's files in turn and puts
 * back at the end.
 * Usage: flock /run/vfsim-pair.lock test/bench/prepare-reread.js DIST_A DIST_B [RUNS]
 */
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");
const { loadScenario, hostExec, changeHw, DESTINATION } = require("../browser/simpair");

const BASE = process.env.COCKPIT_URL || "http://127.0.0.1:9091";
const [DIST_A, DIST_B] = process.argv.slice(2, 4);
const RUNS = Number(process.argv[4] || 5);
const DIST = path.join(__dirname, "..", "..", "dist");
const SCENARIO = path.join(__dirname, "..", "browser", "scenarios", "prepare-after-reboot.json");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const WIZARD = { stage: "prepare", vm: "guest1", destination: { host: DESTINATION, user: "root", protocol: "ssh" },
    options: {}, destinationVf: null, sourceVf: null };

const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] };
const frameOf = page => page.frames().find(f => /\/vf-migration\/index\.html/.test(f.url()));

function useBuild(dir) {
    for (const f of fs.readdirSync(DIST))
        fs.rmSync(path.join(DIST, f), { force: true, recursive: true });
    for (const f of fs.readdirSync(dir))
        fs.copyFileSync(path.join(dir, f), path.join(DIST, f));
}

async function frame(page) {
    for (;;) {
        const f = frameOf(page);
        if (f)
            return f;
        await sleep(50);
    }
}

async function oneRun(browser) {
    loadScenario(SCENARIO);
    for (const h of ["source", "destination"]) {
        hostExec(h, "rm", "-f", "/var/lib/cockpit-vf-migration/prepare.json");
        changeHw(h, "st['timing']['scale'] = 1");
    }
    hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
        await page.goto(BASE + "/system");
        await page.evaluate(w => {
            localStorage.setItem("vf-migration:wizard", JSON.stringify(w));
            localStorage.setItem("vf-migration:destination", JSON.stringify(w.destination));
        }, WIZARD);
        await page.goto(BASE + "/vf-migration#/migrate");
        const f = await frame(page);
        const key = f.locator("#vfm-hostkey-dialog");
        await key.or(f.locator("#vfm-stage-prepare[data-records=read]")).first().waitFor({ timeout: 120000 });
        if (await key.isVisible())
            await f.locator("#vfm-hostkey-accept").click();
        await f.locator("#vfm-stage-prepare[data-records=read]").waitFor({ timeout: 120000 });
        await f.locator("#vfm-prepare-destination-libvirt-socket").waitFor({ timeout: 120000 });
        const t0 = Date.now();
        await f.locator("#vfm-prepare-start").click();
        for (;;) {
            for (const sel of ["#vfm-prepare-confirm", "#vfm-prepare-override"]) {
                if (await f.locator(sel).isVisible().catch(() => false)) {
                    if (sel === "#vfm-prepare-override")
                        await f.locator("#vfm-prepare-override-check").check();
                    await f.locator(`${sel}-run`).click();
                }
            }
            const phase = await f.locator("#vfm-prepare-phase").getAttribute("data-phase", { timeout: 1000 }).catch(() => null);
            if (phase === "done")
                break;
            if (["failed", "blocked", "stopped"].includes(phase))
                throw new Error(`the preparation ended ${phase}: ${await f.locator("#vfm-prepare-phase").innerText()}`);
            if (Date.now() - t0 > 600000)
                throw new Error("the preparation did not end in 10 minutes");
            await sleep(50);
        }
        return { ms: Date.now() - t0, steps: await f.locator("li[data-step][data-state=done]").count() };
    } finally {
        await context.close();
    }
}

(async () => {
    if (!DIST_A || !DIST_B)
        throw new Error("usage: test/bench/prepare-reread.js DIST_A DIST_B [RUNS]");
    const saved = fs.mkdtempSync("/tmp/vfm-dist-");
    for (const f of fs.readdirSync(DIST))
        fs.copyFileSync(path.join(DIST, f), path.join(saved, f));
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
    const out = { A: [], B: [] };
    try {
        for (let i = 0; i < RUNS; i++) {
            for (const arm of i % 2 ? ["B", "A"] : ["A", "B"]) {
                useBuild(arm === "A" ? DIST_A : DIST_B);
                const r = await oneRun(browser);
                out[arm].push(r);
                console.log(`run ${i + 1} ${arm}: ${r.ms} ms (${r.steps} step rows done)`);
            }
        }
    } finally {
        await browser.close();
        useBuild(saved);
        fs.rmSync(saved, { recursive: true, force: true });
        // the pair's usual scenario, with the tools' delays of this environment (VFSIM_TIMING_SCALE, as `up` took them)
        loadScenario("ready-pair");
    }
    for (const arm of ["A", "B"]) {
        const ms = out[arm].map(r => r.ms);
        console.log(`${arm === "A" ? "A full read after every step" : "B firmware query kept      "}  median ${median(ms)} ms, ` +
            `spread ${Math.min(...ms)}–${Math.max(...ms)} ms (n=${ms.length})`);
    }
})().catch(e => { console.error(e); process.exit(1) });
