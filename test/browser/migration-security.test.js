/*
 * What protects the migration, on the status page of the simulated pair: TCP is refused while libvirt's TCP listener
 * asks for no login, the migration ports are opened to the source's address only, and TLS finds its certificates
 * with the destination's name in them. Needs the pair (test/run-suites brings it up and sets COCKPIT_URL).
 */
const { describe, test, expect, beforeAll } = require("@jest/globals");
const { useCockpit, inBrowser, pluginFrame, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec, DESTINATION } = require("./simpair");

const LOAD_TIMEOUT = 60000;
const SOURCE_ADDRESS = "192.0.2.1";

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: run them through test/run-suites, or `test/simhost/up ready-pair` and set COCKPIT_URL");
});

async function verdict(frame, id) {
    const row = frame.locator(`#vfm-check-destination-${id}`);
    await eventually(async () => expect(await row.getAttribute("data-verdict")).not.toBe("pending"), 30000);
    return row.getAttribute("data-verdict");
}

/** Opens a check row; what it then shows, copy fields included (ClipboardCopy keeps its text in an input). */
async function opened(frame, id, expected) {
    const row = frame.locator(`#vfm-check-destination-${id}`);
    await row.locator("button").first().click();
    const text = async () => [await row.innerText(), ...await row.locator("input, textarea").evaluateAll(els => els.map(e => e.value))].join("\n");
    await eventually(async () => expect(await text()).toContain(expected), 10000);
    return text();
}

async function checkDestination(frame, protocol) {
    await frame.locator("#vfm-destination-host").fill(DESTINATION);
    await frame.locator("#vfm-destination-protocol").selectOption(protocol);
    await frame.locator("#vfm-destination-connect").click();
    const dialog = frame.locator("#vfm-hostkey-dialog");
    const done = frame.locator("#vfm-summary-destination").or(frame.locator("#vfm-error-destination"));
    await dialog.or(done).first().waitFor({ timeout: 70000 });
    if (await dialog.isVisible()) {
        await frame.locator("#vfm-hostkey-accept").click();
        await done.first().waitFor({ timeout: 70000 });
    }
}

/** The source's root knows the destination's host key (what a confirmed first contact leaves). */
function knowDestination() {
    if (hostExec("source", "ssh-keygen", "-F", DESTINATION, "-f", "/root/.ssh/known_hosts").status === 0)
        return;
    const keys = hostExec("source", "ssh-keyscan", "-T", "5", DESTINATION).stdout;
    hostExec("source", "sh", "-c", `cat >>/root/.ssh/known_hosts <<'EOF'\n${keys}EOF`);
}

/** The wizard at its checks stage for guest1, with the chosen protocol. */
async function wizardChecks(page, protocol) {
    let frame = await pluginFrame(page);
    await frame.locator("#vfm-wizard").waitFor();
    const destination = { host: DESTINATION, user: "root", protocol };
    await frame.evaluate(([w, d]) => {
        localStorage.setItem("vf-migration:wizard", w);
        localStorage.setItem("vf-migration:destination", d);
    }, [JSON.stringify({ stage: "checks", vm: "guest1", destination, options: {}, destinationVf: null, sourceVf: null }), JSON.stringify(destination)]);
    await page.reload();
    frame = await pluginFrame(page);
    await frame.locator("#vfm-wizard").waitFor();
    return frame;
}

describe("migration data protection on the simulated pair", () => {
    const cockpit = useCockpit("local");

    test("TCP with auth_tcp = \"none\" in virtproxyd.conf is refused, with the reason and the fix; the ports are opened to the source only", () => {
        loadScenario("ready-pair");
        hostExec("destination", "sh", "-c", "echo 'auth_tcp = \"none\"' >>/etc/libvirt/virtproxyd.conf");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            await frame.locator("#vfm-host-source").waitFor();
            await checkDestination(frame, "tcp");
            expect(await verdict(frame, "libvirt-tcp-auth")).toBe("fail");
            const auth = await opened(frame, "libvirt-tcp-auth", "/etc/libvirt/virtproxyd.conf sets auth_tcp = \"none\"");
            expect(auth).toContain("auth_tcp = \"sasl\"");
            expect(auth).toContain("cat -- /etc/libvirt/virtproxyd.conf");
            // 16509 is closed on ready-pair: the fix opens it to the source's address, never to the whole zone
            expect(await verdict(frame, "firewall-ports")).toBe("fail");
            const fw = await opened(frame, "firewall-ports", `source address="${SOURCE_ADDRESS}" port port="16509" protocol="tcp" accept`);
            expect(fw).not.toContain("--add-port=");
        }).finally(() => hostExec("destination", "sed", "-i", "/^auth_tcp = \"none\"$/d", "/etc/libvirt/virtproxyd.conf"));
    }, LOAD_TIMEOUT * 2);

    test("the wizard's checks refuse TCP while the destination's TCP listener asks for no login", () => {
        loadScenario("ready-pair");
        knowDestination();
        hostExec("destination", "sh", "-c", "echo 'auth_tcp = \"none\"' >>/etc/libvirt/virtproxyd.conf");
        return inBrowser(cockpit, { urlPath: "/vf-migration#/migrate" }, async ({ page }) => {
            const frame = await wizardChecks(page, "tcp");
            const verdictBox = frame.locator("#vfm-checks-verdict");
            await eventually(async () => expect(await verdictBox.getAttribute("data-verdict")).toBe("blocked"), 90000);
            expect(await verdictBox.innerText()).toContain("auth_tcp = \"none\"");
            expect(await frame.locator("#vfm-wizard-next").isEnabled()).toBe(false);
        }).finally(() => hostExec("destination", "sed", "-i", "/^auth_tcp = \"none\"$/d", "/etc/libvirt/virtproxyd.conf"));
    }, LOAD_TIMEOUT * 3);

    test("TLS on ready-pair: the certificates name the destination, the ports accept the source's address only", () => {
        loadScenario("ready-pair");
        return inBrowser(cockpit, { urlPath: "/vf-migration" }, async ({ page }) => {
            const frame = await pluginFrame(page);
            await frame.locator("#vfm-host-source").waitFor();
            await checkDestination(frame, "tls");
            expect(await verdict(frame, "tls-certificates")).toBe("pass");
            expect(await frame.locator("#vfm-check-destination-tls-certificates").innerText()).toContain(DESTINATION);
            expect(await verdict(frame, "firewall-ports")).toBe("pass");
            expect(await frame.locator("#vfm-check-destination-firewall-ports").innerText()).toContain(`from ${SOURCE_ADDRESS} only`);
            // opened to every address as well: it works, but the page warns that anyone may connect
            hostExec("destination", "firewall-cmd", "--add-port=49152-49215/tcp");
            await frame.locator("#vfm-refresh-destination").click();
            const row = frame.locator("#vfm-check-destination-firewall-ports");
            await eventually(async () => expect(await row.getAttribute("data-verdict")).toBe("warn"), 30000);
            expect(await row.innerText()).toContain("49152-49215/tcp from every address");
        }).finally(() => hostExec("destination", "firewall-cmd", "--remove-port=49152-49215/tcp"));
    }, LOAD_TIMEOUT * 2);
});
