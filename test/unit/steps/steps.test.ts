/* Each step: when it is needed (detect), what it refuses (guard), the exact commands, and how it is undone. */
import { FIRMWARE_STEPS, STEPS, planHost, stepById } from "../../../src/steps";
import { commandLine } from "../../../src/steps/runner";
import type { StepContext, StepDef } from "../../../src/steps/types";
import type { HostFacts, NicFacts } from "../../../src/checks/facts";
import { ctxOf, facts, fresh, freshNic, k, nic, rule, vf } from "./fixtures";

function step(id: string): StepDef {
    const s = stepById(id);
    if (!s)
        throw new Error(id);
    return s;
}
const lines = (id: string, ctx: StepContext) => step(id).commands(ctx).map(commandLine);
const undoLines = (id: string, ctx: StepContext) => step(id).undo(ctx)?.map(commandLine) ?? null;
const state = (id: string, ctx: StepContext) => step(id).detect(ctx).state;
const mgmtOverPf = facts({ managementInterfaces: k(["enp225s0np0"]) });

test("every step whose commands can change what the firmware query reads (mstflint installed, mstconfig, mstfwreset, a reboot) makes the preparation query the firmware again", () => {
    const touches = (c: ReturnType<StepDef["commands"]>[number]) =>
        c.kind === "install" || /^(mstconfig|mstfwreset|dnf|reboot|systemctl reboot)\b/.test(commandLine(c));
    const seen = new Set<string>();
    for (const role of ["source", "destination"] as const) {
        const ctx = ctxOf(fresh({ packages: k({}) }), role);
        for (const s of STEPS.filter(x => x.roles.includes(role))) {
            if (s.commands(ctx).some(touches))
                seen.add(s.id);
        }
    }
    // it installs as mstflint does, but nothing the firmware query reads
    seen.delete("install-openvswitch");
    expect([...seen].sort()).toEqual([...FIRMWARE_STEPS].sort());
});

describe("packages", () => {
    test("a missing package is installed (PackageKit here, dnf over SSH and in the scripts); no undo from here", () => {
        const ctx = ctxOf(fresh());
        expect(state("install-mstflint", ctx)).toBe("needed");
        expect(step("install-mstflint").commands(ctx)).toEqual([{ kind: "install", packages: ["mstflint"] }]);
        expect(lines("install-openvswitch", ctx)).toEqual(["dnf -y install /usr/bin/ovs-vsctl"]);
        expect(step("install-mstflint").undo(ctx)).toBeNull();
        expect(step("install-mstflint").undoNote).toBe("Remove it with “dnf remove mstflint” if nothing else needs it.");
        expect(state("install-openvswitch", ctxOf(facts()))).toBe("done");
    });
});

describe("firmware settings", () => {
    // #16 W3: a dual-port adapter, one firmware configuration; the admin chose port 2 for VFs, port 1 runs InfiniBand
    test("on port 2 of a dual-port adapter, LINK_TYPE_P2 is checked and set, port 1's LINK_TYPE_P1 never touched", () => {
        const both = {
            LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "IB(1)", nextBoot: "IB(1)" },
            LINK_TYPE_P2: { name: "LINK_TYPE_P2", current: "IB(1)", nextBoot: "IB(1)" },
        };
        const p = nic().params;
        const ready = p.known ? p.value : {};
        const ports = [nic({ params: k({ ...ready, ...both }) }),
            nic({ pci: "0000:e1:00.1", port: 2, netdev: "enp225s0f1np1", vfs: [], numVfs: 0, params: k({ ...ready, ...both }) })];
        const ctx = ctxOf(facts({ nics: k(ports), chosenPf: "0000:e1:00.1" }));
        expect(ctx.pf).toBe("0000:e1:00.1");
        expect(lines("firmware-settings", ctx)).toEqual(["mstconfig -y -d 0000:e1:00.1 set LINK_TYPE_P2=2"]);
        // set for the next boot: undo puts back port 2's running value only
        const set = { ...both, LINK_TYPE_P2: { name: "LINK_TYPE_P2", current: "IB(1)", nextBoot: "ETH(2)" } };
        const after = ctxOf(facts({ nics: k([ports[0], { ...ports[1], params: k({ ...ready, ...set }) }]), chosenPf: "0000:e1:00.1" }));
        expect(state("firmware-settings", after)).toBe("pending");
        expect(undoLines("firmware-settings", after)).toEqual(["mstconfig -y -d 0000:e1:00.1 set LINK_TYPE_P2=1"]);
        // the same adapter with port 1 chosen (the default, it has VFs): port 1's own setting, set on port 1's PF
        const one = ctxOf(facts({ nics: k(ports) }));
        expect(lines("firmware-settings", one)).toEqual(["mstconfig -y -d 0000:e1:00.0 set LINK_TYPE_P1=2"]);
    });

    test("only the settings that are wrong are set, with -y; undo sets the running values back", () => {
        const ctx = ctxOf(fresh());
        expect(state("firmware-settings", ctx)).toBe("needed");
        expect(lines("firmware-settings", ctx)).toEqual(["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2"]);
        expect(step("firmware-settings").impact).toEqual(expect.objectContaining({ needsFirmwareReset: true, confirm: true }));
        const after = ctxOf(facts({ nics: k([nic({ params: k({ VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "MIGRATION_ENABLED(2)" } }) })]) }));
        expect(undoLines("firmware-settings", after)).toEqual(["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=0"]);
    });

    test("InfiniBand port, SR-IOV off: each gets its setting, NUM_OF_VFS at least the VFs asked for", () => {
        const off = {
            VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "DEVICE_DEFAULT(0)" },
            SRIOV_EN: { name: "SRIOV_EN", current: "False(0)", nextBoot: "False(0)" },
            NUM_OF_VFS: { name: "NUM_OF_VFS", current: "0", nextBoot: "0" },
        };
        const params = k({ ...off, LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "IB(1)", nextBoot: "IB(1)" } });
        const ctx = ctxOf(facts({ nics: k([nic({ params })]) }), "source", { numVfs: 12 });
        expect(lines("firmware-settings", ctx)).toEqual(["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2 SRIOV_EN=1 NUM_OF_VFS=12 LINK_TYPE_P1=2"]);
        // a model without LINK_TYPE_P1 that runs InfiniBand: the others are still set (mstconfig refuses a whole command
        // that names a parameter the firmware lacks)
        const ib = ctxOf(facts({ nics: k([nic({ params: k(off), linkType: k("ib") })]) }), "source", { numVfs: 12 });
        expect(lines("firmware-settings", ib)).toEqual(["mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2 SRIOV_EN=1 NUM_OF_VFS=12"]);
        // …but the run refuses it, saying why: the port would still run InfiniBand, and the step would never be done
        expect(step("firmware-settings").guard(ib)?.reason)
            .toBe("mstconfig lists no LINK_TYPE_P1, and the adapter's port runs InfiniBand: this model cannot be switched to Ethernet here");
        // an Ethernet-only model (the same settings, the port on Ethernet) is not held back
        const eth = ctxOf(facts({ nics: k([nic({ params: k(off), linkType: k("eth") })]) }), "source", { numVfs: 12 });
        expect(step("firmware-settings").guard(eth)).toBeNull();
        expect(step("firmware-settings").guard(ctx)).toBeNull();
    });

    test("a firmware too old to list VF_MIGRATION_MODE: the step is refused with what to do, nothing else set first (as the exports)", () => {
        const old = {
            SRIOV_EN: { name: "SRIOV_EN", current: "False(0)", nextBoot: "False(0)" },
            NUM_OF_VFS: { name: "NUM_OF_VFS", current: "0", nextBoot: "0" },
            LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "ETH(2)", nextBoot: "ETH(2)" },
        };
        const ctx = ctxOf(facts({ nics: k([nic({ params: k(old) })]) }), "source", { numVfs: 4 });
        expect(step("firmware-settings").detect(ctx)).toEqual(expect.objectContaining({ state: "needed", summary: "mstconfig does not list VF_MIGRATION_MODE" }));
        expect(step("firmware-settings").guard(ctx)?.reason)
            .toBe("mstconfig lists no VF_MIGRATION_MODE on this adapter: its firmware, or this host's mstflint, is too old to set it. Update the older of the two first.");
        expect(planHost(ctx).find(p => p.step.id === "firmware-settings")?.guard?.reason).toMatch(/^mstconfig lists no VF_MIGRATION_MODE on this adapter/);
    });

    test("mstconfig's output not understood: unknown, nothing is run blind", () => {
        const ctx = ctxOf(facts({ nics: k([nic({ params: { known: false, reason: "mstconfig: -E- Failed to open device", evidence: [] } })]) }));
        expect(step("firmware-settings").detect(ctx)).toEqual(expect.objectContaining({ state: "unknown", summary: "Could not tell: mstconfig: -E- Failed to open device" }));
    });
});

describe("kernel IOMMU arguments", () => {
    test("Intel: intel_iommu=on iommu=pt on every entry; needs a reboot; undo removes them", () => {
        const ctx = ctxOf(fresh());
        expect(lines("iommu-kernel-args", ctx)).toEqual(["grubby '--args=intel_iommu=on iommu=pt' --update-kernel=ALL"]);
        expect(step("iommu-kernel-args").impact.needsReboot).toBe(true);
        expect(undoLines("iommu-kernel-args", ctx)).toEqual(["grubby '--remove-args=intel_iommu=on iommu=pt' --update-kernel=ALL"]);
    });

    test("AMD with amd_iommu=off on the kernel line: iommu=pt added, the =off removed", () => {
        const ctx = ctxOf(fresh({ cpuVendor: k("amd"), cmdline: k(["ro", "amd_iommu=off"]) }));
        expect(lines("iommu-kernel-args", ctx)).toEqual(["grubby --args=iommu=pt --remove-args=amd_iommu=off --update-kernel=ALL"]);
    });

    test("AMD running with its IOMMU active and no argument: nothing to run, no reboot asked (iommu=pt only warns)", () => {
        const ctx = ctxOf(fresh({ cpuVendor: k("amd"), cmdline: k(["ro"]), nextBootArgs: k(["ro"]), iommuActive: k(true) }));
        expect(state("iommu-kernel-args", ctx)).toBe("done");
        expect(state("reboot", ctx)).not.toBe("needed");
    });

    test("set for the next boot: pending a reboot, not needed again", () => {
        const ctx = ctxOf(fresh({ nextBootArgs: k(["ro", "intel_iommu=on", "iommu=pt"]) }));
        expect(step("iommu-kernel-args").detect(ctx)).toEqual(expect.objectContaining({ state: "pending", needs: "reboot" }));
        expect(state("reboot", ctx)).toBe("needed");
        expect(lines("reboot", ctx)).toEqual(["systemctl reboot"]);
    });

    // review W2: the arguments are set and the host rebooted, but the firmware has VT-d off: no reboot can help
    test("no IOMMU in the firmware: the step is refused with the firmware setup as the way, and no reboot is asked", () => {
        const args = ["ro", "intel_iommu=on", "iommu=pt"];
        const ctx = ctxOf(fresh({ hardwareIommu: k("fail"), cmdline: k(args), nextBootArgs: k(args), iommuActive: k(false) }));
        expect(state("iommu-kernel-args", ctx)).toBe("needed");
        const guard = step("iommu-kernel-args").guard(ctx);
        expect(guard?.reason).toMatch(/^The system firmware of this host provides no IOMMU; a kernel argument and a reboot cannot help\. Enable VT-d/);
        expect(guard?.override).toBeUndefined();
        expect(state("reboot", ctx)).toBe("done");
        // nor does the plan offer one after it
        expect(planHost(ctx).find(p => p.step.id === "reboot")?.status.state).toBe("done");
    });
});

describe("firmware reset and reboot", () => {
    test("refused while VMs run, without an override; a reset is also refused when management runs over the PF", () => {
        const vms = ctxOf(facts(), "source", {}, ["guest1", "db"]);
        expect(step("firmware-reset").guard(vms)?.reason).toBe("VMs run on this host (guest1, db): a firmware reset would stop them. Migrate them to another host or shut them down first, then come back to this step.");
        expect(step("reboot").guard(vms)?.override).toBeUndefined();
        const mgmt = step("firmware-reset").guard(ctxOf(mgmtOverPf));
        expect(mgmt?.override).toBeDefined();
        expect(step("reboot").undo(vms)).toBeNull();
        expect(step("firmware-reset").undoNote).toMatch(/undo the settings themselves/);
    });
});

describe("a firmware reset restarts both ports of the adapter (R2)", () => {
    // a dual-port ConnectX-7: the prepared port .0 and its sibling .1; a card in another slot is not concerned
    const port1 = (over: Partial<NicFacts> = {}) => nic({ pci: "0000:e1:00.1", netdev: "enp225s0f1np1", vfs: [], numVfs: 0, addresses: [], ...over });
    const other = nic({ pci: "0000:c1:00.0", netdev: "enp193s0np0", vfs: [], numVfs: 0, addresses: ["10.9.0.1/24"] });
    const withPorts = (p1: NicFacts, over: Partial<HostFacts> = {}) =>
        ctxOf(facts({ nics: k([nic({ addresses: [] }), p1, other]), managementInterfaces: k([]), ...over }));

    test("management over the other port refuses the reset; the exported script guards both ports", () => {
        const ctx = withPorts(port1(), { managementInterfaces: k(["enp225s0f1np1"]) });
        expect(step("firmware-reset").guard(ctx)?.reason).toMatch(/^A management connection .* runs over enp225s0f1np1, the interface this step cuts/);
        expect(step("firmware-reset").script(ctx).run).toEqual(expect.arrayContaining(["vfm_guard_mgmt enp225s0np0", "vfm_guard_mgmt enp225s0f1np1"]));
        expect(step("firmware-reset").script(ctx).run.join("\n")).not.toContain("enp193s0np0");
    });

    test("an address or a bridge on the other port: refused until the admin accepts that its traffic stops; a quiet port, or another card, does not count", () => {
        const g = step("firmware-reset").guard(withPorts(port1({ addresses: ["10.1.0.5/24"] })));
        expect(g?.reason).toBe("The adapter's other port is in use: enp225s0f1np1 (10.1.0.5/24). A firmware reset restarts both ports, so that traffic stops for the reset and those VFs are removed.");
        expect(g?.override).toBe("That traffic may stop for the reset");
        const bridged = withPorts(port1(), { ovs: k({ running: true, otherConfig: {}, bridges: { "br-storage": ["enp225s0f1np1"] }, version: "3.3.0" }) });
        expect(step("firmware-reset").guard(bridged)?.reason).toContain("enp225s0f1np1 (bridge br-storage)");
        expect(step("firmware-reset").guard(withPorts(port1()))).toBeNull();
        expect(step("firmware-reset").script(withPorts(port1())).run).toContain("vfm_guard_other_port enp225s0f1np1");
    });

    test("management over this port and a busy other port: both reasons shown, and one override that names both", () => {
        const g = step("firmware-reset").guard(withPorts(port1({ addresses: ["10.1.0.5/24"] }), { managementInterfaces: k(["enp225s0np0"]) }));
        expect(g?.reason).toMatch(/runs over enp225s0np0, the interface this step cuts.* The adapter's other port is in use: enp225s0f1np1 \(10\.1\.0\.5\/24\)/);
        expect(g?.override).toBe("I reach this host another way (a second interface, a serial or BMC console) and accept losing this connection; That traffic may stop for the reset");
        // running VMs cannot be overridden, whatever else applies
        const vms = ctxOf(facts({ nics: k([nic({ addresses: [] }), port1({ addresses: ["10.1.0.5/24"] })]), managementInterfaces: k([]) }), "source", {}, ["guest1"]);
        const g2 = step("firmware-reset").guard(vms);
        expect(g2?.override).toBeUndefined();
        expect(g2?.vms).toEqual(["guest1"]);
        expect(g2?.reason).toMatch(/^VMs run on this host \(guest1\).* The adapter's other port is in use/);
    });
});

describe("the adapter", () => {
    test("link down: ip link set up", () => {
        const ctx = ctxOf(facts({ nics: k([nic({ linkUp: false })]) }));
        expect(state("pf-link-up", ctx)).toBe("needed");
        expect(lines("pf-link-up", ctx)).toEqual(["ip link set dev enp225s0np0 up"]);
        expect(step("pf-link-up").undo(ctx)).toBeNull();
    });

    test("switchdev: disruptive, confirmed; existing VFs go first; undo goes back to legacy", () => {
        const ctx = ctxOf(facts({ nics: k([nic({ eswitchMode: k("legacy"), vfs: [vf(0, { driver: "mlx5_core" })] })]) }));
        expect(state("eswitch-switchdev", ctx)).toBe("needed");
        expect(step("eswitch-switchdev").impact).toEqual(expect.objectContaining({ disruptsNetwork: true, confirm: true }));
        expect(lines("eswitch-switchdev", ctx)).toEqual([
            "echo 0 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs", "devlink dev eswitch set pci/0000:e1:00.0 mode switchdev"]);
        expect(undoLines("eswitch-switchdev", ctx)).toEqual([
            "echo 0 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs", "devlink dev eswitch set pci/0000:e1:00.0 mode legacy"]);
        expect(step("eswitch-switchdev").guard(ctx)).toBeNull();
    });

    test("switchdev is refused when this session runs over the PF, with an override naming another way in", () => {
        const f = facts({ managementInterfaces: k(["enp225s0np0"]), nics: k([freshNic()]) });
        const g = step("eswitch-switchdev").guard(ctxOf(f));
        expect(g?.reason).toMatch(/^A management connection \(this web console, SSH into or from this host\) runs over enp225s0np0/);
        expect(g?.override).toBe("I reach this host another way (a second interface, a serial or BMC console) and accept losing this connection");
        const unknownMgmt = facts({ managementInterfaces: { known: false, reason: "ss failed", evidence: [] } });
        expect(step("ovs-bridge-pf").guard(ctxOf(unknownMgmt))?.reason).toMatch(/Could not tell .* \(ss failed\)/);
    });

    test("the PF is not put in a bridge while it holds an address of scope global (R4); the admin may go on, having moved it", () => {
        const held = ctxOf(fresh({ nics: k([freshNic({ addresses: ["198.51.100.5/24", "2001:db8::5/64"] })]) }));
        const g = step("ovs-bridge-pf").guard(held);
        expect(g?.reason).toBe("enp225s0np0 holds 198.51.100.5/24, 2001:db8::5/64: once Open vSwitch takes the interface, that address stops answering. Move it to the bridge's own interface first (for example with NetworkManager's ovs-interface profile), or remove it if nothing uses it.");
        expect(g?.override).toBe("Nothing uses this address, or I move it to the bridge myself: go on");
        expect(step("ovs-bridge-pf").guard(ctxOf(fresh({ nics: k([freshNic({ addresses: [] })]) })))).toBeNull();
        // addresses not read: asked, not assumed absent
        expect(step("ovs-bridge-pf").guard(ctxOf(fresh({ nics: k([freshNic({ addresses: null })]) })))?.reason)
                .toBe("Could not tell whether enp225s0np0 holds an address (ip -o addr could not be read); once Open vSwitch takes the interface, such an address stops answering.");
        // once bridged, the undo (which gives the address its traffic back) is not held by it
        const bridged = ctxOf(facts({ nics: k([nic({ addresses: ["198.51.100.5/24"] })]) }));
        expect(step("ovs-bridge-pf").guard(bridged)).toBeNull();
        // the exported script refuses the same, unless told
        expect(step("ovs-bridge-pf").script(held).run).toContain("vfm_guard_pf_addresses enp225s0np0");
    });

    test("VFs: created when missing; a count change goes through 0; never while a VM uses a VF; undo removes them", () => {
        const none = ctxOf(facts({ nics: k([nic({ numVfs: 0, vfs: [] })]) }));
        expect(lines("create-vfs", none)).toEqual(["echo 1 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs"]);
        const more = ctxOf(facts(), "source", { numVfs: 2 });
        expect(state("create-vfs", more)).toBe("needed");
        expect(lines("create-vfs", more)).toEqual(["echo 0 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs", "echo 2 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs"]);
        const used = ctxOf(facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1" })] })]) }), "source", { numVfs: 2 });
        expect(step("create-vfs").guard(used)?.reason).toBe("VF 0000:e1:00.1 is in use (guest1): changing the number of VFs removes every VF first. Detach it from the VM or shut the VM down first.");
        expect(step("eswitch-switchdev").guard(used)).not.toBeNull();
        expect(step("create-vfs").guard(ctxOf(facts(), "source", { numVfs: 9 }))?.reason).toBe("The adapter allows at most 8 VFs (NUM_OF_VFS in its firmware).");
        expect(undoLines("create-vfs", none)).toEqual(["echo 0 | tee -- /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs"]);
    });

    test("a VF on mlx5_core is unbound, then its port (by flavour and vfnum, e.g. 65537 on another PF) made migratable", () => {
        const port = { handle: "pci/0000:e1:00.0/65537", migratable: false, hwAddr: null, netdev: "enp225s0npf0vf0" };
        const ctx = ctxOf(facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_core", port })] })]) }));
        expect(state("vf-unbind", ctx)).toBe("needed");
        expect(lines("vf-unbind", ctx)).toEqual(["echo 0000:e1:00.1 | tee -- /sys/bus/pci/drivers/mlx5_core/unbind"]);
        expect(undoLines("vf-unbind", ctx)).toEqual(["echo 0000:e1:00.1 | tee -- /sys/bus/pci/drivers/mlx5_core/bind"]);
        expect(state("vf-migratable", ctx)).toBe("needed");
        expect(lines("vf-migratable", ctx)).toEqual(["devlink port function set pci/0000:e1:00.0/65537 migratable enable"]);
        expect(undoLines("vf-migratable", ctx)).toEqual(["devlink port function set pci/0000:e1:00.0/65537 migratable disable"]);
    });

    test("VF migration set in the firmware but not yet running (no migratable attribute): the step waits for the reset, which is offered", () => {
        const port = { handle: "pci/0000:e1:00.0/1", migratable: false, hwAddr: null, netdev: "enp225s0npf0vf0" };
        const base = freshNic();
        const params = base.params.known ? structuredClone(base.params.value) : {};
        params.VF_MIGRATION_MODE = { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "MIGRATION_ENABLED(2)" };
        const waiting = nic({
            params: k(params, ["mstconfig", "-d", "0000:e1:00.0", "-e", "query"],
                      "         VF_MIGRATION_MODE                   DEVICE_DEFAULT(0)     DEVICE_DEFAULT(0)     MIGRATION_ENABLED(2)\n"),
            migratableSupported: k(false), vfs: [vf(0, { driver: "none", port })],
        });
        const ctx = ctxOf(facts({ nics: k([waiting]) }), "destination");
        expect(step("vf-migratable").detect(ctx)).toMatchObject({ state: "pending", needs: "firmware-reset" });
        expect(step("vf-migratable").guard(ctx)).toBeNull();
        expect(state("firmware-reset", ctx)).toBe("needed");
        // without a waiting firmware setting, a missing attribute still means an old kernel, iproute2 or firmware
        const old = ctxOf(facts({ nics: k([nic({ migratableSupported: k(false), vfs: [vf(0, { driver: "none", port })] })]) }));
        expect(step("vf-migratable").guard(old)?.reason).toMatch(/^devlink shows no migratable attribute on this host\. Update the kernel and iproute2/);
    });

    test("released VF (back on mlx5_core, still migratable): only the unbind is needed", () => {
        const ctx = ctxOf(facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_core" })] })]) }));
        expect(state("vf-unbind", ctx)).toBe("needed");
        expect(state("vf-migratable", ctx)).toBe("done");
    });

    test("the VM's VF is left alone: another free VF is prepared; none free → create more", () => {
        const two = ctxOf(facts({ nics: k([nic({ numVfs: 2, vfs: [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1" }), vf(1, { driver: "mlx5_core" })] })]) }), "destination");
        expect(lines("vf-unbind", two)).toEqual(["echo 0000:e1:00.2 | tee -- /sys/bus/pci/drivers/mlx5_core/unbind"]);
        const busy = ctxOf(facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1" })] })]) }), "destination");
        expect(step("vf-unbind").detect(busy)).toEqual(expect.objectContaining({ state: "needed", summary: "Every VF is in use: create more VFs" }));
        // nothing to run: both VF steps are refused with the reason, rather than "run" and found not done
        for (const id of ["vf-unbind", "vf-migratable"])
            expect(step(id).guard(busy)?.reason).toBe("Every VF is in use: create more VFs, or move a VM that holds one off this host");
        expect(step("vf-unbind").guard(two)).toBeNull();
    });

    test("no migratable support in kernel or firmware: refused with what to update", () => {
        const ctx = ctxOf(facts({ nics: k([nic({ migratableSupported: k(false), vfs: [vf(0, { port: { handle: "pci/0000:e1:00.0/1", migratable: null, hwAddr: null, netdev: null } })] })]) }));
        expect(step("vf-migratable").guard(ctx)?.reason).toMatch(/^devlink shows no migratable attribute on this host\. Update the kernel and iproute2/);
    });

    // review R17: on RHEL 9.4 and later the usual cause is the firmware setting, which mlx5 answers with EOPNOTSUPP
    test("no migratable attribute while VF_MIGRATION_MODE is not enabled: the guard points at the firmware check, not at updates", () => {
        const off = { VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "DEVICE_DEFAULT(0)" } };
        const ctx = ctxOf(facts({ nics: k([nic({ migratableSupported: k(false), params: k(off),
            vfs: [vf(0, { port: { handle: "pci/0000:e1:00.0/1", migratable: null, hwAddr: null, netdev: null } })] })]) }));
        expect(step("vf-migratable").guard(ctx)?.reason)
                .toBe("devlink shows no migratable attribute on this host. The adapter does not run with VF_MIGRATION_MODE enabled yet (the check “VF migration enabled in firmware”): the attribute appears once it does.");
    });
});

describe("Open vSwitch", () => {
    test("not running: enabled and started; hw-offload set and OVS restarted; max-idle set; undo", () => {
        const ctx = ctxOf(fresh());
        expect(state("ovs-service", ctx)).toBe("needed");
        expect(lines("ovs-service", ctx)).toEqual(["systemctl enable --now -- openvswitch.service"]);
        expect(undoLines("ovs-service", ctx)).toEqual(["systemctl disable --now -- openvswitch.service"]);
        expect(lines("ovs-hw-offload", ctx)).toEqual(["ovs-vsctl set Open_vSwitch . other_config:hw-offload=true", "systemctl restart -- openvswitch.service"]);
        expect(undoLines("ovs-max-idle", ctx)).toEqual(["ovs-vsctl remove Open_vSwitch . other_config max-idle"]);
    });

    test("running but not enabled at boot: the service step is needed", () => {
        const f = facts({ units: k({ "openvswitch.service": { activeState: "active", unitFileState: "disabled" } }) });
        expect(step("ovs-service").detect(ctxOf(f))).toEqual(expect.objectContaining({ state: "needed", summary: "openvswitch.service runs but does not start at boot" }));
    });

    test("no bridge holds the PF: bridge and port added (may-exist); the representor joins the PF's bridge", () => {
        const f = facts({ ovs: k({ running: true, otherConfig: { "hw-offload": "true", "max-idle": "300000" }, bridges: {}, version: "3.3.0" }) });
        const ctx = ctxOf(f, "source", { bridge: "br-mig" });
        expect(lines("ovs-bridge-pf", ctx)).toEqual(["ovs-vsctl --may-exist add-br br-mig", "ovs-vsctl --may-exist add-port br-mig enp225s0np0"]);
        expect(step("ovs-bridge-pf").guard(ctxOf(facts({ ...f, managementInterfaces: k(["enp225s0np0"]) })))).not.toBeNull();
        const inBr = ctxOf(facts({ ovs: k({ running: true, otherConfig: {}, bridges: { ovsbr0: ["enp225s0np0"] }, version: "3.3.0" }) }));
        expect(state("ovs-representor", inBr)).toBe("needed");
        expect(lines("ovs-representor", inBr)).toEqual(["ovs-vsctl --may-exist add-port ovsbr0 enp225s0npf0vf0", "ip link set dev enp225s0npf0vf0 up"]);
        // in the bridge, but down as the kernel created it: the step brings it up
        const down = ctxOf(facts({ nics: k([nic({ vfs: [vf(0, { representorUp: false })] })]),
                                   ovs: k({ running: true, otherConfig: {}, bridges: { ovsbr0: ["enp225s0np0", "enp225s0npf0vf0"] }, version: "3.3.0" }) }));
        expect(state("ovs-representor", down)).toBe("needed");
        expect(lines("ovs-representor", down)).toEqual(["ovs-vsctl --may-exist add-port ovsbr0 enp225s0npf0vf0", "ip link set dev enp225s0npf0vf0 up"]);
        expect(undoLines("ovs-bridge-pf", inBr)).toEqual(["ovs-vsctl --if-exists del-port ovsbr0 enp225s0np0"]);
        // another VF's representor bridged (that of a VF a VM holds): the step adds the one of the VF it takes
        const other = ctxOf(facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1", representorUp: true }), vf(1)] })]),
                                    ovs: k({ running: true, otherConfig: {}, bridges: { ovsbr0: ["enp225s0np0", "enp225s0npf0vf0"] }, version: "3.3.0" }) }));
        expect(state("ovs-representor", other)).toBe("needed");
        expect(lines("ovs-representor", other)).toEqual(["ovs-vsctl --may-exist add-port ovsbr0 enp225s0npf0vf1", "ip link set dev enp225s0npf0vf1 up"]);
    });
});

describe("the destination's libvirt socket and firewall", () => {
    const ruleArg = (port: string) => `'--add-rich-rule=${rule("192.0.2.1", port)}'`;

    test("TLS: virtproxyd-tls.socket enabled; 16514 and 49152-49215 opened to the source's address only, now and permanently", () => {
        const ctx = ctxOf(fresh(), "destination", { protocol: "tls" });
        expect(lines("libvirt-socket", ctx)).toEqual(["systemctl enable --now -- virtproxyd-tls.socket"]);
        expect(lines("firewall-ports", ctx)).toEqual([
            `firewall-cmd --zone=public ${ruleArg("16514")}`, `firewall-cmd --zone=public ${ruleArg("49152-49215")}`,
            `firewall-cmd --permanent --zone=public ${ruleArg("16514")}`, `firewall-cmd --permanent --zone=public ${ruleArg("49152-49215")}`]);
        expect(lines("firewall-ports", ctx).join("\n")).not.toContain("--add-port");
    });

    test("on the monolithic libvirtd (R5) the step opens libvirtd's socket for the protocol and restarts the running libvirtd, which takes only sockets started before it", () => {
        const ctx = ctxOf(fresh({ units: k({ "libvirtd.service": { activeState: "active", unitFileState: "enabled" } }) }), "destination", { protocol: "tls" });
        expect(lines("libvirt-socket", ctx)).toEqual(["systemctl enable --now -- libvirtd-tls.socket", "systemctl restart -- libvirtd.service"]);
        expect(undoLines("libvirt-socket", ctx)).toEqual(["systemctl disable --now -- libvirtd-tls.socket", "systemctl restart -- libvirtd.service"]);
        expect(step("libvirt-socket").script(ctx).done).toContain("libvirtd-tls.socket");
    });

    test("SSH's port is left alone: only the migration range, to the source; undo removes that rule and never touches 22", () => {
        const ctx = ctxOf(fresh(), "destination", { protocol: "ssh" });
        expect(lines("firewall-ports", ctx)).toEqual([`firewall-cmd --zone=public ${ruleArg("49152-49215")}`, `firewall-cmd --permanent --zone=public ${ruleArg("49152-49215")}`]);
        expect(undoLines("firewall-ports", ctx)).toEqual([
            `firewall-cmd --zone=public '--remove-rich-rule=${rule("192.0.2.1", "49152-49215")}'`,
            `firewall-cmd --permanent --zone=public '--remove-rich-rule=${rule("192.0.2.1", "49152-49215")}'`]);
        expect(state("firewall-ports", ctxOf(fresh({ firewall: k({ running: false, zone: "", zoneBy: "default" as const, ingress: null, target: "default", ports: [], services: [], richRules: [] }) }), "destination"))).toBe("done");
    });

    test("the rule for the source already there: done; the ports open to every address: done, the check warns", () => {
        const withRule = fresh({ firewall: k({ running: true, zone: "public", zoneBy: "default" as const, ingress: null, target: "default", ports: [], services: ["ssh"], richRules: [rule("192.0.2.1", "49152-49215")] }) });
        expect(state("firewall-ports", ctxOf(withRule, "destination", { protocol: "ssh" }))).toBe("done");
        const otherPeer = fresh({ firewall: k({ running: true, zone: "public", zoneBy: "default" as const, ingress: null, target: "default", ports: [], services: ["ssh"], richRules: [rule("192.0.2.99", "49152-49215")] }) });
        expect(state("firewall-ports", ctxOf(otherPeer, "destination", { protocol: "ssh" }))).toBe("needed");
        const wide = fresh({ firewall: k({ running: true, zone: "public", zoneBy: "default" as const, ingress: null, target: "default", ports: ["49152-49215/tcp"], services: ["ssh"], richRules: [] }) });
        expect(state("firewall-ports", ctxOf(wide, "destination", { protocol: "ssh" }))).toBe("done");
    });

    test("the source's address unknown: nothing is opened blindly", () => {
        const ctx = ctxOf(fresh({ sshPeer: { known: false, reason: "not reached over SSH", evidence: [] } }), "destination", { protocol: "tls" });
        expect(state("firewall-ports", ctx)).toBe("unknown");
        expect(lines("firewall-ports", ctx)).toEqual([]);
    });

    test("an active socket not enabled at boot is enabled", () => {
        const f = fresh({ units: k({ "virtqemud.socket": { activeState: "active", unitFileState: "disabled" } }) });
        expect(state("libvirt-socket", ctxOf(f, "destination"))).toBe("needed");
    });
});

describe("persistence across reboots", () => {
    test("off by default; NetworkManager 1.46 or later stores the count and mode; older: an alternative is named", () => {
        expect(state("persist-sriov", ctxOf(fresh()))).toBe("not-applicable");
        const on = ctxOf(fresh(), "source", { persist: true, numVfs: 2 });
        expect(state("persist-sriov", on)).toBe("needed");
        // the connection active on the PF, found by the device (R11): one fixed script, the values as its arguments
        const [line] = lines("persist-sriov", on);
        expect(line).toMatch(/^bash -c 'c=\$\(nmcli -g UUID,TYPE,DEVICE,FILENAME connection show --active\) [^']*exec nmcli connection modify uuid "\$u" "\$@"' vfm-nm-sriov enp225s0np0 \/var\/lib\/cockpit-vf-migration sriov\.total-vfs 2 sriov\.eswitch-mode switchdev$/);
        const old = ctxOf(fresh({ packages: k({ NetworkManager: "1.42.2-1.el9" }) }), "source", { persist: true });
        expect(step("persist-sriov").detect(old)).toEqual(expect.objectContaining({ state: "not-applicable" }));
        expect(step("persist-sriov").detect(old).summary).toMatch(/^NetworkManager 1.42.2-1.el9 cannot store the e-switch mode .* systemd unit/);
    });

    test("the package list unreadable: unknown with rpm's reason, never \"NetworkManager is not installed\"", () => {
        const rpmFailed = fresh({ packages: { known: false, reason: "rpm could not run", evidence: [] } });
        const s = step("persist-sriov").detect(ctxOf(rpmFailed, "source", { persist: true }));
        expect(s).toEqual(expect.objectContaining({ state: "unknown", summary: "Could not tell: rpm could not run" }));
        const none = step("persist-sriov").detect(ctxOf(fresh({ packages: k({ mstflint: "4.28.0-1.el9" }) }), "source", { persist: true }));
        expect(none).toEqual(expect.objectContaining({ state: "not-applicable", summary: expect.stringMatching(/^NetworkManager is not installed/) }));
        // installed, with no version printed: not "not installed", and said plainly, with rpm's output
        const pk = k({ NetworkManager: "" });
        const noVersion = step("persist-sriov").detect(ctxOf(fresh({ packages: pk }), "source", { persist: true }));
        expect(noVersion).toEqual(expect.objectContaining({ state: "unknown", summary: "Could not tell: rpm printed no version for NetworkManager", evidence: pk.evidence }));
    });
});

test("no command of any step gets a time limit shorter than a second (a fresh host needs every step, both roles, all protocols)", () => {
    const limits: string[] = [];
    for (const role of ["source", "destination"] as const)
        for (const protocol of ["ssh", "tcp", "tls"] as const) {
            const ctx = ctxOf(fresh(), role, { protocol });
            for (const s of STEPS)
                for (const c of [...s.commands(ctx), ...(s.undo(ctx) ?? [])])
                    if (c.kind === "run" && c.timeoutMs !== undefined && c.timeoutMs < 1000)
                        limits.push(`${s.id}: ${c.argv.join(" ")} (${c.timeoutMs} ms)`);
        }
    expect(limits).toEqual([]);
});
