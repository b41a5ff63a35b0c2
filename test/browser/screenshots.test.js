/*
 * The documentation's screenshots, made through the harness on the simulated pair, and the looks checks behind
 * them: the status page (ready-pair and old-firmware, the destination connected) in Cockpit's light and dark styles
 * at 1280 px and 390 px, and each wizard stage. At every size and style nothing an admin reads is cut off (see
 * cutoffs.js). Images go to docs/screenshots/ (committed, so a change of the page shows up in review) and to
 * test/artifacts/screenshots/.
 */
/* global document, getComputedStyle */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const fs = require("fs");
const path = require("path");
const { useCockpit, inBrowser, pluginFrame, eventually, root, artifacts } = require("./harness");
const { loadScenario, pairIsUp, hostExec, DESTINATION } = require("./simpair");
const { cutOffs, frameScrollsSideways } = require("./cutoffs");

const DOCS = path.join(root, "docs", "screenshots");
const COPIES = path.join(artifacts, "screenshots");
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: run them through test/run-suites, or `test/simhost/up ready-pair` and set COCKPIT_URL");
});

async function settled(page, frame) {
    await page.evaluate("document.fonts.ready.then(() => true)");
    await frame.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
}

/** Writes the shell as shown now to docs/screenshots/<name>.png and a copy to the artifacts; checks its size. */
async function shoot(page, frame, name) {
    await settled(page, frame);
    const file = path.join(DOCS, `${name}.png`);
    fs.mkdirSync(DOCS, { recursive: true });
    fs.mkdirSync(COPIES, { recursive: true });
    await page.screenshot({ path: file });
    fs.copyFileSync(file, path.join(COPIES, `${name}.png`));
    const png = fs.readFileSync(file);
    // PNG header: width and height at bytes 16..23
    const size = page.viewportSize();
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size.width, size.height]);
    expect(png.length).toBeLessThan(600 * 1024);
}

/** Picks a style from the shell's own Session menu, as an admin does; the plugin's frame must follow. */
async function chooseStyle(page, frame, style) {
    await page.locator("#toggle-menu").click();
    await page.locator(`button#${style}`).click();
    await page.keyboard.press("Escape");
    await page.evaluate(() => document.activeElement?.blur()); // no focus ring left on the menu in the pictures
    const dark = style === "dark";
    await eventually(async () => {
        expect(await page.evaluate(() => document.documentElement.classList.contains("pf-v6-theme-dark"))).toBe(dark);
        expect(await frame.evaluate(() => document.documentElement.classList.contains("pf-v6-theme-dark"))).toBe(dark);
    });
    // what the admin sees, not only the class: the page's own background is dark or light
    const luminance = await frame.evaluate(() => {
        const el = document.querySelector(".pf-v6-c-page__main-section") || document.body;
        const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });
    if (dark)
        expect(luminance).toBeLessThan(0.35);
    else
        expect(luminance).toBeGreaterThan(0.65);
}

/** Cut-offs at the current size, labelled; also the frame's own sideways scroll at narrow widths. */
async function looksProblems(page, frame, label) {
    await settled(page, frame);
    const found = (await cutOffs(frame, { offScreen: true })).map(p => ({ at: label, ...p }));
    const wide = await frameScrollsSideways(frame);
    if (wide)
        found.push({ at: label, kind: "page-scrolls-sideways", ...wide });
    return found;
}

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
 * The wizard, one stage at a time: the stage and the admin's choices are put where the wizard keeps them
 * (localStorage "vf-migration:wizard", src/ui/wizard/useWizardState.ts) before its tab opens. A stage whose root
 * element is still empty is a placeholder: the test fails and says so, rather than writing an empty picture.
 */
const WIZARD_STAGES = ["choose", "checks", "prepare", "attach", "migrate", "verify"];
const CHOICES = {
    vm: "guest1",
    destination: { host: DESTINATION, user: "root", protocol: "ssh" },
    options: {},
    destinationVf: "0000:c1:00.1",
    sourceVf: "0000:e1:00.1",
};

describe("wizard screenshots", () => {
    const cockpit = useCockpit("local");

    beforeAll(() => {
        loadScenario("ready-pair");
        // the destination's host key is known, as after the status page's first contact
        const known = hostExec("source", "/usr/bin/ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new",
                "-o", "UserKnownHostsFile=/root/.ssh/known_hosts", `root@${DESTINATION}`, "true");
        if (known.status !== 0)
            throw new Error(`ssh from the source to ${DESTINATION} failed: ${known.stderr}`);
    });

    test.each(WIZARD_STAGES)("wizard stage %s: shown, readable at 1280 and 390 px (wizard-%s.png)", stage =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            const tab = frame.getByRole("tab", { name: "Migrate a VM" });
            await tab.waitFor();
            await frame.evaluate(s => localStorage.setItem("vf-migration:wizard", JSON.stringify(s)), { ...CHOICES, stage });
            await tab.click();
            const root = frame.locator(`#vfm-stage-${stage}`);
            await root.waitFor({ state: "attached" });
            expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe(stage);
            // a stage that loads shows something (a spinner at least) within seconds; a placeholder never does
            const empty = () => root.evaluate(el => el.childElementCount === 0 && !el.textContent.trim());
            const deadline = Date.now() + 5000;
            while (await empty() && Date.now() < deadline)
                await new Promise(r => setTimeout(r, 200));
            if (await empty())
                throw new Error(`wizard stage "${stage}" is still a placeholder: #vfm-stage-${stage} is empty (src/ui/wizard/)`);
            // let what it reads from the hosts arrive (no spinner left), within reason
            await eventually(async () => expect(await root.locator(".pf-v6-c-spinner").count()).toBe(0), 30000).catch(() => {});
            const problems = await looksProblems(page, frame, `wizard ${stage}, 1280 px`);
            await shoot(page, frame, `wizard-${stage}`);
            // the first row's details too (commands, evidence), where the stage has expandable rows
            const toggle = root.locator(".pf-v6-c-expandable-section__toggle button[aria-expanded=false]").first();
            if (await toggle.count())
                await toggle.click();
            problems.push(...await looksProblems(page, frame, `wizard ${stage}, first row expanded, 1280 px`));
            await page.setViewportSize(NARROW);
            problems.push(...await looksProblems(page, frame, `wizard ${stage}, 390 px`));
            expect(problems).toEqual([]);
        }), 120000);
});
