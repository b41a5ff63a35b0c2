/*
 * The evacuation view on the simulated pair: three real guests on the source, each with a simulated VF, moved to the
 * destination by the page with the limit of migrations at once lowered to 2. Both hosts' `virsh list` is sampled
 * throughout (one copy of every VM at any time), and the page's own rows are sampled for the number migrating at
 * once. Scenario evacuate-pair: three free prepared VFs on each host. Needs the pair; run under /run/vfsim-pair.lock.
 */
const { describe, test, expect, beforeAll, afterAll } = require("@jest/globals");
const path = require("path");
const { useCockpit, inBrowser, pluginFrame, eventually } = require("./harness");
const { pairIsUp, loadScenario, peerUrl } = require("./simpair");
const oneCopy = require("../lib/one-copy");
const P = require("./migrate-pair");

const TEST_TIMEOUT = 300000;
const simhost = path.join(__dirname, "..", "simhost");
const EXEC = path.join(simhost, "exec");
const DEPARTED = "/var/lib/cockpit-vf-migration/departed.json";
/** The guests and the source VF (function of 0000:e1:00.x) and MAC each holds. */
const GUESTS = [
    { name: "guest1", fn: 1, mac: P.MAC },
    { name: "guest2", fn: 2, mac: "52:54:00:4d:16:12" },
    { name: "guest3", fn: 3, mac: "52:54:00:4d:16:13" },
];
const EXTRA = GUESTS.filter(g => g.name !== P.VM);

/** guest1 (the pair's own) and two more, each running on the source with its VF. */
function guestsOnSourceWithVfs() {
    P.backToReadyPair();
    loadScenario("evacuate-pair");
    P.ok("source", ["tee", "/tmp/vfm-vf.xml"], P.interfaceXml("source"));
    P.virsh("source", "attach-device", "--domain", P.VM, "--file", "/tmp/vfm-vf.xml", "--live", "--config");
    for (const g of EXTRA)
        P.startGuestWithVf("source", g.name, g.fn, g.mac);
}

/** Back to ready-pair: the two extra guests gone from both hosts, guest1 on the source without a VF. */
function cleanUp() {
    for (const g of EXTRA)
        for (const h of ["source", "destination"]) {
            P.run(h, ["virsh", "-c", "qemu:///system", "destroy", g.name]);
            P.run(h, ["virsh", "-c", "qemu:///system", "undefine", g.name]);
        }
    for (const h of ["source", "destination"])
        P.run(h, ["rm", "-f", DEPARTED]);
    P.backToReadyPair();
}

const WATCH = { vms: GUESTS.map(g => g.name), hosts: { source: [EXEC, "source"], destination: [EXEC, "destination"] } };

async function openEvacuate(page, options) {
    const frame = await pluginFrame(page);
    await frame.evaluate(() => localStorage.removeItem("vf-migration:evacuation"));
    await page.goto(page.url().replace(/#.*$/, "") + `#/evacuate?${options}`);
    await page.reload();
    await page.locator("#host-apps nav").first().waitFor();
    const f = await pluginFrame(page);
    await f.locator("#vfm-evacuate").waitFor();
    return f;
}

describe("evacuating the source on the simulated pair", () => {
    const cockpit = useCockpit("local");
    let restoreKeys = () => {};

    beforeAll(() => {
        if (!process.env.COCKPIT_URL || !pairIsUp())
            throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see test/browser/README.md)");
        guestsOnSourceWithVfs();
        restoreKeys = P.trustHostKeys();
    }, 180000);

    afterAll(() => {
        cleanUp();
        restoreKeys();
    }, 180000);

    test("three VMs there and back: two at a time as the admin chose, through a page reload, then home from the destination's page after preparing the VFs they left; each runs once throughout", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page, context }) => {
            const frame = await openEvacuate(page, `destination=${P.HOSTNAME.destination}`);
            const plan = frame.locator("#vfm-evacuation-plan");
            await eventually(async () => expect(await plan.getAttribute("data-rows")).toBe("3"), 60000);
            expect(await plan.getAttribute("data-refused")).toBe("no");
            const given = [];
            for (const g of GUESTS)
                given.push(await frame.locator(`#vfm-evacuation-plan-${g.name}`).getAttribute("data-vf"));
            expect(given).toEqual(["0000:c1:00.1", "0000:c1:00.2", "0000:c1:00.3"]);
            await frame.locator("#vfm-evacuation-limit").selectOption("2");
            // capped, so that the two are still moving when the page opens again
            await frame.locator("#vfm-evacuation-bandwidth").fill("16");

            const watch = oneCopy.watchOneCopy(WATCH);
            await frame.locator("#vfm-evacuation-start").click();
            await frame.locator("#vfm-evacuation-confirm-run").click();
            // the page's rows, sampled: how many migrate at once
            let peak = 0;
            const sample = async f => {
                const moving = await f.locator("#vfm-evacuation-rows tr[data-status='running'], #vfm-evacuation-rows tr[data-status='checking']").count();
                peak = Math.max(peak, moving);
                return moving;
            };
            await eventually(async () => expect(await sample(frame)).toBe(2), 60000);
            // both migrations in libvirt's hands: the incoming VMs exist on the destination
            await eventually(async () => expect(P.activeOn("destination").sort()).toEqual(["guest1", "guest2"]), 60000);
            // the page closes mid-run: the migrations go on in libvirt; the page that opens again follows the two and
            // asks before starting the third
            await page.reload();
            await page.locator("#host-apps nav").first().waitFor();
            const again = await pluginFrame(page);
            const resume = again.locator("#vfm-evacuation-resume");
            await resume.waitFor({ timeout: 60000 });
            expect(await resume.innerText()).toContain("1 of its VMs has not started yet");
            expect(await again.locator(`#vfm-evacuation-row-guest3`).getAttribute("data-status")).toBe("waiting");
            for (const vm of ["guest1", "guest2"])
                expect(["running", "moved", "not-here"]).toContain(await again.locator(`#vfm-evacuation-row-${vm}`).getAttribute("data-status"));
            expect(P.activeOn("destination")).not.toContain("guest3");
            await again.locator("#vfm-evacuation-resume-start").click();
            await eventually(async () => {
                await sample(again);
                expect(await again.locator("#vfm-evacuation").getAttribute("data-phase")).toBe("finished");
            }, 240000);
            oneCopy.assertOneCopy(await watch.stop());
            expect(peak).toBe(2);
            // the two followed after the reload end as moved (or, if they ended before the page looked, as gone from here)
            for (const g of GUESTS)
                expect(["moved", "not-here"]).toContain(await again.locator(`#vfm-evacuation-row-${g.name}`).getAttribute("data-status"));
            expect(await again.locator("#vfm-evacuation-row-guest3").getAttribute("data-status")).toBe("moved");
            expect(P.activeOn("source")).toEqual([]);
            GUESTS.forEach((g, n) => {
                expect(P.runningOn("destination")).toContain(g.name);
                expect(P.virsh("destination", "dumpxml", g.name)).toContain(`bus='0xc1' slot='0x00' function='0x${n + 1}'`);
            });
            const departed = JSON.parse(P.ok("source", ["cat", DEPARTED])).departed;
            expect(departed.map(d => [d.vm, d.ended]).sort()).toEqual(GUESTS.map(g => [g.name, true]));

            // the way back runs from the destination's own page, for these VMs. The VFs they left here went back to
            // mlx5_core: the plan there is refused until this host's VFs are prepared again, which it offers
            const link = await again.locator("#vfm-evacuation-back").getAttribute("href");
            expect(link).toBe(`https://${P.HOSTNAME.destination}:9090/vf-migration#/evacuate?destination=${P.HOSTNAME.source}&vms=guest1%2Cguest2%2Cguest3`);
            const there = await context.newPage();
            await there.goto(link.replace(`https://${P.HOSTNAME.destination}:9090`, peerUrl()));
            await there.locator("#host-apps nav").first().waitFor();
            const back = await pluginFrame(there);
            await eventually(async () => expect(await back.locator("#vfm-evacuation-plan").getAttribute("data-refused")).toBe("yes"), 90000);
            expect(await back.locator("#vfm-evacuation-refused").innerText())
                .toContain("The destination has 0 free prepared VFs for 3 VMs: 3 more can be prepared there");
            expect(await back.locator("#vfm-evacuation-start").isDisabled()).toBe(true);
            await back.locator("#vfm-evacuation-prepare").click();
            expect(await back.locator("#vfm-evacuation-prepare-confirm").innerText()).toContain("0000:e1:00.3");
            await back.locator("#vfm-evacuation-prepare-run").click();
            await eventually(async () => expect(await back.locator("#vfm-evacuation-plan").getAttribute("data-refused")).toBe("no"), 90000);
            for (const g of GUESTS)
                expect(P.ok("source", ["readlink", "-f", `/sys/bus/pci/devices/0000:e1:00.${g.fn}/driver`]).trim().split("/").pop()).toBe("driver");

            const home = oneCopy.watchOneCopy(WATCH);
            await back.locator("#vfm-evacuation-start").click();
            await back.locator("#vfm-evacuation-confirm-run").click();
            await eventually(async () => expect(await back.locator("#vfm-evacuation").getAttribute("data-phase")).toBe("finished"), 240000);
            oneCopy.assertOneCopy(await home.stop());
            for (const g of GUESTS) {
                expect(await back.locator(`#vfm-evacuation-row-${g.name}`).getAttribute("data-status")).toBe("moved");
                expect(P.runningOn("source")).toContain(g.name);
                expect(P.virsh("source", "dumpxml", g.name)).toContain(`bus='0xe1' slot='0x00' function='0x${g.fn}'`);
            }
            // nothing left behind on the destination: no VM, and no VF on a VFIO driver without one
            expect(P.activeOn("destination")).toEqual([]);
            for (const g of GUESTS) {
                const driver = P.ok("destination", ["readlink", "-f", `/sys/bus/pci/devices/0000:c1:00.${g.fn}/driver`]).trim().split("/").pop();
                expect(driver).toBe("mlx5_core");
            }
        }), TEST_TIMEOUT);
});
