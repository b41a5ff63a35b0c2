/*
 * Host preparation, one injected failure per step that prepare.test.js does not cover: each case starts from a
 * scenario (scenarios/prepare-fault-*.json, ready-pair with one thing undone) where that step is the first one
 * needed, runs the preparation from the page, and checks that the tool's own error text is shown on a Failed row,
 * that the run stopped there (no other row moved, the host's state unchanged but for what the failing command
 * itself did), and that the status page then reports
 * the host as the failure left it. Needs the pair (COCKPIT_URL etc., see test/browser/README.md), under
 * /run/vfsim-pair.lock.
 */
const { describe, test, expect, beforeAll, afterAll } = require("@jest/globals");
const path = require("path");
const { useCockpit, inBrowser, eventually } = require("./harness");
const { loadScenario, pairIsUp, hostExec, setHwFaults } = require("./simpair");
const { sleep } = require("../lib/cockpit-ws.processes");
const { openPrepare, phaseOf, statusPage } = require("./prepare-lib");

const PROGRESS = "/var/lib/cockpit-vf-migration/prepare.json";
const scenario = name => path.join(__dirname, "scenarios", `prepare-fault-${name}.json`);

beforeAll(() => {
    if (!process.env.COCKPIT_URL || !pairIsUp())
        throw new Error("these tests need the simulated pair: `test/simhost/up ready-pair` and set COCKPIT_URL");
});

afterAll(() => {
    for (const h of ["source", "destination"])
        setHwFaults(h, []);
    // other test files expect the guest the scenarios define to run
    hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
});

/** The scenario, no preparation record left by an earlier test, the guest running on the source. */
function fresh(name) {
    loadScenario(scenario(name));
    for (const [h, pfNetdev] of [["source", "enp225s0np0"], ["destination", "enp193s0np0"]]) {
        hostExec(h, "rm", "-f", PROGRESS);
        setHwFaults(h, []);
        // a case before may have left it down
        hostExec(h, "ip", "link", "set", "dev", pfNetdev, "up");
    }
    hostExec("source", "virsh", "-c", "qemu:///system", "start", "guest1");
}


/** Presses the run on, confirming every dialog, until it ends (done, failed, blocked, stopped). */
async function drive(frame, timeoutMs = 90000) {
    const deadline = Date.now() + timeoutMs;
    const dialogs = ["#vfm-prepare-confirm", "#vfm-prepare-reboot", "#vfm-prepare-override"];
    for (;;) {
        if (Date.now() > deadline)
            throw new Error(`preparation did not end in ${timeoutMs} ms`);
        for (const sel of dialogs) {
            if (await frame.locator(sel).isVisible().catch(() => false)) {
                if (sel === "#vfm-prepare-override")
                    await frame.locator("#vfm-prepare-override-check").check();
                await frame.locator(`${sel}-run`).click();
                await frame.locator(sel).waitFor({ state: "hidden" });
            }
        }
        if (await frame.locator("#vfm-hostkey-dialog").isVisible().catch(() => false))
            await frame.locator("#vfm-hostkey-accept").click();
        const phase = await phaseOf(frame);
        if (["done", "failed", "blocked", "stopped", "rebooting-self"].includes(phase))
            return phase;
        await sleep(250);
    }
}

/** Every step row's state on both hosts: { "source/ovs-max-idle": "needed", … }. */
async function rowStates(frame) {
    return frame.locator("li[data-step][id^='vfm-prepare-']").evaluateAll(rows =>
        Object.fromEntries(rows.map(r => [r.id.replace(/^vfm-prepare-(source|destination)-/, "$1/"), r.getAttribute("data-state")])));
}

async function verdict(frame, host, id) {
    const row = frame.locator(`#vfm-check-${host}-${id}`);
    await eventually(async () => expect(await row.getAttribute("data-verdict")).not.toBe("pending"), 60000);
    return row.getAttribute("data-verdict");
}

/** What the steps under test change on a host, read with the real tools, to compare before and after a run. */
function hostState(host) {
    const [pf, vf, netdev] = host === "source" ? ["0000:e1:00.0", "0000:e1:00.1", "enp225s0np0"]
        : ["0000:c1:00.0", "0000:c1:00.1", "enp193s0np0"];
    const out = (...argv) => {
        const r = hostExec(host, ...argv);
        return `${argv.join(" ")} → ${r.status}\n${r.stdout}`;
    };
    return [
        out("ovs-vsctl", "--format=json", "get", "Open_vSwitch", ".", "other_config"),
        out("ovs-vsctl", "show"),
        out("firewall-cmd", "--list-ports"),
        out("firewall-cmd", "--permanent", "--list-ports"),
        out("firewall-cmd", "--list-rich-rules"),
        out("firewall-cmd", "--permanent", "--list-rich-rules"),
        out("systemctl", "is-active", "virtqemud.socket", "openvswitch.service"),
        out("systemctl", "is-enabled", "virtqemud.socket"),
        out("mstconfig", "-d", pf, "query", "VF_MIGRATION_MODE"),
        out("cat", `/sys/bus/pci/devices/${pf}/sriov_numvfs`),
        out("readlink", `/sys/bus/pci/devices/${vf}/driver`),
        out("ip", "-o", "link", "show", "dev", netdev),
    ].join("\n");
}

const OVSDB_DOWN = "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (Connection refused)\n";

/*
 * case: the scenario, the failing step and the host it runs on, the fault (hw.json faults[]; none where the
 * scenario makes the real tool fail), the tool's words the page must show, the status page's check and the verdict
 * it then gives (not pass), and a later step that must still be to do (the run stopped).
 */
const CASES = [
    { name: "hw-offload", host: "source", step: "ovs-hw-offload", check: "ovs-hw-offload", verdict: "fail", later: "ovs-max-idle",
        faults: [{ match: "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true", exit: 1, stderr: OVSDB_DOWN }],
        text: "database connection failed (Connection refused)" },
    { name: "max-idle", host: "source", step: "ovs-max-idle", check: "ovs-max-idle", verdict: "fail",
        faults: [{ match: "ovs-vsctl set Open_vSwitch . other_config:max-idle=*", exit: 1, stderr: OVSDB_DOWN }],
        text: "database connection failed (Connection refused)" },
    { name: "bridge", host: "source", step: "ovs-bridge-pf", check: "ovs-bridge", verdict: "fail", later: "ovs-representor",
        faults: [{ match: "ovs-vsctl --may-exist add-br br-vf", exit: 1,
            stderr: "ovs-vsctl: Error detected while setting up 'br-vf': could not open network device br-vf (Address family not supported by protocol).  See ovs-vswitchd log for details.\n" }],
        text: "could not open network device br-vf (Address family not supported by protocol)" },
    // no fault: the real ovs-vsctl refuses, the representor being in another bridge
    { name: "representor", host: "source", step: "ovs-representor", check: "ovs-bridge", verdict: "fail", faults: [],
        text: "enp225s0npf0vf0 is actually attached to bridge br-other" },
    { name: "link-up", host: "source", step: "pf-link-up", check: "pf-link-up", verdict: "fail",
        prepare: () => hostExec("source", "ip", "link", "set", "dev", "enp225s0np0", "down"),
        faults: [{ match: "ip link set dev enp225s0np0 up", exit: 2, stderr: "RTNETLINK answers: Device or resource busy\n" }],
        text: "RTNETLINK answers: Device or resource busy" },
    // sysfs writes fail in the simulated kernel with the errno the fault names; tee says so in its words
    { name: "create-vfs", host: "source", step: "create-vfs", check: "vf-created", verdict: "fail", later: "ovs-representor",
        faults: [{ match: "write /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs 1", errno: "ENOMEM" }],
        text: "tee: '/sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs': Cannot allocate memory" },
    { name: "vf-unbind", host: "source", step: "vf-unbind", check: "vf-prepared", verdict: "fail", later: "vf-migratable",
        faults: [{ match: "write /sys/bus/pci/drivers/mlx5_core/unbind 0000:e1:00.1", errno: "ENODEV" }],
        text: /tee: '?\/sys\/bus\/pci\/drivers\/mlx5_core\/unbind'?: No such device/ },
    { name: "socket", host: "destination", step: "libvirt-socket", check: "libvirt-socket", verdict: "fail", later: null,
        faults: [], text: "Job for virtqemud.socket failed",
        // `enable --now` enables the unit before its start fails, as systemd does: the host keeps both
        leaves: () => {
            expect(hostExec("destination", "systemctl", "is-enabled", "virtqemud.socket").stdout.trim()).toBe("enabled");
            expect(hostExec("destination", "systemctl", "is-active", "virtqemud.socket").stdout.trim()).toBe("failed");
        } },
    { name: "firewall", host: "destination", step: "firewall-ports", check: "firewall-ports", verdict: "fail",
        faults: [{ match: "firewall-cmd --zone=public --add-rich-rule=*49152-49215*", exit: 252, stderr: "FirewallD is not running\n" }],
        text: "FirewallD is not running" },
    { name: "fwreset", host: "destination", step: "firmware-reset", check: "fw-vf-migration", verdict: "pending-reboot", later: "eswitch-switchdev",
        faults: [{ match: "mstfwreset -d 0000:c1:00.0 * reset", exit: 1,
            stdout: "\nThe reset level for device, 0000:c1:00.0 is:\n\n3: Driver restart and PCI reset\n-I- Sending Reset Command To Fw             -Failed\n",
            stderr: "-E- Failed to send Reset Command To Fw\n" }],
        text: "Failed to send Reset Command To Fw" },
];

const SRIOV = ["pf-link-up", "create-vfs", "vf-unbind"];

async function failOnce(page, cockpit, c) {
    fresh(c.name);
    c.prepare?.();
    let frame = await openPrepare(page, cockpit);
    // the scenario leaves exactly this step first to do on its host
    expect([c.name, await frame.locator(`#vfm-prepare-${c.host}-${c.step}`).getAttribute("data-state")]).toEqual([c.name, "needed"]);
    const before = await rowStates(frame);
    setHwFaults(c.host, c.faults);
    const hostBefore = hostState(c.host);
    await frame.locator("#vfm-prepare-start").click();
    const end = await drive(frame);
    const blocked = end === "blocked" ? await frame.locator("#vfm-prepare-blocked-reason").innerText() : null;
    expect([c.name, end, blocked]).toEqual([c.name, "failed", null]);
    expect(await frame.locator("#vfm-prepare-phase").innerText()).toContain(`failed on ${c.host === "source" ? "This host" : "root@"}`);
    expect(await frame.locator("#vfm-prepare-failure").innerText()).toMatch(c.text);
    expect(await frame.locator(`#vfm-prepare-${c.host}-${c.step}`).getAttribute("data-state")).toBe("failed");
    // the run stopped: no other row moved, and the host is as it was (the failing command changed nothing)
    const after = await rowStates(frame);
    const moved = Object.keys(before).filter(k => k !== `${c.host}/${c.step}` && before[k] !== after[k])
            .map(k => `${k}: ${before[k]} → ${after[k]}`);
    expect([c.name, moved]).toEqual([c.name, []]);
    if (c.later)
        expect(["needed", "unknown"]).toContain(after[`${c.host}/${c.later}`]);
    setHwFaults(c.host, []);
    if (c.leaves)
        c.leaves();
    else
        expect(hostState(c.host)).toBe(hostBefore);

    // the status page reads the host and finds it as the failed step left it
    const status = await statusPage(page, cockpit, c.host === "destination");
    expect([c.name, await verdict(status, c.host, c.check)]).toEqual([c.name, c.verdict]);
    // opened again, the page shows the failed step's record with the tool's words
    frame = await openPrepare(page, cockpit);
    // (the record is read after the host's facts, a moment after the plan shows)
    await eventually(async () => expect(await frame.locator("#vfm-prepare-start").innerText()).toBe("Continue preparation"), 30000);
    expect(await frame.locator(`#vfm-prepare-${c.host}-${c.step}`).innerText()).toMatch(c.text);
}

describe("host preparation: an injected failure of each step", () => {
    const cockpit = useCockpit("local");

    test("Open vSwitch steps on the source (hw-offload, max-idle, the bridge with the PF, the representor) stop the run with ovs-vsctl's error and leave the status page failing their check", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            for (const c of CASES.filter(c => c.host === "source" && !SRIOV.includes(c.step)))
                await failOnce(page, cockpit, c);
        }), 300000);

    test("adapter steps on the source (PF link up, creating the VFs, the VF off its driver) stop the run with the tool's error and leave the status page failing their check", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            for (const c of CASES.filter(c => SRIOV.includes(c.step)))
                await failOnce(page, cockpit, c);
        }), 300000);

    test("destination steps (libvirt socket, firewall ports, firmware reset) stop the run with the tool's error and leave the status page reporting the host as it is", () =>
        inBrowser(cockpit, { urlPath: null }, async ({ page }) => {
            for (const c of CASES.filter(c => c.host === "destination"))
                await failOnce(page, cockpit, c);
        }), 300000);
});
