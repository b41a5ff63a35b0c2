/*
 * A preparation record on a host that the page did not write: 10 MB of random bytes on this host, a record naming
 * another machine's PF on the destination. The page names each file and what was wrong, runs nothing, leaves the
 * files as they were, and goes on once the admin discards them (each set aside as prepare.json.discarded).
 * Needs the pair (COCKPIT_URL etc., see test/browser/README.md), under /run/vfsim-pair.lock.
 */
const { describe, test, expect, beforeAll, afterAll } = require("@jest/globals");
const path = require("path");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec } = require("./simpair");
const { openPrepare } = require("./prepare-lib");

const AFTER_REBOOT = path.join(__dirname, "scenarios", "prepare-after-reboot.json");
const PROGRESS = "/var/lib/cockpit-vf-migration/prepare.json";

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and set COCKPIT_URL");
});

afterAll(() => {
    for (const h of ["source", "destination"])
        hostExec(h, "rm", "-f", PROGRESS, `${PROGRESS}.discarded`);
    hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
});

/** Runs a shell line on a host of the pair (the test's own setup, not the page's). */
function sh(host, line) {
    const r = hostExec(host, "/bin/sh", "-c", line);
    if (r.status !== 0)
        throw new Error(`${host}: ${line}: ${r.stderr}`);
    return r.stdout.trim();
}
const sum = host => sh(host, `sha256sum ${PROGRESS} | cut -d' ' -f1`);

/** The command log's entries as text (only the commands that change a host, with `changesOnly`). */
async function logLines(frame, changesOnly) {
    await frame.locator("#vfm-command-log-open").click();
    const log = frame.locator("#vfm-command-log");
    await log.waitFor();
    if (changesOnly)
        await frame.locator("#vfm-command-log-changes").check({ force: true });
    const entries = await log.locator(".vfm-log-entry").allInnerTexts();
    await frame.locator("#vfm-command-log-close").click();
    await log.waitFor({ state: "hidden" });
    return entries;
}

describe("a preparation record the page did not write", () => {
    const cockpit = useCockpit("local");

    test("10 MB of random bytes here, another machine's PF on the destination: each named with its file and what was wrong; nothing runs until the admin discards them, then the preparation goes on", () => {
        loadScenario(AFTER_REBOOT);
        hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
        for (const h of ["source", "destination"])
            sh(h, `rm -f ${PROGRESS}.discarded; mkdir -p ${path.dirname(PROGRESS)}`);
        sh("source", `head -c 10485760 /dev/urandom > ${PROGRESS}`);
        sh("destination", `printf '%s\\n' '{"version":1,"updatedAt":1,"pf":"0000:3b:00.0","options":{"protocol":"ssh","bridge":"br-vf","numVfs":1,"persist":false},"steps":{},"pending":{}}' > ${PROGRESS}`);
        const before = { source: sum("source"), destination: sum("destination") };

        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openPrepare(page, cockpit);
            const source = frame.locator("#vfm-prepare-record-error-source");
            const destination = frame.locator("#vfm-prepare-record-error-destination");
            await source.waitFor({ timeout: 60000 });
            await destination.waitFor({ timeout: 60000 });
            // checked on the host by iconv: no byte of it reached the page
            expect(await source.innerText()).toMatch(new RegExp(
                `${PROGRESS} on localhost is not a progress record written by this page: not UTF-8 text \\(iconv: illegal input sequence at position \\d+\\)`));
            expect(await destination.innerText()).toMatch(new RegExp(
                `${PROGRESS} on \\S*rhel-dst\\S* is not a progress record written by this page: the PF 0000:3b:00.0 is not one of this host's ConnectX-7 PFs`));
            expect(await source.getAttribute("data-file")).toBe(PROGRESS);

            // nothing can start, nothing changed a host, nothing wrote the records; the files are as they were
            expect(await frame.locator("#vfm-prepare-start").isDisabled()).toBe(true);
            // (the destination's host key, when the admin confirmed it on the way in, is the only change: root's
            // ~/.ssh made if missing, then known_hosts)
            expect((await logLines(frame, true)).filter(t => !t.includes("known_hosts") && !/mkdir -p -m 0700 -- \/root\/\.ssh$/.test(t))).toEqual([]);
            const state = (await logLines(frame, false)).filter(t => t.includes("/var/lib/cockpit-vf-migration"));
            expect(state.length).toBeGreaterThanOrEqual(2);
            // only the reads (iconv's check, then head -c, in one fixed script)
            expect(state.filter(t => !t.includes(`vfm-state-read ${PROGRESS} 1048577`))).toEqual([]);
            expect({ source: sum("source"), destination: sum("destination") }).toEqual(before);

            // discard both, each after a confirmation that names where the file goes
            for (const [role, alert] of [["source", source], ["destination", destination]]) {
                await frame.locator(`#vfm-prepare-record-discard-${role}`).click();
                const dialog = frame.locator("#vfm-prepare-record-discard-dialog");
                await dialog.waitFor();
                expect(await dialog.innerText()).toContain(`${PROGRESS} is renamed to ${PROGRESS}.discarded`);
                await frame.locator("#vfm-prepare-record-discard-confirm").click();
                await dialog.waitFor({ state: "hidden" });
                await alert.waitFor({ state: "hidden" });
            }
            expect(sh("source", `sha256sum ${PROGRESS}.discarded | cut -d' ' -f1`)).toBe(before.source);
            expect(sh("destination", `sha256sum ${PROGRESS}.discarded | cut -d' ' -f1`)).toBe(before.destination);
            const discards = (await logLines(frame, true)).filter(t => t.includes(`mv -f -T -- ${PROGRESS} ${PROGRESS}.discarded`));
            expect(discards).toHaveLength(2);

            // the preparation goes on: this host's packages install, then switchdev asks first
            await frame.locator("#vfm-prepare-start").click();
            const confirm = frame.locator("#vfm-prepare-confirm");
            await confirm.waitFor({ timeout: 180000 });
            expect(await confirm.innerText()).toMatch(/switchdev/i);
            await frame.locator("#vfm-prepare-confirm-cancel").click();
            // a fresh record, root's alone, in a directory that is root's alone
            await eventually(() => expect(sh("source", `stat -c '%a %U' ${path.dirname(PROGRESS)} ${PROGRESS}`)).toBe("700 root\n600 root"), 30000);
            expect(JSON.parse(sh("source", `cat ${PROGRESS}`)).pf).toBe("0000:e1:00.0");
        });
    }, 360000);
});
