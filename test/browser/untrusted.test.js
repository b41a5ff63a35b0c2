/*
 * Tool output is data: names with markup or control characters are shown as text, megabytes of output are cut
 * with a note, and a host answering garbage gets "unknown" with the raw output — on the real page, on the pair.
 * Run under the pair lock (see test/browser/README.md).
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec } = require("./simpair");
const { openStatus, settledVerdicts, loadReadyPairWith, clickRefresh, hostProcesses } = require("./faults-lib");

const T = 150000;
const PF = "enp225s0np0";
const REP = "enp225s0npf0vf0";
/** the real ovs-vsctl inside a host (test/simhost: bin/ovs-vsctl wraps it) */
const OVS_VSCTL = "/run/vfsim-real/bin/ovs-vsctl";

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see test/browser/README.md)");
});

/** Collects what must never happen while hostile data is on screen: a dialog (alert()), a page error. */
function watch(page) {
    const seen = { dialogs: [], errors: [] };
    page.on("dialog", d => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}) });
    page.on("pageerror", e => seen.errors.push(e.message));
    return seen;
}

/** Nothing from the host became an element or an attribute in our frame. */
async function noInjection(frame) {
    expect(await frame.locator("img").count()).toBe(0);
    expect(await frame.locator("[onerror], [onload], [onmouseover]").count()).toBe(0);
    expect(await frame.locator("#vfm-host-source b, #vfm-host-source svg script").count()).toBe(0);
}

async function expandRow(frame, host, id) {
    const row = frame.locator(`#vfm-check-${host}-${id}`);
    await row.locator("button").first().click();
    // the raw output sits in a closed <details>: open them all
    await row.locator("details").evaluateAll(ds => ds.forEach(d => { d.open = true }));
    return row;
}

/** A reproducible stream of "random bytes" (as code points 0–255 and some beyond), with a marker to find. */
function garbage(seed, length) {
    let x = seed;
    let out = "";
    for (let i = 0; i < length; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        const c = x % 300;
        out += c < 256 ? String.fromCharCode(c) : ["\u202e", "\ufffd", "<img src=x onerror=alert(1)>", "\u001b[31m"][c % 4];
    }
    return `GARBAGE-${seed} ${out}\n`;
}

describe("untrusted output from the hosts", () => {
    const cockpit = useCockpit("local");

    test("OVS bridge and interface names with markup, escape sequences or RTL override are shown as text", () => {
        // names the kernel accepts for a netdev (≤ 15 bytes, no space or "/"), as OVS's netdev bridges need
        const bridge = "<b>br-vf";
        const other = "\u202ebr-lo";
        const ifaces = ["<img>", "\u001b[31mred"];
        const cleanUp = () => {
            hostExec("source", "ip", "link", "del", "name", ifaces[0]);
            for (const name of [bridge, other])
                hostExec("source", OVS_VSCTL, "--if-exists", "del-br", name);
            loadScenario("ready-pair");
        };
        const run = async () => {
            loadReadyPairWith("faults-hostile-names", {
                edit: sc => { sc.hosts.source.ovs.bridges = { [bridge]: [PF, REP], [other]: [] } },
            });
            // a veth pair: both names at once (this kernel has no dummy driver)
            expect(hostExec("source", "ip", "link", "add", "name", ifaces[0], "type", "veth", "peer", "name", ifaces[1]).status).toBe(0);
            await check();
        };
        const check = () => inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const seen = watch(page);
            const frame = await openStatus(page);
            const verdicts = await settledVerdicts(frame, "source");
            expect(verdicts["ovs-bridge"]).toBe("pass");
            const row = await expandRow(frame, "source", "ovs-bridge");
            const text = await row.innerText();
            expect(text).toContain(`Bridge ${bridge}: `);
            expect(text).toContain(other);
            // the interface list (ip link) is raw evidence of the adapter check
            const nicRow = await expandRow(frame, "source", "cx7-present");
            await eventually(async () => expect(await nicRow.innerText()).toContain("<img>"));
            expect(await nicRow.innerText()).toContain("\u001b[31mred");
            await noInjection(frame);
            expect(seen).toEqual({ dialogs: [], errors: [] });
        });
        return run().finally(cleanUp);
    }, T);

    test("a tool printing megabytes: cut at 1 MiB, the check is unknown with a note, the page stays responsive", () => {
        const line = "        VF_MIGRATION_MODE                           MIGRATION_ENABLED(2)  MIGRATION_ENABLED(2)  MIGRATION_ENABLED(2)\n";
        const stdout = "Device #1:\n----------\n\n" + line.repeat(Math.ceil(3 * 1024 * 1024 / line.length));
        loadReadyPairWith("faults-huge-output", { hw: { source: { faults: [{ match: "mstconfig -d * -e query", exit: 0, stdout }] } } });
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const seen = watch(page);
            const t0 = Date.now();
            const frame = await openStatus(page);
            const verdicts = await settledVerdicts(frame, "source", 90000);
            const seconds = (Date.now() - t0) / 1000;
            expect(verdicts["fw-vf-migration"]).toBe("unknown");
            const row = await expandRow(frame, "source", "fw-vf-migration");
            expect(await row.innerText()).toContain("was longer than the 1 MiB read and was cut");
            expect(await row.innerText()).toContain("Output cut: only its first MiB was read");
            const shown = await row.locator("pre").first().evaluate(p => p.textContent.length);
            expect(shown).toBeLessThanOrEqual(1024 * 1024 + 1024);
            // still responsive: another refresh completes
            await clickRefresh(frame, "source");
            await settledVerdicts(frame, "source", 90000);
            expect(seen).toEqual({ dialogs: [], errors: [] });
            console.log(`megabyte output: page settled in ${seconds.toFixed(1)} s, raw output shown: ${shown} characters`);
        }).finally(() => loadScenario("ready-pair"));
    }, T);

    test("a host answering garbage (random bytes from mstconfig and devlink): “unknown” with the raw output, no crash", () => {
        const faults = [
            { match: "mstconfig -d * -e query", exit: 0, stdout: garbage(1, 3000) },
            { match: "devlink -j port show", exit: 0, stdout: garbage(2, 3000) },
            { match: "devlink -j dev info *", exit: 0, stdout: garbage(3, 3000) },
            { match: "devlink -j dev eswitch show *", exit: 0, stdout: garbage(4, 3000) },
        ];
        loadReadyPairWith("faults-garbage", { hw: { source: { faults } } });
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const seen = watch(page);
            const frame = await openStatus(page);
            const verdicts = await settledVerdicts(frame, "source");
            for (const id of ["fw-vf-migration", "firmware-version", "eswitch-switchdev"])
                expect([id, verdicts[id]]).toEqual([id, "unknown"]);
            // checks that do not read those tools still answer
            expect(verdicts["cx7-present"]).toBe("pass");
            expect(await frame.locator("#vfm-summary-source").innerText()).toMatch(/^\d+ problems/);
            const row = await expandRow(frame, "source", "fw-vf-migration");
            await eventually(async () => expect(await row.innerText()).toContain("GARBAGE-1"));
            await noInjection(frame);
            expect(seen).toEqual({ dialogs: [], errors: [] });
        }).finally(() => loadScenario("ready-pair"));
    }, T);

    test("a tool that hangs (mstconfig asleep for 10 minutes): stopped after 20 s, its checks unknown with why, the others answer, no process left", () => {
        loadReadyPairWith("faults-hang", { hw: { source: { faults: [{ match: "mstconfig -d * -e query", delayMs: 600000 }] } } });
        const hung = () => hostProcesses("source").filter(p => p.args.some(a => a.endsWith("mstconfig")) && p.args.includes("query"));
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const seen = watch(page);
            const frame = await openStatus(page);
            // the hang is real: while the refresh runs, the tool is a live process on the host
            await eventually(async () => expect(hung().length).toBeGreaterThan(0), 30000);
            const verdicts = await settledVerdicts(frame, "source", 90000);
            expect(verdicts["fw-vf-migration"]).toBe("unknown");
            expect(verdicts["cx7-present"]).toBe("pass");
            expect(verdicts["eswitch-switchdev"]).toBe("pass");
            const row = await expandRow(frame, "source", "fw-vf-migration");
            expect(await row.innerText()).toContain("“mstconfig” did not finish within 20 seconds and was stopped");
            // the probe's timeout killed it (timeout -k 2): nothing of it is left running
            await eventually(async () => expect(hung()).toEqual([]), 10000);
            expect(seen).toEqual({ dialogs: [], errors: [] });
        }).finally(() => loadScenario("ready-pair"));
    }, T);
});
