/*
 * The wizard's migration stage on the simulated pair, with the real guest and the simulated VF passthrough.
 * Each test sets up what the earlier stages would have left — guest1 running on the source with the VF attached
 * (`virsh attach-device` on the source), and the wizard's state at the migrate stage in localStorage — so it does
 * not depend on them. Both hosts' `virsh list` is sampled throughout: one copy of the VM runs at any time.
 * Needs the pair (ready-pair); run under /run/vfsim-pair.lock.
 */
const { describe, test, expect, beforeAll, afterAll, beforeEach, afterEach } = require("@jest/globals");
const { useCockpit, inBrowser, openWith, pluginFrame, eventually } = require("./harness");
const { pairIsUp, peerUrl } = require("./simpair");
const P = require("./migrate-pair");

const TEST_TIMEOUT = 240000;

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see test/browser/README.md)");
});

/** The wizard at its migrate stage with the given state, as the earlier stages leave it, opened afresh. */
async function openMigrateStage(page, cockpit, state) {
    const frame = await openWith(page, cockpit, "/vf-migration#/migrate", { "vf-migration:wizard": JSON.stringify(state) });
    await frame.locator("#vfm-stage-migrate").waitFor();
    return frame;
}

const phase = frame => frame.locator("#vfm-stage-migrate").getAttribute("data-phase");

/** Where the source notes the VMs that left it through the page. */
const DEPARTED = "/var/lib/cockpit-vf-migration/departed.json";
/** The preparation's record on each host. */
const PREPARED = "/var/lib/cockpit-vf-migration/prepare.json";

/** The wizard's first stage, afresh (no wizard in progress). */
async function openChooseStage(page, cockpit) {
    const frame = await openWith(page, cockpit, "/vf-migration#/migrate", { "vf-migration:wizard": null });
    await frame.locator("#vfm-stage-choose").waitFor();
    return frame;
}

async function waitPhase(frame, wanted, timeoutMs = 60000) {
    await eventually(async () => expect(wanted).toContain(await phase(frame)), timeoutMs);
    return phase(frame);
}

function expectOnSourceOnly() {
    expect(P.runningOn("source")).toContain(P.VM);
    expect(P.activeOn("destination")).not.toContain(P.VM);
}

function expectMovedToDestination() {
    expect(P.runningOn("destination")).toContain(P.VM);
    expect(P.definedOn("source")).not.toContain(P.VM);
    for (const xml of [P.virsh("destination", "dumpxml", P.VM), P.virsh("destination", "dumpxml", "--inactive", P.VM)]) {
        expect(xml).toContain(P.addressOn("destination"));
        expect(xml).toContain(P.MAC);
    }
    expect(P.driverOf("destination")).toBe("mlx5_vfio_pci");
    expect(P.driverOf("source")).toBe("mlx5_core");
}

/** Migrates with the wizard from the plan to the verify stage; returns the stage's frame. */
async function migrateWithWizard(frame) {
    await waitPhase(frame, ["ready"]);
    await frame.locator("#vfm-migrate-start").click();
    await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("verify"), 120000);
}

describe("the migration stage on the simulated pair", () => {
    const cockpit = useCockpit("local");
    let restoreKeys = () => {};
    let watch = null;

    beforeAll(() => {
        P.backToReadyPair();
        restoreKeys = P.trustHostKeys();
    }, 120000);

    afterAll(() => {
        P.run("destination", ["systemctl", "start", "virtqemud.service"]);
        // the way back prepared the source from the destination's page: its records go, as the other files expect none
        for (const h of ["source", "destination"])
            P.run(h, ["rm", "-f", DEPARTED, PREPARED]);
        P.backToReadyPair();
        restoreKeys();
    }, 120000);

    /** The host whose libvirt the running test stopped on purpose, if any. */
    let libvirtStoppedOn = null;

    /** From here until the test ends, both hosts' `virsh list` are sampled. */
    const watchFromNow = () => { watch = P.watchOneCopy() };

    beforeEach(() => {
        P.guestOnSourceWithVf();
        P.ok("source", ["rm", "-f", DEPARTED]);
        P.ok("destination", ["rm", "-f", DEPARTED]);
        watch = null;
    }, 120000);

    afterEach(async () => {
        expect(watch).not.toBeNull();
        const { violations, samples } = await watch.stop();
        expect(samples).toBeGreaterThan(0);
        // a host whose libvirt the test stopped cannot be read meanwhile (the VM's place is then checked at the end): a
        // read refused ("failed to connect to the hypervisor"), or one in flight as libvirtd stops, which virsh may
        // end with no message (seen once in CI: "Command failed", empty stderr)
        expect(violations.filter(v => !(libvirtStoppedOn && v.includes(` ${libvirtStoppedOn}: virsh -c qemu:///system list --all failed: `)))).toEqual([]);
        libvirtStoppedOn = null;
        expect(P.runningOn("source").concat(P.runningOn("destination")).filter(n => n === P.VM)).toHaveLength(1);
    });

    test("the plan is shown, then the VM migrates live to the destination's VF and the wizard moves on to verification", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            expect(await frame.locator("#vfm-migrate-uri").innerText()).toBe(`qemu+ssh://root@${P.HOSTNAME.destination}/system`);
            const flags = await frame.locator("#vfm-migrate-flags").getAttribute("data-flags");
            expect(flags.split(" ")).toEqual(expect.arrayContaining(["LIVE", "PEER2PEER", "PERSIST_DEST", "UNDEFINE_SOURCE"]));
            expect(flags).not.toContain("POSTCOPY");
            // the change in words first; the lines one click away
            const words = await frame.locator("#vfm-migrate-xml-words").innerText();
            expect(words).toContain(`its VF is ${P.VF.destination.pci} instead of ${P.VF.source.pci}. Nothing else in it changes.`);
            expect(await frame.locator("#vfm-migrate-diff-live").isVisible()).toBe(false);
            await frame.locator("#vfm-migrate-xml-details button").first().click();
            const diff = await frame.locator("#vfm-migrate-diff-live").innerText();
            expect(diff).not.toContain("@@");
            expect(diff).toContain(`- <address type='pci' domain='0x0000' ${P.addressOn("source")}/>`);
            expect(diff).toContain(`+ <address type='pci' domain='0x0000' ${P.addressOn("destination")}/>`);
            expect(diff.split("\n").filter(l => l.startsWith("+ "))).toHaveLength(1);
            expect(await frame.locator("#vfm-migrate-diff-persistent").innerText()).toContain(P.addressOn("destination"));
            const virshLine = (await frame.locator("#vfm-migrate-virsh").innerText()).trim();
            expect(virshLine).toContain("virsh -c qemu:///system migrate --live --p2p");
            expect(virshLine).toContain(`--desturi qemu+ssh://root@${P.HOSTNAME.destination}/system`);
            await eventually(async () => expect(await frame.locator("#vfm-migrate-vf-status").getAttribute("data-verdict")).toBe("ok"), 30000);
            expect(await frame.locator("#vfm-migrate-vf-status").innerText()).toContain("free, unbound, migratable");

            await migrateWithWizard(frame);
            expectMovedToDestination();
        }), TEST_TIMEOUT);

    test("and back (A→B→A): the admin moves it back with virsh on the destination, and the wizard migrates it again onto the released VF", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            let frame = await openMigrateStage(page, cockpit, P.wizardState());
            await migrateWithWizard(frame);
            expectMovedToDestination();
            // the source's VM list still names guest1: where it went, and a link to the way back from there
            frame = await openChooseStage(page, cockpit);
            const left = frame.locator(`#vfm-departed-${P.VM}`);
            await eventually(async () => expect(await left.innerText()).toContain(
                `${P.VM} was migrated to root@${P.HOSTNAME.destination} on `), 30000);
            expect(await left.innerText()).toContain(`onto its VF ${P.VF.destination.pci}`);
            expect(await left.locator("a").getAttribute("href")).toBe(
                `https://${P.HOSTNAME.destination}:9090/vf-migration#/migrate?vm=${P.VM}&destination=${P.HOSTNAME.source}`);
            // B→A as an admin does it on the destination: its VF's address replaced by the source's in both documents
            P.virshMigrate("destination");
            expectOnSourceOnly();
            // back here: no longer listed as gone
            await frame.locator("#vfm-choose-vms-refresh").click();
            await frame.locator(`#vfm-vm-${P.VM}`).waitFor();
            await eventually(async () => expect(await left.count()).toBe(0));
            expect(P.virsh("source", "dumpxml", P.VM)).toContain(P.addressOn("source"));
            expect(P.driverOf("source")).toBe("mlx5_vfio_pci");
            expect(P.driverOf("destination")).toBe("mlx5_core");
            // A→B again: the destination VF is now on mlx5_core (released), which the re-check accepts
            frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            await eventually(async () => expect(await frame.locator("#vfm-migrate-vf-status").innerText()).toContain("on mlx5_core"), 30000);
            await migrateWithWizard(frame);
            expectMovedToDestination();
        }), TEST_TIMEOUT);

    test("either host drives: A→B from the source's page, then B→A from the destination's own page, onto the VF the VM left", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page, context }) => {
            watchFromNow();
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await migrateWithWizard(frame);
            expectMovedToDestination();
            // the way back runs where the VM now is: "Bring it back" opens the destination's own Cockpit (here its
            // forwarded port), whose page reaches the source over SSH
            const start = await openChooseStage(page, cockpit);
            const link = await start.locator(`#vfm-departed-${P.VM} a`).getAttribute("href", { timeout: 30000 });
            const there = await context.newPage();
            await there.goto(link.replace(`https://${P.HOSTNAME.destination}:9090`, peerUrl()));
            await there.locator("#host-apps nav").first().waitFor();
            const back = await pluginFrame(there);
            await back.locator("#vfm-stage-choose").waitFor();
            expect(await back.locator("#vfm-choose-host").inputValue()).toBe(P.HOSTNAME.source);
            await eventually(async () => expect(await back.locator(`#vfm-vm-radio-${P.VM}`).isChecked()).toBe(true), 30000);
            await back.locator("#vfm-choose-connect").click();
            await back.locator("#vfm-choose-contact-ok").waitFor({ timeout: 30000 });
            // Next, stage after stage, until the migration's plan. The source's VF, back on mlx5_core since the VM
            // left it, is prepared again (taken off its host driver): the only step to run on either host
            let prepared = false;
            await eventually(async () => {
                const stage = await back.locator("#vfm-wizard").getAttribute("data-stage");
                if (stage === "prepare" && !prepared && await back.locator("#vfm-prepare-start").isEnabled()) {
                    // on this page the VM's host (B) is the "source" column, and the host it goes back to (A) the "destination"
                    expect(await back.locator("#vfm-prepare-host-destination").innerText()).toContain("1 of 19 steps to do");
                    expect(await back.locator("#vfm-prepare-host-source").innerText()).not.toContain("To run");
                    await back.locator("#vfm-prepare-start").click();
                    prepared = true;
                }
                if (await back.locator("#vfm-prepare-confirm-run").isVisible().catch(() => false))
                    await back.locator("#vfm-prepare-confirm-run").click();
                if (stage !== "migrate" && await back.locator("#vfm-wizard-next").isEnabled())
                    await back.locator("#vfm-wizard-next").click();
                expect(stage).toBe("migrate");
            }, 180000);
            expect(prepared).toBe(true);
            await waitPhase(back, ["ready"]);
            // the VF the VM left on the source, prepared again, is the one it takes
            await eventually(async () => expect(await back.locator("#vfm-migrate-vf-status").innerText())
                .toContain(`Destination VF ${P.VF.source.pci}: free, unbound, migratable`), 30000);
            await migrateWithWizard(back);
            expectOnSourceOnly();
            expect(P.definedOn("destination")).not.toContain(P.VM);
            for (const xml of [P.virsh("source", "dumpxml", P.VM), P.virsh("source", "dumpxml", "--inactive", P.VM)])
                expect(xml).toContain(P.addressOn("source"));
            expect(P.driverOf("source")).toBe("mlx5_vfio_pci");
            expect(P.driverOf("destination")).toBe("mlx5_core");
            // each host's page noted where the VM went from it; the source's no longer names it, as it runs there again
            expect(JSON.parse(P.ok("destination", ["cat", DEPARTED])).departed[0]).toMatchObject({
                vm: P.VM, to: { host: P.HOSTNAME.source }, vf: P.VF.source.pci, ended: true,
            });
            const again = await openChooseStage(page, cockpit);
            await again.locator(`#vfm-vm-${P.VM}`).waitFor();
            expect(await again.locator(`#vfm-departed-${P.VM}`).count()).toBe(0);
        }), TEST_TIMEOUT);

    test("cancelling mid-way (confirmed) leaves the VM running on the source with its VF", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            const frame = await openMigrateStage(page, cockpit, P.wizardState({ bandwidth: 4 }));
            await waitPhase(frame, ["ready"]);
            await frame.locator("#vfm-migrate-start").click();
            await waitPhase(frame, ["running"]);
            // progress from GetJobStats: some data sent, some remaining, the chart growing
            await eventually(async () => expect(Number(await frame.locator("#vfm-migrate-progress").getAttribute("data-percent"))).toBeGreaterThan(5), 30000);
            // the first pages of the guest's memory are zero pages, counted with next to no data sent
            await eventually(async () => expect(await frame.locator("#vfm-migrate-processed").innerText()).toMatch(/MiB/), 30000);
            expect(await frame.locator("#vfm-migrate-rate").innerText()).toMatch(/\/s$/);
            expect(await frame.locator("#vfm-migrate-vfio-note").innerText()).toMatch(/VF/);
            await eventually(async () => expect(Number(await frame.locator("#vfm-migrate-chart").getAttribute("data-points"))).toBeGreaterThan(2), 10000);
            // the dialog first: "Keep migrating" changes nothing
            await frame.locator("#vfm-migrate-abort").click();
            await frame.locator("#vfm-migrate-abort-keep").click();
            expect(await phase(frame)).toBe("running");
            await frame.locator("#vfm-migrate-abort").click();
            await frame.locator("#vfm-migrate-abort-confirm").click();
            await waitPhase(frame, ["failed"], 60000);
            // libvirt's own words for the cancelled job are shown as they are
            console.log(`libvirt after AbortJob: ${await frame.locator("#vfm-migrate-failed-detail").innerText()}`);
            expect(await frame.locator("#vfm-migrate-failed").getAttribute("data-kind")).toBe("cancelled");
            expect(await frame.locator("#vfm-migrate-vm-where").getAttribute("data-where")).toBe("running-here");
            expect(await frame.locator("#vfm-migrate-vm-where").innerText()).toBe("guest1 is still running on this host.");
            expectOnSourceOnly();
            expect(P.virsh("source", "dumpxml", P.VM)).toContain(P.addressOn("source"));
            expect(P.driverOf("source")).toBe("mlx5_vfio_pci");
        }), TEST_TIMEOUT);

    test("closing the page mid-migration does not stop it; reopening shows its progress, then verification", async () => {
        watchFromNow();
        await inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openMigrateStage(page, cockpit, P.wizardState({ bandwidth: 8 }));
            await waitPhase(frame, ["ready"]);
            await frame.locator("#vfm-migrate-start").click();
            await waitPhase(frame, ["running"]);
            await eventually(async () => expect(Number(await frame.locator("#vfm-migrate-progress").getAttribute("data-percent"))).toBeGreaterThan(0), 30000);
        }); // the browser context closes here, mid-migration
        expect(P.activeOn("source")).toContain(P.VM);
        expect(P.ok("source", ["virsh", "-c", "qemu:///system", "domjobinfo", "--domain", P.VM])).toMatch(/Job type:\s+Unbounded/);
        await inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            // the same browser profile keeps the wizard's state: put it back in this fresh context
            const frame = await openMigrateStage(page, cockpit, P.wizardState({ bandwidth: 8 }));
            await waitPhase(frame, ["running"], 30000);
            expect(await frame.locator("#vfm-migrate-progress").getAttribute("data-attached")).toBe("yes");
            expect(await frame.locator("#vfm-migrate-attached").innerText()).toContain("is running in libvirt on this host");
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("verify"), 120000);
        });
        expectMovedToDestination();
    }, TEST_TIMEOUT);

    test("a migration that ends with no page following it: the source's VM list still names the VM, and says no page saw the end", async () => {
        watchFromNow();
        await inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openMigrateStage(page, cockpit, P.wizardState({ bandwidth: 16 }));
            await waitPhase(frame, ["ready"]);
            await frame.locator("#vfm-migrate-start").click();
            await waitPhase(frame, ["running"]);
        }); // the browser context closes here, mid-migration
        await eventually(async () => {
            expect(P.runningOn("destination")).toContain(P.VM);
            expect(P.activeOn("source")).not.toContain(P.VM);
        }, 120000);
        await inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openChooseStage(page, cockpit);
            const left = frame.locator(`#vfm-departed-${P.VM}`);
            await eventually(async () => expect(await left.innerText()).toContain(
                `A migration of ${P.VM} to root@${P.HOSTNAME.destination} started on `), 30000);
            expect(await left.innerText()).toContain(`No page followed it to its end; ${P.VM} no longer runs on this host.`);
            expect(await left.getAttribute("data-ended")).toBe("false");
            expect(await left.locator("a").getAttribute("href")).toBe(
                `https://${P.HOSTNAME.destination}:9090/vf-migration#/migrate?vm=${P.VM}&destination=${P.HOSTNAME.source}`);
        });
        expectMovedToDestination();
    }, TEST_TIMEOUT);

    test("the destination VF taken by another VM after the checks is caught before the call", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            await eventually(async () => expect(await frame.locator("#vfm-migrate-vf-status").getAttribute("data-verdict")).toBe("ok"), 30000);
            try {
                P.startIntruder();
                await frame.locator("#vfm-migrate-start").click();
                await waitPhase(frame, ["refused"], 60000);
                const text = await frame.locator("#vfm-migrate-refused").innerText();
                expect(text).toContain("Not started");
                expect(text).toContain(`The destination VF ${P.VF.destination.pci} is now used by the VM intruder`);
                expectOnSourceOnly();
                expect(P.driverOf("source")).toBe("mlx5_vfio_pci");
            } finally {
                P.removeIntruder();
            }
            // once it is free again, the check passes and the migration can go ahead
            await frame.locator("#vfm-migrate-recheck").click();
            await waitPhase(frame, ["ready"], 30000);
        }), TEST_TIMEOUT);

    test("the destination VF's representor down after the checks (as after a reboot) is caught before the call", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            const REP = "enp193s0npf0vf0";
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            try {
                P.ok("destination", ["ip", "link", "set", "dev", REP, "down"]);
                await frame.locator("#vfm-migrate-start").click();
                await waitPhase(frame, ["refused"], 60000);
                expect(await frame.locator("#vfm-migrate-refused").innerText()).toContain(
                    `The representor ${REP} of the destination VF ${P.VF.destination.pci} is down: the VM's traffic would stop there. Bring it up (ip link set dev ${REP} up)`);
                expectOnSourceOnly();
            } finally {
                P.ok("destination", ["ip", "link", "set", "dev", REP, "up"]);
            }
            await frame.locator("#vfm-migrate-recheck").click();
            await waitPhase(frame, ["ready"], 30000);
        }), TEST_TIMEOUT);

    test("the destination VF's representor taken out of the bridge after the checks is caught before the call", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            const REP = "enp193s0npf0vf0";
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            try {
                P.ok("destination", ["ovs-vsctl", "del-port", "br-vf", REP]);
                await frame.locator("#vfm-migrate-start").click();
                await waitPhase(frame, ["refused"], 60000);
                expect(await frame.locator("#vfm-migrate-refused").innerText()).toContain(
                    `The representor ${REP} of the destination VF ${P.VF.destination.pci} is not in bridge br-vf: the VM would have no network there. Add it (ovs-vsctl add-port br-vf ${REP})`);
                expectOnSourceOnly();
            } finally {
                P.ok("destination", ["ovs-vsctl", "--may-exist", "add-port", "br-vf", REP]);
            }
            await frame.locator("#vfm-migrate-recheck").click();
            await waitPhase(frame, ["ready"], 30000);
        }), TEST_TIMEOUT);

    test("the VM's VLAN on this host's representor port and none on the destination's is caught before the call, with the command that fixes it", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            const [HERE, THERE] = ["enp225s0npf0vf0", "enp193s0npf0vf0"];
            try {
                P.ok("source", ["ovs-vsctl", "set", "port", HERE, "tag=100"]);
                const frame = await openMigrateStage(page, cockpit, P.wizardState());
                await waitPhase(frame, ["ready"]);
                const status = frame.locator("#vfm-migrate-vf-status");
                await eventually(async () => expect(await status.getAttribute("data-verdict")).toBe("refused"), 30000);
                const fix = `ovs-vsctl clear port ${THERE} tag trunks -- set port ${THERE} tag=100`;
                expect(await frame.locator("#vfm-migrate-vf-recheck").innerText()).toContain(
                    `The VM's VF here leaves through ${HERE} in VLAN 100; the destination VF's representor ${THERE} is in every VLAN (no tag): the VM would lose its network there. Make them the same on the destination: ${fix}`);
                await frame.locator("#vfm-migrate-start").click();
                await waitPhase(frame, ["refused"], 60000);
                expect(await frame.locator("#vfm-migrate-refused").innerText()).toContain("Not started: the VM's VLAN is not carried on the destination");
                expect(await frame.locator("#vfm-migrate-refused").innerText()).toContain(fix);
                expectOnSourceOnly();
                // the admin runs the command shown on the destination: the check passes
                P.ok("destination", fix.split(" "));
                await frame.locator("#vfm-migrate-recheck").click();
                await waitPhase(frame, ["ready"], 30000);
                await eventually(async () => expect(await status.getAttribute("data-verdict")).toBe("ok"), 30000);
            } finally {
                P.ok("source", ["ovs-vsctl", "clear", "port", HERE, "tag"]);
                P.ok("destination", ["ovs-vsctl", "clear", "port", THERE, "tag"]);
            }
        }), TEST_TIMEOUT);

    test("the VM holding this host's VF through plain vfio-pci (attached by hand, no variant driver) is caught before the call", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            // as an admin attaches it who opts out of libvirt's variant driver (or an older libvirt): QEMU would refuse
            // the migration only once the destination is set up ("VFIO device doesn't support migration")
            // (set up before the one-copy watch: the VM is restarted; the next test's setup puts the VF back as it was)
            P.guestOnSourceWithPlainVfioVf();
            watchFromNow();
            expect(P.driverOf("source")).toBe("vfio-pci");
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            // both VFs are read as the stage opens: this host's row already says why the call would fail
            await eventually(async () => expect(await frame.locator("#vfm-migrate-vf-status").getAttribute("data-verdict")).toBe("refused"), 30000);
            expect(await frame.locator("#vfm-migrate-vf-recheck").getAttribute("data-verdict")).toBe("pass");
            await frame.locator("#vfm-migrate-start").click();
            await waitPhase(frame, ["refused"], 60000);
            const text = await frame.locator("#vfm-migrate-refused").innerText();
            expect(text).toContain("Not started: QEMU cannot migrate this host's VF");
            expect(text).toContain(`${P.VM} holds this host's VF ${P.VF.source.pci} through vfio-pci, not mlx5_vfio_pci: QEMU cannot migrate it.`);
            expectOnSourceOnly();
        }), TEST_TIMEOUT);

    test("destination libvirtd stopped: libvirt's error in plain words, the VM still on the source", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            watchFromNow();
            libvirtStoppedOn = "destination";
            P.ok("destination", ["systemctl", "stop", "virtqemud.service"]);
            let text;
            try {
                const frame = await openMigrateStage(page, cockpit, P.wizardState());
                await waitPhase(frame, ["ready"]);
                await frame.locator("#vfm-migrate-start").click();
                await waitPhase(frame, ["failed"], 90000);
                text = await frame.locator("#vfm-migrate-failed").innerText();
                expect(await frame.locator("#vfm-migrate-failed").getAttribute("data-kind")).toBe("unreachable");
                expect(await frame.locator("#vfm-migrate-vm-where").getAttribute("data-where")).toBe("running-here");
            } finally {
                P.ok("destination", ["systemctl", "start", "virtqemud.service"]);
            }
            expect(text).toContain("could not connect to libvirt on the destination");
            expect(text).toContain("libvirt runs on the destination");
            expectOnSourceOnly();
        }), TEST_TIMEOUT);

    test("the source VF's port not migratable (turned off before the VF was attached): caught before the call, in this host's words", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            // migratable is set while the VF is unbound: back to ready-pair (no VF attached), turn it off, attach
            P.backToReadyPair();
            // the scenario reset the hosts' known_hosts (afterAll restores them as they were)
            P.trustHostKeys();
            P.ok("source", ["devlink", "port", "function", "set", "pci/0000:e1:00.0/1", "migratable", "disable"]);
            P.guestOnSourceWithVf();
            watchFromNow();
            const frame = await openMigrateStage(page, cockpit, P.wizardState());
            await waitPhase(frame, ["ready"]);
            await frame.locator("#vfm-migrate-start").click();
            // before this check, QEMU refused the call once the destination was set up ("VFIO migration is not supported")
            await waitPhase(frame, ["refused"], 60000);
            const text = await frame.locator("#vfm-migrate-refused").innerText();
            expect(text).toContain("Not started: QEMU cannot migrate this host's VF");
            expect(text).toContain(`This host's VF ${P.VF.source.pci} is not migratable (devlink port pci/0000:e1:00.0/1)`);
            expect(await frame.locator("#vfm-migrate-source-vf-recheck").getAttribute("data-verdict")).toBe("fail");
            expect(P.driverOf("source")).toBe("mlx5_vfio_pci");
            expectOnSourceOnly();
        }), TEST_TIMEOUT);
});
