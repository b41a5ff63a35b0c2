/*
 * The preparation as the page runs it, on a simulated host: plan from the status page's probe, run the first needed
 * step with the runner (argv through the transport, sysfs values on stdin), probe again, until nothing is needed.
 * Then a tool failure injected with the hw layer's faults[]: the run stops there with the tool's own error text,
 * and the host is left in the state the status page then reports.
 */
import "./setup";
import { evaluateHost } from "../../../src/checks";
import { DEFAULT_OPTIONS, STEPS, contextFromFacts, neededSteps, planHost, runStep, stepById } from "../../../src/steps";
import type { StepDef } from "../../../src/steps/types";
import { mstconfigSet } from "../../../src/host/commands/mst";
import { PciAddress } from "../../../src/host/values";
import { requirePair, scenarioOf, simhost } from "../pair/pair";
import { FRESH_SERVICES, SimTransport, exec, gatherFacts, runningVms, scenarioVariant } from "./simhost";

const HOST = "destination" as const;
const OPTIONS = { ...DEFAULT_OPTIONS, protocol: "tls" as const };
const ctxNow = () => contextFromFacts(HOST, gatherFacts(HOST), OPTIONS, runningVms(HOST));

describe("running the planned steps on a simulated destination", () => {
    beforeAll(() => requirePair());
    afterAll(() => {
        simhost("load", "ready-pair");
    });

    test("from fresh to ready, one step at a time, with the reboot the plan asks for", async () => {
        simhost("load", scenarioVariant("fresh-pair", { destination: { services: FRESH_SERVICES } }));
        const t = new SimTransport(HOST, "rhel-dst.example.test");
        const ran: string[] = [];
        for (let i = 0; i < 30; i++) {
            const ctx = ctxNow();
            const next = neededSteps(planHost(ctx))[0];
            if (!next)
                break;
            ran.push(next.step.id);
            expect(next.guard).toBeNull();
            if (next.step.action === "reboot") {
                simhost("reboot", HOST);
                continue;
            }
            const run = await runStep(t, next.step, ctx);
            expect({ step: next.step.id, ok: run.ok, failure: run.failure }).toEqual({ step: next.step.id, ok: true, failure: undefined });
        }
        // (steps Open vSwitch keeps in its database may already be done once it runs again)
        expect(ran.slice(0, 10)).toEqual([
            "install-mstflint", "install-openvswitch", "firmware-settings", "iommu-kernel-args", "reboot",
            "eswitch-switchdev", "create-vfs", "vf-unbind", "vf-migratable", "ovs-service",
        ]);
        expect(ran.slice(-2)).toEqual(["libvirt-socket", "firewall-ports"]);
        // the migration ports are open to the source's address only (rich rules), in the runtime and permanent zone
        const source = scenarioOf("source").address.split("/")[0];
        const fw = exec(HOST, ["firewall-cmd", "--list-all"]).stdout;
        for (const port of ["16514", "49152-49215"])
            expect(fw).toContain(`\n\trule family="ipv4" source address="${source}" port port="${port}" protocol="tcp" accept`);
        expect(fw).toMatch(/^ {2}ports: $/m);
        expect(exec(HOST, ["firewall-cmd", "--permanent", "--list-rich-rules"]).stdout.trim().split("\n")).toHaveLength(2);
        const order = ran.map(id => STEPS.findIndex(s => s.id === id));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        const facts = gatherFacts(HOST);
        expect(evaluateHost({ facts, role: HOST, protocol: "tls" }).filter(c => !["pass", "warn"].includes(c.verdict))
            .map(c => `${c.id}: ${c.summary}`)).toEqual([]);
    });

    test("only the firmware to change: the firmware reset activates it without a reboot", async () => {
        simhost("load", "ready-pair");
        const t = new SimTransport(HOST);
        const set = stepById("firmware-settings") as StepDef;
        // make the firmware not ready: VF_MIGRATION_MODE=0 for the next boot, then reset
        const ctx0 = ctxNow();
        const off = await t.run(mstconfigSet(PciAddress.of(ctx0.pf), [{ key: "VF_MIGRATION_MODE", value: 0 }]), {});
        expect(off.exitStatus).toBe(0);
        expect((await runStep(t, stepById("firmware-reset") as StepDef, ctx0)).ok).toBe(true);
        const plan = planHost(ctxNow());
        expect(neededSteps(plan).map(p => p.step.id)).toEqual(["firmware-settings", "firmware-reset", "eswitch-switchdev", "create-vfs"]);
        expect((await runStep(t, set, ctxNow())).ok).toBe(true);
        const pending = planHost(ctxNow());
        expect(pending.find(p => p.step.id === "firmware-settings")?.status).toEqual(expect.objectContaining({ state: "pending", needs: "firmware-reset" }));
        const reset = await runStep(t, stepById("firmware-reset") as StepDef, ctxNow());
        expect(reset.ok).toBe(true);
        expect(reset.results[0].stdout).toContain("-I- FW was loaded successfully.");
        expect(planHost(ctxNow()).find(p => p.step.id === "firmware-settings")?.status.state).toBe("done");
    });

    test("an injected devlink failure stops the run with the tool's error text; the host stays as the status page says", async () => {
        const busy = "Error: mlx5_core: Can't change mode, E-Switch is busy.\nkernel answers: Device or resource busy\n";
        simhost("load", scenarioVariant("fresh-pair", {
            destination: { hw: { faults: [{ match: "devlink dev eswitch set *", exit: 1, stderr: busy }] } },
        }));
        const t = new SimTransport(HOST);
        const ctx = ctxNow();
        const step = stepById("eswitch-switchdev") as StepDef;
        const run = await runStep(t, step, ctx);
        expect(run.ok).toBe(false);
        // what the tool's error means (the devlink error parser), then the tool's own lines
        expect(run.failure).toEqual({ index: 0, kind: "exit", message: expect.stringMatching(/^The e-switch is in use [^\n]*\n/) });
        expect(run.failure?.message.endsWith(`\n${busy.trim()}`)).toBe(true);
        expect(run.results[0].stderr).toBe(busy);
        const after = ctxNow();
        expect(step.detect(after)).toEqual(expect.objectContaining({ state: "needed", summary: "The e-switch is in legacy mode" }));
        expect(evaluateHost({ facts: after.facts, role: HOST, protocol: "ssh" }).find(c => c.id === "eswitch-switchdev")?.verdict).toBe("fail");
    });
});
