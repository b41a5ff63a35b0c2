/**
 * @jest-environment jsdom
 */
/*
 * A maintenance run of this host (src/session/maintenance.ts): where it is, read from the evacuation and the hosts,
 * and kept in the browser for this host alone, so that a closed page or this host's reboot resumes it.
 */
import { installFakeCockpit, type FakeCockpit } from "../fake-cockpit";
import type { EvacuationState, RowState, RowStatus } from "../../../src/session/evacuation-run";
import {
    afterEvacuation, evacuationOutcome, maintenancePhase, newMaintenance, notBack, saveMaintenance, savedMaintenance, forgetMaintenance,
} from "../../../src/session/maintenance";

const PEER = { host: "rhel-dst.example.test", user: "root", port: "", protocol: "ssh" as const };
const VF = { sourceVf: "0000:e1:00.2", sourcePort: "0000:e1:00.0", destinationVf: "0000:c1:00.2", destinationPort: "0000:c1:00.0" };
const NO_VF = { sourceVf: null, sourcePort: null, destinationVf: null, destinationPort: null };

const row = (vm: string, status: RowStatus, vf = true): RowState =>
    ({ row: { vm, ...(vf ? VF : NO_VF), memoryMiB: 128 }, status, progress: null, error: null, startedAt: null, endedAt: null });
const state = (rows: RowState[], phase: EvacuationState["phase"] = "finished"): EvacuationState =>
    ({ rows, phase, halted: null, started: true });

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit(); localStorage.clear() });

const m = newMaintenance(PEER, ["guest1", "guest2"], 1000);

test("the evacuation is done for the maintenance only once none of its VMs migrates, finishes or waits", () => {
    expect(evacuationOutcome(m, null, null)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "running")], "running"), 2000)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "finishing")], "running"), 2000)).toBeNull();
    // a page that opened again and has not started the rest: the admin resumes the evacuation first
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "waiting")], "idle"), 2000)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "not-here", false)], "idle"), 2000))
        .toEqual({ moved: ["guest1", "guest2"], plain: true, left: [] });
});

test("a VM that failed, was cancelled or was left out of the plan still runs here, and is named", () => {
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "failed")]), 2000))
        .toEqual({ moved: ["guest1"], plain: false, left: ["guest2"] });
    expect(evacuationOutcome(m, state([row("guest2", "cancelled")]), 2000))
        .toEqual({ moved: [], plain: false, left: ["guest1", "guest2"] });
});

test("an earlier evacuation kept in the browser is not taken for this maintenance's, even of the same VMs", () => {
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "moved")]), 999)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest7", "moved")]), 2000)).toBeNull();
});

test("after the evacuation: the preparation, then the way back once this host is prepared, then done once every VM moved runs here", () => {
    expect(maintenancePhase(m, false, ["guest1", "guest2"])).toBe("evacuate");
    // a host prepared meanwhile does not skip the admin's word after the evacuation
    expect(maintenancePhase(m, true, [])).toBe("evacuate");
    const on = afterEvacuation(m, { moved: ["guest1", "guest2"], plain: true, left: [] });
    expect(on).toMatchObject({ phase: "prepare", moved: ["guest1", "guest2"], plain: true });
    expect(maintenancePhase(on, false, [])).toBe("prepare");
    expect(maintenancePhase(on, true, [])).toBe("return");
    expect(notBack(on, ["guest2"])).toEqual(["guest1"]);
    expect(maintenancePhase(on, true, ["guest2"])).toBe("return");
    // this host's VMs unread: not called done
    expect(maintenancePhase(on, true, null)).toBe("return");
    expect(maintenancePhase(on, true, ["guest1", "guest2", "other"])).toBe("done");
});

test("kept in the browser for this host: restored after a reload, not on another host's page, forgotten on request", () => {
    const on = afterEvacuation(m, { moved: ["guest1"], plain: false, left: ["guest2"] });
    saveMaintenance(on);
    expect(savedMaintenance()).toEqual(on);
    fake.transport.host = "rhel-dst.example.test";
    expect(savedMaintenance()).toBeNull();
    fake.transport.host = "localhost";
    localStorage.setItem("vf-migration:maintenance", JSON.stringify({ savedOn: "localhost", value: { ...on, phase: "elsewhere" } }));
    expect(savedMaintenance()).toBeNull();
    saveMaintenance(on);
    forgetMaintenance();
    expect(savedMaintenance()).toBeNull();
});
