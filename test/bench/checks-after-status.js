#!/usr/bin/env node
/*
 * Benchmark: the wizard's Checks stage opened right after the status page read both hosts (the facts are reused,
 * src/session/host-model.ts `fresh`), against the same stage opened cold (a new page: both hosts probed), on the
 * simulated pair (test/simhost/up ready-pair, tools at their real delays: no VFSIM_TIMING_SCALE).
 * Clock: starts at the click on the wizard's tab (the wizard's state already at its Checks stage for guest1 and the
 * pair's destination, in localStorage, as a wizard left there keeps it; the cold run navigates to the wizard
 * instead, from the shell already shown). Two stops: both hosts' summaries shown in the stage ("hosts"), and the
 * stage's verdict ("verdict"), which also waits for the VM's own checks (the CPU comparison over SSH and the 3 s
 * dirty-page measurement, `domdirtyrate-calc --seconds 3`, made while guest1 has no VF).
 * A third arm ("chosen, then Next") goes as an admin does: after the status page, the wizard at its first stage, the
 * admin picks guest1 (its dirty-page rate is measured from then on), and clicks Next VFM_BENCH_CHOOSE_MS after the
 * pick (default 3000; at least once the destination answered); its clock starts at that click (and a second, from
 * the pick, is printed too).
 * The arms alternate, RUNS each (default 5), one browser profile; the destination's key is trusted first.
 * Usage: test/bench/checks-after-status.js [RUNS]   (COCKPIT_URL defaults to the pair's http://127.0.0.1:9091)
 */
/* eslint-env browser */
const { chromium } = require("playwright-core");
const { spawnSync } = require("child_process");
const path = require("path");

const BASE = process.env.COCKPIT_URL || "http://127.0.0.1:9091";
const RUNS = Number(process.argv[2] || 5);
const DEST = "rhel-dst.example.test";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const WIZARD = { stage: "checks", vm: "guest1", destination: { host: DEST, user: "root", protocol: "ssh" }, options: {}, destinationVf: null, sourceVf: null };

const frameOf = page => page.frames().find(f => /\/vf-migration\/index\.html/.test(f.url()));
const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] };

async function until(page, what, timeoutMs = 120000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (Date.now() > deadline)
            throw new Error(`the page did not reach the state awaited within ${timeoutMs / 1000} s`);
        const f = frameOf(page);
        if (f && await what(f).catch(() => false))
            return f;
        await sleep(20);
    }
}

/** Times the stage from t0: both hosts' summaries, then the verdict. */
async function stage(page, t0) {
    await until(page, async f => await f.locator("#vfm-stage-checks #vfm-summary-source").count() > 0 &&
        await f.locator("#vfm-stage-checks #vfm-summary-destination").count() > 0);
    const hosts = Date.now() - t0;
    const f = await until(page, async fr => await fr.locator("#vfm-checks-verdict").count() > 0);
    const verdict = Date.now() - t0;
    return { hosts, verdict, outcome: await f.locator("#vfm-checks-verdict").getAttribute("data-verdict") };
}

/** The status page with both hosts read, and the wizard's state as a wizard left at `wizard` keeps it. */
async function statusPage(ctx, wizard) {
    const page = await ctx.newPage();
    await page.goto(BASE + "/vf-migration");
    let f = await until(page, async fr => await fr.locator("#vfm-summary-source").count() > 0);
    await f.locator("#vfm-destination-host").fill(DEST);
    await f.locator("#vfm-destination-connect").click();
    f = await until(page, async fr => await fr.locator("#vfm-summary-destination").count() > 0);
    await f.evaluate(w => localStorage.setItem("vf-migration:wizard", JSON.stringify(w)), wizard);
    return { page, f };
}

async function afterStatus(ctx) {
    const { page, f } = await statusPage(ctx, WIZARD);
    const t0 = Date.now();
    await f.locator("[id$='-vfm-tab-migrate']").click();
    const r = await stage(page, t0);
    await page.close();
    return r;
}

const CHOOSE_MS = Number(process.env.VFM_BENCH_CHOOSE_MS ?? 3000);

async function chosen(ctx) {
    const { page, f: status } = await statusPage(ctx, { ...WIZARD, stage: "choose", vm: null });
    await status.locator("[id$='-vfm-tab-migrate']").click();
    const f = await until(page, async fr => await fr.locator("#vfm-vm-radio-guest1").count() > 0);
    await f.locator("#vfm-vm-radio-guest1").check();
    const picked = Date.now();
    await until(page, async fr => await fr.locator("#vfm-wizard-next").isEnabled());
    await sleep(Math.max(0, picked + CHOOSE_MS - Date.now()));
    const t0 = Date.now();
    await f.locator("#vfm-wizard-next").click();
    const r = await stage(page, t0);
    await page.close();
    return { ...r, fromPick: r.verdict + (t0 - picked) };
}

async function cold(ctx) {
    const page = await ctx.newPage();
    await page.goto(BASE + "/system");
    await page.locator("#host-apps nav").first().waitFor();
    await page.evaluate(w => localStorage.setItem("vf-migration:wizard", JSON.stringify(w)), WIZARD);
    const t0 = Date.now();
    await page.goto(BASE + "/vf-migration#/migrate");
    const r = await stage(page, t0);
    await page.close();
    return r;
}

async function main() {
    spawnSync(path.join(__dirname, "..", "simhost", "exec"), ["source", "sh", "-c",
        `ssh-keyscan ${DEST} 2>/dev/null > /root/.ssh/known_hosts`], { stdio: "inherit" });
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
    // a page stays open: the pair's root session ends ~20 s after its last page closes
    const keep = await browser.newPage();
    await keep.goto(BASE + "/system");
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const runs = { "after the status page": afterStatus, "chosen, then Next": chosen, "cold": cold };
    const arms = Object.fromEntries(Object.keys(runs).map(k => [k, []]));
    for (let i = 0; i < RUNS; i++) {
        // the order turns each round
        const names = Object.keys(runs);
        for (const arm of [...names.slice(i % names.length), ...names.slice(0, i % names.length)])
            arms[arm].push(await runs[arm](ctx));
    }
    await browser.close();
    const spread = xs => `median ${median(xs)} ms, spread ${Math.min(...xs)}–${Math.max(...xs)} ms (n=${xs.length})`;
    for (const [arm, rs] of Object.entries(arms)) {
        console.log(`${arm.padEnd(22)} hosts shown: ${spread(rs.map(r => r.hosts))}`);
        console.log(`${"".padEnd(22)} verdict:     ${spread(rs.map(r => r.verdict))}; outcomes ${[...new Set(rs.map(r => r.outcome))].join(", ")}`);
        if (rs[0]?.fromPick !== undefined)
            console.log(`${"".padEnd(22)} from the pick of the VM to the verdict: ${spread(rs.map(r => r.fromPick))}`);
    }
}

main().catch(e => { console.error(e); process.exit(1) });
