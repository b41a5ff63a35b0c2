/*
 * The host status page on the simulated pair: for each scenario, the verdicts an admin sees for both hosts,
 * the evidence behind them, the first-contact host-key confirmation, and the read-only view.
 * Needs the pair (test/run-suites brings it up and sets COCKPIT_URL).
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, pluginFrame, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec, setHwFaults, DESTINATION } = require("./simpair");
const { WIZARD } = require("./prepare-lib");
const { fourLooks } = require("./looks");

const LOAD_TIMEOUT = 60000;

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: run them through test/run-suites, or `test/simhost/up ready-pair` and set COCKPIT_URL");
});

async function openStatus(page) {
    const frame = await pluginFrame(page);
    await frame.locator("#vfm-host-source").waitFor();
    return frame;
}

/** The verdict shown for a check on one host, once it has one. */
async function verdict(frame, host, id) {
    const row = frame.locator(`#vfm-check-${host}-${id}`);
    await eventually(async () => expect(await row.getAttribute("data-verdict")).not.toBe("pending"), 30000);
    return row.getAttribute("data-verdict");
}

/** What a check row shows, copy fields included (ClipboardCopy keeps its text in an input's value). */
async function rowText(row) {
    const values = await row.locator("input, textarea").evaluateAll(els => els.map(e => e.value));
    return [await row.innerText(), ...values].join("\n");
}

async function expand(row) {
    await row.locator("button").first().click();
}

async function verdicts(frame, host, ids) {
    const out = {};
    for (const id of ids)
        out[id] = await verdict(frame, host, id);
    return out;
}

/** The wizard opened at its checks for guest1 and the pair's destination: where its verdict shows. */
async function wizardChecksVerdict(page, cockpit) {
    await page.evaluate(w => localStorage.setItem("vf-migration:wizard", JSON.stringify(w)), { ...WIZARD, stage: "checks" });
    await page.goto(cockpit.url + "/vf-migration#/migrate");
    return (await pluginFrame(page)).locator("#vfm-checks-verdict");
}

/** Types the destination and confirms its host key if the page asks (returns the fingerprint shown, if any). */
async function checkDestination(frame, host = DESTINATION, protocol = "ssh") {
    await frame.locator("#vfm-destination-host").fill(host);
    await frame.locator("#vfm-destination-protocol").selectOption(protocol);
    await frame.locator("#vfm-destination-connect").click();
    const dialog = frame.locator("#vfm-hostkey-dialog");
    const summary = frame.locator("#vfm-summary-destination");
    const error = frame.locator("#vfm-error-destination");
    await dialog.or(summary).or(error).first().waitFor({ timeout: 70000 });
    if (await dialog.isVisible()) {
        const fingerprint = await frame.locator("#vfm-hostkey-fingerprint-ED25519").innerText();
        await frame.locator("#vfm-hostkey-accept").click();
        await summary.or(error).first().waitFor({ timeout: 70000 });
        return fingerprint;
    }
    return null;
}

describe("host status on the simulated pair", () => {
    const cockpit = useCockpit("local");

    test("ready-pair: both hosts are ready; the destination's host key is shown and confirmed on first contact", () => {
        loadScenario("ready-pair");
        hostExec("source", "rm", "-f", "/root/.ssh/known_hosts");
        // a master connection an earlier page left open (ControlPersist) would skip the first contact
        hostExec("source", "ssh", "-o", "ControlPath=/run/cockpit-vf-migration/ssh/%C", "-O", "exit", "-l", "root", DESTINATION);
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 30000);

            const fingerprint = await checkDestination(frame);
            // the fingerprint the admin compares is the one the destination's own ssh-keygen prints
            const own = hostExec("destination", "ssh-keygen", "-l", "-E", "sha256", "-f", "/etc/ssh/ssh_host_ed25519_key.pub").stdout;
            expect(fingerprint).toMatch(/^SHA256:/);
            expect(own).toContain(fingerprint);
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 30000);
            expect(await verdict(frame, "source", "pair-firmware")).toBe("pass");
            expect(await verdict(frame, "source", "pair-mtu")).toBe("pass");
        });
    }, LOAD_TIMEOUT * 2);

    test("the destination's port with a smaller MTU than the source's: a warning with both figures and the fix (review §3)", () => {
        loadScenario("ready-pair");
        hostExec("destination", "ip", "link", "set", "dev", "enp193s0np0", "mtu", "1400");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            expect(await verdict(frame, "source", "pair-mtu")).toBe("warn");
            const row = frame.locator("#vfm-check-source-pair-mtu");
            expect(await row.innerText()).toContain("Source 1500, destination 1400: a guest using more than 1400 loses its larger frames there");
            await expand(row);
            await eventually(async () => expect(await rowText(row)).toContain("Raise the destination interface's MTU to 1500"));
            // the wizard's checks let the migration go on, but do not call this "every check passed"
            const outcome = await wizardChecksVerdict(page, cockpit);
            await eventually(async () => expect(await outcome.getAttribute("data-verdict")).toBe("ready"), 60000);
            expect(await outcome.innerText()).toContain("Nothing stops the migration, but 1 check needs a look first");
            expect(await outcome.innerText()).toContain("Source 1500, destination 1400");
            expect(await outcome.innerText()).not.toContain("Every check passed");
        }).finally(() => hostExec("destination", "ip", "link", "set", "dev", "enp193s0np0", "mtu", "1500"));
    }, LOAD_TIMEOUT * 2);

    test("a second visit shows the last known verdicts at once, with their age, while the host is read again", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            let frame = await openStatus(page);
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 30000);
            // the next reading is slow: each devlink call takes 6 s
            setHwFaults("source", [{ match: "devlink *", delayMs: 6000 }]);
            try {
                await page.reload();
                frame = await openStatus(page);
                const note = frame.locator("#vfm-last-known-source");
                await note.waitFor({ timeout: 5000 });
                expect(await note.innerText()).toMatch(/Last known verdicts, read \d+ seconds? ago: reading the host again…/);
                expect(await frame.locator("#vfm-check-source-fw-vf-migration").getAttribute("data-verdict")).toBe("pass");
                // no summary on verdicts that are not this reading's
                expect(await frame.locator("#vfm-summary-source").count()).toBe(0);
            } finally {
                setHwFaults("source", []);
            }
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 30000);
            expect(await frame.locator("#vfm-last-known-source").count()).toBe(0);
        });
    }, LOAD_TIMEOUT * 2);

    test("a master connection left open does not skip the first contact once root's known_hosts no longer holds the key", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            let frame = await openStatus(page);
            await checkDestination(frame);
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 60000);
            // the page's master connection is alive (ControlPersist) when the key is removed
            const check = hostExec("source", "ssh", "-o", "ControlPath=/run/cockpit-vf-migration/ssh/%C", "-O", "check", "-l", "root", DESTINATION);
            expect(check.stderr).toMatch(/Master running/);
            hostExec("source", "rm", "-f", "/root/.ssh/known_hosts");
            await page.reload();
            frame = await openStatus(page);
            await frame.locator("#vfm-destination-host").fill(DESTINATION);
            await frame.locator("#vfm-destination-connect").click();
            await frame.locator("#vfm-hostkey-dialog").waitFor({ timeout: 60000 });
            expect(await frame.locator("#vfm-summary-destination").count()).toBe(0);
            await frame.locator("#vfm-hostkey-accept").click();
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 60000);
        });
    }, LOAD_TIMEOUT * 2);

    test("each check shows the command that decided, copyable, with its output", () =>
        inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            const row = frame.locator("#vfm-check-source-fw-vf-migration");
            await verdict(frame, "source", "fw-vf-migration");
            await expand(row);
            await eventually(async () => expect(await rowText(row)).toContain("mstconfig -d 0000:e1:00.0 -e query"));
            expect(await rowText(row)).toMatch(/VF_MIGRATION_MODE\s+\S+\s+MIGRATION_ENABLED\(2\)/);
            expect(await rowText(row)).toContain("exit status 0");
        }), LOAD_TIMEOUT);

    test("the destination's socket and firewall ports are checked for the chosen connection: TCP is not open on ready-pair", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame, DESTINATION, "tcp");
            expect(await verdicts(frame, "destination", ["libvirt-socket", "firewall-ports"]))
                    .toEqual({ "libvirt-socket": "fail", "firewall-ports": "fail" });
            expect(await frame.locator("#vfm-check-destination-firewall-ports").innerText()).toContain("16509/tcp");
            const row = frame.locator("#vfm-check-destination-libvirt-socket");
            await expand(row);
            await eventually(async () => expect(await rowText(row)).toContain("systemctl enable --now -- virtproxyd-tcp.socket"));
        });
    }, LOAD_TIMEOUT * 2);

    test("the destination's connection arrives on an interface an admin put in zone internal: that zone is judged, and its fix writes there", () => {
        loadScenario("ready-pair");
        // ready-pair's rules for the source are in public, the default zone; eno1 carries the source's SSH connection
        expect(hostExec("destination", "firewall-cmd", "--zone=internal", "--change-interface=eno1").status).toBe(0);
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame, DESTINATION, "tls");
            expect(await verdict(frame, "destination", "firewall-ports")).toBe("fail");
            const row = frame.locator("#vfm-check-destination-firewall-ports");
            expect(await row.innerText()).toContain("Zone internal (of eno1, where the source's connection arrives) does not let 192.0.2.1 reach 16514/tcp, 49152-49215/tcp");
            await expand(row);
            const rule = port => `rule family="ipv4" source address="192.0.2.1" port port="${port}" protocol="tcp" accept`;
            await eventually(async () => expect(await rowText(row)).toContain(`firewall-cmd --zone=internal '--add-rich-rule=${rule("16514")}'`));
            expect(await rowText(row)).toContain("firewall-cmd --list-all-zones");
            // the fix, run as shown: the zone that receives the source now lets it in
            for (const p of ["16514", "49152-49215"])
                expect(hostExec("destination", "firewall-cmd", "--zone=internal", `--add-rich-rule=${rule(p)}`).status).toBe(0);
            await frame.locator("#vfm-refresh-destination").click();
            await eventually(async () => expect(await row.getAttribute("data-verdict")).toBe("pass"), 30000);
            expect(await row.innerText()).toContain("Zone internal (of eno1, where the source's connection arrives) accepts 16514/tcp, 49152-49215/tcp from 192.0.2.1 only");
        }).finally(() => loadScenario("ready-pair"));
    }, LOAD_TIMEOUT * 2);

    test("fresh-pair: switchdev, VF migration in firmware, the IOMMU and the VF are missing on both hosts", () => {
        loadScenario("fresh-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            const expected = { "eswitch-switchdev": "fail", "fw-vf-migration": "fail", "iommu-kernel": "fail", "vf-created": "fail", "cx7-present": "pass" };
            expect(await verdicts(frame, "source", Object.keys(expected))).toEqual(expected);
            expect(await verdicts(frame, "destination", Object.keys(expected))).toEqual(expected);
            expect(await frame.locator("#vfm-summary-source").innerText()).toMatch(/^\d+ problems/);
            // the fix for the firmware setting is the exact command for this adapter
            const row = frame.locator("#vfm-check-source-fw-vf-migration");
            await expand(row);
            await eventually(async () => expect(await rowText(row)).toContain("mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2"));
        });
    }, LOAD_TIMEOUT * 2);

    test("old-firmware: the source's firmware 28.34.1002 is below RHEL's floor; the pair check sees different versions", () => {
        loadScenario("old-firmware");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            expect(await verdict(frame, "source", "firmware-version")).toBe("fail");
            expect(await frame.locator("#vfm-check-source-firmware-version").innerText()).toContain("28.34.1002");
            expect(await verdict(frame, "destination", "firmware-version")).toBe("pass");
            // review R7: the same firmware and PSID on both hosts is a requirement
            expect(await verdict(frame, "source", "pair-firmware")).toBe("fail");
            // the wizard stops at its checks with the reason; no preparation stage is offered that could not fix it
            const outcome = await wizardChecksVerdict(page, cockpit);
            await eventually(async () => expect(await outcome.getAttribute("data-verdict")).toBe("blocked"), 60000);
            expect(await outcome.innerText()).toMatch(/Source 28\.34\.1002 \(MT_\d+\), destination 28\.43\.1014/);
        });
    }, LOAD_TIMEOUT * 2);

    test("pending-reboot: VF_MIGRATION_MODE and the IOMMU arguments are set for the next boot only", () => {
        loadScenario("pending-reboot");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            expect(await verdicts(frame, "source", ["fw-vf-migration", "iommu-kernel"]))
                    .toEqual({ "fw-vf-migration": "pending-reboot", "iommu-kernel": "pending-reboot" });
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toContain("2 reboots pending"));
        });
    }, LOAD_TIMEOUT);

    test("amd-iommu-off: the AMD source needs iommu=pt, not intel_iommu", () => {
        loadScenario("amd-iommu-off");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            expect(await verdict(frame, "source", "iommu-kernel")).toBe("fail");
            const row = frame.locator("#vfm-check-source-iommu-kernel");
            await expand(row);
            await eventually(async () => expect(await rowText(row)).toContain("grubby --args=iommu=pt --remove-args=amd_iommu=off --update-kernel=ALL"));
            expect(await rowText(row)).not.toContain("intel_iommu");
        });
    }, LOAD_TIMEOUT);

    test("ib-link-type: a port running InfiniBand fails the Ethernet check", () => {
        loadScenario("ib-link-type");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            expect(await verdict(frame, "source", "fw-link-type")).toBe("fail");
            expect(await frame.locator("#vfm-check-source-fw-link-type").innerText()).toContain("IB(1)");
        });
    }, LOAD_TIMEOUT);

    // #16 W3: one firmware configuration for two ports; the admin chooses the one that carries VFs
    test("dual-port: the source's two ports are listed; with port 2 chosen, its own LINK_TYPE_P2 is checked and its fix sets it on port 2; the choice is kept", () => {
        loadScenario("dual-port");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            let frame = await openStatus(page);
            const picker = () => frame.locator("#vfm-port-source");
            await picker().waitFor();
            const options = await picker().locator("option").allInnerTexts();
            expect(options).toHaveLength(2);
            expect(options[0]).toBe("Port 1 (0000:e1:00.0): enp225s0f0np0, Ethernet");
            // port 2 runs InfiniBand: no Ethernet interface (the simulator makes no IPoIB one)
            expect(options[1]).toMatch(/^Port 2 \(0000:e1:00\.1\): no network interface, /);
            // port 1 by default (the first with VFs enabled; both have), and it runs Ethernet
            expect(await verdict(frame, "source", "fw-link-type")).toBe("pass");
            expect(await frame.locator("#vfm-check-source-fw-link-type").innerText()).toContain("LINK_TYPE_P1 is ETH(2)");
            await picker().selectOption("0000:e1:00.1");
            const row = frame.locator("#vfm-check-source-fw-link-type");
            await eventually(async () => expect(await row.innerText()).toContain("LINK_TYPE_P2 is IB(1), needs ETH(2)"));
            expect(await row.getAttribute("data-verdict")).toBe("fail");
            await expand(row);
            await eventually(async () => expect(await rowText(row)).toContain("mstconfig -y -d 0000:e1:00.1 set LINK_TYPE_P2=2"));
            expect(await rowText(row)).not.toContain("LINK_TYPE_P1");
            expect(await frame.locator("#vfm-check-source-cx7-present").innerText())
                    .toContain("ConnectX-7 at 0000:e1:00.1 runs InfiniBand (LINK_TYPE_P2 is IB(1))");
            // the choice in each of Cockpit's styles, wide and narrow, nothing cut off (the row closed again: its
            // command's one-line field shows its start until its own expansion is opened)
            await expand(row);
            expect(await fourLooks(page, frame, "status-dual-port", "#vfm-port-source")).toEqual([]);
            // a new visit reads the host again, about port 2
            await page.reload();
            frame = await openStatus(page);
            await eventually(async () => expect(await picker().inputValue()).toBe("0000:e1:00.1"));
            expect(await verdict(frame, "source", "fw-link-type")).toBe("fail");
            expect(await frame.locator("#vfm-check-source-fw-link-type").innerText()).toContain("LINK_TYPE_P2 is IB(1)");
        }).finally(() => loadScenario("ready-pair"));
    }, LOAD_TIMEOUT);

    test("ethernet-only: mstconfig lists no LINK_TYPE_P1; the port runs Ethernet (devlink on the switchdev source, ip link on the legacy destination)", () => {
        loadScenario("ethernet-only");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            for (const host of ["source", "destination"]) {
                expect(await verdict(frame, host, "fw-link-type")).toBe("pass");
                expect(await frame.locator(`#vfm-check-${host}-fw-link-type`).innerText())
                        .toContain("mstconfig lists no LINK_TYPE_P1 (an Ethernet-only model); the adapter's port runs Ethernet");
            }
        }).finally(() => loadScenario("ready-pair"));
    }, LOAD_TIMEOUT);

    test("the VF's representor in the bridge but down, as the kernel creates it: the bridge check fails and its fix brings it up", () => {
        loadScenario("ready-pair");
        const REP = "enp225s0npf0vf0";
        hostExec("source", "ip", "link", "set", "dev", REP, "down");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            expect(await verdict(frame, "source", "ovs-bridge")).toBe("fail");
            const row = frame.locator("#vfm-check-source-ovs-bridge");
            expect(await row.innerText()).toContain(`the representor ${REP} is down: the VF's traffic stops there`);
            await expand(row);
            const text = await rowText(row);
            expect(text).toContain(`ip link set dev ${REP} up`);
            // the fix, run as shown
            expect(hostExec("source", "ip", "link", "set", "dev", REP, "up").status).toBe(0);
            await frame.locator("#vfm-refresh-source").click();
            await eventually(async () => expect(await frame.locator("#vfm-summary-source").innerText()).toBe("Ready to migrate"), 30000);
        });
    }, LOAD_TIMEOUT);

    test("mgmt-over-pf: management traffic over the ConnectX-7 interface is flagged before switchdev", () => {
        loadScenario("mgmt-over-pf");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            expect(await verdict(frame, "source", "mgmt-over-pf")).toBe("fail");
            expect(await frame.locator("#vfm-check-source-mgmt-over-pf").innerText()).toContain("enp225s0np0");
        });
    }, LOAD_TIMEOUT);

    // review W1: the destination is reached by this page's own SSH, so incoming SSH is management traffic too
    test("dest-mgmt-over-pf: the destination, whose SSH from this page arrives over its ConnectX-7 interface, is flagged", () => {
        loadScenario("dest-mgmt-over-pf");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            expect(await verdict(frame, "destination", "mgmt-over-pf")).toBe("fail");
            const row = frame.locator("#vfm-check-destination-mgmt-over-pf");
            expect(await row.innerText()).toContain("enp193s0np0");
            // the evidence is the connection itself, sshd on the destination's address, port 22, and the kernel's route
            await expand(row);
            expect(await rowText(row)).toMatch(/192\.0\.2\.2 22 192\.0\.2\.1 \d+ sshd(-session)? enp193s0np0/);
            expect(await verdict(frame, "source", "mgmt-over-pf")).toBe("pass");
        });
    }, LOAD_TIMEOUT * 2);

    // review W2: VT-d off in the firmware; the kernel line already asks for the IOMMU, so a reboot cannot help
    test("no-iommu-firmware: the page points at the firmware setup, never at a kernel argument and a reboot", () => {
        loadScenario("no-iommu-firmware");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            expect(await verdicts(frame, "source", ["iommu-hardware", "iommu-kernel"])).toEqual({ "iommu-hardware": "fail", "iommu-kernel": "fail" });
            for (const id of ["iommu-hardware", "iommu-kernel"]) {
                const row = frame.locator(`#vfm-check-source-${id}`);
                await expand(row);
                const text = await rowText(row);
                expect(text).toContain("Enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the system firmware setup");
                expect(text).not.toContain("grubby --args");
            }
            // the evidence: libvirt's own words
            expect(await rowText(frame.locator("#vfm-check-source-iommu-hardware"))).toContain("No ACPI DMAR table found");
            // the wizard stops at its checks: a preparation stage could not help
            await checkDestination(frame);
            const outcome = await wizardChecksVerdict(page, cockpit);
            await eventually(async () => expect(await outcome.getAttribute("data-verdict")).toBe("blocked"), 60000);
            expect(await outcome.innerText()).toContain("No IOMMU reported by the hardware");
        });
    }, LOAD_TIMEOUT * 2);

    test("dest-no-free-vf: the destination's only VF is in use", () => {
        loadScenario("dest-no-free-vf");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            expect(await verdict(frame, "destination", "vf-prepared")).toBe("fail");
        });
    }, LOAD_TIMEOUT * 2);

    test("the destination's fields: user@host is split with a note, an empty user and a bad port are refused on their own field, another SSH port is used", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            const host = frame.locator("#vfm-destination-host");
            const user = frame.locator("#vfm-destination-user");
            const port = frame.locator("#vfm-destination-port");
            // the defaults are in the fields, not implied
            expect(await user.inputValue()).toBe("root");
            expect(await port.inputValue()).toBe("22");
            await host.fill(`admin@${DESTINATION}`);
            expect(await host.inputValue()).toBe(DESTINATION);
            expect(await user.inputValue()).toBe("admin");
            expect(await frame.locator("#vfm-destination-host-help").innerText()).toContain("The user admin was moved to the SSH user field");
            // a second user in the host field that the user field contradicts: refused there, nothing run
            await host.fill(`bob@${DESTINATION}`);
            expect(await frame.locator("#vfm-destination-host-help").innerText()).toMatch(/names the user bob, but the SSH user field says admin/);
            expect(await frame.locator("#vfm-destination-connect").isDisabled()).toBe(true);
            // keeping bob, as the message asks: the user field now agrees, so the split goes through
            await user.fill("bob");
            expect(await host.inputValue()).toBe(DESTINATION);
            expect(await frame.locator("#vfm-destination-connect").isEnabled()).toBe(true);

            await host.fill(DESTINATION);
            await user.fill("");
            await frame.locator("#vfm-destination-connect").click();
            expect(await frame.locator("#vfm-destination-user-help").innerText()).toContain("Enter the SSH user to log in as, such as root");
            await user.fill("root");
            await port.fill("22; reboot");
            await frame.locator("#vfm-destination-connect").click();
            expect(await frame.locator("#vfm-destination-port-help").innerText()).toMatch(/Port number “22; reboot” is not a whole number/);
            expect(await frame.locator("#vfm-error-destination").count()).toBe(0);

            // a port where no SSH server listens: the column names the host with its port and says why
            await port.fill("2222");
            await frame.locator("#vfm-destination-connect").click();
            await eventually(async () => expect(await frame.locator("#vfm-error-destination").innerText()).toMatch(/cannot be reached|refused/i), 30000);
            expect(await frame.locator("#vfm-host-destination").innerText()).toContain(`root@${DESTINATION}:2222`);
            await port.fill("22");
            await checkDestination(frame);
            await eventually(async () => expect(await frame.locator("#vfm-summary-destination").innerText()).toBe("Ready to migrate"), 60000);
        });
    }, LOAD_TIMEOUT * 2);

    test("dest-unreachable: the destination cannot be reached, said plainly", () => {
        loadScenario("dest-unreachable");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await checkDestination(frame);
            await eventually(async () => expect(await frame.locator("#vfm-error-destination").innerText()).toContain("cannot be reached"), 60000);
        });
    }, LOAD_TIMEOUT * 2);
});

describe("read-only view", () => {
    const cockpit = useCockpit("login");

    test("a user without administrative access sees the checks that need none, and is told how to get it", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await openStatus(page);
            await frame.locator("#vfm-limited").waitFor();
            expect(await verdict(frame, "source", "cx7-present")).toBe("pass");
            // mstconfig needs root: unknown, not a pass
            expect(await verdict(frame, "source", "fw-vf-migration")).toBe("unknown");
            expect(await frame.locator("#vfm-destination-form").count()).toBe(0);
        });
    }, LOAD_TIMEOUT);
});
