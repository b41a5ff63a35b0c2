/*
 * The simulated pair seen through Cockpit's own pages: Cockpit's Services page reads unit states from the
 * stand-in systemd on the source's system bus, as it would from systemd on RHEL.
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec } = require("./simpair");

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair (test/run-suites brings it up)");
});

describe("the simulated source host in Cockpit's own pages", () => {
    const cockpit = useCockpit("local");

    test("Cockpit's Services page shows a unit's state from the stand-in systemd, and follows a change", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/system/services#/virtproxyd-tcp.socket" }, async ({ page }) => {
            const frame = await eventually(async () => {
                const f = page.frames().find(x => /\/system\/services\.html/.test(x.url()));
                expect(f).toBeTruthy();
                return f;
            });
            const status = frame.locator("#statuses");
            await eventually(async () => expect(await status.innerText()).toMatch(/Disabled/), 20000);
            expect(await status.innerText()).not.toMatch(/Running/);
            expect(hostExec("source", "systemctl", "start", "virtproxyd-tcp.socket").status).toBe(0);
            await eventually(async () => expect(await status.innerText()).toMatch(/Running\s*Active since/), 20000);
            hostExec("source", "systemctl", "stop", "virtproxyd-tcp.socket");
        });
    }, 60000);
});
