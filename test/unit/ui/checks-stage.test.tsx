/**
 * @jest-environment jsdom
 */
/*
 * The checks stage when a host is read again ("Check again", a host lost and back): the VM's findings were made from
 * the readings before, so until they are made again from the new ones the stage says "reading", never "ready" with
 * the old answers (an admin could press Next on them).
 */
import { act } from "react";
import type { StageProps, WizardState } from "../../../src/ui/wizard/types";
import { INITIAL_STATE } from "../../../src/ui/wizard/types";
import { VM_CHECKS, type VmCheck } from "../../../src/migration/vm-checks";
import { ChecksStage } from "../../../src/ui/wizard/ChecksStage";
import { rootPerTest, settle } from "./dom-root";
import { deserialize, serialize } from "v8";
import { facts, k, nic } from "../checks/fixtures";

// jsdom's window has no structuredClone (the host fixtures use it)
globalThis.structuredClone ??= <T,>(v: T): T => deserialize(serialize(v)) as T;

interface Probe { facts: object | null; vms: string[] | null; busy: boolean; error: Error | null; refresh: () => void }
const probes: { source: Probe; destination: Probe } = { source: blank(), destination: blank() };
function blank(): Probe {
    return { facts: null, vms: null, busy: false, error: null, refresh: () => {} };
}
// each call of the VM checks: its report, and the end to call
const runs: { report: (c: VmCheck) => void; end: () => void }[] = [];

jest.mock("../../../src/ui/status/useHostChecks", () => ({
    useHostProbe: (t: { host: string } | null) => (t?.host === "localhost" ? probes.source : probes.destination),
}));
// the same transports on every render, as the real hook's memos give
jest.mock("../../../src/ui/wizard/useDestination", () => {
    const hosts = { local: { host: "localhost" }, ssh: { host: "root@dst" }, libvirt: {} };
    return { useWizardHosts: () => hosts };
});
// the hosts' own checks are someone else's test: here every one passes
jest.mock("../../../src/session/findings", () => ({
    ...jest.requireActual("../../../src/session/findings"),
    evaluateHost: () => [], PAIR_CHECKS: [],
}));
// the host models the port choice goes to, by transport
const chosen: { host: string; pf: string }[] = [];
jest.mock("../../../src/session/hosts", () => ({
    ...jest.requireActual("../../../src/session/hosts"),
    modelOf: (t: { host: string }) => ({ choosePort: (pf: string) => chosen.push({ host: t.host, pf }) }),
}));
jest.mock("../../../src/session/finding-run", () => ({
    ...jest.requireActual("../../../src/session/finding-run"),
    vmChecksWork: () => (report: (c: VmCheck) => void) => new Promise<void>(end => { runs.push({ report, end }) }),
}));

const state: WizardState = {
    ...INITIAL_STATE, stage: "checks", vm: "rhel9-vf", destination: { host: "192.0.2.2", user: "root", protocol: "ssh" },
    options: { persistOnDestination: true, undefineSource: true },
};

const dom = rootPerTest();
beforeEach(() => {
    probes.source = { ...blank(), facts: facts({ hostname: "src" }) };
    probes.destination = { ...blank(), facts: facts({ hostname: "dst" }) };
    runs.length = 0;
});

const verdict = () => dom.container.querySelector("#vfm-checks-verdict")?.getAttribute("data-verdict") ?? null;
const pass = (id: VmCheck["id"]): VmCheck => ({ id, title: id, verdict: "pass", summary: `${id} passed`, details: [], evidence: [] });

function render(props: { report: jest.Mock; setBusy: jest.Mock }) {
    act(() => dom.root.render(<ChecksStage {...({ state, update: jest.fn(), ...props } as StageProps)} />));
}

/** Answers the newest run of the VM checks, every one passing, and ends it. */
async function answerAll() {
    const run = runs[runs.length - 1];
    await act(async () => { for (const id of VM_CHECKS) run.report(pass(id)) });
    await act(async () => { run.end() });
    await settle();
}

test("every VM check answered: ready; the destination read again: reading, never ready on the old answers, until the checks are made again", async () => {
    const props = { report: jest.fn(), setBusy: jest.fn() };
    render(props);
    await settle();
    expect(runs).toHaveLength(1);
    await answerAll();
    expect(verdict()).toBe("ready");
    expect(props.report).toHaveBeenLastCalledWith({ stage: "checks", kind: "ready" });

    // the destination cannot be read: its facts are dropped, the error is shown
    probes.destination = { ...blank(), error: new Error("root@dst cannot be reached") };
    render(props);
    await settle();
    expect(props.report).toHaveBeenLastCalledWith({ stage: "checks", kind: "host-error" });
    expect(verdict()).toBeNull();

    // Check again: the destination answers, with a new reading; from here on, no "ready" until the new run ends
    props.report.mockClear();
    probes.destination = { ...blank(), facts: facts({ hostname: "dst" }) };
    render(props);
    await settle();
    expect(verdict()).toBeNull();
    expect(runs).toHaveLength(2);
    for (const id of VM_CHECKS.slice(0, -1))
        await act(async () => runs[1].report(pass(id)));
    expect(verdict()).toBeNull();
    // every answer in, the run not ended yet (Next would still be held by busy): not ready either
    await act(async () => runs[1].report(pass(VM_CHECKS[VM_CHECKS.length - 1])));
    expect(verdict()).toBeNull();
    expect(props.report.mock.calls.map(c => c[0].kind)).not.toContain("ready");
    await act(async () => { runs[1].end() });
    await settle();
    expect(verdict()).toBe("ready");
    expect(props.report).toHaveBeenLastCalledWith({ stage: "checks", kind: "ready" });
});

test("every answer in but the run not ended: not ready yet (Next is held while it runs, so the verdict waits for it)", async () => {
    const props = { report: jest.fn(), setBusy: jest.fn() };
    render(props);
    await settle();
    await act(async () => { for (const id of VM_CHECKS) runs[0].report(pass(id)) });
    expect(verdict()).toBeNull();
    expect(props.report).toHaveBeenLastCalledWith({ stage: "checks", kind: "reading" });
    expect(props.setBusy).toHaveBeenLastCalledWith(true);
    await act(async () => { runs[0].end() });
    await settle();
    expect(verdict()).toBe("ready");
    expect(props.setBusy).toHaveBeenLastCalledWith(false);
});

// #16 W3: a host with two ConnectX-7 ports shows the choice in the wizard's checks too, and it goes to that host
test("a dual-port destination: its port choice is shown under it, and the port chosen goes to the destination's model", async () => {
    const ports = [nic(), nic({ pci: "0000:e1:00.1", port: 2, netdev: "enp225s0f1np1", vfs: [] })];
    probes.destination = { ...blank(), facts: facts({ hostname: "dst", nics: k(ports) }) };
    render({ report: jest.fn(), setBusy: jest.fn() });
    await settle();
    expect(dom.container.querySelector("#vfm-port-source")).toBeNull();
    const select = dom.container.querySelector<HTMLSelectElement>("#vfm-checks-host-destination #vfm-port-destination");
    expect([...(select?.options ?? [])].map(o => o.textContent)).toEqual([
        "Port 1 (0000:e1:00.0): enp225s0np0, link type not known", "Port 2 (0000:e1:00.1): enp225s0f1np1, link type not known"]);
    chosen.length = 0;
    await act(async () => {
        if (select) {
            select.value = "0000:e1:00.1";
            select.dispatchEvent(new Event("change", { bubbles: true }));
        }
    });
    expect(chosen).toEqual([{ host: "root@dst", pf: "0000:e1:00.1" }]);
});
