/*
 * The preparation's "keep the VFs and switchdev mode across reboots" step (persist-sriov) against the simulated
 * NetworkManager (test/simhost/services/README.md, "NetworkManager"): the profile is found by the PF's device and
 * read by the status probe; one saved on disk gets the setting, the page then reads the step done from it, and at the
 * next boot NetworkManager makes the VFs again in switchdev. No profile, or one NetworkManager made up for an
 * interface set up outside it: the page leaves the step undone, saying why, and the step's script (as the exported
 * script runs it) refuses; nothing is stored. NetworkManager stopped: the page says so. The undo puts back the
 * setting the profile held before (kept by the step in the page's folder), or takes the setting out if it held none.
 */
import "./setup";
import { DEFAULT_OPTIONS, contextFromFacts, planHost, runStep, undoStep } from "../../../src/steps";
import { SCRIPT_LIB } from "../../../src/steps/script-lib";
import { backToReadyPair, ok, requirePair, run, simhost } from "../pair/pair";
import { SimTransport, gatherFacts, runningVms } from "./simhost";

const PF = "enp225s0np0";
const OPTIONS = { ...DEFAULT_OPTIONS, persist: true, numVfs: 2 };
const ctxOf = () => contextFromFacts("source", gatherFacts("source"), OPTIONS, runningVms("source"));
const nmcli = (...args: string[]) => run("source", ["nmcli", ...args]);
const stepStatus = (id: string) => planHost(ctxOf()).find(p => p.step.id === id)?.status.state;
const persistStep = () => {
    const item = planHost(ctxOf()).find(p => p.step.id === "persist-sriov");
    if (!item)
        throw new Error("no persist-sriov step in the plan");
    return item;
};
const numVfs = () => ok("source", ["cat", "/sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs"]).trim();

beforeAll(() => requirePair());
afterAll(async () => {
    run("source", ["ip", "addr", "del", "203.0.113.7/24", "dev", PF]);
    await backToReadyPair();
}, 180_000);

test("a profile saved on disk: the step stores 2 VFs and switchdev in it, and after a reboot NetworkManager has made them again", async () => {
    simhost("load", "nm-profiles");
    const uuid = nmcli("-g", "GENERAL.CON-UUID", "device", "show", PF).stdout.trim();
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    const item = persistStep();
    expect(item.status).toMatchObject({ state: "needed", summary: "Stores 2 VFs and switchdev in the profile on enp225s0np0 (it holds no SR-IOV setting)" });
    expect(item.guard).toBeNull();
    const done = await runStep(new SimTransport("source"), item.step, ctxOf());
    expect(done.ok).toBe(true);
    // the page reads it back from the profile
    expect(persistStep().status).toMatchObject({ state: "done", summary: "The profile on enp225s0np0 stores 2 VFs and switchdev" });
    expect(nmcli("-g", "sriov.total-vfs", "connection", "show", uuid).stdout).toBe("2\n");
    expect(nmcli("-g", "sriov.eswitch-mode", "connection", "show", uuid).stdout).toBe("1\n");
    expect(nmcli("-g", "UUID,FILENAME", "connection", "show").stdout)
        .toContain(`${uuid}:/etc/NetworkManager/system-connections/Wired connection 1.nmconnection\n`);
    // the exported script's done-test reads the same profile as done
    expect(run("source", ["bash", "-c", `${SCRIPT_LIB}\nvfm_nm_sriov_is ${PF} 2`]).status).toBe(0);
    expect(run("source", ["bash", "-c", `${SCRIPT_LIB}\nvfm_nm_sriov_is ${PF} 4`]).status).toBe(1);

    expect(numVfs()).toBe("1");
    simhost("reboot", "source");
    // the firmware reload of a boot leaves no VF and legacy mode; NetworkManager's activation of the profile did this
    expect(numVfs()).toBe("2");
    expect(ok("source", ["devlink", "dev", "eswitch", "show", "pci/0000:e1:00.0"])).toContain("mode switchdev");
    expect(stepStatus("eswitch-switchdev")).toBe("done");
    expect(stepStatus("persist-sriov")).toBe("done");
}, 180_000);

test("a profile that held its own SR-IOV setting: the step keeps it, and the undo puts it back (8 VFs, legacy) instead of taking the setting out", async () => {
    simhost("load", "nm-profiles");
    const uuid = nmcli("-g", "GENERAL.CON-UUID", "device", "show", PF).stdout.trim();
    const kept = `/var/lib/cockpit-vf-migration/nm-sriov-before-${uuid}`;
    run("source", ["rm", "-f", kept]);
    ok("source", ["nmcli", "connection", "modify", "uuid", uuid, "sriov.total-vfs", "8", "sriov.eswitch-mode", "legacy"]);
    const item = persistStep();
    expect(item.status.summary).toBe("Stores 2 VFs and switchdev in the profile on enp225s0np0 (it holds 8 VFs, e-switch mode legacy)");
    expect((await runStep(new SimTransport("source"), item.step, ctxOf())).ok).toBe(true);
    expect(persistStep().status.state).toBe("done");
    expect(ok("source", ["cat", kept])).toBe("total-vfs 8\neswitch-mode 0\n");
    expect(ok("source", ["stat", "-c", "%a %U", kept, "/var/lib/cockpit-vf-migration"])).toBe("600 root\n700 root\n");

    const undone = await undoStep(new SimTransport("source"), item.step, ctxOf());
    expect([undone.ok, undone.results.map(c => c.exitStatus)]).toEqual([true, [0]]);
    expect(nmcli("-g", "sriov.total-vfs", "connection", "show", uuid).stdout).toBe("8\n");
    expect(nmcli("-g", "sriov.eswitch-mode", "connection", "show", uuid).stdout).toBe("0\n");
    expect(run("source", ["test", "-e", kept]).status).toBe(1);
    expect(persistStep().status.summary).toBe("Stores 2 VFs and switchdev in the profile on enp225s0np0 (it holds 8 VFs, e-switch mode legacy)");

    // a profile with no SR-IOV setting before: the undo takes the setting out again
    ok("source", ["nmcli", "connection", "modify", "uuid", uuid, "remove", "sriov"]);
    expect((await runStep(new SimTransport("source"), persistStep().step, ctxOf())).ok).toBe(true);
    expect((await undoStep(new SimTransport("source"), persistStep().step, ctxOf())).ok).toBe(true);
    expect(nmcli("-g", "sriov.total-vfs", "connection", "show", uuid).stdout).toBe("");
    expect(persistStep().status.summary).toBe("Stores 2 VFs and switchdev in the profile on enp225s0np0 (it holds no SR-IOV setting)");
}, 120_000);

test("no profile on the PF, or NetworkManager's own for an interface set up outside it: left undone by the page, refused by its script; nothing stored", async () => {
    simhost("load", "ready-pair");
    /** what the page says of the step, and what its script says when run anyway (as the exported script does) */
    const refusals = async () => {
        const item = persistStep();
        const r = await runStep(new SimTransport("source"), item.step, ctxOf());
        expect([r.ok, r.results.map(c => c.exitStatus)]).toEqual([false, [1]]);
        return { state: item.status.state, page: item.status.summary, script: r.results[0].stderr.trim() };
    };
    expect(nmcli("-g", "GENERAL.CON-UUID", "device", "show", PF).stdout).toBe("\n");
    const none = await refusals();
    expect(none.state).toBe("unknown");
    expect(none.page).toMatch(new RegExp(`^NetworkManager has no connection active on ${PF}: there is no profile to store the setting in\\. Keep the VFs and switchdev mode another way`));
    expect(none.script).toBe(`NetworkManager has no connection active on ${PF}: nothing to store the setting in`);

    // an address set on the PF outside NetworkManager: it makes up a profile, in memory, which modify would save
    ok("source", ["ip", "addr", "add", "203.0.113.7/24", "dev", PF]);
    const uuid = nmcli("-g", "GENERAL.CON-UUID", "device", "show", PF).stdout.trim();
    const file = `/run/NetworkManager/system-connections/${PF}.nmconnection`;
    expect(nmcli("-g", "UUID,DEVICE,FILENAME", "connection", "show", "--active").stdout).toContain(`${uuid}:${PF}:${file}\n`);
    const own = await refusals();
    expect(own.state).toBe("unknown");
    expect(own.page).toContain(`The connection on ${PF} is kept in memory only (${file})`);
    expect(own.script).toContain(`The connection on ${PF} is kept in memory only (${file})`);
    expect(nmcli("-g", "sriov.total-vfs", "connection", "show", uuid).stdout).toBe("");
    expect(nmcli("-g", "UUID,FILENAME", "connection", "show").stdout).toContain(`${uuid}:${file}\n`);
    ok("source", ["ip", "addr", "del", "203.0.113.7/24", "dev", PF]);

    // NetworkManager stopped: the page cannot tell, and says why
    ok("source", ["systemctl", "stop", "NetworkManager.service"]);
    try {
        expect(persistStep().status).toMatchObject({ state: "unknown", summary: "Could not tell: NetworkManager is not running" });
    } finally {
        ok("source", ["systemctl", "start", "NetworkManager.service"]);
    }
}, 60_000);
