/*
 * Soak: the status page left open on the simulated pair, refreshing both hosts back to back, for SOAK_SECONDS
 * (default 60, the CI run; the hour run: SOAK_SECONDS=3600, see docs/reliability.md). Samples the page's JS heap (after a
 * forced garbage collection), DOM nodes and event listeners (CDP Performance.getMetrics), the source host's
 * processes (the bridge's children, ssh clients and masters, probe shells) and its system bus's match rules.
 *
 * Pass criterion, after a warm-up (the first 20% of the run, at least 30 s):
 *   heap at the end ≤ heap after warm-up × 1.05 + 2 MiB; DOM nodes and listeners ≤ after warm-up × 1.1 + 50;
 *   once idle, the bridge's children, ssh processes and probe shells are back to the idle count before the run,
 *   with at most one SSH master; system bus match rules back to their count before the run.
 * Run under the pair lock (see test/browser/README.md).
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { pairIsUp, DESTINATION } = require("./simpair");
const { openStatus, checkDestination, freshReadyPair, sourceCounts, systemBusStats } = require("./faults-lib");
const { sleep } = require("../lib/cockpit-ws.processes");

const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const WARMUP = Math.max(30, SECONDS * 0.2);
const SAMPLE_EVERY = Math.max(10, Math.min(60, SECONDS / 10));
const MIB = 1024 * 1024;

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("the soak needs the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see test/browser/README.md)");
});

async function pageMetrics(cdp) {
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const m = Object.fromEntries(metrics.map(x => [x.name, x.value]));
    return { heap: m.JSHeapUsedSize, nodes: m.Nodes, listeners: m.JSEventListeners, documents: m.Documents };
}

/** Both refresh buttons enabled again: the refresh round is over. */
async function idle(frame) {
    await eventually(async () => {
        expect(await frame.locator("#vfm-refresh-source").isEnabled()).toBe(true);
        expect(await frame.locator("#vfm-refresh-destination").isEnabled()).toBe(true);
    }, 120000);
}

/** Source processes once nothing runs: sampled a few times, the lowest (a probe may just be exiting). */
async function idleCounts() {
    let best = null;
    for (let i = 0; i < 5; i++) {
        const c = sourceCounts();
        if (!best || c.bridgeDescendants + c.ssh < best.bridgeDescendants + best.ssh)
            best = c;
        await sleep(1000);
    }
    return best;
}

const fmt = s => `t=${String(Math.round(s.t)).padStart(5)} s  heap ${(s.heap / MIB).toFixed(2)} MiB  nodes ${s.nodes}  listeners ${s.listeners}  ` +
    `refreshes ${s.rounds}  source: processes ${s.procs.total}, bridge children ${s.procs.bridgeDescendants}, ssh ${s.procs.ssh} ` +
    `(masters ${s.procs.sshMasters}), probe shells ${s.procs.probeShells}  bus match rules ${s.bus?.matchRules ?? "n/a"}`;

describe("soak", () => {
    const cockpit = useCockpit("local");

    test(`the status page refreshing both hosts for ${SECONDS} s keeps memory and processes bounded`, () => {
        freshReadyPair();
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 60000);
            await checkDestination(frame, { host: DESTINATION });
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 60000);
            await idle(frame);
            // only this page from now on (it keeps the session alive itself): the harness's keep-alive page shows
            // Cockpit's overview, whose graphs would share this renderer's heap and blur the figures
            if (cockpit.keepalive) {
                await cockpit.keepalive.close();
                cockpit.keepalive = null;
            }
            const cdp = await page.context().newCDPSession(page);
            await cdp.send("Performance.enable");

            const before = { procs: await idleCounts(), bus: systemBusStats() };
            const samples = [];
            const t0 = Date.now();
            let rounds = 0;
            let nextSample = 0;
            let warm = null;
            for (;;) {
                const t = (Date.now() - t0) / 1000;
                if (t >= nextSample || t >= SECONDS) {
                    const s = { t, rounds, ...(await pageMetrics(cdp)), procs: sourceCounts(), bus: systemBusStats() };
                    samples.push(s);
                    console.log(fmt(s));
                    if (!warm && t >= WARMUP)
                        warm = s;
                    nextSample += SAMPLE_EVERY;
                }
                if (t >= SECONDS)
                    break;
                await frame.locator("#vfm-refresh-source").click();
                await frame.locator("#vfm-refresh-destination").click();
                await idle(frame);
                if (process.env.SOAK_INJECT_LEAK) // the criterion's own check: a page that keeps about 1 MiB per round must fail
                    await frame.evaluate(n => { (globalThis.vfmSoakLeak ||= []).push(new Array(250000).fill(n)) }, rounds);
                rounds++;
                expect(await frame.locator("#vfm-error-source, #vfm-error-destination").count()).toBe(0);
            }
            const after = { procs: await idleCounts(), bus: systemBusStats() };
            const end = samples[samples.length - 1];
            const warmup = warm ?? samples[0];
            console.log(`soak: ${SECONDS} s, ${rounds} refresh rounds of both hosts\n` +
                `heap after warm-up ${(warmup.heap / MIB).toFixed(2)} MiB → end ${(end.heap / MIB).toFixed(2)} MiB (first sample ${(samples[0].heap / MIB).toFixed(2)} MiB)\n` +
                `DOM nodes ${warmup.nodes} → ${end.nodes}; listeners ${warmup.listeners} → ${end.listeners}\n` +
                `source idle before: ${JSON.stringify(before.procs)}\nsource idle after:  ${JSON.stringify(after.procs)}\n` +
                `max during: ssh ${Math.max(...samples.map(s => s.procs.ssh))}, bridge children ${Math.max(...samples.map(s => s.procs.bridgeDescendants))}, ` +
                `probe shells ${Math.max(...samples.map(s => s.procs.probeShells))}\n` +
                `system bus match rules: before ${before.bus?.matchRules ?? "n/a"}, after ${after.bus?.matchRules ?? "n/a"}`);

            expect(rounds).toBeGreaterThan(0);
            expect(end.heap).toBeLessThanOrEqual(warmup.heap * 1.05 + 2 * MIB);
            expect(end.nodes).toBeLessThanOrEqual(warmup.nodes * 1.1 + 50);
            expect(end.listeners).toBeLessThanOrEqual(warmup.listeners * 1.1 + 50);
            expect(after.procs.bridgeDescendants).toBeLessThanOrEqual(before.procs.bridgeDescendants);
            expect(after.procs.ssh).toBeLessThanOrEqual(before.procs.ssh);
            expect(after.procs.sshMasters).toBeLessThanOrEqual(1);
            expect(after.procs.probeShells).toBe(0);
            if (before.bus?.matchRules != null && after.bus?.matchRules != null)
                expect(after.bus.matchRules).toBeLessThanOrEqual(before.bus.matchRules);
        });
    }, (SECONDS + 300) * 1000);
});
