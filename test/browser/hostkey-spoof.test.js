/*
 * First contact with an on-path attacker (review E3): the source's ssh-keyscan gets the real destination's ED25519
 * key and the attacker's own ECDSA key (the scenario key `sshKeyscanForges`, a stand-in for someone relaying one of
 * ssh-keyscan's connections and answering the others: test/simhost/bin/ssh-keyscan). The page shows one fingerprint,
 * writes exactly that key to root's known_hosts, never the forged one, and the trust is in the command log. A trust
 * that cannot be written is an error in the dialog. Run under the pair lock (see test/browser/README.md).
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec, DESTINATION } = require("./simpair");
const { openStatus, exitSshMaster, loadReadyPairWith } = require("./faults-lib");

const T = 180000;
const KNOWN_HOSTS = "/root/.ssh/known_hosts";

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see test/browser/README.md)");
});

const publicKey = (host, type) => hostExec(host, "cat", `/etc/ssh/ssh_host_${type}_key.pub`).stdout.split(" ").slice(0, 2).join(" ");

/** The destination typed in, the dialog awaited: its fingerprints (type → SHA256) and on-host commands. */
async function firstContact(frame) {
    await frame.locator("#vfm-destination-host").fill(DESTINATION);
    await frame.locator("#vfm-destination-connect").click();
    const dialog = frame.locator("#vfm-hostkey-dialog");
    await dialog.waitFor({ timeout: 70000 });
    const shown = await dialog.locator("[id^=vfm-hostkey-fingerprint-]").evaluateAll(els =>
        els.map(e => [e.id.replace("vfm-hostkey-fingerprint-", ""), e.textContent.trim()]));
    const commands = await dialog.locator("[id^=vfm-hostkey-command-]").allInnerTexts();
    return { dialog, shown, commands };
}

/** The command log's entries whose copyable line contains `text`. */
async function logEntries(frame, text) {
    await frame.locator("#vfm-command-log-open").click();
    const log = frame.locator("#vfm-command-log");
    await log.waitFor();
    const entries = await log.locator(".vfm-log-entry", { hasText: text }).allInnerTexts();
    await frame.locator("#vfm-command-log-close").click();
    return entries;
}

function spoofedPair(name) {
    exitSshMaster();
    loadReadyPairWith(name, { edit: sc => { sc.hosts.source.sshKeyscanForges = ["ecdsa"] } });
    hostExec("source", "rm", "-rf", KNOWN_HOSTS);
    // the stand-in is active: the scan answers ECDSA with a key that is not the destination's
    const scan = hostExec("source", "ssh-keyscan", DESTINATION).stdout;
    const ecdsa = scan.split("\n").find(l => l.includes(" ecdsa-sha2-"));
    expect(ecdsa).toBeDefined();
    expect(ecdsa).not.toContain(publicKey("destination", "ecdsa").split(" ")[1]);
    expect(scan).toContain(publicKey("destination", "ed25519"));
    return ecdsa.split(" ").slice(1).join(" ");
}

function cleanUp() {
    exitSshMaster();
    hostExec("source", "rm", "-rf", KNOWN_HOSTS);
    loadScenario("ready-pair");
}

describe("host-key first contact with a forged key type on the path", () => {
    const cockpit = useCockpit("local");

    test("the forged ECDSA key is never trusted: known_hosts holds exactly the ED25519 key whose fingerprint was shown", () => {
        const forged = spoofedPair("hostkey-spoof");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            const { shown, commands } = await firstContact(frame);
            expect(shown.map(([type]) => type)).toEqual(["ED25519"]);
            expect(commands).toEqual(["ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub"]);
            await frame.locator("#vfm-hostkey-accept").click();
            // the one key is enough for the page's own connection
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 90000);

            const lines = hostExec("source", "cat", KNOWN_HOSTS).stdout.split("\n").filter(Boolean);
            expect(lines).toEqual([`${DESTINATION} ${publicKey("destination", "ed25519")}`]);
            expect(lines.join("\n")).not.toContain("ecdsa");
            expect(lines.join("\n")).not.toContain(forged.split(" ")[1]);
            // what was written is exactly what the dialog showed
            const written = hostExec("source", "ssh-keygen", "-l", "-E", "sha256", "-f", KNOWN_HOSTS).stdout.split("\n").filter(Boolean)
                    .map(l => { const f = l.split(" "); return [f[f.length - 1].replace(/[()]/g, ""), f[1]] });
            expect(written).toEqual(shown);
            // and no ECDSA key of that host is trusted: a connection that offers only ECDSA is refused
            const ecdsaOnly = hostExec("source", "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ControlPath=none",
                                       "-o", "HostKeyAlgorithms=ecdsa-sha2-nistp256", "-l", "root", DESTINATION, "true");
            expect(ecdsaOnly.status).toBe(255);
            expect(ecdsaOnly.stderr).toMatch(/No ECDSA host key is known|Host key verification failed/);

            const trust = await logEntries(frame, `tee -a -- ${KNOWN_HOSTS}`);
            expect(trust.length).toBe(1);
            expect(trust[0]).toContain("exit status 0");
            expect(trust[0]).toContain(publicKey("destination", "ed25519"));
            expect((await logEntries(frame, `ssh-keyscan -T 5 -p 22 -- ${DESTINATION}`)).length).toBeGreaterThan(0);
        }).finally(cleanUp);
    }, T);

    test("a known_hosts that cannot be written: the dialog says so and stays open; nothing is trusted", () => {
        spoofedPair("hostkey-unwritable");
        // a folder where the file should be: tee fails with "Is a directory"
        expect(hostExec("source", "mkdir", "-p", KNOWN_HOSTS).status).toBe(0);
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            const { dialog } = await firstContact(frame);
            await frame.locator("#vfm-hostkey-accept").click();
            const error = dialog.locator("#vfm-hostkey-error");
            await error.waitFor({ timeout: 30000 });
            expect(await error.innerText()).toContain(`could not be written to ${KNOWN_HOSTS}: “tee” exited with status 1`);
            expect(await error.innerText()).toContain("Is a directory");
            expect(await dialog.isVisible()).toBe(true);
            await frame.locator("#vfm-hostkey-cancel").click();
            expect((await logEntries(frame, `tee -a -- ${KNOWN_HOSTS}`))[0]).toContain("exit status 1");
        }).finally(cleanUp);
    }, T);
});
