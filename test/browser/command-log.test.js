/*
 * The command log: every command the page ran, on both hosts, with the line to copy and the raw output; the
 * status page only reads, so nothing in it is marked as changing a host.
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, pluginFrame, eventually } = require("./harness");
const { loadScenario, pairIsUp } = require("./simpair");

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair (test/run-suites, or test/simhost/up and COCKPIT_URL)");
});

describe("command log", () => {
    const cockpit = useCockpit("local");

    test("lists the status page's commands with their output; none of them changes a host", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 30000);
            await frame.locator("#vfm-command-log-open").click();
            const log = frame.locator("#vfm-command-log");
            await log.waitFor();
            const entry = log.locator(".vfm-log-entry", { hasText: "mstconfig -d 0000:e1:00.0 -e query" }).first();
            expect(await entry.innerText()).toContain("exit status 0");
            // this host by the name it gives itself, once: the login (root, no password here) @ its host name
            expect(await entry.locator(".vfm-log-where").innerText()).toBe("root@rhel-src.example.test");
            await entry.locator("summary").click();
            expect(await entry.locator("pre").innerText()).toMatch(/VF_MIGRATION_MODE\s+\S+\s+MIGRATION_ENABLED\(2\)/);

            await log.getByText("Only commands that change a host").click();
            await eventually(async () => expect(await log.locator(".vfm-log-entry").count()).toBe(0));
            expect(await log.locator("#vfm-command-log-empty").isVisible()).toBe(true);
            await frame.locator("#vfm-command-log-close").click();
            await log.waitFor({ state: "detached" });
        });
    }, 90000);
});
