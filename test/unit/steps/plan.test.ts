/* The plan of a host: what the preparation stage shows to do, in which order, and what it refuses. */
import { HOST_CHECKS, evaluateHost } from "../../../src/checks";
import { STEPS, choosePf, neededSteps, planHost, stepById } from "../../../src/steps";
import { ctxOf, facts, fresh, freshNic, k, nic } from "./fixtures";
import { u } from "../checks/fixtures";
import type { NicFacts } from "../../../src/checks/facts";

const ids = (plan: ReturnType<typeof planHost>) => neededSteps(plan).map(p => p.step.id);

describe("planning a host", () => {
    test("a host the status page calls ready plans no step to run, on either side", () => {
        for (const role of ["source", "destination"] as const) {
            const ctx = ctxOf(facts(), role);
            expect(evaluateHost({ facts: ctx.facts, role, protocol: "ssh" }).filter(r => r.verdict === "fail")).toEqual([]);
            expect(ids(planHost(ctx))).toEqual([]);
        }
    });

    test("a fresh host plans the procedure's steps in dependency order, the reboot after the kernel arguments", () => {
        const plan = planHost(ctxOf(fresh(), "destination"));
        expect(ids(plan)).toEqual([
            "install-mstflint", "install-openvswitch", "firmware-settings", "iommu-kernel-args", "reboot",
            "eswitch-switchdev", "create-vfs", "ovs-service", "ovs-hw-offload", "ovs-max-idle", "ovs-bridge-pf",
            "firewall-ports",
        ]);
        // known only once the VFs exist: not run blind
        expect(plan.find(p => p.step.id === "vf-unbind")?.status).toEqual(expect.objectContaining({ state: "unknown", summary: "Known once the VFs exist" }));
        // the reboot the kernel arguments need also activates the firmware settings: no separate reset
        expect(plan.find(p => p.step.id === "firmware-reset")?.status.state).toBe("not-applicable");
        expect(plan.find(p => p.step.id === "reboot")?.status.summary).toBe("After: Enable the IOMMU in the kernel");
    });

    test("only firmware settings to change: a firmware reset is planned instead of a reboot", () => {
        const f = facts({ nics: k([nic({ params: freshNic().params })]) });
        const plan = planHost(ctxOf(f));
        expect(ids(plan)).toEqual(["firmware-settings", "firmware-reset"]);
        expect(plan.find(p => p.step.id === "firmware-reset")?.commands).toEqual([
            { kind: "run", argv: ["mstfwreset", "-d", "0000:e1:00.0", "-y", "reset"], timeoutMs: 300_000 }]);
    });

    test("firmware set for the next boot only: the reset is needed, with the check's words", () => {
        const params = k({ VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "MIGRATION_ENABLED(2)" },
            SRIOV_EN: { name: "SRIOV_EN", current: "True(1)", nextBoot: "True(1)" }, NUM_OF_VFS: { name: "NUM_OF_VFS", current: "8", nextBoot: "8" },
            LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "ETH(2)", nextBoot: "ETH(2)" } });
        const plan = planHost(ctxOf(facts({ nics: k([nic({ params })]) })));
        expect(plan.find(p => p.step.id === "firmware-settings")?.status).toEqual(expect.objectContaining({ state: "pending", needs: "firmware-reset" }));
        expect(plan.find(p => p.step.id === "firmware-reset")?.status).toEqual(expect.objectContaining({
            state: "needed", summary: "VF_MIGRATION_MODE is DEVICE_DEFAULT(0) now, MIGRATION_ENABLED(2) after a reboot or firmware reset" }));
    });

    test("the source runs the VM to be moved: the reboot is refused, saying what to do instead", () => {
        const plan = planHost(ctxOf(fresh(), "source", {}, ["guest1"]));
        const rebootP = plan.find(p => p.step.id === "reboot");
        expect(rebootP?.status.state).toBe("needed");
        expect(rebootP?.guard?.reason).toBe("VMs run on this host (guest1): a reboot would stop them. Migrate them to another host or shut them down first, then come back to this step.");
        expect(rebootP?.guard?.override).toBeUndefined();
    });

    test("steps of one side only: the libvirt socket and firewall ports are planned for the destination", () => {
        const src = planHost(ctxOf(fresh(), "source")).map(p => p.step.id);
        const dst = planHost(ctxOf(fresh(), "destination")).map(p => p.step.id);
        expect(src).not.toContain("firewall-ports");
        expect(src).not.toContain("libvirt-socket");
        expect(dst).toEqual(expect.arrayContaining(["firewall-ports", "libvirt-socket"]));
    });

    test("every step is defined once, names only earlier steps in `after`, and fixes checks that exist", () => {
        const seen = new Set<string>();
        for (const s of STEPS) {
            expect(seen.has(s.id)).toBe(false);
            for (const a of s.after)
                expect(seen.has(a)).toBe(true);
            for (const c of s.checks)
                expect(HOST_CHECKS).toContain(c);
            seen.add(s.id);
        }
        expect(stepById("create-vfs")?.title).toBe("Create the virtual functions");
        expect(stepById("nope")).toBeUndefined();
    });

    test("the PF prepared is the first ConnectX-7 with VF support", () => {
        const noSriov = nic({ pci: "0000:a1:00.0", totalVfs: null });
        expect(choosePf(facts({ nics: k([noSriov, nic()]) }))).toBe("0000:e1:00.0");
        expect(choosePf(facts({ nics: k([]) }))).toBe("");
        const none = planHost(ctxOf(facts({ nics: k([]) })));
        expect(none.find(p => p.step.id === "eswitch-switchdev")?.status).toEqual(expect.objectContaining({ state: "unknown", summary: "No ConnectX-7 found" }));
    });
});

describe("persistence through NetworkManager, read from the profile active on the PF", () => {
    const UUID = "7b3e4f1c-9a22-4d0e-8c55-1f0a2b3c4d5e";
    const profile = (over: object = {}) => ({ dev: "enp225s0np0", uuid: UUID, file: "/etc/NetworkManager/system-connections/Wired connection 1.nmconnection",
                                              totalVfs: null, eswitchMode: null, ...over });
    const plan = (nm: NicFacts["nm"], numVfs = 2) =>
        planHost(ctxOf(facts({ nics: k([nic({ nm })]), packages: k({ NetworkManager: "1.48.10-5.el9_5" }) }), "source", { persist: true, numVfs }))
            .find(p => p.step.id === "persist-sriov");

    test("done when a saved profile stores the count and switchdev; needed otherwise, saying what it holds", () => {
        expect(plan(k(profile({ totalVfs: 2, eswitchMode: 1 })))?.status).toMatchObject({ state: "done", summary: "The profile on enp225s0np0 stores 2 VFs and switchdev" });
        expect(plan(k(profile({ totalVfs: 2, eswitchMode: 1 })), 4)?.status).toMatchObject({ state: "needed",
            summary: "Stores 4 VFs and switchdev in the profile on enp225s0np0 (it holds 2 VFs, e-switch mode switchdev)" });
        expect(plan(k(profile({ totalVfs: 4, eswitchMode: -1 })), 4)?.status.summary).toContain("(it holds 4 VFs, e-switch mode preserve)");
        expect(plan(k(profile()))?.status).toMatchObject({ state: "needed", summary: expect.stringContaining("(it holds no SR-IOV setting)") });
        expect(plan(u("NetworkManager is not running"))?.status).toMatchObject({ state: "unknown", summary: "Could not tell: NetworkManager is not running" });
    });

    // not a guard: a refused guard stops the whole run, and this optional step is the last one of each host
    test("not run where the script would refuse (no profile, or NetworkManager's own in memory): left undone, saying why and what to do", () => {
        const none = plan(k(null));
        expect(none?.status.state).toBe("unknown");
        expect(none?.status.summary).toMatch(/^NetworkManager has no connection active on enp225s0np0: there is no profile to store the setting in\. Keep the VFs and switchdev mode another way \(a systemd unit .*\), or leave this option off\.$/);
        const own = plan(k(profile({ file: "/run/NetworkManager/system-connections/enp225s0np0.nmconnection" })));
        expect(own?.status.state).toBe("unknown");
        expect(own?.status.summary).toMatch(/^The connection on enp225s0np0 is kept in memory only \(\/run\/NetworkManager\/system-connections\/enp225s0np0\.nmconnection\)/);
        // even one that already holds the setting: NetworkManager does not read it at boot
        expect(plan(k(profile({ file: "", totalVfs: 2, eswitchMode: 1 })))?.status.state).toBe("unknown");
    });
});
