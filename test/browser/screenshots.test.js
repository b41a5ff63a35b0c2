/*
 * The documentation's screenshots, made through the harness on the simulated pair, and the looks checks behind
 * them: the status page (ready-pair and old-firmware, the destination connected) in Cockpit's light and dark styles
 * at 1280 px and 390 px, and each wizard stage. At every size and style nothing an admin reads is cut off (see
 * cutoffs.js). Images go to docs/screenshots/ (committed, so a change of the page shows up in review) and to
 * test/artifacts/screenshots/.
 */
const { describe, test, expect, beforeAll, afterAll } = require("@jest/globals");
const { useCockpit, inBrowser, pluginFrame, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec, DESTINATION } = require("./simpair");
const { WIDE, NARROW, shoot, chooseStyle, looksProblems } = require("./looks");
const P = require("./migrate-pair");

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: run them through test/run-suites, or `test/simhost/up ready-pair` and set COCKPIT_URL");
});

async function expand(frame, rowId) {
    const row = frame.locator(`#${rowId}`);
    await row.locator("button").first().click();
    await row.locator(".vfm-evidence-item").first().waitFor();
    // the raw output too, where there is one
    for (const summary of await row.locator("details > summary").all())
        await summary.click();
    return row;
}

async function connectDestination(page, frame, problems, firstContact) {
    await frame.locator("#vfm-destination-host").fill(DESTINATION);
    await frame.locator("#vfm-destination-protocol").selectOption("ssh");
    await frame.locator("#vfm-destination-connect").click();
    const dialog = frame.locator("#vfm-hostkey-dialog");
    const summary = frame.locator("#vfm-summary-destination");
    await dialog.or(summary).first().waitFor({ timeout: 70000 });
    if (firstContact && !await dialog.isVisible())
        throw new Error("the host-key dialog did not appear on first contact: hostkey-dialog-390.png not made");
    if (await dialog.isVisible()) {
        // the fingerprint must be readable whole on a phone too
        await page.setViewportSize(NARROW);
        problems.push(...await looksProblems(page, frame, "host-key dialog, 390 px"));
        await shoot(page, frame, "hostkey-dialog-390");
        await page.setViewportSize(WIDE);
        await frame.locator("#vfm-hostkey-accept").click();
    }
    await summary.waitFor({ timeout: 70000 });
}

/** Both hosts checked, a row expanded, then four looks: light/dark × 1280/390. Returns the cut-offs found. */
async function statusLooks(page, scenario, { expandRow, readmeShot, firstContact = false }) {
    const problems = [];
    const frame = await pluginFrame(page);
    await frame.locator("#vfm-summary-source").waitFor({ timeout: 45000 });
    await connectDestination(page, frame, problems, firstContact);
    await expand(frame, expandRow);
    await frame.locator(`#${expandRow}`).scrollIntoViewIfNeeded();
    await chooseStyle(page, frame, "light");
    problems.push(...await looksProblems(page, frame, `${scenario}, light, 1280 px`));
    await shoot(page, frame, `status-${scenario}-light-1280`);
    if (readmeShot) {
        await frame.locator("#vfm-title").scrollIntoViewIfNeeded();
        await shoot(page, frame, readmeShot);
        await frame.locator(`#${expandRow}`).scrollIntoViewIfNeeded();
    }
    await page.setViewportSize(NARROW);
    await frame.locator(`#${expandRow}`).scrollIntoViewIfNeeded();
    problems.push(...await looksProblems(page, frame, `${scenario}, light, 390 px`));
    await shoot(page, frame, `status-${scenario}-light-390`);
    await page.setViewportSize(WIDE);
    await chooseStyle(page, frame, "dark");
    await frame.locator(`#${expandRow}`).scrollIntoViewIfNeeded();
    problems.push(...await looksProblems(page, frame, `${scenario}, dark, 1280 px`));
    await shoot(page, frame, `status-${scenario}-dark-1280`);
    await page.setViewportSize(NARROW);
    await frame.locator(`#${expandRow}`).scrollIntoViewIfNeeded();
    problems.push(...await looksProblems(page, frame, `${scenario}, dark, 390 px`));
    await shoot(page, frame, `status-${scenario}-dark-390`);
    return problems;
}

describe("looks and documentation screenshots", () => {
    const cockpit = useCockpit("local");

    test("ready-pair status page, destination connected: readable in light and dark at 1280 and 390 px (status-page.png)", () => {
        loadScenario("ready-pair");
        // first contact: no known key and no SSH connection left open by an earlier page (ControlPersist)
        hostExec("source", "rm", "-f", "/root/.ssh/known_hosts");
        hostExec("source", "/usr/bin/ssh", "-o", "ControlPath=/run/cockpit-vf-migration/ssh/%C", "-O", "exit", `root@${DESTINATION}`);
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const problems = await statusLooks(page, "ready-pair", { expandRow: "vfm-check-source-fw-vf-migration", readmeShot: "status-page", firstContact: true });
            const frame = await pluginFrame(page);
            expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate");
            expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate");
            expect(problems).toEqual([]);
        });
    }, 240000);

    test("old-firmware status page: the failing firmware row, expanded, is readable in light and dark at 1280 and 390 px", () => {
        loadScenario("old-firmware");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const problems = await statusLooks(page, "old-firmware", { expandRow: "vfm-check-source-firmware-version" });
            const frame = await pluginFrame(page);
            expect(await frame.locator("#vfm-check-source-firmware-version").getAttribute("data-verdict")).toBe("fail");
            expect(await frame.locator("#vfm-check-source-firmware-version").innerText()).toContain("28.34.1002");
            expect(problems).toEqual([]);
        });
    }, 240000);
});

/*
 * The wizard's pictures for the admin guide, in the order an admin meets them: each is taken only once what its
 * caption promises is on the screen (asserted first), and each is then checked for cut-offs at 1280 and 390 px.
 * The stage and the admin's choices are put where the wizard keeps them (localStorage "vf-migration:wizard")
 * before its tab opens. The migration runs from the wizard itself, so the progress, the verification and the
 * list of VMs that left are the page's own.
 */
const CHOICES = {
    vm: "guest1",
    destination: { host: DESTINATION, user: "root", protocol: "ssh" },
    options: {},
    destinationVf: P.VF.destination.pci,
    sourceVf: null,
};

/** Opens the wizard at `stage` with these choices (and the saved value's own host, when `saved` says so). */
async function openStage(page, stage, extra = {}, saved = null) {
    let frame = await pluginFrame(page);
    const tab = frame.getByRole("tab", { name: "Migrate a VM" });
    await tab.waitFor();
    await frame.evaluate(v => {
        localStorage.setItem("vf-migration:wizard", JSON.stringify(v));
        localStorage.setItem("vf-migration:destination", JSON.stringify(v.value?.destination ?? v.destination));
    }, saved ?? { ...CHOICES, ...extra, stage });
    await page.reload();
    await page.locator("#host-apps nav").first().waitFor();
    frame = await pluginFrame(page);
    await frame.getByRole("tab", { name: "Migrate a VM" }).click();
    await frame.locator("#vfm-wizard").waitFor();
    return frame;
}

/** The picture, once `promise` holds; then the looks at 1280 and 390 px. */
async function picture(page, frame, name, promise) {
    await page.setViewportSize(WIDE);
    await promise();
    await eventually(async () => expect(await frame.locator("#vfm-wizard .pf-v6-c-spinner").count()).toBe(0), 30000).catch(() => {});
    await promise();
    const problems = await looksProblems(page, frame, `${name}, 1280 px`);
    await shoot(page, frame, name);
    await page.setViewportSize(NARROW);
    problems.push(...await looksProblems(page, frame, `${name}, 390 px`));
    await page.setViewportSize(WIDE);
    expect(problems).toEqual([]);
}

const text = (frame, sel) => frame.locator(sel).innerText();
const attr = (frame, sel, name) => frame.locator(sel).getAttribute(name);

describe("wizard pictures, each after what its caption says is on the screen", () => {
    const cockpit = useCockpit("local");

    let restoreKeys = () => {};
    beforeAll(() => {
        P.backToReadyPair();
        // both hosts know each other's key (the migration's qemu+ssh, and virsh on the way back)
        restoreKeys = P.trustHostKeys();
        hostExec("source", "rm", "-f", "/var/lib/cockpit-vf-migration/departed.json");
    }, 120000);
    afterAll(() => {
        P.backToReadyPair();
        restoreKeys();
    }, 120000);

    test("stages 1–4 (wizard-choose, -checks, -prepare, -attach) and the preparation leading back to the checks (wizard-prepare-recheck)", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            // Stage 1: VM and destination — guest1 chosen, the destination answered
            let frame = await openStage(page, "choose");
            await picture(page, frame, "wizard-choose", async () => {
                await eventually(async () => expect(await frame.locator("#vfm-vm-radio-guest1").isChecked()).toBe(true), 30000);
                await eventually(async () => expect(await text(frame, "#vfm-choose-contact-ok")).toContain("answered over SSH"), 60000);
            });
            // Stage 2: checks of the VM against the destination — every check passed
            frame = await openStage(page, "checks");
            await picture(page, frame, "wizard-checks", async () => {
                await eventually(async () => expect(await attr(frame, "#vfm-checks-verdict", "data-verdict")).toBe("ready"), 120000);
            });
            // Stage 3: host preparation, both hosts — each host's steps listed, both prepared
            frame = await openStage(page, "prepare");
            await picture(page, frame, "wizard-prepare", async () => {
                await eventually(async () => expect(await text(frame, "#vfm-prepare-ready")).toContain("Both hosts are prepared"), 120000);
                expect(await frame.locator("#vfm-prepare-host-source li[data-step]").count()).toBeGreaterThan(5);
                expect(await frame.locator("#vfm-prepare-host-destination li[data-step]").count()).toBeGreaterThan(5);
            });
            // path 1: prepared after checks that found no destination VF — Next goes back to the checks, and says so
            frame = await openStage(page, "prepare", { destinationVf: null });
            await picture(page, frame, "wizard-prepare-recheck", async () => {
                await eventually(async () => expect(await text(frame, "#vfm-prepare-recheck")).toContain("Next runs the checks of the VM again"), 120000);
                // the wizard's button follows the stage's outcome one render later (the stage reports it from an effect)
                await eventually(async () => expect(await text(frame, "#vfm-wizard-next")).toBe("Next: Checks"), 10000);
            });
            // Stage 4: the VF's interface XML, then attached
            frame = await openStage(page, "attach");
            await picture(page, frame, "wizard-attach", async () => {
                await eventually(async () => expect(await text(frame, "#vfm-attach-xml")).toContain("<interface type='hostdev' managed='yes'>"), 60000);
                expect(await frame.locator("#vfm-attach-button").isEnabled()).toBe(true);
            });
            // not attached from here: the next test attaches it as the migration tests do (a MAC they know)
        }), 600000);

    test("stage 5 and 6 (wizard-migrate, -migrate-progress, -verify), and where the VM went (wizard-departed)", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            P.guestOnSourceWithVf();
            // Stage 5: the migration plan — the VF re-checked and free, the XML change in words
            let frame = await openStage(page, "migrate", { sourceVf: P.VF.source.pci, options: { bandwidth: "8" } });
            await picture(page, frame, "wizard-migrate", async () => {
                await eventually(async () => expect(await attr(frame, "#vfm-stage-migrate", "data-phase")).toBe("ready"), 60000);
                await eventually(async () => expect(await attr(frame, "#vfm-migrate-vf-status", "data-verdict")).toBe("ok"), 60000);
                expect(await text(frame, "#vfm-migrate-xml-words")).toContain(`its VF is ${P.VF.destination.pci} instead of ${P.VF.source.pci}`);
            });
            // path 4: the progress, with libvirt's figures and the chart moving
            await frame.locator("#vfm-migrate-start").click();
            await picture(page, frame, "wizard-migrate-progress", async () => {
                await eventually(async () => expect(Number(await attr(frame, "#vfm-migrate-progress", "data-percent"))).toBeGreaterThan(10), 60000);
                await eventually(async () => expect(Number(await attr(frame, "#vfm-migrate-chart", "data-points"))).toBeGreaterThan(2), 30000);
                await eventually(async () => expect(await text(frame, "#vfm-migrate-processed")).toMatch(/MiB/), 30000);
            });
            // Stage 6: verification after the migration — every check done and passed
            await eventually(async () => expect(await attr(frame, "#vfm-wizard", "data-stage")).toBe("verify"), 180000).catch(async e => {
                // what the stage showed instead, for the report
                console.log(`migration stage, phase ${await attr(frame, "#vfm-stage-migrate", "data-phase")}:\n${await frame.locator("#vfm-stage-migrate").innerText()}`);
                throw e;
            });
            // the guest has no agent: the admin gives its address on the VF's network (ready-pair's guest1)
            await eventually(async () => expect(await attr(frame, "#vfm-verify-verdict", "data-verdict")).toBe("pass"), 120000);
            await frame.locator("#vfm-verify-guest-address").fill("198.51.100.11");
            await frame.locator("#vfm-verify-ping").click();
            await picture(page, frame, "wizard-verify", async () => {
                await eventually(async () => expect(await attr(frame, "#vfm-verify-guest-network", "data-verdict")).toBe("pass"), 120000);
                await eventually(async () => expect(await attr(frame, "#vfm-verify-verdict", "data-verdict")).toBe("pass"), 120000);
                expect(await frame.locator("#vfm-verify-checks .vfm-checking").count()).toBe(0);
            });
            // path 5: the source's first stage names the VM that left, where it went, and the way back
            frame = await openStage(page, "choose", { vm: null, destinationVf: null });
            await picture(page, frame, "wizard-departed", async () => {
                await eventually(async () => expect(await text(frame, "#vfm-departed-guest1")).toContain(`guest1 was migrated to root@${DESTINATION}`), 60000);
                expect(await frame.locator("#vfm-departed-guest1 a").count()).toBe(1);
            });
            // path 3: progress saved on another host's page is not restored here, and the page says so
            const elsewhere = { savedOn: DESTINATION, value: { ...CHOICES, stage: "verify" } };
            frame = await openStage(page, "choose", {}, elsewhere);
            await picture(page, frame, "wizard-foreign", async () => {
                expect(await attr(frame, "#vfm-wizard", "data-stage")).toBe("choose");
                expect(await text(frame, "#vfm-wizard-foreign")).toContain(`This browser holds a wizard in progress on ${DESTINATION}`);
            });
        }), 600000);
});
