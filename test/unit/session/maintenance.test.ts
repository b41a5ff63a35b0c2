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
    afterEvacuation, evacuationOutcome, forgetMaintenance, maintenancePhase, moveMore, newMaintenance, noteMoved, notBack, outcomeWithoutEvacuation,
    saveMaintenance, savedMaintenance,
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
/** the evacuation kept in the browser: started after the maintenance, toward its peer */
const KEPT = { startedAt: 2000, destination: PEER };

test("the evacuation is done for the maintenance only once none of its VMs migrates, finishes or waits", () => {
    expect(evacuationOutcome(m, null, KEPT)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "running")], "running"), KEPT)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "finishing")], "running"), KEPT)).toBeNull();
    // a page that opened again and has not started the rest: the admin resumes the evacuation first
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "waiting")], "idle"), KEPT)).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "not-here", false)], "idle"), KEPT))
        .toEqual({ moved: ["guest1", "guest2"], plain: true, left: [] });
});

test("a VM that failed, was cancelled or was left out of the plan still runs here, and is named", () => {
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "failed")]), KEPT))
        .toEqual({ moved: ["guest1"], plain: false, left: ["guest2"] });
    expect(evacuationOutcome(m, state([row("guest2", "cancelled")]), KEPT))
        .toEqual({ moved: [], plain: false, left: ["guest1", "guest2"] });
});

test("an earlier evacuation kept in the browser is not taken for this maintenance's, even of the same VMs", () => {
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "moved")]), { ...KEPT, startedAt: 999 })).toBeNull();
    // started since, but toward another host (from the Evacuate host view): not this maintenance's either
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "moved")]), { ...KEPT, destination: { ...PEER, host: "rhel-other" } })).toBeNull();
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "moved")]), { ...KEPT, destination: { ...PEER, port: "2222" } })).toBeNull();
    // the same destination written another way: the user root and the port 22 by default, the name in any case
    expect(evacuationOutcome(m, state([row("guest1", "moved"), row("guest2", "moved")]),
                             { ...KEPT, destination: { ...PEER, host: "RHEL-DST.example.test", user: "", port: "22" } }))
        .toEqual({ moved: ["guest1", "guest2"], plain: false, left: [] });
    expect(evacuationOutcome(m, state([row("guest7", "moved")]), KEPT)).toBeNull();
});

test("no evacuation kept (its report cleared, or the VMs moved another way): on once none of the VMs runs here, with what was noted", () => {
    const noted = noteMoved(m, { moved: ["guest1"], plain: true, left: ["guest2"] });
    expect(noted).toMatchObject({ moved: ["guest1"], plain: true, phase: "evacuate" });
    // noting the same again changes nothing (the panel notes on every render until it holds)
    expect(noted && noteMoved(noted, { moved: ["guest1"], plain: false, left: [] })).toBeNull();
    expect(outcomeWithoutEvacuation(noted!, ["guest2"])).toBeNull();
    expect(outcomeWithoutEvacuation(noted!, null)).toBeNull();
    expect(outcomeWithoutEvacuation(noted!, ["other"])).toEqual({ moved: ["guest1"], plain: true, left: [] });
});

test("a VM that still blocks during the preparation moves too: an evacuation from then on, the VMs moved before kept", () => {
    const on = afterEvacuation(m, { moved: ["guest1"], plain: false, left: ["guest2"] });
    const more = moveMore(on, ["guest2"], 5000);
    expect(more).toMatchObject({ phase: "evacuate", vms: ["guest2"], moved: ["guest1"], startedAt: 5000 });
    // the first evacuation's report (started at 2000) is not this one's
    expect(evacuationOutcome(more, state([row("guest1", "moved"), row("guest2", "failed")]), KEPT)).toBeNull();
    const o = evacuationOutcome(more, state([row("guest2", "moved", false)]), { ...KEPT, startedAt: 6000 });
    expect(o && afterEvacuation(more, o)).toMatchObject({ phase: "prepare", moved: ["guest1", "guest2"], plain: true });
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
    // nothing moved (the VMs were shut down instead): nothing to bring back, even unread
    expect(maintenancePhase(afterEvacuation(m, { moved: [], plain: false, left: [] }), true, null)).toBe("done");
});

test("kept in the browser for this host: restored after a reload, neither shown nor overwritten by another host's page, forgotten on request", () => {
    const on = afterEvacuation(m, { moved: ["guest1"], plain: false, left: ["guest2"] });
    saveMaintenance(on);
    expect(savedMaintenance()).toEqual(on);
    // the page of another host of Cockpit's switcher (one origin, one localStorage): its own maintenance, if any
    fake.transport.host = "rhel-dst.example.test";
    expect(savedMaintenance()).toBeNull();
    saveMaintenance(newMaintenance({ ...PEER, host: "rhel-src.example.test" }, ["guest9"], 3000));
    fake.transport.host = "localhost";
    expect(savedMaintenance()).toEqual(on);
    localStorage.setItem("vf-migration:maintenance:localhost", JSON.stringify({ savedOn: "localhost", value: { ...on, phase: "elsewhere" } }));
    expect(savedMaintenance()).toBeNull();
    saveMaintenance(on);
    forgetMaintenance();
    expect(savedMaintenance()).toBeNull();
    fake.transport.host = "rhel-dst.example.test";
    expect(savedMaintenance()?.vms).toEqual(["guest9"]);
});
