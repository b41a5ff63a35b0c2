/*
 * The wizard's preparation stage as the browser tests open it: at the preparation stage for the pair's
 * destination, its host key confirmed if asked.
 */
const { openWith, pluginFrame } = require("./harness");
const { DESTINATION } = require("./simpair");

const WIZARD = { stage: "prepare", vm: "guest1", destination: { host: DESTINATION, user: "root", protocol: "ssh" },
    options: {}, destinationVf: null, sourceVf: null };

/** The wizard at the preparation stage for the pair's destination, its host key confirmed if asked. */
async function openPrepare(page, cockpit) {
    // a full load (a change of the URL's fragment alone would keep the old page)
    const frame = await openWith(page, cockpit, "/vf-migration#/migrate", {
        "vf-migration:wizard": JSON.stringify(WIZARD),
        "vf-migration:destination": JSON.stringify(WIZARD.destination),
    });
    await frame.locator("#vfm-stage-prepare").waitFor({ timeout: 30000 });
    const dialog = frame.locator("#vfm-hostkey-dialog");
    const plan = frame.locator("#vfm-prepare-host-destination li[data-step]").first();
    await dialog.or(plan).first().waitFor({ timeout: 60000 });
    if (await dialog.isVisible())
        await frame.locator("#vfm-hostkey-accept").click();
    await frame.locator("#vfm-prepare-host-source li[data-step]").first().waitFor({ timeout: 60000 });
    await plan.waitFor({ timeout: 60000 });
    // whether the button continues an earlier run is known once both hosts' records are read
    await frame.locator("#vfm-stage-prepare[data-records=read]").waitFor({ timeout: 60000 });
    return frame;
}

async function phaseOf(frame) {
    const el = frame.locator("#vfm-prepare-phase");
    return (await el.count()) ? el.getAttribute("data-phase", { timeout: 1000 }).catch(() => null) : null;
}

/** The status page, read fresh; the destination connected as the admin would, if asked. */
async function statusPage(page, cockpit, withDestination = true) {
    await page.goto(cockpit.url + "/vf-migration");
    const frame = await pluginFrame(page);
    await frame.locator("#vfm-host-source").waitFor();
    if (withDestination) {
        await frame.locator("#vfm-destination-host").fill(DESTINATION);
        await frame.locator("#vfm-destination-connect").click();
    }
    return frame;
}

module.exports = { WIZARD, openPrepare, phaseOf, statusPage };
