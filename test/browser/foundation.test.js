/*
 * The plugin inside a real Cockpit shell, as a user sees it: its menu entry right after cockpit-machines'
 * "Virtual machines", its title and two views routed through the shell's URL, and the French UI.
 * The host status view is recognised by its "This host" card (#vfm-host-source), the wizard by #vfm-wizard.
 */
const { describe, test, expect } = require("@jest/globals");
const { useCockpit, inBrowser, menuLabels, pluginFrame, eventually } = require("./harness");

describe("as root (no login)", () => {
    const cockpit = useCockpit("local");

    test("the menu shows \"VF live migration\" right after \"Virtual machines\"", () =>
        inBrowser(cockpit, {}, async ({ page }) => {
            const labels = await menuLabels(page);
            expect(labels).toContain("Virtual machines");
            expect(labels[labels.indexOf("Virtual machines") + 1]).toBe("VF live migration");
        }));

    test("clicking the menu entry shows the page titled \"VF live migration\" with its host status view", () =>
        inBrowser(cockpit, {}, async ({ page }) => {
            await page.locator("#host-apps nav a", { hasText: "VF live migration" }).click();
            await eventually(async () => expect(page.url()).toMatch(/\/vf-migration$/));
            const frame = await pluginFrame(page);
            await eventually(async () => expect(await frame.locator("#vfm-title").textContent()).toBe("VF live migration"));
            await frame.locator("#vfm-host-source").waitFor();
            // PatternFly puts the Tab's id into its button's: pf-tab-<key>-vfm-tab-<key>
            expect(await frame.getByRole("tab").allInnerTexts()).toEqual(["Host status", "Migrate a VM", "Evacuate host"]);
            expect(await frame.getByRole("tab", { name: "Host status" }).getAttribute("aria-selected")).toBe("true");
        }));

    test("\"Migrate a VM\" opens the wizard at …/vf-migration#/migrate, and Back returns to the host status", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            await frame.locator("#vfm-host-source").waitFor();
            await frame.getByRole("tab", { name: "Migrate a VM" }).click();
            await frame.locator("#vfm-wizard").waitFor();
            await eventually(async () => expect(page.url()).toMatch(/\/vf-migration#\/migrate$/));
            expect(await frame.locator("#vfm-host-source").count()).toBe(0);

            await page.goBack();
            await frame.locator("#vfm-host-source").waitFor();
            await eventually(async () => expect(page.url()).toMatch(/\/vf-migration$/));
            expect(await frame.locator("#vfm-wizard").count()).toBe(0);
        }));

    test("a direct link to …/vf-migration#/migrate opens the wizard", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration#/migrate" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            await frame.locator("#vfm-wizard").waitFor();
            // a first visit starts at the first stage
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("choose"));
            expect(await frame.locator("#vfm-wizard-step-choose-title").textContent()).toBe("VM and destination");
        }));

    test("with the browser's language French, the menu entry, title and views are French", () =>
        inBrowser(cockpit, { locale: "fr-FR", urlPath: "/vf-migration" }, async ({ page }) => {
            const labels = await menuLabels(page);
            expect(labels).toContain("Machines virtuelles"); // the shell itself follows the browser
            expect(labels[labels.indexOf("Machines virtuelles") + 1]).toBe("Migration à chaud de VF");
            const frame = await pluginFrame(page);
            await eventually(async () => expect(await frame.locator("#vfm-title").textContent()).toBe("Migration à chaud de VF"));
            expect(await frame.getByRole("tab").allInnerTexts()).toEqual(["État des hôtes", "Migrer une VM", "Évacuer l'hôte"]);
            expect(await frame.locator("#vfm-views").getAttribute("aria-label")).toBe("Vues");
        }));
});

describe("as a non-root user logged in with a password", () => {
    const cockpit = useCockpit("login");

    test("the shell says \"Limited access\" and our page still loads", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            await page.getByRole("button", { name: "Limited access" }).waitFor(); // the shell's top bar
            const labels = await menuLabels(page);
            expect(labels[labels.indexOf("Virtual machines") + 1]).toBe("VF live migration");
            const frame = await pluginFrame(page);
            await eventually(async () => expect(await frame.locator("#vfm-title").textContent()).toBe("VF live migration"));
            await frame.locator("#vfm-host-source").waitFor();
            await frame.locator("#vfm-limited").waitFor(); // the page says it is a read-only view
        }));
});
