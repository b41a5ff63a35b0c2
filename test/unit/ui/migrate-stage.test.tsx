/**
 * @jest-environment jsdom
 */
/*
 * The migration stage on a fake libvirt: the hook only subscribes to the MigrationJob and renders it. The plan,
 * Start, the running view with busy set, the end moving the wizard on; and a page opened on a running job.
 */
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { StageProps, WizardState } from "../../../src/ui/wizard/types";
import { INITIAL_STATE } from "../../../src/ui/wizard/types";
import { FakeLibvirt, running } from "../session/fake-libvirt";
import { INACTIVE_XML, LIVE_XML, VF_DEST, VF_SOURCE } from "../migration/fixtures";
import { MigrateStage } from "../../../src/ui/wizard/MigrateStage";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const fake = { libvirt: new FakeLibvirt() };
jest.mock("../../../src/session/hosts", () => ({ localLibvirt: () => fake.libvirt.asClient() }));
jest.mock("../../../src/ui/wizard/useDestination", () => ({
    sshTo: () => ({ ssh: { host: "root@dst" }, transport: { host: "root@dst" } }),
}));
jest.mock("../../../src/migration/destination-vf", () => ({
    recheckDestinationVf: async () => ({ verdict: "ok", vf: "0000:81:00.3", driver: "mlx5_vfio_pci", pf: null, port: null, migratable: true,
        usedBy: null, evidence: [], message: "free" }),
}));


const VM = "rhel9-vf";
const state: WizardState = {
    ...INITIAL_STATE, stage: "migrate", vm: VM, destination: { host: "192.0.2.2", user: "root", protocol: "ssh" },
    options: { persistOnDestination: true, undefineSource: true }, destinationVf: VF_DEST, sourceVf: VF_SOURCE,
};

let root: Root;
let container: HTMLElement;
beforeEach(() => {
    fake.libvirt = new FakeLibvirt();
    fake.libvirt.domains.set(VM, { active: true, persistent: true, xml: LIVE_XML, inactiveXml: INACTIVE_XML });
    container = document.createElement("div");
    document.body.appendChild(container);
    root = createRoot(container);
});
afterEach(() => {
    act(() => root.unmount());
    container.remove();
});

const settle = () => act(() => new Promise(resolve => setTimeout(resolve, 0)));
const phase = () => container.querySelector("#vfm-stage-migrate")?.getAttribute("data-phase");

function render() {
    const props = { next: jest.fn(), setBusy: jest.fn(), setCanContinue: jest.fn() };
    act(() => root.render(<MigrateStage {...({ state, update: jest.fn(), setNextStage: jest.fn(), ...props } as StageProps)} />));
    return props;
}

test("plan, Start, progress with Back disabled, then the wizard moves on", async () => {
    const p = render();
    await settle();
    expect(phase()).toBe("ready");
    fake.libvirt.jobStats = [running(1000, 800 << 20)];
    await act(async () => { (container.querySelector("#vfm-migrate-start") as HTMLButtonElement).click() });
    await settle();
    expect(phase()).toBe("running");
    expect(p.setBusy).toHaveBeenLastCalledWith(true);
    expect(container.querySelector("#vfm-migrate-progress")?.getAttribute("data-attached")).toBe("no");
    expect(fake.libvirt.migrateRequests).toHaveLength(1);
    await act(async () => fake.libvirt.migrationSucceeds(VM));
    await settle();
    expect(phase()).toBe("done");
    expect(p.setBusy).toHaveBeenLastCalledWith(false);
    expect(p.next).toHaveBeenCalledTimes(1);
});

test("a page opened on a running migration follows it (attached), without starting another", async () => {
    fake.libvirt.jobStats = [running(30_000, 512 << 20)];
    const p = render();
    await settle();
    expect(phase()).toBe("running");
    expect(container.querySelector("#vfm-migrate-attached")).not.toBeNull();
    expect(container.querySelector("#vfm-migrate-progress")?.getAttribute("data-percent")).toBe("50");
    expect(p.setBusy).toHaveBeenLastCalledWith(true);
    expect(fake.libvirt.migrateRequests).toHaveLength(0);
});
