/*
 * Host preparation from the wizard on the simulated pair: both hosts prepared from the page (reboots included, the
 * page resuming after each), the guard on mgmt-over-pf, injected failures of the steps (the tool's own error text
 * shown, the host left as the status page then reports), and a page closed mid-way that picks up where it was.
 * Needs the pair (COCKPIT_URL etc., see test/browser/README.md), under /run/vfsim-pair.lock.
 */
const { describe, test, expect, beforeAll, afterAll, afterEach } = require("@jest/globals");
const path = require("path");
const { useCockpit, inBrowser, eventually, pluginFrame, root } = require("./harness");
const { DESTINATION, loadScenario, pairIsUp, hostExec, changeHw, setHwFaults, peerUrl } = require("./simpair");
const oneCopy = require("../lib/one-copy");
const { sleep } = require("../lib/cockpit-ws.processes");
const { openPrepare, phaseOf, statusPage } = require("./prepare-lib");
const { fourLooks } = require("./looks");
const { trustHostKeys, backToReadyPair, activeOn, HOSTNAME } = require("./migrate-pair");

const AFTER_REBOOT = path.join(__dirname, "scenarios", "prepare-after-reboot.json");
const PROGRESS = "/var/lib/cockpit-vf-migration/prepare.json";
const EXEC = path.join(__dirname, "..", "simhost", "exec");
/** guest1 runs once, on one host, throughout the maintenance's migrations */
const WATCH = { vms: ["guest1"], hosts: { source: [EXEC, "source"], destination: [EXEC, "destination"] } };

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and set COCKPIT_URL");
});

afterEach(() => oneCopy.stopLeftOverWatchers());

afterAll(() => {
    // other test files expect the guest the scenarios define to run, on the source: a test that failed mid-way may
    // have left it on the destination, where the maintenance moves it
    if (activeOn("destination").includes("guest1")) {
        const restoreKeys = trustHostKeys();
        try {
            // without a VF: the maintenance moved it before its VF was attached
            hostExec("destination", "virsh", "-c", "qemu:///system", "migrate", "--live", "--persistent", "--undefinesource", "guest1",
                     `qemu+ssh://root@${HOSTNAME.source}/system`);
        } finally {
            restoreKeys();
        }
    }
    hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
});

/**
 * A scenario, with no preparation record left by an earlier test, the guest running on the source, and the tools'
 * simulated delays (seconds for mstconfig) cut to a twentieth so that the file runs in minutes.
 */
function fresh(scenario) {
    loadScenario(scenario);
    for (const h of ["source", "destination"]) {
        hostExec(h, "rm", "-f", PROGRESS);
        changeHw(h, "st['timing']['scale'] = 0.05");
    }
    hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
}

/** Runs python inside a host to change the simulated hardware's state (hw.json) without reloading the scenario. */

/** Changes the services stand-ins' state (failing package installs, unit starts) in place. */
function setServices(host, change) {
    const code = "import sys, json, fcntl, os\nd = '/run/vfsim-host'\nch = json.loads(sys.argv[1])\n" +
        "with open(d + '/services.lock', 'a') as lk:\n    fcntl.flock(lk, fcntl.LOCK_EX)\n" +
        "    s = json.load(open(d + '/services.json'))\n" +
        "    s['packages']['fail_install'] = ch.get('failInstall', [])\n" +
        "    for u, v in s['units'].items(): v['fail_start'] = u in ch.get('failStart', [])\n" +
        "    json.dump(s, open(d + '/services.json.tmp', 'w'))\n    os.replace(d + '/services.json.tmp', d + '/services.json')\n";
    const r = hostExec(host, "/usr/bin/python3", "-c", code, JSON.stringify(change));
    if (r.status !== 0)
        throw new Error(`changing services on ${host}: ${r.stderr}`);
}

/**
 * Presses the run on, answering every confirmation, until the run ends (done, failed, blocked, stopped, rebooting
 * this host) or a dialog in `stopAt` shows. Returns what it ended on and the dialogs it confirmed.
 */
// A read of a host (the probe) takes 5 s on an idle pair and 12 s or more on a loaded 2-core machine (test/bench/
// status-page.js), and the run reads the host after every step: the limits leave room for a loaded machine.
async function drive(frame, { stopAt = [], timeoutMs = 420000, waitingPicture = null } = {}) {
    const confirmed = [];
    // what the page said while it waited for a host (its first wording, with the buttons it offered)
    let waited = null;
    const deadline = Date.now() + timeoutMs;
    const dialogs = { confirm: "#vfm-prepare-confirm", reboot: "#vfm-prepare-reboot", override: "#vfm-prepare-override" };
    for (;;) {
        if (Date.now() > deadline)
            throw new Error(`preparation did not end in ${timeoutMs} ms (confirmed: ${confirmed.join(", ")})`);
        for (const [kind, sel] of Object.entries(dialogs)) {
            const d = frame.locator(sel);
            if (await d.isVisible().catch(() => false)) {
                const title = (await d.locator("h1, .pf-v6-c-modal-box__title").first().innerText()).trim();
                if (stopAt.includes(kind))
                    return { end: kind, title, confirmed, waited };
                confirmed.push(title);
                await frame.locator(`${sel}-run`).click();
                await d.waitFor({ state: "hidden" });
            }
        }
        // a host key asked again (e.g. the SSH master outlived a reload of the scenario): confirm it as the admin would
        if (await frame.locator("#vfm-hostkey-dialog").isVisible().catch(() => false))
            await frame.locator("#vfm-hostkey-accept").click();
        const phase = await phaseOf(frame);
        if (phase === "waiting" && waited === null) {
            const alert = frame.locator("#vfm-prepare-phase");
            waited = await alert.innerText().catch(() => null);
            // the admin guide's picture of the wait: taken once it shows the limit, the next try and both buttons
            if (waitingPicture && /stops waiting after[^]*Check now[^]*Stop waiting/.test(waited ?? "")) {
                await alert.scrollIntoViewIfNeeded().catch(() => {});
                await frame.page().screenshot({ path: path.join(root, "docs", "screenshots", `${waitingPicture}.png`) });
            }
        }
        if (["done", "failed", "blocked", "stopped", "rebooting-self"].includes(phase))
            return { end: phase, confirmed, waited };
        await sleep(250);
    }
}

async function stepState(frame, host, step) {
    return frame.locator(`#vfm-prepare-${host}-${step}`).getAttribute("data-state");
}

/** The status page's summaries for both hosts. */
async function statusSummaries(page, cockpit) {
    const frame = await statusPage(page, cockpit);
    const out = {};
    for (const h of ["source", "destination"]) {
        const s = frame.locator(`#vfm-summary-${h}`);
        await s.waitFor({ timeout: 60000 });
        out[h] = (await s.innerText()).trim();
    }
    return { frame, out };
}

async function verdict(frame, host, id) {
    const row = frame.locator(`#vfm-check-${host}-${id}`);
    await eventually(async () => expect(await row.getAttribute("data-verdict")).not.toBe("pending"), 60000);
    return row.getAttribute("data-verdict");
}

/** Marks the source's current boot: /run is emptied by its reboot (test/simhost/reboot). */
const BOOT_MARK = "/run/vfsim-test-boot-mark";
const markBoot = () => hostExec("source", "touch", BOOT_MARK);

/**
 * Waits until the source has rebooted (its boot mark gone: the reboot runs a moment after `systemctl reboot`
 * returns, and until then the old Cockpit still answers) and its Cockpit answers again.
 */
async function waitCockpit(url) {
    const deadline = Date.now() + 120000;
    for (;;) {
        const rebooted = hostExec("source", "test", "-e", BOOT_MARK).status !== 0;
        const ok = rebooted && await fetch(url + "/ping").then(r => r.ok, () => false);
        if (ok)
            return;
        if (Date.now() > deadline)
            throw new Error(rebooted ? "the source's Cockpit did not come back" : "the source did not reboot");
        await sleep(1000);
    }
}

describe("host preparation on the simulated pair", () => {
    const cockpit = useCockpit("local");

    test("fresh-pair: both hosts prepared from the page (a refused firmware setting and a failing grubby on the way, one undone), both reboots included, until the status page says ready", () => {
        fresh("fresh-pair");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            setHwFaults("source", [{ match: "mstconfig -y -d 0000:e1:00.0 set *", exit: 3,
                stderr: "-E- The Device doesn't support VF_MIGRATION_MODE parameter\n" }]);
            let frame = await openPrepare(page, cockpit);
            expect(await stepState(frame, "source", "firmware-settings")).toBe("needed");
            expect(await stepState(frame, "destination", "iommu-kernel-args")).toBe("needed");
            expect(await frame.locator("#vfm-prepare-needs-source").innerText()).toMatch(/needs a reboot[^]*Enable the IOMMU in the kernel/);
            await frame.locator("#vfm-prepare-start").click();

            // the run stops at the first failure with the tool's words; Retry goes on to the next one
            let r = await drive(frame);
            expect(r.end).toBe("failed");
            expect(await frame.locator("#vfm-prepare-failure").innerText()).toContain("doesn't support VF_MIGRATION_MODE");
            expect(await stepState(frame, "source", "firmware-settings")).toBe("failed");
            setHwFaults("source", [{ match: "grubby --args=*", exit: 1, stderr: "grubby fatal error: unable to find a suitable template\n" }]);
            await frame.locator("#vfm-prepare-retry").click();
            r = await drive(frame);
            expect(r.end).toBe("failed");
            expect(await frame.locator("#vfm-prepare-failure").innerText()).toContain("unable to find a suitable template");
            expect(await stepState(frame, "source", "iommu-kernel-args")).toBe("failed");
            // Undo runs the step's own undo commands, shown first
            await frame.locator("#vfm-prepare-undo").click();
            const undo = frame.locator("#vfm-prepare-undo-dialog");
            await undo.waitFor();
            expect(await undo.locator("input, textarea").first().inputValue()).toContain("--remove-args=");
            await frame.locator("#vfm-prepare-undo-run").click();
            await eventually(async () => expect(await phaseOf(frame)).toBeNull(), 30000);
            expect(await stepState(frame, "source", "iommu-kernel-args")).toBe("needed");
            setHwFaults("source", []);
            // the status page: the firmware setting waits for a reset or reboot, the kernel arguments are still missing
            const status = await statusPage(page, cockpit, false);
            expect(await verdict(status, "source", "fw-vf-migration")).toBe("pending-reboot");
            expect(await verdict(status, "source", "iommu-kernel")).toBe("fail");

            frame = await openPrepare(page, cockpit);
            expect(await stepState(frame, "source", "firmware-settings")).toBe("pending-firmware-reset");
            await frame.locator("#vfm-prepare-start").click();
            // this host runs guest1: the page refuses to reboot it, and says what to do instead
            r = await drive(frame, { waitingPicture: "wizard-prepare-waiting" });
            expect(r.end).toBe("blocked");
            expect(r.confirmed.join("\n")).toMatch(/Reboot rhel-dst|Reboot root@rhel-dst/);
            expect(await frame.locator("#vfm-prepare-blocked-reason").innerText()).toMatch(/guest1.*shut them down/s);
            expect(await stepState(frame, "source", "reboot")).toBe("blocked");
            // the destination rebooted and the page went on with it after it came back; meanwhile it said how long
            // it waits at most, when it tries next, and offered to check now or stop
            expect(await stepState(frame, "destination", "eswitch-switchdev")).toBe("done");
            expect(r.waited).toMatch(/Waiting for root@rhel-dst[^]*stops waiting after 15 minutes[^]*(Next try in \d+ s|Trying to reach it now)[^]*Check now[^]*Stop waiting/);

            // the way to empty it first, in one run: the maintenance moves guest1 to the destination by plain live
            // migration (it holds no VF yet, and this host's pending reboot does not stop that), reboots this host,
            // finishes its preparation and offers to bring guest1 back; each phase asks first
            const maintain = frame.locator("#vfm-prepare-maintenance");
            expect(await maintain.innerText()).toBe(`Maintenance: move its VM to ${DESTINATION} first`);
            await maintain.click();
            const panel = frame.locator("#vfm-maintenance");
            expect(await panel.getAttribute("data-phase")).toBe("evacuate");
            expect(await frame.locator("#vfm-evacuation-destination").innerText()).toBe(`Destination: root@${DESTINATION}`);
            await frame.locator("#vfm-evacuation-plan-guest1").waitFor({ timeout: 60000 });
            expect(await frame.locator("#vfm-evacuation-plan-guest1").getAttribute("data-vf")).toBe("none");
            expect(await frame.locator("#vfm-evacuation-plain").isChecked()).toBe(true);
            expect(await frame.locator("#vfm-evacuation-plan").getAttribute("data-refused")).toBe("no");
            // nothing moves before the evacuation's own confirmation
            expect(hostExec("source", "virsh", "-c", "qemu:///system", "domstate", "guest1").stdout.trim()).toBe("running");
            // the admin guide's pictures of the maintenance's first phase, with the looks checked in both styles at both widths
            expect(await fourLooks(page, frame, "maintenance-plan", "#vfm-maintenance")).toEqual([]);
            let watch = oneCopy.watchOneCopy(WATCH);
            await frame.locator("#vfm-evacuation-start").click();
            await frame.locator("#vfm-evacuation-confirm-run").click();
            const evacuated = frame.locator("#vfm-maintenance-evacuated");
            await evacuated.waitFor({ timeout: 180000 });
            oneCopy.assertOneCopy(await watch.stop());
            expect(await evacuated.innerText()).toContain(`The VMs run on root@${DESTINATION}`);
            expect(hostExec("destination", "virsh", "-c", "qemu:///system", "domstate", "guest1").stdout.trim()).toBe("running");
            // the page closes here: the maintenance is kept, at its first phase's end
            frame = await openPrepare(page, cockpit);
            expect(await frame.locator("#vfm-maintenance").getAttribute("data-phase")).toBe("evacuate");
            await frame.locator("#vfm-maintenance-continue").click({ timeout: 60000 });
            // the preparation goes on by itself, to this host's reboot, which asks first
            r = await drive(frame, { stopAt: ["reboot"] });
            expect(r.end).toBe("reboot");
            expect(await frame.locator("#vfm-maintenance").getAttribute("data-phase")).toBe("prepare");
            expect(await frame.locator("#vfm-prepare-reboot-self").isVisible()).toBe(true);
            markBoot();
            await frame.locator("#vfm-prepare-reboot-run").click();
            await waitCockpit(cockpit.url);

            // the page opened again after the reboot reads the hosts' records and continues, the maintenance too
            frame = await openPrepare(page, cockpit);
            expect(await frame.locator("#vfm-prepare-start").innerText()).toBe("Continue preparation");
            expect(await frame.locator("#vfm-maintenance").getAttribute("data-phase")).toBe("prepare");
            await eventually(async () => expect(await stepState(frame, "source", "reboot")).toBe("done"), 30000);
            await frame.locator("#vfm-prepare-start").click();
            r = await drive(frame);
            expect(r.end).toBe("done");

            // this host prepared, the maintenance offers the way back: the evacuation on the destination's own page,
            // toward this host, for guest1 alone, by plain live migration again
            await eventually(async () => expect(await frame.locator("#vfm-maintenance").getAttribute("data-phase")).toBe("return"), 60000);
            expect(await frame.locator("#vfm-maintenance-return").innerText()).toContain("This host is prepared. Not back here yet: guest1");
            expect(await fourLooks(page, frame, "maintenance-return", "#vfm-maintenance")).toEqual([]);
            const link = await frame.locator("#vfm-maintenance-back").getAttribute("href");
            expect(link).toBe(`https://${DESTINATION}:9090/vf-migration#/evacuate?destination=${HOSTNAME.source}&vms=guest1&plain=1`);
            const there = await page.context().newPage();
            await there.goto(link.replace(`https://${DESTINATION}:9090`, peerUrl()));
            await there.locator("#host-apps nav").first().waitFor();
            const back = await pluginFrame(there);
            // that page's first contact with this host: its key, which the admin confirms, and the plan is read
            let keyAsked = false;
            await eventually(async () => {
                if (await back.locator("#vfm-hostkey-dialog").isVisible()) {
                    keyAsked = true;
                    await back.locator("#vfm-hostkey-accept").click();
                }
                expect(await back.locator("#vfm-evacuation-plan").getAttribute("data-refused", { timeout: 1000 })).toBe("no");
            }, 90000);
            expect(keyAsked).toBe(true);
            expect(await back.locator("#vfm-evacuation-plan-guest1").getAttribute("data-vf")).toBe("none");
            watch = oneCopy.watchOneCopy(WATCH);
            await back.locator("#vfm-evacuation-start").click();
            await back.locator("#vfm-evacuation-confirm-run").click();
            await eventually(async () => expect(await back.locator("#vfm-evacuation").getAttribute("data-phase")).toBe("finished"), 180000);
            oneCopy.assertOneCopy(await watch.stop());
            expect(await back.locator("#vfm-evacuation-row-guest1").getAttribute("data-status")).toBe("moved");
            await there.close();
            // back on this host's page: it looks again, and the maintenance is over
            await frame.locator("#vfm-maintenance-look").click();
            await eventually(async () => expect(await frame.locator("#vfm-maintenance").getAttribute("data-phase")).toBe("done"), 60000);
            expect(hostExec("source", "virsh", "-c", "qemu:///system", "domstate", "guest1").stdout.trim()).toBe("running");
            await frame.locator("#vfm-maintenance-forget").click();
            expect(await frame.locator("#vfm-maintenance").count()).toBe(0);
            // the phase is the stage's; Next is the wizard's, one render later
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            // the checks ran before any VF existed, so they chose none: Next takes the admin back to them, said first
            expect(await frame.locator("#vfm-prepare-recheck").innerText()).toContain("Next runs the checks of the VM again");
            await frame.locator("#vfm-wizard-next").click();
            await frame.locator("#vfm-stage-checks").waitFor();
            expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("checks");

            const { frame: ready, out } = await statusSummaries(page, cockpit);
            expect(out).toEqual({ source: "Ready to migrate", destination: "Ready to migrate" });
            // the status page offers the same automation script
            await ready.locator("#vfm-status-automation-open").click();
            expect(await ready.locator("#vfm-automation-text").inputValue()).toContain("prepare_source()");

            // and on to the end (fresh pair → migrated): guest1, back from the maintenance, runs here; the wizard
            // resumes at its checks, which pick the VF prepared above; the VF is attached; guest1 migrates
            await page.goto(cockpit.url + "/vf-migration#/migrate");
            frame = await pluginFrame(page);
            await frame.locator("#vfm-stage-checks").waitFor({ timeout: 30000 });
            await eventually(async () => expect(await frame.locator("#vfm-checks-verdict").getAttribute("data-verdict")).toBe("ready"), 180000);
            await frame.locator("#vfm-wizard-next").click();
            await frame.locator("#vfm-attach-button").click({ timeout: 60000 });
            await eventually(async () => expect(await frame.locator("#vfm-stage-attach").getAttribute("data-attach")).toBe("attached"), 60000);
            await frame.locator("#vfm-wizard-next").click();
            const migrate = frame.locator("#vfm-stage-migrate");
            await eventually(async () => expect(await migrate.getAttribute("data-phase")).toBe("ready"), 60000);
            await frame.locator("#vfm-migrate-start").click();
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("verify"), 180000);
            await eventually(async () => expect(await frame.locator("#vfm-verify-verdict").getAttribute("data-verdict")).toBe("pass"), 120000);
            expect(hostExec("destination", "virsh", "-c", "qemu:///system", "domstate", "guest1").stdout.trim()).toBe("running");
            // guest1 back on the source (virsh, from the destination), where the next tests expect it
            const restoreKeys = trustHostKeys();
            try {
                backToReadyPair();
            } finally {
                restoreKeys();
            }
        });
    }, 1500000);

    test("a page closed during the preparation picks up from the hosts' records when opened again", () => {
        fresh(AFTER_REBOOT);
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            let frame = await openPrepare(page, cockpit);
            expect(await frame.locator("#vfm-prepare-start").innerText()).toBe("Prepare both hosts");
            await frame.locator("#vfm-prepare-start").click();
            // switchdev is confirmed and runs; the page goes away at the next confirmation
            let r = await drive(frame, { stopAt: ["confirm"] });
            expect(r.title).toMatch(/switchdev/i);
            await frame.locator("#vfm-prepare-confirm-run").click();
            r = await drive(frame, { stopAt: ["confirm"] });
            expect(r.end).toBe("confirm");
            expect(await stepState(frame, "source", "eswitch-switchdev")).toBe("done");
            await page.goto(cockpit.url + "/system");

            frame = await openPrepare(page, cockpit);
            expect(await frame.locator("#vfm-prepare-start").innerText()).toBe("Continue preparation");
            const row = frame.locator("#vfm-prepare-source-eswitch-switchdev");
            expect(await row.getAttribute("data-state")).toBe("done");
            // what ran before, as the host recorded it
            await row.locator("button").first().click();
            await eventually(async () => expect(await row.innerText()).toContain("exit status 0"));
            expect((await row.locator(".vfm-prepare-command").first().innerText()).split("\n")[0].trim())
                    .toBe("devlink dev eswitch set pci/0000:e1:00.0 mode switchdev");
            await frame.locator("#vfm-prepare-start").click();
            r = await drive(frame);
            expect(r.end).toBe("done");
            expect(await frame.locator("#vfm-prepare-summary-source").getAttribute("data-ready")).toBe("yes");
            expect(await frame.locator("#vfm-prepare-summary-destination").getAttribute("data-ready")).toBe("yes");
        });
    }, 480000);

    test("an injected failure of each step shows the tool's error and leaves the host as the status page then reports", () => {
        fresh(AFTER_REBOOT);
        const cases = [
            { host: "source", step: "install-mstflint", check: "pkg-mstflint", inject: () => setServices("source", { failInstall: ["mstflint"] }),
                text: "Transaction failed: mstflint" },
            { host: "source", step: "install-openvswitch", check: "pkg-openvswitch", inject: () => setServices("source", { failInstall: ["openvswitch3.3"] }),
                text: "Transaction failed: openvswitch3.3" },
            { host: "source", step: "eswitch-switchdev", check: "eswitch-switchdev",
                inject: () => setHwFaults("source", [{ match: "devlink dev eswitch set *", exit: 1,
                    stderr: "Error: mlx5_core: Can't change mode, E-Switch is busy.\nkernel answers: Device or resource busy\n" }]),
                text: "Can't change mode, E-Switch is busy." },
            { host: "source", step: "vf-migratable", check: "vf-prepared",
                inject: () => setHwFaults("source", [{ match: "devlink port function set * migratable enable", exit: 1,
                    stderr: "Error: mlx5_core: Failed setting HCA migratable cap.\nkernel answers: Invalid argument\n" }]),
                text: "Failed setting HCA migratable cap." },
            { host: "source", step: "ovs-service", check: "ovs-running", inject: () => setServices("source", { failStart: ["openvswitch.service"] }),
                text: "openvswitch.service" },
            { host: "destination", step: "install-mstflint", check: "pkg-mstflint", inject: () => setServices("destination", { failInstall: ["mstflint"] }),
                text: "mstflint" },
        ];
        const clear = () => {
            for (const h of ["source", "destination"]) {
                setHwFaults(h, []);
                setServices(h, {});
            }
        };
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            for (const c of cases) {
                c.inject();
                let frame = await openPrepare(page, cockpit);
                await frame.locator("#vfm-prepare-start").click();
                const r = await drive(frame);
                expect([c.step, r.end]).toEqual([c.step, "failed"]);
                expect(await frame.locator("#vfm-prepare-phase").innerText()).toContain(`failed on ${c.host === "source" ? "This host" : "root@"}`);
                expect(await frame.locator("#vfm-prepare-failure").innerText()).toContain(c.text);
                expect(await stepState(frame, c.host, c.step)).toBe("failed");
                clear();
                // the status page reads the host and finds it as the failed step left it
                const status = await statusPage(page, cockpit, c.host === "destination");
                expect([c.step, await verdict(status, c.host, c.check)]).toEqual([c.step, "fail"]);
                frame = await openPrepare(page, cockpit);
                expect(await frame.locator("#vfm-prepare-start").innerText()).toBe("Continue preparation");
                // the failed step's record: its commands and the tool's words
                expect(await frame.locator(`#vfm-prepare-${c.host}-${c.step}`).innerText()).toContain(c.text);
            }
            const frame = await openPrepare(page, cockpit);
            await frame.locator("#vfm-prepare-start").click();
            expect((await drive(frame)).end).toBe("done");
        });
    }, 720000);

    test("mgmt-over-pf: switchdev is refused on the source, the reason shown, until the admin confirms another way in", () => {
        fresh("mgmt-over-pf");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openPrepare(page, cockpit);
            await frame.locator("#vfm-prepare-start").click();
            const r = await drive(frame, { stopAt: ["override"] });
            expect(r.end).toBe("override");
            expect(await frame.locator("#vfm-prepare-override-reason").innerText()).toContain("enp225s0np0");
            expect(await frame.locator("#vfm-prepare-override-run").isDisabled()).toBe(true);
            await frame.locator("#vfm-prepare-override-check").check();
            expect(await frame.locator("#vfm-prepare-override-run").isEnabled()).toBe(true);
            await frame.locator("#vfm-prepare-override-cancel").click();
            await eventually(async () => expect(await phaseOf(frame)).toBe("blocked"));
            expect(await frame.locator("#vfm-prepare-blocked-reason").innerText()).toMatch(/runs over enp225s0np0/);
            // nothing was cut: the host is still in legacy mode and this page still talks to it
            expect(hostExec("source", "devlink", "dev", "eswitch", "show", "pci/0000:e1:00.0").stdout).toContain("legacy");

            // the same preparation as a script, for the chosen host(s)
            await frame.locator("#vfm-prepare-automation").click();
            const text = frame.locator("#vfm-automation-text");
            expect(await text.inputValue()).toMatch(/^#!\/bin\/bash\n/);
            expect(await text.inputValue()).toContain("prepare_source()");
            await frame.locator("#vfm-automation-host-both").click();
            await frame.locator("#vfm-automation-dialog").getByRole("tab", { name: "Ansible" }).click();
            await eventually(async () => expect(await text.inputValue()).toMatch(/^---\n/));
            expect(await text.inputValue()).toContain("vf_migration_destinations");
            await frame.locator("#vfm-automation-close").click();
        });
    }, 180000);

    // #16 R11: NetworkManager's profile found by the PF's device and read from the host; a PF without one is left undone
    test("nm-profiles: with “Keep across reboots” chosen, the source's saved profile on its PF stores the VFs and reads done; the destination's PF (enp193s0np0) has none, which the page says, preparing the rest", () => {
        fresh("nm-profiles");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openPrepare(page, cockpit);
            expect(await stepState(frame, "source", "persist-sriov")).toBe("not-applicable");
            await frame.locator("#vfm-prepare-persist").check();
            await eventually(async () => expect(await stepState(frame, "source", "persist-sriov")).toBe("needed"));
            expect(await stepState(frame, "destination", "persist-sriov")).toBe("unknown");
            // each row says why, once the admin opens it
            const rowText = async host => {
                const row = frame.locator(`#vfm-prepare-${host}-persist-sriov`);
                if (!await row.locator(".vfm-check-summary").isVisible())
                    await row.locator(".vfm-check-toggle").click();
                return row.locator(".vfm-check-summary").innerText();
            };
            expect(await rowText("source")).toBe("Stores 1 VFs and switchdev in the profile on enp225s0np0 (it holds no SR-IOV setting)");
            expect(await rowText("destination")).toMatch(/^NetworkManager has no connection active on enp193s0np0: there is no profile to store the setting in\. Keep the VFs and switchdev mode another way \(a systemd unit/);
            await frame.locator("#vfm-prepare-start").click();
            const r = await drive(frame);
            // the source's step ran; the run ends saying what it left undone, and why
            expect(r.end).toBe("stopped");
            expect(await frame.locator("#vfm-prepare-phase").innerText())
                .toMatch(/Nothing more can run from here\. Still not done: Keep the VFs and switchdev mode across reboots on root@\S+: NetworkManager has no connection active on enp193s0np0/);
            // read back from the source's profile, not from the page's memory of the run
            await eventually(async () => expect(await stepState(frame, "source", "persist-sriov")).toBe("done"));
            expect(await rowText("source")).toBe("The profile on enp225s0np0 stores 1 VFs and switchdev");
            const uuid = hostExec("source", "nmcli", "-g", "GENERAL.CON-UUID", "device", "show", "enp225s0np0").stdout.trim();
            expect(hostExec("source", "nmcli", "-g", "sriov.total-vfs", "connection", "show", uuid).stdout).toBe("1\n");
            expect(hostExec("source", "nmcli", "-g", "sriov.eswitch-mode", "connection", "show", uuid).stdout).toBe("1\n");
            // nothing stored on the destination: no profile was made for its PF, and none holds the setting
            const profiles = hostExec("destination", "nmcli", "-g", "UUID,DEVICE", "connection", "show").stdout.trim().split("\n");
            expect(profiles.length).toBeGreaterThan(0);
            expect(profiles.filter(p => p.endsWith(":enp193s0np0"))).toEqual([]);
            for (const p of profiles)
                expect(hostExec("destination", "nmcli", "-g", "sriov.total-vfs", "connection", "show", p.split(":")[0]).stdout).toBe("");
        });
    }, 300000);

    // review W2: a plan that asked for a reboot here would ask for it again after every reboot
    test("no-iommu-firmware: the kernel-argument step is refused up front with the firmware setup as the way, and no reboot is offered", () => {
        fresh("no-iommu-firmware");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openPrepare(page, cockpit);
            expect(await stepState(frame, "source", "iommu-kernel-args")).toBe("blocked");
            await frame.locator("#vfm-prepare-source-iommu-kernel-args button").first().click();
            const guard = frame.locator("#vfm-prepare-guard-source-iommu-kernel-args");
            expect(await guard.innerText()).toMatch(/provides no IOMMU; a kernel argument and a reboot cannot help\. Enable VT-d/);
            expect(await stepState(frame, "source", "reboot")).toBe("done");
            const bootEntry = hostExec("source", "grubby", "--info=DEFAULT").stdout;
            await frame.locator("#vfm-prepare-start").click();
            const r = await drive(frame, { stopAt: ["override"] });
            expect(r.end).toBe("blocked");
            expect(await frame.locator("#vfm-prepare-blocked-reason").innerText()).toMatch(/provides no IOMMU/);
            // grubby did not run: the boot entry is as it was
            expect(hostExec("source", "grubby", "--info=DEFAULT").stdout).toBe(bootEntry);
        });
    }, 180000);

    // review W1: the page's own SSH to the destination arrives over the PF; switchdev there would cut the page off it
    test("dest-mgmt-over-pf: switchdev is refused on the destination, whose SSH from this page runs over its PF", () => {
        fresh("dest-mgmt-over-pf");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openPrepare(page, cockpit);
            await frame.locator("#vfm-prepare-start").click();
            const r = await drive(frame, { stopAt: ["override"] });
            expect(r.end).toBe("override");
            expect(await frame.locator("#vfm-prepare-override-reason").innerText())
                    .toMatch(/SSH into or from this host\) runs over enp193s0np0/);
            await frame.locator("#vfm-prepare-override-cancel").click();
            await eventually(async () => expect(await phaseOf(frame)).toBe("blocked"));
            expect(await stepState(frame, "destination", "eswitch-switchdev")).not.toBe("done");
            expect(hostExec("destination", "devlink", "dev", "eswitch", "show", "pci/0000:c1:00.0").stdout).toContain("legacy");
        });
    }, 180000);
});
