/*
 * The README's screenshot, made through the harness: the host status page inside Cockpit's shell, 1280x800.
 * Written to docs/screenshots/ (committed), so a change of the page shows up in review.
 */
const { test, expect } = require("@jest/globals");
const fs = require("fs");
const path = require("path");
const { useCockpit, inBrowser, pluginFrame, eventually, root } = require("./harness");

const cockpit = useCockpit("local");

test("docs/screenshots/status-page.png shows the host status page in the shell", () =>
    inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
        const frame = await pluginFrame(page);
        // the checks of this host have finished (a verdict summary) or failed (an error)
        const done = frame.locator("#vfm-summary-source").or(frame.locator("#vfm-error-source"));
        await done.first().waitFor({ timeout: 45000 });
        await eventually(async () => expect(await frame.locator("#vfm-title").textContent()).toBe("VF live migration"));
        await page.evaluate("document.fonts.ready.then(() => true)");
        await frame.evaluate("document.fonts.ready.then(() => true)");
        const file = path.join(root, "docs", "screenshots", "status-page.png");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await page.screenshot({ path: file });
        const png = fs.readFileSync(file);
        // PNG header: width and height at bytes 16..23
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 800]);
    }));
