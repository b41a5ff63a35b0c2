/*
 * The page's preparation of port 2 of a dual-port adapter (#16 W3), on the dual-port source: port 1 runs Ethernet
 * and is in br-vf, port 2 runs InfiniBand. The admin chose port 2 for VFs. The preparation sets port 2's own
 * LINK_TYPE_P2 and nothing of port 1; the firmware reset, which restarts both ports, is refused until the admin
 * accepts that port 1's traffic stops; after it, port 2 runs Ethernet with its interface.
 */
import "./setup";
import { DEFAULT_OPTIONS, contextFromFacts, planHost, runStep, stepById } from "../../../src/steps";
import { evaluateHost } from "../../../src/checks";
import { nextAction, nextStep } from "../../../src/session/preparation-plan";
import { backToReadyPair, ok, requirePair, simhost } from "../pair/pair";
import { SimTransport, gatherFacts, runningVms } from "./simhost";

const PORT2 = "0000:e1:00.1";
const facts = () => ({ ...gatherFacts("source"), chosenPf: PORT2 });
const ctxOf = () => contextFromFacts("source", facts(), DEFAULT_OPTIONS, runningVms("source"));
/** "Default Current Next" of a firmware setting, as mstconfig -e query shows it through port 1's PF */
const setting = (key: string) => {
    const line = ok("source", ["mstconfig", "-d", "0000:e1:00.0", "-e", "query"]).split("\n").find(l => l.includes(` ${key} `));
    return line?.replace(/^\*?\s+\S+\s+/, "").trim().split(/\s+/);
};

beforeAll(() => requirePair());
afterAll(backToReadyPair, 120_000);

test("port 2 chosen: the preparation sets LINK_TYPE_P2 only, the reset waits for the admin to accept port 1's traffic stopping, then port 2 runs Ethernet", async () => {
    simhost("load", "dual-port");
    // a reset also needs the VMs stopped: that guard is another test's
    ok("source", ["virsh", "-c", "qemu:///system", "destroy", "guest1"]);
    expect(setting("LINK_TYPE_P1")).toEqual(["ETH(2)", "ETH(2)", "ETH(2)"]);
    const t = new SimTransport("source");
    const ran: string[] = [];
    let stoppedAt: { id: string; reason: string } | null = null;
    for (let i = 0; i < 10 && !stoppedAt; i++) {
        const ctx = ctxOf();
        expect(ctx.pf).toBe(PORT2);
        const plan = planHost(ctx);
        const next = nextStep(plan) ?? nextAction(plan);
        if (!next)
            break;
        if (next.guard) {
            stoppedAt = { id: next.step.id, reason: next.guard.reason };
            break;
        }
        expect((await runStep(t, next.step, ctx)).ok).toBe(true);
        ran.push(next.step.id);
    }
    expect(ran).toEqual(["firmware-settings"]);
    expect(stoppedAt?.id).toBe("firmware-reset");
    expect(stoppedAt?.reason).toContain("The adapter's other port is in use: enp225s0f0np0 (bridge br-vf)");
    expect(setting("LINK_TYPE_P2")).toEqual(["ETH(2)", "IB(1)", "ETH(2)"]);
    expect(setting("LINK_TYPE_P1")).toEqual(["ETH(2)", "ETH(2)", "ETH(2)"]);

    // the admin accepts: one reset of the adapter, through port 2's PF
    const resetStep = stepById("firmware-reset");
    if (!resetStep)
        throw new Error("no firmware-reset step");
    const reset = await runStep(t, resetStep, ctxOf(), { override: true });
    expect(reset.ok).toBe(true);
    expect(setting("LINK_TYPE_P2")).toEqual(["ETH(2)", "ETH(2)", "ETH(2)"]);
    expect(setting("LINK_TYPE_P1")).toEqual(["ETH(2)", "ETH(2)", "ETH(2)"]);
    const after = evaluateHost({ facts: facts(), role: "source", protocol: "ssh" });
    const of = (id: string) => after.find(r => r.id === id);
    expect(of("cx7-present")).toMatchObject({ verdict: "pass", summary: `ConnectX-7 at ${PORT2}, interface enp225s0f1np1` });
    expect(of("fw-link-type")).toMatchObject({ verdict: "pass", summary: "LINK_TYPE_P2 is ETH(2)" });
}, 120_000);
