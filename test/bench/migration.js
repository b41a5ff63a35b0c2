#!/usr/bin/env node
/*
 * Benchmark: the wizard's migration against a plain `virsh migrate` of the same guest, on the simulated pair
 * (ready-pair), with the same bandwidth cap, in alternating runs (RUNS each, default 5; the order flips each round).
 * guest1 carries the VF (attached with virsh first); after each timed run it is moved back uncapped and untimed.
 *
 * Clocks:
 *  - wizard: the migrate stage is shown with its plan and its first look at the destination VF (the admin reads
 *    the plan before clicking). Start: the click on "Migrate guest1". Stop: the wizard shows the verification
 *    stage. Inside: re-reading the VM's XML, the destination VF re-check over SSH, MigrateToURI3 through
 *    libvirt-dbus with GetJobStats every second, and the page's reaction to the call's end.
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
const { chromium } = require("playwright-core");
const { spawnSync } = require("child_process");
const path = require("path");
const P = require("../browser/migrate-pair");
const { assertOneCopy, watchOneCopy } = require("../lib/one-copy");

const PAGE_URL = (process.env.COCKPIT_URL || "http://127.0.0.1:9091") + "/vf-migration";
const RUNS = Number(process.argv[2] || 5);
const BANDWIDTH = Number(process.argv[3] || 10);
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
        const t0 = Date.now();
        await frame.locator("#vfm-migrate-start").click();
        await frame.locator("#vfm-stage-migrate[data-phase='running']").waitFor({ timeout: 60000 });
        const called = Date.now() - t0;
        await frame.locator("#vfm-wizard[data-stage='verify']").waitFor({ timeout: 600000 });
        return { ms: Date.now() - t0, called };
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

function movedOnce() {
    if (!P.runningOn("destination").includes(P.VM) || P.definedOn("source").includes(P.VM))
        throw new Error("the run did not end with guest1 on the destination only");
    P.virshMigrate("destination"); // back, uncapped, untimed
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
                    console.log(`run ${i + 1} wizard: ${ms} ms (click → MigrateToURI3 sent: ${called} ms)`);
                } else {
                    const ms = virshRun();
                    plain.push(ms);
                    console.log(`run ${i + 1} virsh: ${ms} ms`);
                }
                assertOneCopy(await watch.stop());
                movedOnce();
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
    console.log(`of which click → MigrateToURI3 sent (XML re-read, VF re-check over SSH): median ${median(precall)} ms`);
    console.log(`nsenter of test/simhost/exec (in the virsh figures): median ${median(nsenter)} ms`);
    console.log(`ratio of medians: ${(mw / mv).toFixed(3)} (target ≤ 1.05)`);
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
