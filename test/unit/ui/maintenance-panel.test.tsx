/**
 * @jest-environment jsdom
 */
/*
 * The maintenance's last phases as the admin reads them (src/ui/wizard/MaintenancePanel.tsx): once this host is
 * prepared, the way back opens the peer's evacuation for the VMs not back yet, without a VF when some left without
 * one; coming back to the tab looks again; once every VM runs here, it says so and closes on request.
 */
import { act } from "react";
import { installFakeCockpit } from "../fake-cockpit";
import { loadHostIdentity } from "../../../src/session/saved";
import { afterEvacuation, maintenancePhase, newMaintenance } from "../../../src/session/maintenance";
import { MaintenancePanel } from "../../../src/ui/wizard/MaintenancePanel";
import { rootPerTest } from "./dom-root";

const dom = rootPerTest();
const PEER = { host: "rhel-dst.example.test", user: "root", port: "", protocol: "ssh" as const };
const moved = afterEvacuation(newMaintenance(PEER, ["guest1", "guest2", "guest3"], 1000), { moved: ["guest1", "guest2"], plain: true, left: ["guest3"] });

beforeEach(async () => {
    const fake = installFakeCockpit();
    fake.files.set("/etc/machine-id", "b1b19fe18360413d8af3eacaa7372400\n");
    fake.files.set("/proc/sys/kernel/hostname", "rhel-src.example.test\n");
    await loadHostIdentity();
});

function render(runningHere: string[] | null, calls: string[]) {
    act(() => dom.root.render(
        <MaintenancePanel m={moved} phase={maintenancePhase(moved, true, runningHere)} peer="root@rhel-dst.example.test" runningHere={runningHere}
                          canContinue onChange={() => calls.push("change")} onContinue={() => calls.push("continue")} onLookAgain={() => calls.push("look")} onForget={() => calls.push("forget")} />));
    const q = (sel: string) => dom.container.querySelector(sel);
    return { phase: q("#vfm-maintenance")?.getAttribute("data-phase"), q };
}

test("prepared, one VM back of two: the way back is the peer's evacuation for the other, plain; returning to the tab looks again", () => {
    const calls: string[] = [];
    const v = render(["guest2", "guest3"], calls);
    expect(v.phase).toBe("return");
    expect(v.q("#vfm-maintenance-return")?.textContent).toContain("This host is prepared. Not back here yet: guest1");
    expect(v.q("#vfm-maintenance-back")?.getAttribute("href"))
        .toBe("https://rhel-dst.example.test:9090/vf-migration#/evacuate?destination=rhel-src.example.test&vms=guest1&plain=1");
    // the steps: the first two done, the third current
    expect(v.q("#vfm-maintenance-step-prepare")?.className).toContain("pf-m-success");
    expect(v.q("#vfm-maintenance-step-return")?.className).toContain("pf-m-current");
    act(() => {
        Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
    });
    expect(calls).toEqual(["look"]);
});

test("every VM it moved runs here: the maintenance says it is over, and Close forgets it", () => {
    const calls: string[] = [];
    const v = render(["guest1", "guest2", "guest3"], calls);
    expect(v.phase).toBe("done");
    expect(v.q("#vfm-maintenance-done")?.textContent).toContain("Maintenance finished");
    expect(v.q("#vfm-maintenance-back")).toBeNull();
    const close = v.q("#vfm-maintenance-forget") as HTMLButtonElement;
    expect(close.textContent).toBe("Close");
    act(() => close.click());
    expect(calls).toEqual(["forget"]);
});

test("this host's VMs not read: not called done, and the way back stays", () => {
    const v = render(null, []);
    expect(v.phase).toBe("return");
    expect(v.q("#vfm-maintenance-back")).not.toBeNull();
});
