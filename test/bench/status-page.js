#!/usr/bin/env node
/*
 * Benchmark: how long the status page takes to show every check, on the simulated pair (test/simhost/up ready-pair,
 * tools at their real delays: no VFSIM_TIMING_SCALE), against the floor measured in the same run.
 * The floor is test/bench/floor: a Cockpit page that makes three root spawns and one libvirt D-Bus call at once, the
 * least a page that reads this host costs here (the pair installs it, with no menu entry).
 * Clock (this host, and the floor): the shell is already shown (Overview); it starts when the shell is sent to the
 * page (history.pushState + popstate, as its menu does) and stops when every check row of this host has a verdict
 * of this reading (no row "pending", and no longer the last known verdicts of an earlier visit, which show at once
 * and are timed apart as "last known shown"), or when the floor page says all four calls answered.
 * The destination run starts from the status page already shown, at the click on "Check destination" (its host key
 * already trusted), and stops when all its rows have verdicts.
 * The floor, this host and the destination are measured in alternating runs (RUNS each, default 7), one browser
 * profile for all (the page remembers a host's adapters, as in an admin's browser).
 * Reported: median and spread (min–max), the slowest single tool's own duration as the probe measured it, and the
 * issue's three figures: this host ÷ floor, destination ÷ floor, and the margins against the targets
 * "this host ≤ floor + slowest tool + 0.5 s", "destination ≤ floor + slowest tool + 1.0 s".
 * With COMPARE_TOOL_SERVER=1, each run is made twice, alternating: the simulated tools through the hosts' tool
 * servers (test/simhost/lib/toolsrv.py, as `up` starts them) and as plain Python scripts (servers stopped).
 * Usage: test/bench/status-page.js [RUNS]   (COCKPIT_URL defaults to the pair's http://127.0.0.1:9091)
 */
/* global window, PopStateEvent */
const { chromium } = require("playwright-core");
const { spawnSync } = require("child_process");
const path = require("path");

const PAGE_URL = (process.env.COCKPIT_URL || "http://127.0.0.1:9091") + "/vf-migration";
const RUNS = Number(process.argv[2] || 7);
const DEST = "rhel-dst.example.test";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const EXEC = path.join(__dirname, "..", "simhost", "exec");
const ARMS = process.env.COMPARE_TOOL_SERVER ? ["tool server", "scripts"] : [""];

/** Starts (or stops) the tool server of both hosts. */
function toolServers(on) {
    for (const h of ["source", "destination"]) {
        const r = on ? spawnSync(EXEC, [h, path.join(__dirname, "..", "simhost", "lib", "toolsrv-start")], { encoding: "utf8" })
            : spawnSync(EXEC, [h, "sh", "-c", "kill $(cat /run/vfsim-host/pids/toolsrv.pid) 2>/dev/null; sleep 0.2"], { encoding: "utf8" });
        if (r.status !== 0)
            throw new Error(`tool server of ${h}: ${r.stderr}`);
    }
}

const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] };
const frameOf = page => page.frames().find(f => /\/vf-migration\/index\.html/.test(f.url()));

/**
 * Waits for every row of a host to have a verdict of this reading; `first` gets the time the first one showed. The
 * last known verdicts of an earlier visit (shown at once, under #vfm-last-known-…) are not this reading's.
 */
async function allVerdicts(page, host, first = () => {}, known = () => {}) {
    let seen = false;
    let knownSeen = false;
    for (;;) {
        const f = frameOf(page);
        if (f) {
            const { rows, lastKnown } = await f.locator(`#vfm-host-${host}`).evaluate((col, h) => ({
                rows: [...col.querySelectorAll("li.vfm-check")].map(e => e.getAttribute("data-verdict")),
                lastKnown: col.querySelector(`#vfm-last-known-${h}`) !== null,
            }), host).catch(() => ({ rows: [], lastKnown: false }));
            if (lastKnown) {
                if (!knownSeen)
                    known(Date.now());
                knownSeen = true;
                await new Promise(r => setTimeout(r, 20));
                continue;
            }
            if (!seen && rows.some(v => v !== "pending")) {
                seen = true;
                first(Date.now());
            }
            if (rows.length > 10 && rows.every(v => v !== "pending"))
                return f;
        }
        await new Promise(r => setTimeout(r, 20));
    }
}

/** The slowest command's own duration, from the evidence the page shows ("…, N ms"). */
async function slowestTool(frame, host) {
    // collapsed rows keep their evidence in the DOM (hidden): read it without expanding
    const texts = await frame.locator(`#vfm-host-${host} .vfm-evidence-meta`).evaluateAll(els => els.map(e => e.textContent));
    return Math.max(0, ...texts.map(t => Number((/(\d+) ms/.exec(t) || [0, 0])[1])));
}

/** The shell, already shown, is sent to a page as its own menu does; resolves with the time it was sent. */
async function go(page, where) {
    const t0 = Date.now();
    await page.evaluate(p => { window.history.pushState(null, "", p); window.dispatchEvent(new PopStateEvent("popstate")) }, where);
    return t0;
}

async function floorDone(page) {
    for (;;) {
        const f = page.frames().find(fr => /\/vfm-floor\/index\.html/.test(fr.url()));
        const done = f ? await f.locator("body").getAttribute("data-done").catch(() => null) : null;
        if (done === "ok")
            return;
        if (done)
            throw new Error("the floor page failed: " + await f.locator("#floor").innerText());
        await new Promise(r => setTimeout(r, 20));
    }
}

async function shellShown(ctx) {
    const page = await ctx.newPage();
    await page.goto(PAGE_URL.replace("/vf-migration", "/system"));
    await page.locator("#host-apps nav a", { hasText: "VF live migration" }).waitFor();
    await page.frames().find(f => /\/system\/index\.html/.test(f.url()))?.locator("body").waitFor();
    return page;
}

async function main() {
    // trust the destination's key once, as an admin would on first contact
    spawnSync(path.join(__dirname, "..", "simhost", "exec"), ["source", "sh", "-c",
        `ssh-keyscan ${DEST} 2>/dev/null > /root/.ssh/known_hosts`], { stdio: "inherit" });
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
    const keep = await browser.newPage();
    await keep.goto(PAGE_URL.replace("/vf-migration", "/system"));
    const results = Object.fromEntries(ARMS.map(a => [a, { floor: [], local: [], dest: [], slowLocal: [], slowDest: [], firstLocal: [], firstDest: [], knownLocal: [] }]));
    // one browser profile for all runs, as an admin's own browser (it remembers the adapters found last time)
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (let i = 0; i < RUNS; i++) {
        for (const arm of ARMS) {
            if (arm)
                toolServers(arm === "tool server");
            const { floor, local, dest, slowLocal, slowDest, firstLocal, firstDest, knownLocal } = results[arm];
            for (const which of ["floor", "local", "destination"]) {
                let page;
                if (which === "floor") {
                    page = await shellShown(ctx);
                    const t0 = await go(page, "/vfm-floor");
                    await floorDone(page);
                    floor.push(Date.now() - t0);
                } else if (which === "local") {
                    page = await shellShown(ctx);
                    const t0 = await go(page, "/vf-migration");
                    const f = await allVerdicts(page, "source", at => firstLocal.push(at - t0), at => knownLocal.push(at - t0));
                    local.push(Date.now() - t0);
                    slowLocal.push(await slowestTool(f, "source"));
                } else {
                    page = await ctx.newPage();
                    await page.goto(PAGE_URL);
                    const f0 = await allVerdicts(page, "source");
                    await f0.locator("#vfm-destination-host").fill(DEST);
                    const t0 = Date.now();
                    await f0.locator("#vfm-destination-connect").click();
                    const f = await allVerdicts(page, "destination", at => firstDest.push(at - t0));
                    dest.push(Date.now() - t0);
                    slowDest.push(await slowestTool(f, "destination"));
                }
                await page.close();
            }
        }
    }
    if (ARMS.length > 1)
        toolServers(true);
    await browser.close();
    const spread = xs => `median ${median(xs)} ms, spread ${Math.min(...xs)}–${Math.max(...xs)} ms (n=${xs.length})`;
    const line = (name, xs, slow) => console.log(`${name.padEnd(25)} ${spread(xs)}; slowest tool median ${median(slow)} ms; ` +
        `median minus slowest tool ${median(xs) - median(slow)} ms`);
    for (const arm of ARMS) {
        const r = results[arm];
        const pre = arm ? arm + ": " : "";
        const fl = median(r.floor);
        console.log(`${(pre + "floor").padEnd(25)} ${spread(r.floor)}`);
        line(`${pre}local host`, r.local, r.slowLocal);
        console.log(`${(pre + "  its first verdict").padEnd(25)} ${spread(r.firstLocal)}`);
        if (r.knownLocal.length)
            console.log(`${(pre + "  last known shown").padEnd(25)} ${spread(r.knownLocal)}`);
        line(`${pre}destination`, r.dest, r.slowDest);
        console.log(`${(pre + "  its first verdict").padEnd(25)} ${spread(r.firstDest)}`);
        const ratio = x => (x / fl).toFixed(2);
        console.log(`${pre}local ÷ floor ${ratio(median(r.local))}; destination ÷ floor ${ratio(median(r.dest))}; ` +
            `local − (floor + slowest tool + 500 ms) = ${median(r.local) - fl - median(r.slowLocal) - 500} ms; ` +
            `destination − (floor + slowest tool + 1000 ms) = ${median(r.dest) - fl - median(r.slowDest) - 1000} ms`);
    }
}

main().catch(e => { console.error(e); process.exit(1) });
