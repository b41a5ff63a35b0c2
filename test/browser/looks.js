/*
 * Looks shared by the tests that make documentation pictures: pictures to docs/screenshots/ (and a copy in the
 * artifacts), Cockpit's light and dark styles chosen from its own menu, and the cut-off check at a size.
 */
/* global document, getComputedStyle */
const { expect } = require("@jest/globals");
const fs = require("fs");
const path = require("path");
const { eventually, root, artifacts } = require("./harness");
const { cutOffs, frameScrollsSideways } = require("./cutoffs");

const DOCS = path.join(root, "docs", "screenshots");
const COPIES = path.join(artifacts, "screenshots");
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

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

/**
 * The view as it is now in each of Cockpit's styles at 1280 and 390 px: docs/screenshots/<name>-<style>-<width>.png,
 * with `scrollTo` (a frame selector) brought into view first. Returns the cut-offs found; leaves the light style at 1280 px.
 */
async function fourLooks(page, frame, name, scrollTo) {
    const problems = [];
    for (const style of ["light", "dark"]) {
        // the shell's Session menu, at the width where it is known to work
        await page.setViewportSize(WIDE);
        await chooseStyle(page, frame, style);
        for (const size of [WIDE, NARROW]) {
            await page.setViewportSize(size);
            await frame.locator(scrollTo).scrollIntoViewIfNeeded();
            problems.push(...await looksProblems(page, frame, `${name}, ${style}, ${size.width} px`));
            await shoot(page, frame, `${name}-${style}-${size.width}`);
        }
    }
    await page.setViewportSize(WIDE);
    await chooseStyle(page, frame, "light");
    return problems;
}

module.exports = { DOCS, WIDE, NARROW, settled, shoot, chooseStyle, looksProblems, fourLooks };
