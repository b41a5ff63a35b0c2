#!/usr/bin/env node
/*
 * Where the time of one status-page load goes (docs/performance.md, "Status page"): on the simulated pair
 * (ready-pair, tools at their real delays), after one warm-up load in the same browser profile. The clock starts
 * when the shell, already shown, is sent to the page (history.pushState + popstate, as its menu does). Milestones,
 * in ms from there: the page's frame created; its documents and scripts received (Resource Timing); the first check
 * row drawn; the first and the last verdict. Then what ran on the host, from the page's own command log (each
 * command's duration as the page measured it) and the probe's per-tool durations (the evidence's "N ms").
 * Usage: test/bench/status-trace.js [RUNS]   (COCKPIT_URL defaults to the pair's http://127.0.0.1:9091)
 */
/* global document, window, PopStateEvent */
const { chromium } = require("playwright-core");

const BASE = process.env.COCKPIT_URL || "http://127.0.0.1:9091";
const RUNS = Number(process.argv[2] || 3);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

async function load(ctx) {
    const page = await ctx.newPage();
    await page.goto(BASE + "/system");
    await page.locator("#host-apps nav a", { hasText: "VF live migration" }).waitFor();
    // the shell's WebSocket carries every channel of the page: when the superuser state is asked and answered, and
    // when each spawn is opened (as CDP reports each frame to this process: a few ms late at most)
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    const frames = [];
    cdp.on("Network.webSocketFrameSent", e => frames.push(["sent", Date.now(), e.response.payloadData]));
    cdp.on("Network.webSocketFrameReceived", e => frames.push(["received", Date.now(), e.response.payloadData]));
    const t0 = Date.now();
    await page.evaluate(() => { window.history.pushState(null, "", "/vf-migration"); window.dispatchEvent(new PopStateEvent("popstate")) });
    const marks = {};
    const at = name => { marks[name] ??= Date.now() - t0 };
    let frame;
    for (;;) {
        frame ??= page.frames().find(f => /\/vf-migration\/index\.html/.test(f.url()));
        if (frame) {
            at("frame created");
            const v = await frame.evaluate(() => [...document.querySelectorAll("#vfm-host-source li.vfm-check")]
                .map(e => e.getAttribute("data-verdict"))).catch(() => []);
            if (v.length)
                at("first check row drawn");
            if (v.some(x => x !== "pending"))
                at("first verdict");
            if (v.length > 10 && v.every(x => x !== "pending")) {
                at("last verdict");
                break;
            }
        }
        await new Promise(r => setTimeout(r, 10));
    }
    const res = await frame.evaluate(() => {
        const origin = performance.timeOrigin;
        const nav = performance.getEntriesByType("navigation")[0];
        return {
            origin, navStart: nav.startTime, htmlEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd,
            resources: performance.getEntriesByType("resource").map(r => ({ name: r.name.replace(/^.*\//, ""), start: r.startTime, end: r.responseEnd, size: r.transferSize })),
        };
    });
    const rel = ms => Math.round(res.origin + ms - t0);
    const count = new Map();
    for (const [dir, ts, data] of frames) {
        const what = dir === "sent" && /"bus":"internal"/.test(data) ? "internal D-Bus channel opened"
            : dir === "sent" && /cockpit\.Superuser/.test(data) ? "superuser state asked"
            : dir === "received" && /"v":"(any|root|sudo|none|init|pkexec)"/.test(data) ? "superuser state answered"
            : dir === "sent" && /"spawn":\["sh","-s"/.test(data) ? "a probe spawn opened"
            : dir === "sent" && /"spawn"/.test(data) ? "another spawn opened" : null;
        if (what) {
            const n = (count.get(what) ?? 0) + 1;
            count.set(what, n);
            const spawn = /"spawn":(\[[^\]]*\])/.exec(data)?.[1] ?? /"(method|path|member)":"[^"]*"/g.exec(data)?.[0] ?? "";
            marks[`ws: ${what}${n === 1 ? "" : ` #${n}`} ${process.env.VFM_TRACE_WS ? spawn.slice(0, 100) : ""}`] = ts - t0;
        }
    }
    marks["frame navigation start"] = rel(res.navStart);
    marks["index.html received"] = rel(res.htmlEnd);
    for (const r of res.resources.filter(x => /\.(js|css)$/.test(x.name)))
        marks[`${r.name} received (${r.size} B on the wire)`] = rel(r.end);
    marks["DOMContentLoaded"] = rel(res.domContentLoaded);
    // what ran on this host, as the command log shows it (newest first)
    await frame.locator("#vfm-command-log-open").click();
    const log = await frame.locator(".vfm-log-entry").evaluateAll(els => els.map(e => ({
        line: (e.querySelector(".pf-v6-c-clipboard-copy input, .pf-v6-c-clipboard-copy__text, .pf-v6-c-clipboard-copy textarea")?.value ||
            e.querySelector(".pf-v6-c-clipboard-copy")?.textContent || "").slice(0, 90).replace(/\s+/g, " "),
        ms: Number((/(\d+) ms/.exec(e.querySelector(".vfm-log-meta")?.textContent || "") || [0, 0])[1]),
    })));
    const tools = await frame.locator("#vfm-host-source .vfm-evidence-meta").evaluateAll(els => els.map(e => e.textContent));
    const toolMs = tools.map(t => Number((/(\d+) ms/.exec(t) || [0, 0])[1])).sort((a, b) => b - a);
    await page.close();
    return { marks, log: log.reverse(), slowestTools: toolMs.slice(0, 3) };
}

(async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await load(ctx); // warm-up: the adapters are remembered, the bundle is in the cache
    for (let i = 0; i < RUNS; i++) {
        const r = await load(ctx);
        console.log(`--- run ${i + 1}`);
        for (const [k, v] of Object.entries(r.marks).sort((a, b) => a[1] - b[1]))
            console.log(`${String(v).padStart(6)} ms  ${k}`);
        console.log("command log (oldest first):");
        for (const e of r.log)
            console.log(`${String(e.ms).padStart(6)} ms  ${e.line}`);
        console.log(`slowest tools in the probe: ${r.slowestTools.join(", ")} ms`);
    }
    await browser.close();
})().catch(e => { console.error(e); process.exit(1) });
