/*
 * The migration wizard's stages on the simulated pair (scenario ready-pair, guest1 running on the source): choosing
 * the VM and the destination, the checks with their evidence, attaching the VF, and the verification after a
 * migration this test does itself with virsh. Stages are reached directly by setting the wizard's remembered state
 * (localStorage `vf-migration:wizard`), as a reload of the page does. Needs the pair (see status.test.js).
 */
const { describe, test, expect, beforeAll, afterAll } = require("@jest/globals");
const fs = require("fs");
const path = require("path");
const { useCockpit, inBrowser, openWith, pluginFrame, eventually, artifacts } = require("./harness");
const { loadScenario, pairIsUp, hostExec, DESTINATION } = require("./simpair");
const { setLanPort } = require("./faults-lib");
const { withOneCopy } = require("../lib/one-copy");
const { PAIR_WATCH } = require("./migrate-pair");

const TIMEOUT = 150000;
const RUN = process.env.VFSIM_RUN || "/run/vfsim";
const SOURCE_NAME = "rhel-src.example.test";
const VF = { source: { pci: "0000:e1:00.1", bus: "0xe1" }, destination: { pci: "0000:c1:00.1", bus: "0xc1" } };
const URI = { source: `qemu+ssh://root@${SOURCE_NAME}/system`, destination: `qemu+ssh://root@${DESTINATION}/system` };

function ok(host, ...argv) {
    const r = hostExec(host, ...argv);
    if (r.status !== 0)
        throw new Error(`${host}: ${argv.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout;
}
const virsh = (host, ...args) => ok(host, "virsh", "-c", "qemu:///system", ...args);
const hostFile = (host, p) => path.join(RUN, host, "fs", p.replace(/^\//, ""));
const running = host => virsh(host, "list", "--name").split("\n").filter(Boolean);
const driverOf = (host, pci) => hostExec(host, "readlink", `/sys/bus/pci/devices/${pci}/driver`).stdout.trim().split("/").pop() || "";

const PEERS = [["source", DESTINATION], ["destination", SOURCE_NAME]];

/** Root's known_hosts of both hosts as they were, to put back at the end. */
function saveKnownHosts() {
    const saved = PEERS.map(([host]) => {
        const file = hostFile(host, "/root/.ssh/known_hosts");
        return [file, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null];
    });
    return () => saved.forEach(([file, content]) => (content === null ? fs.rmSync(file, { force: true }) : fs.writeFileSync(file, content)));
}

/** Each root knows the other host's key: what libvirt's ssh needs for `virsh migrate`, and the page's SSH. */
function ensureKnownHosts() {
    for (const [host, peer] of PEERS) {
        if (hostExec(host, "ssh-keygen", "-F", peer, "-f", "/root/.ssh/known_hosts").status === 0)
            continue;
        const file = hostFile(host, "/root/.ssh/known_hosts");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.appendFileSync(file, ok(host, "ssh-keyscan", "-T", "5", peer));
    }
}

/** The domain XML with the VF's host address moved to the other host's VF (what the plan's destination_xml does). */
function retargeted(host, inactive, to) {
    const xml = virsh(host, "dumpxml", "--migratable", ...(inactive ? ["--inactive"] : []), "guest1");
    const from = `bus='${VF[host].bus}' slot='0x00' function='0x1'`;
    expect(xml.split(from).length).toBe(2);
    return xml.replace(from, `bus='${VF[to].bus}' slot='0x00' function='0x1'`);
}

function migrateWithVirsh(from, to) {
    fs.writeFileSync(hostFile(from, "/tmp/wiz-dest.xml"), retargeted(from, false, to));
    fs.writeFileSync(hostFile(from, "/tmp/wiz-persist.xml"), retargeted(from, true, to));
    withOneCopy(PAIR_WATCH, () => virsh(from, "migrate", "--live", "--persistent", "--undefinesource", "--xml", "/tmp/wiz-dest.xml",
                                        "--persistent-xml", "/tmp/wiz-persist.xml", "guest1", URI[to]));
}

/** A shared SSH connection the page opened earlier (ControlPersist) would skip the host key check and outlive a cut link. */
function endSharedSsh() {
    hostExec("source", "ssh", "-o", "ControlPath=/run/cockpit-vf-migration/ssh/%C", "-O", "exit", "-l", "root", DESTINATION);
}

/** The messages the page left in a host's system log (the pair's journal stand-in), oldest first. */
function auditLog(host) {
    return ok(host, "journalctl", "-t", "cockpit-vf-migration", "-o", "json").split("\n").filter(Boolean).map(l => JSON.parse(l).MESSAGE);
}

/** "started AttachDevice", "ran MigrateToURI3 → done": what a libvirt-dbus line says happened. */
function step(message) {
    const m = / (started|ran|started migrating|migrated)\b.* through libvirt-dbus \((\w+)\): .*?( → \S+)?$/.exec(message);
    if (!m)
        return message;
    const verb = m[1].startsWith("started") ? "started" : "ran";
    return `${verb} ${m[2]}${m[3] ?? ""}`;
}

/** A scenario, with the hosts' keys known both ways (the scenarios leave known_hosts empty). */
function load(name) {
    loadScenario(name);
    ensureKnownHosts();
}

/** The VF attached to guest1 on the source, as the procedure does it, unless the VM holds it already. */
function attachWithVirsh() {
    if (virsh("source", "dumpxml", "guest1").includes("type='hostdev'"))
        return;
    fs.writeFileSync(hostFile("source", "/tmp/wiz-vf.xml"),
                     `<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:5a:11:01'/>\n  <source>\n` +
                     `    <address type='pci' domain='0x0000' bus='${VF.source.bus}' slot='0x00' function='0x1'/>\n  </source>\n</interface>\n`);
    virsh("source", "attach-device", "guest1", "/tmp/wiz-vf.xml", "--live", "--config");
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const boots = () => Number(hostExec("source", "grep", "-c", "vfsim-guest: up", "/var/log/libvirt/qemu/guest1-serial.log").stdout.trim()) || 0;

/** Back to what ready-pair promises: guest1 on the source without a VF, both VFs free and prepared. */
async function restoreGuest() {
    ensureKnownHosts();
    if (running("destination").includes("guest1"))
        migrateWithVirsh("destination", "source");
    const config = virsh("source", "dumpxml", "--inactive", "guest1");
    const live = virsh("source", "dumpxml", "guest1");
    if (config.includes("type='hostdev'") || live.includes("type='hostdev'")) {
        const mac = /<interface type='hostdev'[\s\S]*?<mac address='([^']+)'/.exec(live + config)[1];
        fs.writeFileSync(hostFile("source", "/tmp/wiz-vf.xml"),
                         `<interface type='hostdev' managed='yes'>\n  <mac address='${mac}'/>\n  <source>\n` +
                         `    <address type='pci' domain='0x0000' bus='${VF.source.bus}' slot='0x00' function='0x1'/>\n  </source>\n</interface>\n`);
        const before = boots();
        if (config.includes("type='hostdev'"))
            virsh("source", "detach-device", "guest1", "/tmp/wiz-vf.xml", "--config");
        virsh("source", "destroy", "guest1");
        virsh("source", "start", "guest1");
        for (let i = 0; i < 180 && boots() <= before; i++)
            await sleep(500);
    }
    loadScenario("ready-pair");
}

/** The wizard opened afresh with the given state (null: none, the first stage), the pair's destination remembered. */
async function openWizard(page, cockpit, wizardState) {
    const frame = await openWith(page, cockpit, "/vf-migration#/migrate", {
        "vf-migration:wizard": wizardState === null ? null : JSON.stringify(wizardState),
        "vf-migration:destination": JSON.stringify({ host: "rhel-dst.example.test", user: "root", protocol: "ssh" }),
    });
    await frame.locator("#vfm-wizard").waitFor();
    return frame;
}

/** What the stage looked like, for review: test/artifacts/wizard-<name>.png. */
async function snapshot(page, name) {
    await page.setViewportSize({ width: 1280, height: 2000 }); // the page scrolls inside Cockpit's iframe: show it all
    await sleep(300);
    await page.screenshot({ path: path.join(artifacts, `wizard-${name}.png`) });
    await page.setViewportSize({ width: 1280, height: 800 });
}

const at = (stage, extra = {}) => ({
    stage, vm: "guest1", destination: { host: DESTINATION, user: "root", protocol: "ssh" }, options: {},
    destinationVf: null, sourceVf: null, ...extra,
});

/** The verdict a row shows once it has one. */
async function verdictOf(frame, id, timeoutMs = 60000) {
    const row = frame.locator(`#${id}`);
    await eventually(async () => expect(await row.getAttribute("data-verdict")).not.toBe("pending"), timeoutMs);
    return row.getAttribute("data-verdict");
}

async function rowText(row) {
    const values = await row.locator("input, textarea").evaluateAll(els => els.map(e => e.value));
    return [await row.innerText(), ...values].join("\n");
}

async function expanded(frame, id) {
    const row = frame.locator(`#${id}`);
    await row.locator("button").first().click();
    return row;
}

const VM_CHECKS = ["viommu", "storage", "cpu", "destination-vf", "vlan", "memory", "concurrent-vfs", "convergence"];

describe("migration wizard on the simulated pair", () => {
    const cockpit = useCockpit("local");
    let restoreKeys = () => {};

    beforeAll(async () => {
        if (!process.env.COCKPIT_URL || !pairIsUp())
            throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and COCKPIT_URL (see the conventions)");
        restoreKeys = saveKnownHosts();
        await restoreGuest();
    }, TIMEOUT);

    afterAll(async () => {
        await restoreGuest();
        restoreKeys();
    }, TIMEOUT);

    test("choose: guest1 is listed with its VF state and a link to Virtual machines; the destination's key is confirmed; Next", () => {
        loadScenario("ready-pair");
        hostExec("source", "ssh-keygen", "-R", DESTINATION, "-f", "/root/.ssh/known_hosts");
        endSharedSsh();
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, null);
            const vm = frame.locator("#vfm-vm-guest1");
            await vm.waitFor({ timeout: 30000 });
            expect(await vm.innerText()).toContain("No VF attached");
            expect(await vm.locator("a.vfm-vm-link").getAttribute("href")).toBe("/machines#/vm?name=guest1&connection=system");
            const picked = Date.now();
            await frame.locator("#vfm-vm-radio-guest1").check();
            // its dirty-page rate is measured from the choice (it has no VF), while the admin fills in the rest
            const measurements = async () => {
                await frame.locator("#vfm-command-log-open").click();
                const log = frame.locator("#vfm-command-log");
                await log.waitFor();
                // the newest 100 are shown first
                while (await log.locator("#vfm-command-log-more").count() > 0)
                    await log.locator("#vfm-command-log-more").click();
                const n = await log.locator(".vfm-log-entry", { hasText: "domdirtyrate-calc --domain guest1 --seconds 3" }).count();
                await frame.locator("#vfm-command-log-close").click();
                await log.waitFor({ state: "detached" });
                return n;
            };
            await eventually(async () => expect(await measurements()).toBe(1));
            expect(await frame.locator("#vfm-choose-host").inputValue()).toBe(DESTINATION); // remembered by the status page
            await frame.locator("#vfm-choose-bandwidth").fill("100");
            expect(await frame.locator("#vfm-wizard-next").isDisabled()).toBe(true); // the destination is not checked yet
            await frame.locator("#vfm-choose-connect").click();
            await frame.locator("#vfm-hostkey-dialog").waitFor({ timeout: 30000 });
            const fingerprint = await frame.locator("#vfm-hostkey-fingerprint-ED25519").innerText();
            expect(ok("destination", "ssh-keygen", "-l", "-E", "sha256", "-f", "/etc/ssh/ssh_host_ed25519_key.pub")).toContain(fingerprint);
            await frame.locator("#vfm-hostkey-accept").click();
            await frame.locator("#vfm-choose-contact-ok").waitFor({ timeout: 30000 });
            await snapshot(page, "choose");
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            // post-copy is never offered
            expect((await frame.locator("#vfm-stage-choose").innerText()).toLowerCase()).not.toContain("post-copy");
            await frame.locator("#vfm-wizard-next").click();
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("checks"));
            // saved with the host whose page saved it (Cockpit's host switcher serves every host from one origin)
            const saved = JSON.parse(await frame.evaluate(() => localStorage.getItem("vf-migration:wizard")));
            expect(saved.savedOn).toBe("localhost");
            expect(saved.value).toMatchObject({ vm: "guest1", destination: { host: DESTINATION, user: "root", protocol: "ssh" }, options: { bandwidth: "100" } });
            // the Checks stage takes that measurement, with its commands as evidence, rather than making another (it
            // measures again if the admin spent 30 s or more since the choice)
            expect(await verdictOf(frame, "vfm-vmcheck-convergence")).toBe("pass");
            const inTime = Date.now() - picked < 30000;
            const dirty = await expanded(frame, "vfm-vmcheck-convergence");
            await eventually(async () => expect(await rowText(dirty)).toContain("domdirtyrate-calc --domain guest1 --seconds 3"));
            const reused = /begun when the VM was chosen, \d+ s before these checks/.test(await rowText(dirty));
            if (inTime)
                expect(reused).toBe(true);
            expect(await measurements()).toBe(reused ? 1 : 2);
        });
    }, TIMEOUT);

    test("progress saved by this browser on another host's page (Cockpit's host switcher) is not restored here, and says so", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const elsewhere = { savedOn: DESTINATION, value: { stage: "verify", vm: "guest1", destination: { host: "rhel-src.example.test", user: "root", protocol: "ssh" },
                                                                options: {}, destinationVf: "0000:c1:00.1", sourceVf: null } };
            let frame = await openWizard(page, cockpit, elsewhere);
            expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("choose");
            expect(await frame.locator("#vfm-wizard-foreign").innerText()).toContain(`This browser holds a wizard in progress on ${DESTINATION}`);
            expect(await frame.locator("#vfm-stage-verify").count()).toBe(0);

            // saved under this page's own host name, but by another machine (its machine-id): not restored either
            const thisHost = await frame.evaluate(() => globalThis.cockpit.transport.host || "localhost");
            const machineId = hostExec("destination", "cat", "/etc/machine-id").stdout.trim();
            const sameName = { ...elsewhere, savedOn: thisHost, machineId, hostname: DESTINATION };
            frame = await openWizard(page, cockpit, sameName);
            expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("choose");
            expect(await frame.locator("#vfm-wizard-foreign").innerText()).toContain(`This browser holds a wizard in progress on ${DESTINATION}`);
            // what this page saves now carries this host's own identity
            await frame.locator("#vfm-vm-radio-guest1").check();
            const mine = hostExec("source", "cat", "/etc/machine-id").stdout.trim();
            await eventually(async () => expect(JSON.parse(await frame.evaluate(() => localStorage.getItem("vf-migration:wizard"))))
                    .toMatchObject({ machineId: mine, hostname: "rhel-src.example.test" }));
        }), TIMEOUT);

    test("opened from another host's “Bring it back” link: the VM and the destination are filled in, and contacted only once the admin checks", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            let frame = await pluginFrame(page);
            await frame.evaluate(() => localStorage.removeItem("vf-migration:wizard"));
            await page.goto(`${cockpit.url}/vf-migration#/migrate?vm=guest1&destination=${DESTINATION}`);
            frame = await pluginFrame(page);
            await frame.locator("#vfm-stage-choose").waitFor();
            expect(await frame.locator("#vfm-choose-host").inputValue()).toBe(DESTINATION);
            await eventually(async () => expect(await frame.locator("#vfm-vm-radio-guest1").isChecked()).toBe(true), 30000);
            // a link names the host, it does not contact it: the admin checks it first
            expect(await frame.locator("#vfm-choose-from-link").innerText()).toContain("come from the link you followed");
            await sleep(2000);
            expect(await frame.locator("#vfm-choose-contact-ok").count()).toBe(0);
            expect(await frame.locator("#vfm-hostkey-dialog").count()).toBe(0);
            // nor does it measure the VM it names (the admin has not chosen it): nothing in the command log
            await frame.locator("#vfm-command-log-open").click();
            await frame.locator("#vfm-command-log").waitFor();
            expect(await frame.locator("#vfm-command-log .vfm-log-entry", { hasText: "domdirtyrate-calc" }).count()).toBe(0);
            await frame.locator("#vfm-command-log-close").click();
            await frame.locator("#vfm-command-log").waitFor({ state: "detached" });
            // the link's options are used once: the URL no longer carries them
            expect(page.url()).not.toContain("destination=");
            await frame.locator("#vfm-choose-connect").click();
            // its key confirmed first, when this host's root does not know it yet
            await eventually(async () => {
                if (await frame.locator("#vfm-hostkey-dialog").isVisible().catch(() => false))
                    await frame.locator("#vfm-hostkey-accept").click();
                expect(await frame.locator("#vfm-choose-contact-ok").count()).toBe(1);
            }, 60000);
        }), TIMEOUT);

    test("choose: a bad destination host and a negative bandwidth are refused on their fields", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, null);
            await frame.locator("#vfm-vm-radio-guest1").check();
            await frame.locator("#vfm-choose-host").fill("evil;rm");
            await frame.locator("#vfm-choose-bandwidth").fill("-1");
            const hostGroup = frame.locator(".pf-v6-c-form__group").filter({ has: frame.locator("#vfm-choose-host") });
            const bwGroup = frame.locator(".pf-v6-c-form__group").filter({ has: frame.locator("#vfm-choose-bandwidth") });
            await eventually(async () => expect(await hostGroup.innerText()).toContain("is not a host name"));
            expect(await bwGroup.innerText()).toMatch(/Bandwidth/);
            expect(await frame.locator("#vfm-choose-bandwidth").getAttribute("aria-invalid")).toBe("true");
            expect(await frame.locator("#vfm-choose-connect").isDisabled()).toBe(true);
            expect(await frame.locator("#vfm-wizard-next").isDisabled()).toBe(true);
            // corrected: the errors go away
            await frame.locator("#vfm-choose-host").fill(DESTINATION);
            await frame.locator("#vfm-choose-bandwidth").fill("");
            await eventually(async () => expect(await frame.locator("#vfm-choose-form [aria-invalid=true]").count()).toBe(0));
            // user@host pasted in the host field: split, with a note; a bad SSH port refused on its own field
            await frame.locator("#vfm-choose-host").fill(`admin@${DESTINATION}`);
            expect(await frame.locator("#vfm-choose-host").inputValue()).toBe(DESTINATION);
            expect(await frame.locator("#vfm-choose-user").inputValue()).toBe("admin");
            expect(await hostGroup.innerText()).toContain("The user admin was moved to the SSH user field");
            await frame.locator("#vfm-choose-user").fill("root");
            await frame.locator("#vfm-choose-port").fill("0");
            const portGroup = frame.locator(".pf-v6-c-form__group").filter({ has: frame.locator("#vfm-choose-port") });
            await eventually(async () => expect(await portGroup.innerText()).toContain("Port number “0” is not between 1 and 65535"));
            expect(await frame.locator("#vfm-choose-connect").isDisabled()).toBe(true);
            await frame.locator("#vfm-choose-port").fill("22");
            await eventually(async () => expect(await frame.locator("#vfm-choose-form [aria-invalid=true]").count()).toBe(0));
        }), TIMEOUT);

    test("choose: a name with no address and a host that does not answer each end with a message; a check under way can be cancelled", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, null);
            await frame.locator("#vfm-vm-radio-guest1").check();
            const error = frame.locator("#vfm-choose-contact-error");
            // the name is looked up first (getent, bounded), so a typo is said as such rather than as an SSH failure
            await frame.locator("#vfm-choose-host").fill("no-such-host.example.test");
            await frame.locator("#vfm-choose-connect").click();
            await eventually(async () => expect(await error.innerText()).toContain("No address is known for “no-such-host.example.test” on this host"), 20000);
            // an address where nothing answers: ssh's own words, after its connection timeout
            await frame.locator("#vfm-choose-host").fill("192.0.2.77");
            await frame.locator("#vfm-choose-connect").click();
            await eventually(async () => expect(await error.innerText()).toContain("root@192.0.2.77 cannot be reached"), 20000);
            expect(await frame.locator("#vfm-wizard-next").isDisabled()).toBe(true);
            // tried again, then cancelled: no answer, no error, the button usable again
            await frame.locator("#vfm-choose-connect").click();
            await frame.locator("#vfm-choose-connect-cancel").click();
            await eventually(async () => expect(await frame.locator("#vfm-choose-connect").isEnabled()).toBe(true));
            expect(await error.count()).toBe(0);
            expect(await frame.locator("#vfm-choose-connect-cancel").count()).toBe(0);
        }), TIMEOUT);

    test("checks: both hosts ready, every pre-check of guest1 passes with its evidence; Next skips host preparation", () => {
        load("ready-pair");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("checks"));
            for (const id of VM_CHECKS)
                expect([id, await verdictOf(frame, `vfm-vmcheck-${id}`)]).toEqual([id, "pass"]);
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 60000);
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 60000);
            expect(await frame.locator("#vfm-checks-verdict").getAttribute("data-verdict")).toBe("ready");
            await snapshot(page, "checks");

            const cpu = await expanded(frame, "vfm-vmcheck-cpu");
            await eventually(async () => expect(await rowText(cpu)).toContain("virsh -c qemu:///system hypervisor-cpu-compare --virttype qemu --file /dev/stdin"));
            expect(await rowText(cpu)).toContain("superset");
            expect(await rowText(cpu)).toContain("root@rhel-dst.example.test");
            // a VM with a VF has all its memory pinned: the destination's MemAvailable, read over SSH
            const memory = await expanded(frame, "vfm-vmcheck-memory");
            expect(await rowText(memory)).toMatch(/The VM's \d+ MiB, pinned for its VF, fit in the destination's \d+ MiB available/);
            expect(await rowText(memory)).toContain("grep -m 1 '^MemAvailable:' /proc/meminfo");
            const dirty = await expanded(frame, "vfm-vmcheck-convergence");
            await eventually(async () => expect(await rowText(dirty)).toContain("domdirtyrate-calc --domain guest1 --seconds 3"));
            expect(await rowText(dirty)).toMatch(/dirtyrate\.megabytes_per_second=\d+/);
            expect(await rowText(dirty)).toMatch(/Estimated migration time: about \d+ s/);
            expect(await frame.locator("#vfm-vmcheck-destination-vf").innerText()).toContain(VF.destination.pci);
            const saved = JSON.parse(await frame.evaluate(() => localStorage.getItem("vf-migration:wizard")));
            expect(saved.value.destinationVf).toBe(VF.destination.pci);

            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            await frame.locator("#vfm-wizard-next").click();
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("attach"));
        });
    }, TIMEOUT);

    test("checks: dest-no-free-vf fails the destination VF check and leads to host preparation", () => {
        load("dest-no-free-vf");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("checks"));
            expect(await verdictOf(frame, "vfm-vmcheck-destination-vf")).toBe("fail");
            expect(await frame.locator("#vfm-vmcheck-destination-vf").innerText()).toContain("No VF of the destination is free and prepared");
            await eventually(async () => expect(await frame.locator("#vfm-checks-verdict").getAttribute("data-verdict")).toBe("prepare"), 60000);
            expect(await frame.locator("#vfm-checks-verdict").innerText()).toContain("host preparation");
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            await frame.locator("#vfm-wizard-next").click();
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("prepare"));
        });
    }, TIMEOUT);

    test("checks on fresh-pair: the whole preparation is told before any change, with the reboot guest1 blocks", () => {
        load("fresh-pair");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("checks"));
            await eventually(async () => expect(await frame.locator("#vfm-checks-verdict").getAttribute("data-verdict")).toBe("prepare"), 60000);
            expect(await frame.locator("#vfm-checks-plan-source").innerText()).toMatch(/^The preparation will run on This host \(rhel-src\.example\.test\): .+\.$/);
            expect(await frame.locator("#vfm-checks-plan-destination").innerText()).toMatch(/^The preparation will run on Destination \(root@rhel-dst\.example\.test\): .+\.$/);
            // the source runs guest1: its reboot is named now, with what blocks it, not after the steps before it
            const reboot = await frame.locator("#vfm-checks-needs-source").innerText();
            expect(reboot).toContain("needs a reboot");
            expect(reboot).toMatch(/guest1/);
            expect(await frame.locator("#vfm-checks-needs-destination").innerText()).toContain("needs a reboot");
        });
    }, TIMEOUT);

    test("checks: an unreachable destination is said plainly, and the wizard does not go on", () => {
        loadScenario("dest-unreachable");
        endSharedSsh();
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("checks"));
            const alert = frame.locator("#vfm-checks-host-error");
            await eventually(async () => expect(await alert.innerText()).toContain("cannot be reached"), 60000);
            expect(await frame.locator("#vfm-wizard-next").isDisabled()).toBe(true);
            expect(await frame.locator("#vfm-vmcheck-cpu").getAttribute("data-verdict")).toBe("pending");
        });
    }, TIMEOUT);

    test("walk: the destination lost mid-wizard — the checks name the host and offer to check again; once it is back, Next goes on", () => {
        load("ready-pair");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("checks"));
            const verdict = frame.locator("#vfm-checks-verdict");
            await eventually(async () => expect(await verdict.getAttribute("data-verdict")).toBe("ready"), 90000);
            // the verdict is the stage's; Next is the wizard's, one render later
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            setLanPort("destination", false);
            try {
                endSharedSsh();
                await frame.locator("#vfm-checks-rerun").click();
                await eventually(async () => expect(await frame.locator("#vfm-checks-host-error").innerText()).toContain("cannot be reached"), 60000);
                expect(await frame.locator("#vfm-wizard-next").isDisabled()).toBe(true);
                const why = await frame.locator("#vfm-wizard-why").innerText();
                expect(why).toContain("A host could not be checked.");
                expect(why).toContain("On this stage: “Check again”.");
            } finally {
                setLanPort("destination", true);
            }
            await frame.locator("#vfm-checks-rerun").click();
            await eventually(async () => expect(await verdict.getAttribute("data-verdict")).toBe("ready"), 90000);
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            expect(await frame.locator("#vfm-wizard-why").count()).toBe(0);
        });
    }, TIMEOUT);

    test("walk: hosts prepared, then the VM is shut down — the attach stage says so, and leads back to choosing a running VM", () => {
        load("ready-pair");
        virsh("source", "destroy", "guest1");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("attach", { destinationVf: VF.destination.pci }));
            const gone = frame.locator("#vfm-attach-vm-gone");
            await gone.waitFor({ timeout: 60000 });
            expect(await gone.getAttribute("data-where")).toBe("stopped-here");
            expect(await gone.innerText()).toContain("guest1 is not running on this host any more");
            expect(await frame.locator("#vfm-attach-button").count()).toBe(0);
            expect(await frame.locator("#vfm-wizard-next").isDisabled()).toBe(true);
            expect(await frame.locator("#vfm-wizard-why").innerText()).toContain("The VM does not run on this host any more");
            await frame.locator("#vfm-wizard-fix").click();
            await frame.locator("#vfm-stage-choose").waitFor();
            await frame.locator("#vfm-choose-vms-refresh").waitFor();
            await eventually(async () => expect(await frame.locator("#vfm-choose-no-vm").count()).toBe(1), 30000);
        }).finally(() => {
            // the next tests expect guest1 running (a scenario load does not restart guests)
            virsh("source", "start", "guest1");
        });
    }, TIMEOUT);

    test("attach: the interface XML with a unique MAC and the source VF is shown, then attached live and persistently", () => {
        load("ready-pair");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("attach", { destinationVf: VF.destination.pci }));
            const xml = frame.locator("#vfm-attach-xml");
            await xml.waitFor({ timeout: 60000 });
            const text = await xml.innerText();
            expect(text).toContain("<interface type='hostdev' managed='yes'>");
            expect(text).toContain("<driver model='mlx5_vfio_pci'/>");
            expect(text).toContain("<address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/>");
            const mac = /<mac address='(52:54:00:[0-9a-f:]{8})'\/>/.exec(text)[1];
            await snapshot(page, "attach");
            expect((await frame.locator("#vfm-attach-virsh").innerText()).trim())
                    .toBe("virsh -c qemu:///system attach-device --domain guest1 --file vf.xml --live --config");
            await frame.locator("#vfm-attach-button").click();
            await frame.locator("#vfm-attach-done").waitFor({ timeout: 90000 });
            expect(await frame.locator("#vfm-attach-done").innerText()).toContain(VF.source.pci);
            for (const xmlNow of [virsh("source", "dumpxml", "guest1"), virsh("source", "dumpxml", "--inactive", "guest1")]) {
                expect(xmlNow).toContain("<interface type='hostdev' managed='yes'>");
                expect(xmlNow).toContain(`<mac address='${mac}'/>`);
                // libvirt keeps the pinned variant driver, so the migration's XML carries it to the destination
                expect(xmlNow).toMatch(/<driver (name='vfio' )?model='mlx5_vfio_pci'\/>/);
            }
            expect(driverOf("source", VF.source.pci)).toBe("mlx5_vfio_pci");
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            // reopened: nothing more to attach
            const again = await openWizard(page, cockpit, at("attach", { destinationVf: VF.destination.pci }));
            await again.locator("#vfm-attach-done").waitFor({ timeout: 30000 });
            expect(await again.locator("#vfm-attach-button").count()).toBe(0);
        });
    }, TIMEOUT);

    // these two build on the VF attached above (attached again if not): `load` would reset the VF's driver under the VM
    test("checks with the VF already attached: the dirty-page rate is not measured, and the page says why; its VLAN against the destination VF's, one not carried refused with the fix", () => {
        ensureKnownHosts();
        attachWithVirsh();
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            expect(virsh("source", "dumpxml", "guest1")).toContain("type='hostdev'");
            const frame = await openWizard(page, cockpit, at("checks", { sourceVf: VF.source.pci }));
            expect(await verdictOf(frame, "vfm-vmcheck-convergence")).toBe("warn");
            expect(await frame.locator("#vfm-vmcheck-convergence").innerText()).toContain("Not measured: VF 0000:e1:00.1 is already attached");
            // its VF's VLAN against the destination VF's, before anything changes: the same (no tag) on both
            const [HERE, THERE] = ["enp225s0npf0vf0", "enp193s0npf0vf0"];
            expect(await verdictOf(frame, "vfm-vmcheck-vlan")).toBe("pass");
            expect(await frame.locator("#vfm-vmcheck-vlan").innerText())
                .toContain(`The VM's VF here leaves through ${HERE} in every VLAN (no tag); the destination VF's representor ${THERE} is in every VLAN (no tag)`);
            // tagged here only: the migration is refused here already, with the command (no preparation fixes it)
            try {
                ok("source", "ovs-vsctl", "set", "port", HERE, "tag=100");
                await frame.locator("#vfm-checks-rerun").click();
                await eventually(async () => expect(await verdictOf(frame, "vfm-vmcheck-vlan")).toBe("fail"), 60000);
                expect(await frame.locator("#vfm-vmcheck-vlan").innerText())
                    .toContain(`Make them the same on the destination: ovs-vsctl clear port ${THERE} tag trunks -- set port ${THERE} tag=100`);
                await eventually(async () => expect(await frame.locator("#vfm-checks-verdict").getAttribute("data-verdict")).toBe("blocked"), 60000);
                expect(await frame.locator("#vfm-checks-verdict").innerText()).toContain("The destination VF carries the VM's VLAN");
                expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(false);
            } finally {
                ok("source", "ovs-vsctl", "clear", "port", HERE, "tag");
            }
        });
    }, TIMEOUT);

    test("a VF held by a running VM is named with its VM on the status page (libvirt's live XML, read when a VF is on VFIO)", () => {
        ensureKnownHosts();
        attachWithVirsh();
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            const row = frame.locator("#vfm-check-source-vf-prepared");
            await eventually(async () => expect(await row.getAttribute("data-verdict")).toBe("pass"), 90000);
            expect(await row.innerText()).toContain(`${VF.source.pci}: in use by VM guest1`);
        });
    }, TIMEOUT);

    test("verify: after a virsh migration with the VF, every check is green; no guest agent is said plainly; the guest answers ping over its VF", () => {
        ensureKnownHosts();
        attachWithVirsh();
        migrateWithVirsh("source", "destination");
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("verify", { destinationVf: VF.destination.pci, sourceVf: VF.source.pci }));
            for (const id of ["destination-running", "source-gone", "destination-xml", "destination-vf-driver", "source-vf-released"])
                expect([id, await verdictOf(frame, `vfm-verify-${id}`)]).toEqual([id, "pass"]);
            expect(await verdictOf(frame, "vfm-verify-guest-interface")).toBe("warn");
            expect(await frame.locator("#vfm-verify-guest-interface").innerText()).toContain("no QEMU guest agent");
            expect(await verdictOf(frame, "vfm-verify-guest-network")).toBe("warn");
            expect(await frame.locator("#vfm-verify-verdict").getAttribute("data-verdict")).toBe("pass");
            // the admin gives the guest's address (ready-pair: 198.51.100.11, br-vf of the destination 198.51.100.2)
            await frame.locator("#vfm-verify-guest-address").fill("198.51.100.300");
            expect(await frame.locator("#vfm-verify-guest-address-help").innerText()).toContain("An IPv4 address");
            expect(await frame.locator("#vfm-verify-ping").isEnabled()).toBe(false);
            await frame.locator("#vfm-verify-guest-address").fill("198.51.100.11");
            await frame.locator("#vfm-verify-ping").click();
            await eventually(async () => expect(await verdictOf(frame, "vfm-verify-guest-network")).toBe("pass"), 60000);
            expect(await frame.locator("#vfm-verify-guest-network").innerText()).toContain("The guest at 198.51.100.11 answers ping from");
            // the destination VF's representor down: the guest is cut from its network, which the page says (a warning:
            // a guest may also drop ICMP echo, and there is no answer from before the migration to compare)
            const THERE = "enp193s0npf0vf0";
            try {
                ok("destination", "ip", "link", "set", THERE, "down");
                await frame.locator("#vfm-verify-rerun").click();
                await eventually(async () => expect(await frame.locator("#vfm-verify-guest-network").innerText()).toContain("does not answer ping"), 60000);
                expect(await verdictOf(frame, "vfm-verify-guest-network")).toBe("warn");
                expect(await frame.locator("#vfm-verify-guest-network").innerText()).toContain("over br-vf. If it answers ICMP echo, its VF's path on the destination is cut");
            } finally {
                ok("destination", "ip", "link", "set", THERE, "up");
            }
            await frame.locator("#vfm-verify-rerun").click();
            await eventually(async () => expect(await frame.locator("#vfm-verify-guest-network").innerText()).toContain("answers ping from"), 60000);
            expect(await verdictOf(frame, "vfm-verify-guest-network")).toBe("pass");
            expect(await frame.locator("#vfm-verify-verdict").getAttribute("data-verdict")).toBe("pass");
            expect(await frame.locator("#vfm-verify-destination-vf-driver").innerText()).toContain("0000:c1:00.1 is bound to mlx5_vfio_pci");
            const line = frame.locator("#vfm-verify-virsh");
            await line.waitFor({ timeout: 30000 });
            await snapshot(page, "verify");
            expect((await line.innerText()).trim()).toBe("virsh -c qemu:///system migrate --live --p2p --abort-on-error --persistent --undefinesource " +
                "--domain guest1 --desturi qemu+ssh://root@rhel-dst.example.test/system --xml destination.xml --persistent-xml persistent.xml --verbose");
        });
    }, TIMEOUT);

    test("a full run, attach then migration with the wizard: every change is in the command log and in both hosts' system logs, in order", async () => {
        await restoreGuest();
        ensureKnownHosts();
        const before = { source: auditLog("source").length, destination: auditLog("destination").length };
        return inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            const frame = await openWizard(page, cockpit, at("attach", { destinationVf: VF.destination.pci }));
            await frame.locator("#vfm-attach-button").click({ timeout: 60000 });
            await frame.locator("#vfm-attach-done").waitFor({ timeout: 90000 });
            await eventually(async () => expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(true));
            await frame.locator("#vfm-wizard-next").click();
            await eventually(async () => expect(await frame.locator("#vfm-stage-migrate").getAttribute("data-phase")).toBe("ready"), 60000);
            // the guest's address on its VF's network, pinged from this host before the call (ready-pair: 198.51.100.11,
            // this host's br-vf 198.51.100.1); the guest sets it up on the VF a moment after the attach
            await frame.locator("#vfm-migrate-guest-address").fill("198.51.100.11");
            await eventually(async () => {
                await frame.locator("#vfm-migrate-ping").click();
                await frame.locator("#vfm-migrate-reach").waitFor({ timeout: 10000 });
                expect(await frame.locator("#vfm-migrate-reach").getAttribute("data-verdict")).toBe("pass");
            }, 60000);
            expect(await frame.locator("#vfm-migrate-reach").innerText()).toContain("The guest at 198.51.100.11 answers ping from this host");
            await frame.locator("#vfm-migrate-start").click();
            await eventually(async () => expect(await frame.locator("#vfm-wizard").getAttribute("data-stage")).toBe("verify"), 120000);
            expect(running("destination")).toContain("guest1");
            // the address given before is pinged from the destination, and the answer from before decides: with the
            // destination VF's representor down, silence is a cut path, which fails the verification
            const network = frame.locator("#vfm-verify-guest-network");
            await eventually(async () => expect(await network.getAttribute("data-verdict")).toBe("pass"), 60000);
            expect(await network.innerText()).toContain("The guest at 198.51.100.11 answers ping from");
            const THERE = "enp193s0npf0vf0";
            try {
                ok("destination", "ip", "link", "set", THERE, "down");
                await frame.locator("#vfm-verify-rerun").click();
                await eventually(async () => expect(await network.getAttribute("data-verdict")).toBe("fail"), 60000);
                expect(await network.innerText()).toContain("over br-vf. It answered this host's ping right before the migration: its VF's path on the destination is cut");
                expect(await frame.locator("#vfm-verify-verdict").getAttribute("data-verdict")).toBe("fail");
            } finally {
                ok("destination", "ip", "link", "set", THERE, "up");
            }

            // the system logs: this run's changes only, each host's in order (the start line, then the outcome)
            const migrate = "virsh -c qemu:///system migrate --live --p2p";
            let source = [], destination = [];
            await eventually(async () => {
                source = auditLog("source").slice(before.source);
                destination = auditLog("destination").slice(before.destination);
                expect(source.filter(m => m.includes("through libvirt-dbus")).map(step)).toEqual([
                    "started AttachDevice", "ran AttachDevice → done", "started MigrateToURI3", "ran MigrateToURI3 → done"]);
                expect(destination.filter(m => m.includes("through libvirt-dbus")).map(step)).toEqual([
                    "started MigrateToURI3", "ran MigrateToURI3 → done"]);
            }, 30000);
            const [attachStart, attachEnd, migrateStart, migrateEnd] = source.filter(m => m.includes("through libvirt-dbus"));
            for (const m of [attachStart, attachEnd]) {
                expect(m).toContain("virsh -c qemu:///system attach-device --domain guest1 --file /dev/stdin --live --config <<'EOF' ⏎ <interface type='hostdev' managed='yes'>");
                expect(m).toContain(`<address type='pci' domain='0x0000' bus='${VF.source.bus}' slot='0x00' function='0x1'/>`);
            }
            for (const m of [migrateStart, migrateEnd, ...destination.filter(x => x.includes("through libvirt-dbus"))])
                expect(m).toContain(`${migrate} --abort-on-error --persistent --undefinesource --domain guest1 --desturi ${URI.destination}`);
            expect(destination.find(m => m.includes("→ done"))).toMatch(/^\S+ migrated a VM to this host, on the source host through libvirt-dbus \(MigrateToURI3\)/);
            // nothing else changed either host: no preparation ran (ready-pair)
            expect(source.filter(m => !m.includes("through libvirt-dbus"))).toEqual([]);
            expect(destination.filter(m => !m.includes("through libvirt-dbus"))).toEqual([]);

            // the command log: the same changes, marked as made over libvirt-dbus, with the virsh line to copy
            await frame.locator("#vfm-command-log-open").click();
            const log = frame.locator("#vfm-command-log");
            await log.waitFor();
            await log.getByText("Only commands that change a host").click();
            const changes = log.locator(".vfm-log-entry[data-via='libvirt-dbus']");
            await eventually(async () => expect(await changes.count()).toBe(2));
            // a multi-line command sits in ClipboardCopy's text field: its value is part of what the entry shows
            const [migrated, attached] = await changes.evaluateAll(els => els.map(e =>
                [e.innerText, ...[...e.querySelectorAll("input, textarea")].map(i => i.value)].join("\n")));
            expect(attached).toContain("virsh -c qemu:///system attach-device --domain guest1 --file /dev/stdin --live --config <<'EOF'");
            expect(attached).toContain("via libvirt-dbus");
            expect(attached).toContain("org.libvirt.Domain.AttachDevice(");
            expect(migrated).toContain(migrate);
            expect(migrated).toContain(`also written to the system log of root@${DESTINATION}`);
            expect(await log.locator(".vfm-log-entry").count()).toBe(2);
            await frame.locator("#vfm-command-log-close").click();
        });
    }, 2 * TIMEOUT);
});
