/*
 * The fault matrix of what exists today (the status page, the host access layer, the destination connection),
 * on the simulated pair: for each fault, what the admin reads, and that the page tells the truth afterwards.
 * Cases and expectations: docs/reliability.md. Run under the pair lock (see test/browser/README.md).
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec, DESTINATION } = require("./simpair");
const {
    openStatus, allVerdicts, settledVerdicts, checkDestination, clickRefresh, setLanPort, exitSshMaster,
    freshReadyPair, hostProcesses, SIMHOST,
} = require("./faults-lib");

const T = 120000;

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see test/browser/README.md)");
});

/** The column shows the error and no verdict: nothing stale that could pass for the host's current state. */
async function showsOnlyError(frame, host, text) {
    await eventually(async () => expect(await frame.locator(`#vfm-error-${host}`).innerText()).toContain(text), 90000);
    expect(await frame.locator(`#vfm-summary-${host}`).count()).toBe(0);
    expect(Object.values(await allVerdicts(frame, host)).filter(v => v !== "pending")).toEqual([]);
}

async function summary(frame, host) {
    return frame.locator(`#vfm-summary-${host}`).innerText();
}

/** The destination checked and ready, as the admin starts. */
async function readyPage(frame) {
    await eventually(async () => expect(await summary(frame, "source")).toBe("Ready to migrate"), 60000);
    await checkDestination(frame);
    await eventually(async () => expect(await summary(frame, "destination")).toBe("Ready to migrate"), 60000);
}

const restartSshd = () => hostExec("destination", path.join(SIMHOST, "lib", "daemon-ctl"), "restart", "sshd");

const knownHosts = () => hostExec("source", "cat", "/root/.ssh/known_hosts").stdout;

describe("connection and session faults", () => {
    const cockpit = useCockpit("local");

    test("dest-unreachable: “cannot be reached”, no verdict for the destination, the source unaffected", () => {
        exitSshMaster();
        loadScenario("dest-unreachable");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            await showsOnlyError(frame, "destination", `${DESTINATION} cannot be reached`);
            expect(await frame.locator("#vfm-hostkey-dialog").count()).toBe(0);
            await eventually(async () => expect(await summary(frame, "source")).toBe("Ready to migrate"), 60000);
        });
    }, T);

    test("a destination check under way can be cancelled: no error, no verdict, the button usable again, no ssh left running", () => {
        exitSshMaster();
        loadScenario("dest-unreachable");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await frame.locator("#vfm-destination-host").fill(DESTINATION);
            await frame.locator("#vfm-destination-connect").click();
            const cancel = frame.locator("#vfm-destination-cancel");
            await cancel.click();
            await eventually(async () => expect(await frame.locator("#vfm-destination-connect").isEnabled()).toBe(true));
            expect(await cancel.count()).toBe(0);
            expect(await frame.locator("#vfm-error-destination").count()).toBe(0);
            expect(await frame.locator("#vfm-summary-destination").count()).toBe(0);
            // the cancelled ssh is stopped, not left to time out
            await eventually(async () => expect(hostProcesses("source").filter(p => p.args[0] === "ssh" && p.args.includes(DESTINATION))).toEqual([]), 5000);
        });
    }, T);

    test("the destination's link cut while the page is open: the next refresh says so and drops the old verdicts; restored, it is ready again", () => {
        freshReadyPair();
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await readyPage(frame);
            const before = await settledVerdicts(frame, "destination");
            setLanPort("destination", false);
            try {
                await clickRefresh(frame, "destination");
                await showsOnlyError(frame, "destination", `${DESTINATION} cannot be reached`);
                expect(await summary(frame, "source")).toBe("Ready to migrate");
            } finally {
                setLanPort("destination", true);
            }
            await clickRefresh(frame, "destination");
            await eventually(async () => expect(await summary(frame, "destination")).toBe("Ready to migrate"), 90000);
            expect(await settledVerdicts(frame, "destination")).toEqual(before);
            expect(await frame.locator("#vfm-error-destination").count()).toBe(0);
        });
    }, T * 2);

    test("SSH authentication refused: the page says this host's key is not authorized there, and shows no verdict", () => {
        freshReadyPair();
        hostExec("destination", "truncate", "-s", "0", "/root/.ssh/authorized_keys");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            await showsOnlyError(frame, "destination", `root@${DESTINATION} refused the SSH login`);
            expect(await frame.locator("#vfm-error-destination").innerText()).toContain("authorized keys");
        }).finally(() => loadScenario("ready-pair"));
    }, T);

    test("the destination's host key changed after first contact: the page warns, offers the new key only on confirmation, and replaces the old one", () => {
        freshReadyPair();
        // the destination "reinstalled": new host keys (the old ones are put back afterwards: other tests use them)
        const keys = "/etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ecdsa_key /etc/ssh/ssh_host_rsa_key";
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await readyPage(frame);
            const trusted = knownHosts();
            expect(trusted).toContain(DESTINATION);
            const r = hostExec("destination", "sh", "-c", `mkdir -p /root/vfm-keys && for k in ${keys}; do mv $k $k.pub /root/vfm-keys/; done && ssh-keygen -A`);
            expect(r.status).toBe(0);
            // OpenSSH 10's listener loads the host keys once: restart it, as a reinstalled host would have
            expect(restartSshd().status).toBe(0);
            exitSshMaster();
            await clickRefresh(frame, "destination");
            await showsOnlyError(frame, "destination", `The SSH host key of root@${DESTINATION} is not the one confirmed earlier`);
            // the new key is shown with the warning, never trusted by itself
            const dialog = frame.locator("#vfm-hostkey-dialog");
            await dialog.waitFor({ timeout: 60000 });
            expect(await dialog.innerText()).toContain(`The host key of root@${DESTINATION} changed`);
            expect(await frame.locator("#vfm-hostkey-changed").innerText()).toContain("someone may be intercepting the connection");
            const own = hostExec("destination", "ssh-keygen", "-l", "-f", "/etc/ssh/ssh_host_ed25519_key.pub").stdout;
            const shown = await frame.locator("#vfm-hostkey-fingerprint-ED25519").innerText();
            expect(own).toContain(shown);
            await frame.locator("#vfm-hostkey-cancel").click();
            await dialog.waitFor({ state: "detached" });
            expect(knownHosts()).toBe(trusted);
            // no connection stays open to the host whose key is not confirmed
            expect(hostProcesses("source").filter(p => p.args.join(" ").includes("[mux]"))).toEqual([]);
            // asked again, the admin replaces the key: the old entry goes, only the new key is written, the host is read
            await clickRefresh(frame, "destination");
            await dialog.waitFor({ timeout: 60000 });
            await frame.locator("#vfm-hostkey-accept").click();
            await dialog.waitFor({ state: "detached", timeout: 30000 });
            await eventually(async () => expect(await summary(frame, "destination")).toBe("Ready to migrate"), 90000);
            const now = knownHosts().split("\n").filter(l => l.startsWith(DESTINATION));
            const newKey = hostExec("destination", "cat", "/etc/ssh/ssh_host_ed25519_key.pub").stdout.split(" ")[1];
            expect(now.map(l => l.split(" ")[2])).toEqual([newKey]);
            for (const old of trusted.split("\n").filter(l => l.startsWith(DESTINATION)))
                expect(knownHosts()).not.toContain(old.split(" ")[2]);
        }).finally(() => {
            hostExec("destination", "sh", "-c", `for k in ${keys}; do [ -f /root/vfm-keys/$(basename $k) ] && mv -f /root/vfm-keys/$(basename $k) /root/vfm-keys/$(basename $k).pub /etc/ssh/; done; rm -rf /root/vfm-keys`);
            restartSshd();
            exitSshMaster();
            loadScenario("ready-pair");
        });
    }, T * 2);

    for (const host of ["source", "destination"]) {
        test(`libvirtd stopped on the ${host}: “libvirt answers” fails with the fix; started again, it passes`, () => {
            freshReadyPair();
            return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
                const frame = await openStatus(page);
                await readyPage(frame);
                const row = frame.locator(`#vfm-check-${host}-libvirt-answers`);
                // RHEL 9's modular daemon (the pair's monolithic libvirtd stands in for it)
                expect(hostExec(host, "systemctl", "stop", "virtqemud.socket", "virtqemud.service").status).toBe(0);
                await clickRefresh(frame, host);
                await eventually(async () => expect(await row.getAttribute("data-verdict")).toBe("fail"), 90000);
                expect(await row.innerText()).toContain("libvirt does not answer");
                expect(await summary(frame, host)).toMatch(/^\d+ problems?/);
                // the other host is untouched
                const other = host === "source" ? "destination" : "source";
                expect(await summary(frame, other)).toBe("Ready to migrate");
                expect(hostExec(host, "systemctl", "start", "virtqemud.socket", "virtqemud.service").status).toBe(0);
                await clickRefresh(frame, host);
                await eventually(async () => expect(await row.getAttribute("data-verdict")).toBe("pass"), 90000);
                await eventually(async () => expect(await summary(frame, host)).toBe("Ready to migrate"), 30000);
            }).finally(() => loadScenario("ready-pair"));
        }, T);
    }

    test("the Cockpit session lost (its bridge killed): Cockpit's “Disconnected” screen; after Reconnect the page is right again", () => {
        freshReadyPair();
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            let frame = await openStatus(page);
            await readyPage(frame);
            const before = { source: await settledVerdicts(frame, "source"), destination: await settledVerdicts(frame, "destination") };
            // the root session's bridge: child of the cockpit-ws on 9091
            const procs = hostProcesses("source");
            const ws = procs.filter(p => p.comm === "cockpit-ws" && p.args.includes("--local-session=cockpit-bridge"));
            const bridges = procs.filter(p => p.comm === "cockpit-bridge" && ws.some(w => w.pid === p.ppid));
            expect(bridges.length).toBe(1);
            process.kill(bridges[0].pid, "SIGKILL");
            const reconnect = page.locator("#machine-reconnect");
            await reconnect.waitFor({ timeout: 30000 });
            expect(await page.locator("body").innerText()).toContain("Disconnected");
            // lib/cockpit-local-session replaces that cockpit-ws once its bridge is gone (a ws without its bridge
            // only offers a login page): wait for the new one, then Reconnect as the admin would
            await eventually(async () => {
                const now = hostProcesses("source").filter(p => p.comm === "cockpit-ws" && p.args.includes("--local-session=cockpit-bridge"));
                expect(now.length).toBe(1);
                expect(ws.map(w => w.pid)).not.toContain(now[0].pid);
            }, 30000);
            await reconnect.click();
            frame = await openStatus(page);
            await eventually(async () => expect(await summary(frame, "source")).toBe("Ready to migrate"), 60000);
            // the destination is remembered, not reconnected behind the admin's back: one click, no new key prompt
            expect(await frame.locator("#vfm-destination-host").inputValue()).toBe(DESTINATION);
            await frame.locator("#vfm-destination-connect").click();
            await eventually(async () => expect(await summary(frame, "destination")).toBe("Ready to migrate"), 90000);
            expect(await frame.locator("#vfm-hostkey-dialog").count()).toBe(0);
            expect({ source: await settledVerdicts(frame, "source"), destination: await settledVerdicts(frame, "destination") }).toEqual(before);
        }).finally(async () => {
            // the file's keep-alive page lost its session too
            if (cockpit.keepalive)
                await cockpit.keepalive.reload().catch(() => {});
        });
    }, T * 2);

    test("the destination rebooted while the page is open: the refresh during the reboot fails plainly; afterwards the page shows what the reboot undid, as a fresh page does", async () => {
        freshReadyPair();
        let reboot = null;
        const rebooted = () => new Promise(resolve => reboot.on("exit", code => resolve(code)));
        try {
            await inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
                const frame = await openStatus(page);
                await readyPage(frame);
                reboot = spawn(path.join(SIMHOST, "reboot"), ["destination"], { stdio: ["ignore", "pipe", "pipe"] });
                const done = rebooted();
                await clickRefresh(frame, "destination");
                expect(await done).toBe(0);
                // the refresh that ran into the reboot ended with an error or with results: never hangs
                await eventually(async () => expect(await frame.locator("#vfm-refresh-destination").isEnabled()).toBe(true), 90000);
                await clickRefresh(frame, "destination");
                const after = await settledVerdicts(frame, "destination");
                expect(await frame.locator("#vfm-error-destination").count()).toBe(0);
                // a reboot drops the VFs and returns the e-switch to legacy (PROCEDURE.md): the page says so
                expect(after["vf-created"]).toBe("fail");
                expect(after["eswitch-switchdev"]).toBe("fail");
                // and agrees with a page opened now
                const fresh = await page.context().newPage();
                await fresh.goto(cockpit.url + "/vf-migration");
                const freshFrame = await openStatus(fresh);
                await checkDestination(freshFrame);
                expect(await settledVerdicts(freshFrame, "destination")).toEqual(after);
            });
        } finally {
            if (reboot && reboot.exitCode === null) {
                await new Promise(resolve => { reboot.on("exit", resolve); setTimeout(resolve, 60000) });
                if (reboot.exitCode === null)
                    reboot.kill("SIGTERM");
            }
            loadScenario("ready-pair");
        }
    }, T * 3);
});

describe("privilege: the read-only login", () => {
    const cockpit = useCockpit("login");

    test("read-only checks ask for no password, and nothing reaches the destination", () => {
        exitSshMaster();
        loadScenario("ready-pair");
        const sshdLog = `${process.env.VFSIM_RUN || "/run/vfsim"}/destination/logs/sshd.log`;
        const logBefore = fs.statSync(sshdLog).size;
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page, context }) => {
            // a destination remembered from an earlier root session changes nothing for this user
            await context.addInitScript(d => localStorage.setItem("vf-migration:destination", JSON.stringify({ host: d, user: "root", protocol: "ssh" })), DESTINATION);
            await page.reload();
            const frame = await openStatus(page);
            await frame.locator("#vfm-limited").waitFor();
            const verdicts = await settledVerdicts(frame, "source");
            expect(verdicts["cx7-present"]).toBe("pass");
            // root-only tools are unknown, not guessed
            expect(verdicts["fw-vf-migration"]).toBe("unknown");
            // no administrative-access prompt anywhere (the shell's superuser dialog is a modal of the top page)
            expect(await page.locator("[role=dialog]").count()).toBe(0);
            expect(await frame.locator("[role=dialog]").count()).toBe(0);
            expect(await frame.locator("#vfm-destination-form").count()).toBe(0);
            expect(await frame.locator("#vfm-refresh-destination").count()).toBe(0);
            // no ssh process on the source, no connection in the destination's sshd log
            expect(hostProcesses("source").filter(p => p.comm === "ssh" || p.comm === "ssh-keyscan")).toEqual([]);
            expect(fs.statSync(sshdLog).size).toBe(logBefore);
        });
    }, T);
});
