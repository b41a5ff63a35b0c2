/*
 * The exported shell script, run as an admin would on a freshly loaded fresh-pair destination (with RHEL's services
 * as installed: no mstflint, no Open vSwitch, TLS socket off, ports closed): it stops for the reboot it asks for, the
 * host is rebooted, the second run finishes, and the host is then ready — the status page's probe plans no needed
 * step and no check fails. A third run changes nothing.
 */
import "./setup";
import { contextFromFacts, DEFAULT_OPTIONS, exportShell, neededSteps, planHost } from "../../../src/steps";
import { evaluateHost } from "../../../src/checks";
import { requirePair, simhost } from "../pair/pair";
import { FRESH_SERVICES, exec, gatherFacts, runningVms, scenarioVariant } from "./simhost";

const HOST = "destination" as const;

function plan() {
    const facts = gatherFacts(HOST);
    const ctx = contextFromFacts(HOST, facts, { ...DEFAULT_OPTIONS, protocol: "tls" }, runningVms(HOST));
    return { ctx, plan: planHost(ctx), checks: evaluateHost({ facts, role: HOST, protocol: "tls" }) };
}

describe("the exported shell script on a fresh host", () => {
    beforeAll(() => {
        requirePair();
        simhost("load", scenarioVariant("fresh-pair", { destination: { services: FRESH_SERVICES } }));
    });
    afterAll(() => {
        simhost("load", "ready-pair");
    });

    test("brings the destination to ready, with a reboot where it says so; a second run changes nothing", () => {
        const before = plan();
        expect(neededSteps(before.plan).map(p => p.step.id)).toEqual(expect.arrayContaining([
            "install-mstflint", "install-openvswitch", "iommu-kernel-args", "eswitch-switchdev", "create-vfs", "ovs-service",
            "libvirt-socket", "firewall-ports"]));
        const script = exportShell([{ role: HOST, ctx: before.ctx }]);

        const first = exec(HOST, ["/bin/bash", "-s"], script);
        expect(first.stdout).toContain("REBOOT NEEDED");
        expect({ status: first.exitStatus, stderr: first.stderr }).toEqual({ status: 3, stderr: "" });

        simhost("reboot", HOST);
        const second = exec(HOST, ["/bin/bash", "-s"], script);
        expect(second.exitStatus).toBe(0);
        // systemctl enable says what it linked, on stderr, as the real one does; nothing else may appear there
        expect(second.stderr.split("\n").filter(l => l && !l.startsWith("Created symlink "))).toEqual([]);
        expect(second.stdout).toContain("This host is prepared.");

        // an address on the PF (R4): the script stops before Open vSwitch takes the interface, as the page's guard does
        // (on the prepared host, its PF taken out of the bridge again)
        const PF_DEV = "enp193s0np0";
        expect(exec(HOST, ["ovs-vsctl", "del-port", PF_DEV]).exitStatus).toBe(0);
        expect(exec(HOST, ["ip", "addr", "add", "198.51.100.5/24", "dev", PF_DEV]).exitStatus).toBe(0);
        const held = exec(HOST, ["/bin/bash", "-s"], script);
        expect({ status: held.exitStatus, stderr: held.stderr }).toEqual({ status: 4, stderr:
            `REFUSED: ${PF_DEV} holds 198.51.100.5/24: once Open vSwitch takes it, that address stops answering. Move it to the bridge first, then run again (or with VFM_ALLOW_PF_ADDRESSES=1 if nothing uses it).\n` });
        expect(exec(HOST, ["ovs-vsctl", "port-to-br", PF_DEV]).exitStatus).not.toBe(0);
        expect(exec(HOST, ["ip", "addr", "del", "198.51.100.5/24", "dev", PF_DEV]).exitStatus).toBe(0);
        expect(exec(HOST, ["/bin/bash", "-s"], script).exitStatus).toBe(0);
        expect(exec(HOST, ["ovs-vsctl", "port-to-br", PF_DEV]).stdout).toBe("br-vf\n");

        const after = plan();
        expect(neededSteps(after.plan).map(p => `${p.step.id}: ${p.status.summary}`)).toEqual([]);
        expect(after.checks.filter(c => c.verdict === "fail" || c.verdict === "unknown" || c.verdict === "pending-reboot")
            .map(c => `${c.id}: ${c.summary}`)).toEqual([]);

        const third = exec(HOST, ["/bin/bash", "-s"], script);
        expect(third.exitStatus).toBe(0);
        expect(third.stdout).not.toMatch(/^run /m);
        expect(third.stdout.split("\n").filter(l => l.startsWith("ok "))).toHaveLength(18);
    });

    test("on the source, where the VM to move runs, the script refuses the reboot and says what to do instead", () => {
        if (runningVms("source").length === 0)
            exec("source", ["virsh", "-c", "qemu:///system", "start", "guest1"]);
        const vms = runningVms("source");
        expect(vms.length).toBeGreaterThan(0);
        const ctx = contextFromFacts("source", gatherFacts("source"), DEFAULT_OPTIONS, vms);
        const r = exec("source", ["/bin/bash", "-s"], exportShell([{ role: "source", ctx }]));
        expect(r.exitStatus).toBe(4);
        expect(r.stderr).toBe(`REFUSED: VMs run on this host (${vms.join(" ")}): a reboot would stop them. Migrate them or shut them down, then run this script again.\n`);
        expect(r.stdout).not.toContain("REBOOT NEEDED");
        expect(runningVms("source")).toEqual(vms);
    });

    test("on an Ethernet-only adapter (no LINK_TYPE_P1 to list), the script never writes it, and the host ends ready (R9)", () => {
        simhost("load", "ethernet-only");
        try {
            const before = plan();
            expect(before.checks.find(c => c.id === "fw-link-type")?.verdict).toBe("pass");
            expect(neededSteps(before.plan).map(p => p.step.id)).not.toContain("firmware-settings");
            const run = exec(HOST, ["/bin/bash", "-s"], exportShell([{ role: HOST, ctx: before.ctx }]));
            expect({ status: run.exitStatus, stderr: run.stderr.split("\n").filter(l => l && !l.startsWith("Created symlink ")) }).toEqual({ status: 0, stderr: [] });
            expect(run.stdout).not.toContain("LINK_TYPE_P1");
            expect(run.stdout).toMatch(/^ok .*firmware/im);
            const after = plan();
            expect(neededSteps(after.plan).map(p => `${p.step.id}: ${p.status.summary}`)).toEqual([]);
            expect(after.checks.filter(c => c.verdict === "fail" || c.verdict === "unknown").map(c => `${c.id}: ${c.summary}`)).toEqual([]);
        } finally {
            simhost("load", "ready-pair");
        }
    });
});
