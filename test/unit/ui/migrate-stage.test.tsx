/**
 * @jest-environment jsdom
 */
/*
 * The migration stage on a fake libvirt: the hook only subscribes to the MigrationJob and renders it. The plan,
 * Start, the running view with busy set, the end moving the wizard on; and a page opened on a running job.
 */
import { act } from "react";
import type { StageProps, WizardState } from "../../../src/ui/wizard/types";
import { INITIAL_STATE } from "../../../src/ui/wizard/types";
import { FakeLibvirt, running } from "../session/fake-libvirt";
import { INACTIVE_XML, LIVE_XML, VF_DEST, VF_SOURCE } from "../migration/fixtures";
import { MigrateStage } from "../../../src/ui/wizard/MigrateStage";
import { AHEAD_MS, WARM_REFRESH_MS } from "../../../src/session/migration-job-model";
import { FileHost } from "../steps/file-host";
import { rootPerTest, settle } from "./dom-root";

const fake: { libvirt: FakeLibvirt; vfTaken: boolean; sourceOnVfioPci: boolean; here: FileHost; destinationReads: number; sourceReads: number } =
    { libvirt: new FakeLibvirt(), vfTaken: false, sourceOnVfioPci: false, here: new FileHost("localhost"), destinationReads: 0, sourceReads: 0 };
jest.mock("../../../src/session/hosts", () => ({ localLibvirt: () => fake.libvirt.asClient(), localHost: () => fake.here }));
jest.mock("../../../src/ui/wizard/useDestination", () => ({
    sshTo: () => ({ ssh: { host: "root@dst", target: { host: "192.0.2.2", user: "root", port: 22 } }, transport: { host: "root@dst" } }),
}));
jest.mock("../../../src/migration/destination-vf", () => {
    const actual = jest.requireActual("../../../src/migration/destination-vf");
    return {
        ...actual,
        recheckDestinationVf: async () => (fake.destinationReads++, fake.vfTaken
            ? { ...actual.vfNotRead("0000:81:00.3", "The destination VF 0000:81:00.3 is now used by the VM intruder"), verdict: "fail",
                driver: "mlx5_vfio_pci", usedBy: "intruder" }
            : { ...actual.vfNotRead("0000:81:00.3", "Destination VF 0000:81:00.3: free, unbound, migratable"), verdict: "pass",
                driver: "none", migratable: true }),
    };
});

jest.mock("../../../src/migration/source-vf", () => {
    const actual = jest.requireActual("../../../src/migration/destination-vf");
    return {
        recheckSourceVf: async () => (fake.sourceReads++, {
            ...actual.vfNotRead("0000:e1:00.1", fake.sourceOnVfioPci
                ? "rhel9-vf holds this host's VF 0000:e1:00.1 through vfio-pci, not mlx5_vfio_pci: QEMU cannot migrate it."
                : "This host's VF 0000:e1:00.1: on mlx5_vfio_pci, migratable"),
            id: "source-vf-recheck", title: "This host's VF, checked before the migration", verdict: fake.sourceOnVfioPci ? "fail" : "pass",
            driver: fake.sourceOnVfioPci ? "vfio-pci" : "mlx5_vfio_pci", usedBy: "rhel9-vf",
        }),
    };
});

const VM = "rhel9-vf";
const state: WizardState = {
    ...INITIAL_STATE, stage: "migrate", vm: VM, destination: { host: "192.0.2.2", user: "root", protocol: "ssh" },
    options: { persistOnDestination: true, undefineSource: true }, destinationVf: VF_DEST, sourceVf: VF_SOURCE,
};

const dom = rootPerTest();
beforeEach(() => {
    fake.libvirt = new FakeLibvirt();
    fake.vfTaken = false;
    fake.sourceOnVfioPci = false;
    fake.destinationReads = 0;
    fake.sourceReads = 0;
    fake.libvirt.domains.set(VM, { active: true, persistent: true, xml: LIVE_XML, inactiveXml: INACTIVE_XML });
});

const phase = () => dom.container.querySelector("#vfm-stage-migrate")?.getAttribute("data-phase");

function render() {
    const props = { report: jest.fn(), setBusy: jest.fn() };
    act(() => dom.root.render(<MigrateStage {...({ state, update: jest.fn(), ...props } as StageProps)} />));
    return props;
}

test("plan, Start, progress with Back disabled, then the wizard moves on", async () => {
    const p = render();
    await settle();
    expect(phase()).toBe("ready");
    // the VF's re-check in the row every finding has, its go-ahead where the browser tests read it
    const vf = dom.container.querySelector("#vfm-migrate-vf-status") as Element;
    expect(vf.getAttribute("data-verdict")).toBe("ok");
    expect(vf.querySelector("li.vfm-check")?.getAttribute("data-verdict")).toBe("pass");
    expect(vf.textContent).toContain("Passed");
    expect(vf.textContent).toContain("free, unbound, migratable");
    expect(dom.container.querySelector("#vfm-migrate-source-vf-recheck")?.textContent).toContain("on mlx5_vfio_pci, migratable");
    fake.libvirt.jobStats = [running(1000, 800 << 20)];
    await act(async () => { (dom.container.querySelector("#vfm-migrate-start") as HTMLButtonElement).click() });
    await settle();
    expect(phase()).toBe("running");
    expect(p.setBusy).toHaveBeenLastCalledWith(true);
    expect(dom.container.querySelector("#vfm-migrate-progress")?.getAttribute("data-attached")).toBe("no");
    expect(fake.libvirt.migrateRequests).toHaveLength(1);
    await act(async () => fake.libvirt.migrationSucceeds(VM));
    await settle();
    expect(phase()).toBe("done");
    expect(p.setBusy).toHaveBeenLastCalledWith(false);
    // the outcome that moves the wizard on by itself (src/session/wizard-flow.ts)
    expect(p.report).toHaveBeenLastCalledWith({ stage: "migrate", kind: "done" });
    // this host notes where the VM went, for its VM list
    const departed = JSON.parse(fake.here.files.get("/var/lib/cockpit-vf-migration/departed.json") ?? "null");
    expect(departed.departed).toEqual([expect.objectContaining({ vm: VM, to: { host: "192.0.2.2", user: "root", port: 22 }, vf: VF_DEST })]);
});

/**
 * The stage opened with both VFs fine, then `spoil` changes one, and the admin clicks Start after reading the plan
 * `readMs`: the click reads what may have changed, the call is refused, none is made.
 */
async function startRefused(spoil: () => void, readMs = 0) {
    render();
    await settle();
    spoil();
    const later = jest.spyOn(Date, "now").mockReturnValue(Date.now() + readMs);
    try {
        await act(async () => { (dom.container.querySelector("#vfm-migrate-start") as HTMLButtonElement).click() });
        await settle();
    } finally {
        later.mockRestore();
    }
    expect(phase()).toBe("refused");
    expect(fake.libvirt.migrateRequests).toHaveLength(0);
}

test("the destination VF taken since the checks, even a moment before the click: not started, the re-check failed in its row, the reason said", async () => {
    await startRefused(() => { fake.vfTaken = true });
    const vf = dom.container.querySelector("#vfm-migrate-vf-status") as Element;
    expect(vf.getAttribute("data-verdict")).toBe("refused");
    expect(vf.textContent).toContain("Failed");
    const refused = dom.container.querySelector("#vfm-migrate-refused")?.textContent;
    expect(refused).toContain("Not started");
    expect(refused).toContain("now used by the VM intruder");
});

test("this host's VF held through plain vfio-pci: not started, in this host's words, the destination's row still passed", async () => {
    // this host's VF as the stage read it serves a click within AHEAD_MS: this one comes later
    await startRefused(() => { fake.sourceOnVfioPci = true }, AHEAD_MS);
    expect(dom.container.querySelector("#vfm-migrate-vf-status")?.getAttribute("data-verdict")).toBe("refused");
    expect(dom.container.querySelector("#vfm-migrate-source-vf-recheck")?.getAttribute("data-verdict")).toBe("fail");
    expect(dom.container.querySelector("#vfm-migrate-vf-recheck")?.getAttribute("data-verdict")).toBe("pass");
    const refused = dom.container.querySelector("#vfm-migrate-refused")?.textContent;
    expect(refused).toContain("Not started: QEMU cannot migrate this host's VF");
    expect(refused).toContain("through vfio-pci, not mlx5_vfio_pci");
});

test("while the admin reads the plan, this host's VF is read again every few seconds; the click reads only the destination's VF, then calls", async () => {
    jest.useFakeTimers();
    try {
        render();
        await act(async () => { await jest.advanceTimersByTimeAsync(0) });
        expect(phase()).toBe("ready");
        const reads = () => [fake.sourceReads, fake.destinationReads];
        expect(reads()).toEqual([1, 1]);
        await act(async () => { await jest.advanceTimersByTimeAsync(WARM_REFRESH_MS) });
        expect(reads()).toEqual([2, 1]);
        await act(async () => { await jest.advanceTimersByTimeAsync(WARM_REFRESH_MS) });
        expect(reads()).toEqual([3, 1]);
        await act(async () => { (dom.container.querySelector("#vfm-migrate-start") as HTMLButtonElement).click() });
        await act(async () => { await jest.advanceTimersByTimeAsync(0) });
        expect(fake.libvirt.migrateRequests).toHaveLength(1);
        // the destination's VF right before the call; this host's as last read, seconds ago
        expect(reads()).toEqual([3, 2]);
        // and nothing more once it runs
        await act(async () => { await jest.advanceTimersByTimeAsync(WARM_REFRESH_MS * 2) });
        expect(reads()).toEqual([3, 2]);
    } finally {
        jest.useRealTimers();
    }
});

test("a page opened on a running migration follows it (attached), without starting another", async () => {
    fake.libvirt.jobStats = [running(30_000, 512 << 20)];
    const p = render();
    await settle();
    expect(phase()).toBe("running");
    expect(dom.container.querySelector("#vfm-migrate-attached")).not.toBeNull();
    expect(dom.container.querySelector("#vfm-migrate-progress")?.getAttribute("data-percent")).toBe("50");
    expect(p.setBusy).toHaveBeenLastCalledWith(true);
    expect(fake.libvirt.migrateRequests).toHaveLength(0);
});
