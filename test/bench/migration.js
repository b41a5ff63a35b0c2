#!/usr/bin/env node
/*
 * Benchmark: the wizard's migration against a plain `virsh migrate` of the same guest, on the simulated pair
 * (ready-pair), with the same bandwidth cap, in alternating runs (RUNS each, default 5; the order flips each round).
 * guest1 carries the VF (attached with virsh first); after each timed run it is moved back uncapped and untimed.
 *
 * Clocks:
 *  - wizard: the migrate stage is shown with its plan and its first look at the destination VF, and the admin reads
 *    the plan for VFM_BENCH_READ_MS (default 5000: longer than AHEAD_MS, so the click finds the reads the stage
 *    makes again while it is read, not those of its opening). Start: just before Playwright's click on "Migrate
 *    guest1". Stop: the wizard shows the verification stage, as the page's MutationObserver saw it (until session
 *    38: when Playwright's wait for it returned, late by up to 500 ms, as it polls every 500 ms after its first
 *    second). Inside: what the click still waits for (the plan and both VFs, when the
 *    last reading is too old), MigrateToURI3 through libvirt-dbus with its progress polls, and the page's reaction
 *    to the call's end.
 *  - virsh: the destination/persistent XML files are written first (the admin prepares them before). Start: the
 *    spawn of `test/simhost/exec source virsh migrate --live --p2p … --bandwidth B`; stop: its exit. The same flags
 *    as the wizard's equivalent line (--abort-on-error --persistent --undefinesource --xml --persistent-xml).
 *    nsenter's own cost (`exec source true`) is measured and printed apart; it is not subtracted.
 * Both kinds of run are watched by the one-copy watcher (test/lib/one-copy.js), which samples both hosts' `virsh
 * list` throughout: a run that shows the VM on both hosts or on neither fails the benchmark. Its load is the same
 * for both kinds of run.
 * Target: median(wizard) / median(virsh) ≤ 1.05.
 * Usage (the pair up, under its lock; not part of make check):
 *   flock /run/vfsim-pair.lock node test/bench/migration.js [RUNS] [BANDWIDTH_MiBps]
 */
/* global window, document, MutationObserver */
const { chromium } = require("playwright-core");
const { spawnSync } = require("child_process");
const path = require("path");
const P = require("../browser/migrate-pair");
const { assertOneCopy, watchOneCopy } = require("../lib/one-copy");

const PAGE_URL = (process.env.COCKPIT_URL || "http://127.0.0.1:9091") + "/vf-migration";
const RUNS = Number(process.argv[2] || 5);
const BANDWIDTH = Number(process.argv[3] || 10);
const READ_MS = Number(process.env.VFM_BENCH_READ_MS ?? 5000);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const EXEC = path.join(__dirname, "..", "simhost", "exec");

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

async function wizardRun(ctx) {
    const page = await ctx.newPage();
    try {
        await page.goto(PAGE_URL);
        const frame = await frameOf(page);
        const tab = frame.locator("[id$='-vfm-tab-migrate']");
        await tab.waitFor({ timeout: 30000 });
        await frame.evaluate(s => localStorage.setItem("vf-migration:wizard", JSON.stringify(s)), P.wizardState({ bandwidth: BANDWIDTH }));
        await tab.click();
        await frame.locator("#vfm-migrate-vf-status[data-verdict='ok']").waitFor({ timeout: 60000 });
        await sleep(READ_MS);
        // the page's own record of when the stage showed the migration running, and the verification (Playwright's
        // waits poll every 500 ms after their first second: a stop taken when they return is late by up to that)
        await frame.evaluate(() => {
            const seen = window.__vfmSeen = {};
            const stage = document.querySelector("#vfm-stage-migrate");
            const wizard = document.querySelector("#vfm-wizard");
            new MutationObserver(() => { if (stage.getAttribute("data-phase") === "running") seen.running ??= Date.now() })
                .observe(stage, { attributes: true, attributeFilter: ["data-phase"] });
            new MutationObserver(() => { if (wizard.getAttribute("data-stage") === "verify") seen.verify ??= Date.now() })
                .observe(wizard, { attributes: true, attributeFilter: ["data-stage"] });
        });
        const t0 = Date.now();
        await frame.locator("#vfm-migrate-start").click();
        await frame.locator("#vfm-wizard[data-stage='verify']").waitFor({ timeout: 600000 });
        const seen = await frame.evaluate(() => window.__vfmSeen);
        if (!seen.running || !seen.verify)
            throw new Error(`the page's record misses a stage: ${JSON.stringify(seen)}`);
        // t0 is this process's clock, the stops the browser's: one machine, one system clock
        return { ms: seen.verify - t0, called: seen.running - t0 };
    } finally {
        await page.close();
    }
}

function virshRun() {
    P.writeMigrationXml("source");
    const t0 = Date.now();
    const r = spawnSync(EXEC, ["source", ...P.virshMigrateArgv("source", ["--bandwidth", String(BANDWIDTH)])], { encoding: "utf8" });
    const ms = Date.now() - t0;
    if (r.status !== 0)
        throw new Error(`virsh migrate failed: ${r.stdout}${r.stderr}`);
    return ms;
}

/** libvirt's own figures of the migration just completed, as the destination keeps them (`domjobinfo --completed`) */
function completedJob() {
    const r = spawnSync(EXEC, ["destination", "virsh", "-c", "qemu:///system", "domjobinfo", P.VM, "--completed"], { encoding: "utf8" });
    const ms = /^Time elapsed:\s+(\d+)\s+ms/m.exec(r.stdout ?? "");
    return ms ? Number(ms[1]) : NaN;
}

function movedOnce() {
    if (!P.runningOn("destination").includes(P.VM) || P.definedOn("source").includes(P.VM))
        throw new Error("the run did not end with guest1 on the destination only");
    const elapsed = completedJob();
    P.virshMigrate("destination"); // back, uncapped, untimed
    return elapsed;
}

async function main() {
    P.guestOnSourceWithVf();
    const restoreKeys = P.trustHostKeys();
    const nsenter = [];
    for (let i = 0; i < 5; i++) {
        const t0 = Date.now();
        spawnSync(EXEC, ["source", "true"]);
        nsenter.push(Date.now() - t0);
    }
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
    const wizard = [];
    const plain = [];
    const precall = [];
    const wizardJob = [];
    const plainJob = [];
    try {
        const keep = await browser.newPage();
        await keep.goto(PAGE_URL.replace("/vf-migration", "/system"));
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        for (let i = 0; i < RUNS; i++) {
            for (const which of i % 2 === 0 ? ["wizard", "virsh"] : ["virsh", "wizard"]) {
                const watch = watchOneCopy(P.PAIR_WATCH);
                if (which === "wizard") {
                    const { ms, called } = await wizardRun(ctx);
                    wizard.push(ms);
                    precall.push(called);
                    console.log(`run ${i + 1} wizard: ${ms} ms (click → running shown: ${called} ms)`);
                } else {
                    const ms = virshRun();
                    plain.push(ms);
                    console.log(`run ${i + 1} virsh: ${ms} ms`);
                }
                assertOneCopy(await watch.stop());
                const elapsed = movedOnce();
                (which === "wizard" ? wizardJob : plainJob).push(elapsed);
                console.log(`    libvirt's own time elapsed (domjobinfo --completed on the destination): ${elapsed} ms`);
            }
        }
    } finally {
        await browser.close();
        restoreKeys();
    }
    const mw = median(wizard);
    const mv = median(plain);
    console.log(`\nguest1 (192 MiB, VF attached), bandwidth ${BANDWIDTH} MiB/s, ${RUNS} alternating runs each`);
    console.log(`wizard (click "Migrate" → verification shown): median ${mw} ms, spread ${Math.min(...wizard)}–${Math.max(...wizard)} ms`);
    console.log(`virsh migrate (spawn → exit):                  median ${mv} ms, spread ${Math.min(...plain)}–${Math.max(...plain)} ms`);
    console.log(`of which click → the stage shows the migration running: median ${median(precall)} ms (the plan read for ${READ_MS} ms before the click)`);
    console.log(`libvirt's own time elapsed: wizard's migrations median ${median(wizardJob)} ms, virsh's ${median(plainJob)} ms`);
    console.log(`nsenter of test/simhost/exec (in the virsh figures): median ${median(nsenter)} ms`);
    console.log(`ratio of medians: ${(mw / mv).toFixed(3)} (target ≤ 1.05)`);
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
