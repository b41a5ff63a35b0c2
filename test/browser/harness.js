/*
 * Browser-test harness: a real Cockpit (test/lib/cockpit-ws.js, or the one named by $COCKPIT_URL) and Debian's
 * Chromium driven by playwright-core.
 *
 *   const cockpit = useCockpit("local");            // in a test file: started in beforeAll, stopped in afterAll
 *   test("…", () => inBrowser(cockpit, { locale: "fr-FR" }, async ({ page }) => { … }));
 *
 * Endpoints from the environment (set by whoever runs Cockpit elsewhere, e.g. the simulated host pair):
 *   COCKPIT_URL         a Cockpit whose root session needs no login (cockpit-ws --local-session)
 *   COCKPIT_LOGIN_URL   a Cockpit with the password login; defaults to COCKPIT_URL
 *   COCKPIT_USER, COCKPIT_PASSWORD   a non-root user of that host (gets "Limited access")
 */
const { beforeAll, afterAll, expect } = require("@jest/globals");
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { startCockpit } = require("../lib/cockpit-ws");
const { descendants, readStat, register, sleep } = require("../lib/cockpit-ws.processes");

const root = path.join(__dirname, "..", "..");
const artifacts = path.join(root, "test", "artifacts");
const PLUGIN_FRAME = /\/cockpit\/@localhost\/vf-migration\/index\.html/;

/*
 * Headless Chromium draws every frame in software, and a turning PatternFly spinner makes it draw the whole page
 * 60 times a second: while the preparation runs, the page cost 1.1 cores with its spinners turning and 0.4 with
 * every animation paused, on a 2-core machine that also runs both hosts (one preparation test: 121-132 s turning,
 * 92 s with only the spinners held, 82-88 s with every animation paused). The tests hold spinners still, at a frame that
 * shows their arc; nothing they assert moves. Other animations (an error's fade-in) run as they are. Benchmarks do
 * not do this.
 */
const STILL = `(() => {
    // a constructed style sheet: Cockpit's Content-Security-Policy refuses inline <style> elements, not the CSSOM
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(".pf-v5-c-spinner, .pf-v5-c-spinner__path, .pf-v6-c-spinner, .pf-v6-c-spinner__path " +
                      "{ animation-play-state: paused !important; animation-delay: -0.5s !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
})();`;

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Chromium processes started by this (jest) process; Browser.process() is not in playwright-core's API. */
function chromiumChildren() {
    return descendants([process.pid]).filter(pid => {
        const st = readStat(pid);
        return st && st.ppid === process.pid && st.comm.startsWith("chrom");
    });
}

/** The Cockpit endpoint of one session kind: "local" (root, no login) or "login" (non-root, password). */
function externalEndpoint(kind) {
    const e = process.env;
    if (kind === "local")
        return { url: e.COCKPIT_URL, kind };
    return { url: e.COCKPIT_LOGIN_URL || e.COCKPIT_URL, kind, user: e.COCKPIT_USER, password: e.COCKPIT_PASSWORD };
}

/**
 * Registers beforeAll/afterAll hooks that give this test file a Cockpit of the given kind and a Chromium. Each test
 * file starts its own: the no-login bridge exits ~20 s after its last page closes, and then only a restart of
 * cockpit-ws brings the session back.
 */
function useCockpit(kind) {
    const handle = { kind, url: null, browser: null };
    let cockpit = null;
    beforeAll(async () => {
        if (process.env.COCKPIT_URL) {
            Object.assign(handle, externalEndpoint(kind));
        } else {
            cockpit = await startCockpit({ pluginDir: path.join(root, "dist"), kind, logDir: artifacts });
            Object.assign(handle, { url: cockpit.url, user: cockpit.user, password: cockpit.password });
        }
        const before = new Set(chromiumChildren());
        handle.browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
        for (const pid of chromiumChildren().filter(p => !before.has(p)))
            register(pid, pid); // playwright starts Chromium in a process group of its own
        // A Cockpit that outlives this file (the simulated pair's) ends its no-login session ~20 s after the
        // last page closes: one page stays open while the file runs.
        if (process.env.COCKPIT_URL && kind === "local") {
            handle.keepalive = await handle.browser.newPage();
            await handle.keepalive.goto(handle.url + "/system");
        }
    });
    afterAll(async () => {
        if (handle.browser)
            await handle.browser.close();
        if (cockpit)
            await cockpit.stop();
    });
    return handle;
}

/** A file name from the running test's name. */
function artifactName(suffix) {
    const name = (expect.getState().currentTestName || "test").replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 120);
    return path.join(artifacts, `${name}${suffix}`);
}

/**
 * Runs `fn({ page, context })` in a fresh browser context (own cookies, language) showing Cockpit's shell at
 * `urlPath`, logged in if the session kind needs it; with `urlPath: null` (a session without login) the page
 * starts blank, for a test whose first step opens a page itself (openWith). On failure the page is saved to
 * test/artifacts/<test>.png.
 */
async function inBrowser(cockpit, { locale = "en-US", urlPath = "/" } = {}, fn) {
    const context = await cockpit.browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    await context.addInitScript(STILL);
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    const consoleLog = [];
    page.on("console", m => consoleLog.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", e => consoleLog.push(`pageerror: ${e.message}`));
    try {
        if (urlPath === null && cockpit.kind === "login")
            throw new Error("inBrowser: a login session needs a first page");
        if (urlPath !== null) {
            await page.goto(cockpit.url + urlPath);
            if (cockpit.kind === "login")
                await login(page, cockpit);
            await page.locator("#host-apps nav").first().waitFor();
        }
        await fn({ page, context });
    } catch (e) {
        fs.mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: artifactName(".png") }).catch(() => {});
        fs.writeFileSync(artifactName(".console.txt"), consoleLog.join("\n") + "\n");
        // CI keeps only the log: what the page said goes into the error jest prints
        if (e instanceof Error) {
            // jest prints the stack, which playwright's errors fixed before this: both get the text
            const said = await pageSaid(page, consoleLog);
            e.message += said;
            if (typeof e.stack === "string" && e.stack)
                e.stack += said;
        }
        throw e;
    } finally {
        await context.close();
    }
}

/**
 * Opens Cockpit at `urlPath` as a new document, with localStorage items set first (a null value removes the item).
 * They are written from cockpit-ws's own "not found" page, which has the same origin and runs no script: neither
 * the shell nor a page of ours loads (and probes the hosts) only to reach localStorage. Returns the plugin's frame.
 */
async function openWith(page, cockpit, urlPath, storage = {}) {
    await page.goto(cockpit.url + "/cockpit/static/vfm-test-blank");
    await page.evaluate(items => {
        for (const [k, v] of Object.entries(items)) {
            if (v === null)
                localStorage.removeItem(k);
            else
                localStorage.setItem(k, v);
        }
    }, storage);
    await page.goto(cockpit.url + urlPath);
    await page.locator("#host-apps nav").first().waitFor();
    return pluginFrame(page);
}

/** The plugin's visible text and the last console lines, shortened, for a failed test's message. */
async function pageSaid(page, consoleLog) {
    const frame = page.frames().find(f => PLUGIN_FRAME.test(f.url()));
    const text = frame ? await frame.locator("body").innerText({ timeout: 2000 }).catch(() => "(not read)") : "(no plugin frame)";
    const squeeze = s => s.replace(/\s*\n\s*/g, " | ").slice(0, 2000);
    return `\n\nThe page said (${page.url()}): ${squeeze(text)}\nLast console lines:\n${consoleLog.slice(-8).map(l => l.slice(0, 300)).join("\n")}`;
}

async function login(page, { user, password }) {
    if (!user || !password)
        throw new Error("login session: no user/password (set COCKPIT_USER and COCKPIT_PASSWORD)");
    await page.locator("#login-user-input").fill(user);
    await page.locator("#login-password-input").fill(password);
    await page.locator("#login-button").click();
    const error = page.locator("#login-error-message");
    await page.locator("#host-apps nav").or(error).first().waitFor();
    if (await error.isVisible())
        throw new Error(`login as ${user} failed: ${(await error.innerText()).replace(/\s+/g, " ")}`);
}

/** The labels of the shell's navigation menu, in order. */
async function menuLabels(page) {
    await page.locator("#host-apps nav a").first().waitFor();
    return (await page.locator("#host-apps nav a").allInnerTexts()).map(s => s.trim());
}

/** Retries an assertion (which throws on failure) until it passes or `timeoutMs` is over: the DOM settles later. */
async function eventually(assertion, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await assertion();
        } catch (e) {
            if (Date.now() > deadline)
                throw e;
            await sleep(100);
        }
    }
}

/** Our page's frame inside the shell, found by its URL. */
async function pluginFrame(page, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const frame = page.frames().find(f => PLUGIN_FRAME.test(f.url()));
        if (frame)
            return frame;
        if (Date.now() > deadline)
            throw new Error(`no frame matching ${PLUGIN_FRAME} (frames: ${page.frames().map(f => f.url()).join(", ")})`);
        await sleep(100);
    }
}

module.exports = { useCockpit, inBrowser, openWith, menuLabels, pluginFrame, eventually, artifacts, root };
