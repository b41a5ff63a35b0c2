/*
 * The evacuation's plan (src/migration/evacuation-plan.ts): which destination VF each VM gets, the VMs it leaves
 * here and why, the refusals (too few prepared VFs, too little memory, another bridge), and the per-port limit
 * that decides which migrations start together.
 */
import { blockingFailures, clampLimit, nextToStart, planEvacuation, type EvacuationRow } from "../../../src/migration/evacuation-plan";
import { facts, k, nic, vf } from "../checks/fixtures";

const source = facts({ nics: k([nic({ vfs: [vf(0, { usedBy: "a", driver: "mlx5_vfio_pci" }), vf(1, { usedBy: "b", driver: "mlx5_vfio_pci" }), vf(2, { usedBy: "c", driver: "mlx5_vfio_pci" })] })]) });
const destVf = (i: number, over = {}) => vf(i, { pci: `0000:c1:00.${i + 1}`, representor: `enp193s0npf0vf${i}`, ...over });
const destNic = (vfs = [destVf(0), destVf(1), destVf(2)]) =>
    nic({ pci: "0000:c1:00.0", netdev: "enp193s0np0", vfs });
/** the PF's uplink and the VFs' representors in one bridge, as the preparation leaves a destination */
const PORTS = ["enp193s0np0", "enp193s0npf0vf0", "enp193s0npf0vf1", "enp193s0npf0vf2", "enp193s0npf0vf3"];
const destination = (vfs?: ReturnType<typeof destVf>[], bridges: Record<string, string[]> = { "br-vf": PORTS }) =>
    facts({ host: "root@dst", nics: k([destNic(vfs)]), ovs: k({ running: true, otherConfig: {}, bridges, version: "3.3.0" }) });
const vms = [
    { name: "a", vfs: ["0000:e1:00.1"], memoryMiB: 1024 },
    { name: "b", vfs: ["0000:e1:00.2"], memoryMiB: 2048 },
    { name: "c", vfs: ["0000:e1:00.3"], memoryMiB: 512 },
];

test("each VM gets its own free prepared VF of the destination, in the order the VMs are listed", () => {
    const p = planEvacuation({ vms, source, destination: destination(), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(p.refusals).toEqual([]);
    expect(p.rows.map(r => [r.vm, r.sourceVf, r.destinationVf, r.destinationPort])).toEqual([
        ["a", "0000:e1:00.1", "0000:c1:00.1", "0000:c1:00.0"],
        ["b", "0000:e1:00.2", "0000:c1:00.2", "0000:c1:00.0"],
        ["c", "0000:e1:00.3", "0000:c1:00.3", "0000:c1:00.0"],
    ]);
});

test("a destination VF that a VM holds or that is not prepared is never given", () => {
    const vfs = [destVf(0, { usedBy: "other", driver: "mlx5_vfio_pci" }), destVf(1, { driver: "mlx5_core" }), destVf(2), destVf(3, { pci: "0000:c1:00.5" })];
    const p = planEvacuation({ vms: vms.slice(0, 2), source, destination: destination(vfs), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(p.rows.map(r => r.destinationVf)).toEqual(["0000:c1:00.3", "0000:c1:00.5"]);
});

test("too few prepared VFs on the destination refuses the plan, with the counts", () => {
    const p = planEvacuation({ vms, source, destination: destination([destVf(0), destVf(1)]), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(p.refusals).toEqual(["The destination has 2 free prepared VFs for 3 VMs: create more VFs on it (Host status)"]);
    expect(p.toPrepare).toEqual([]);
});

test("VFs an earlier evacuation left on mlx5_core are offered for preparation, as many as are missing, never one a VM holds", () => {
    const vfs = [destVf(0, { driver: "mlx5_vfio_pci", usedBy: "x" }), destVf(1, { driver: "mlx5_core" }), destVf(2, { driver: "mlx5_core" }), destVf(3, { pci: "0000:c1:00.5", driver: "mlx5_core" })];
    const p = planEvacuation({ vms: vms.slice(0, 2), source, destination: destination(vfs), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(p.refusals).toEqual(["The destination has 0 free prepared VFs for 2 VMs: 2 more can be prepared there"]);
    expect(p.toPrepare).toEqual(["0000:c1:00.2", "0000:c1:00.3"]);
});

test("the guests' memory, pinned for their VFs, must fit in the destination's available memory", () => {
    const p = planEvacuation({ vms, source, destination: destination(), destinationAvailableMiB: 3000, limit: 4, libvirtDbusThreads: 4 });
    expect(p.refusals).toEqual(["The VMs need 3584 MiB of memory, pinned for their VFs; the destination has 3000 MiB available"]);
    const unknown = planEvacuation({ vms, source, destination: destination(), destinationAvailableMiB: null, limit: 4, libvirtDbusThreads: 4 });
    expect(unknown.refusals).toEqual([]);
    expect(unknown.notes[0]).toMatch(/free memory could not be read/);
});

test("the destination's port in another bridge than this host's refuses the plan", () => {
    const p = planEvacuation({ vms, source, destination: destination(undefined, { "br-other": PORTS }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(p.refusals).toEqual(["The VMs' network is bridge br-vf on this host; the destination's port is in br-other"]);
});

test("VMs without a VF, with two, with a VF not of this adapter, or unreadable stay here, each with why", () => {
    const p = planEvacuation({
        vms: [
            { name: "plain", vfs: [], memoryMiB: 512 },
            { name: "two", vfs: ["0000:e1:00.1", "0000:e1:00.2"], memoryMiB: 512 },
            { name: "other", vfs: ["0000:3b:00.2"], memoryMiB: 512 },
            { name: "broken", vfs: [], memoryMiB: null, problem: "XML error" },
            { name: "gpu", vfs: [], otherPci: ["0000:3b:00.0"], memoryMiB: 512 },
        ],
        source, destination: destination(), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4,
    });
    expect(p.rows).toEqual([]);
    expect(p.left).toEqual([
        { vm: "plain", reason: "It holds no VF: choose to move the VMs without a VF too, by plain live migration" },
        { vm: "two", reason: "It holds 2 VFs; this page moves VMs that hold one" },
        { vm: "other", reason: "Its VF 0000:3b:00.2 is not a VF of this host's ConnectX-7" },
        { vm: "broken", reason: "Its definition could not be read: XML error" },
        { vm: "gpu", reason: "It holds host PCI devices (0000:3b:00.0) that a live migration cannot move" },
    ]);
});

test("the limit is 1 to 4 migrations per port", () => {
    expect([0, 1, 3, 4, 9, 2.5].map(clampLimit)).toEqual([1, 1, 3, 4, 4, 4]);
});

const row = (vm: string, sourcePort = "s0", destinationPort = "d0"): EvacuationRow =>
    ({ vm, sourceVf: "", sourcePort, destinationVf: "", destinationPort, memoryMiB: null });

test("no more than the limit of one port start together, counted on both hosts; other ports are not held back", () => {
    const rows = [row("a"), row("b"), row("c"), row("d", "s1", "d1"), row("e", "s1", "d0")];
    expect(nextToStart(rows, [], rows, 2).map(r => r.vm)).toEqual(["a", "b", "d"]);
    expect(nextToStart(rows, [rows[0]], rows.slice(1), 2).map(r => r.vm)).toEqual(["b", "d"]);
    expect(nextToStart(rows, [rows[0], rows[1]], rows.slice(2), 4).map(r => r.vm)).toEqual(["c", "d", "e"]);
});

test("libvirt-dbus's threads cap the migrations at once in all, one thread kept for progress and cancel", () => {
    const plan = (libvirtDbusThreads: number | null) =>
        planEvacuation({ vms, source, destination: destination(), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads });
    expect(plan(4).atOnce).toBe(3);
    expect(plan(9).atOnce).toBe(8);
    expect(plan(1).atOnce).toBe(1);
    expect(plan(null).atOnce).toBe(3);
    expect(plan(null).notes).toEqual(["libvirt-dbus does not run yet on this host: its default of 4 calls at once is assumed"]);
    const rows = [row("a"), row("b", "s1", "d1"), row("c", "s2", "d2"), row("d", "s3", "d3")];
    expect(nextToStart(rows, [], rows, 4, 3).map(r => r.vm)).toEqual(["a", "b", "c"]);
    expect(nextToStart(rows, [rows[0], rows[1]], rows.slice(2), 4, 3).map(r => r.vm)).toEqual(["c"]);
});

test("chosen, the VMs without a VF move by plain live migration after those with one: no VF given, no port counted, their memory counted", () => {
    const withPlain = [...vms.slice(0, 2), { name: "p1", vfs: [], memoryMiB: 1024 }, { name: "p2", vfs: [], memoryMiB: null }];
    const p = planEvacuation({ vms: withPlain, source, destination: destination([destVf(0), destVf(1)]), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4, plainToo: true });
    expect(p.refusals).toEqual([]);
    expect(p.left).toEqual([]);
    expect(p.rows.map(r => [r.vm, r.sourceVf, r.destinationVf])).toEqual([
        ["a", "0000:e1:00.1", "0000:c1:00.1"], ["b", "0000:e1:00.2", "0000:c1:00.2"], ["p1", null, null], ["p2", null, null],
    ]);
    // the free VFs are counted for the VMs that hold one only
    const tight = planEvacuation({ vms: withPlain, source, destination: destination([destVf(0), destVf(1)]), destinationAvailableMiB: 3500, limit: 4, libvirtDbusThreads: 4, plainToo: true });
    expect(tight.refusals).toEqual(["The VMs need 4096 MiB of memory (pinned for those with a VF); the destination has 3500 MiB available"]);
});

test("a VM without a VF waits only for the count at once, never for a port's limit", () => {
    const withPlain = [...vms, { name: "p", vfs: [], memoryMiB: 512 }];
    const p = planEvacuation({ vms: withPlain, source, destination: destination(), destinationAvailableMiB: 8192, limit: 1, libvirtDbusThreads: 4, plainToo: true });
    const [a, b, , plain] = p.rows;
    expect(nextToStart(p.rows, [], p.rows, 1, 3).map(r => r.vm)).toEqual(["a", "p"]);
    expect(nextToStart(p.rows, [a, plain], [b], 1, 3)).toEqual([]);
    expect(nextToStart(p.rows, [a, b], [plain], 4, 2)).toEqual([]);
});

test("a destination VF whose representor is outside the PF's bridge, or down, refuses the plan with the fix", () => {
    const out = planEvacuation({ vms: vms.slice(0, 1), source, destination: destination(undefined, { "br-vf": ["enp193s0np0"] }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(out.refusals).toEqual(["The representor enp193s0npf0vf0 of the destination VF 0000:c1:00.1 is not in bridge br-vf: the VM would have no network there. Add it (ovs-vsctl add-port br-vf enp193s0npf0vf0), or prepare the destination again."]);
    const down = planEvacuation({ vms: vms.slice(0, 2), source, destination: destination([destVf(0), destVf(1, { representorUp: false })]), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(down.refusals).toEqual(["The representor enp193s0npf0vf1 of the destination VF 0000:c1:00.2 is down: the VM's traffic would stop there. Bring it up (ip link set dev enp193s0npf0vf1 up), or prepare the destination again."]);
});

test("a VM whose representor here is in a VLAN the destination VF's does not carry refuses the plan, naming the VM and the fix", () => {
    const vlan = (tag: number | null, trunks: number[] = []) => ({ tag, trunks });
    const here = (vlans: Record<string, { tag: number | null; trunks: number[] }>) => ({ ...source,
        ovs: k({ running: true, otherConfig: {}, bridges: { "br-vf": ["enp225s0np0", "enp225s0npf0vf0", "enp225s0npf0vf1"] }, vlans, version: "3.3.0" }) });
    const there = (vlans: Record<string, { tag: number | null; trunks: number[] }>) =>
        facts({ host: "root@dst", nics: k([destNic()]), ovs: k({ running: true, otherConfig: {}, bridges: { "br-vf": PORTS }, vlans, version: "3.3.0" }) });
    // guest b's VF (0000:e1:00.2, VF 1) is in VLAN 100 here; the VF it gets there (VF 1) is untagged
    const p = planEvacuation({ vms: vms.slice(0, 2), source: here({ enp225s0npf0vf0: vlan(null), enp225s0npf0vf1: vlan(100) }),
        destination: there({ enp193s0npf0vf0: vlan(null), enp193s0npf0vf1: vlan(null), enp193s0npf0vf2: vlan(null) }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(p.refusals).toEqual(["b: The VM's VF here leaves through enp225s0npf0vf1 in VLAN 100; the destination VF's representor enp193s0npf0vf1 is in every VLAN (no tag): " +
        "the VM would lose its network there. Make them the same on the destination: ovs-vsctl clear port enp193s0npf0vf1 tag trunks -- set port enp193s0npf0vf1 tag=100"]);
    // the VFs handed out by VLAN: a (untagged here) gets the untagged VF there, b (VLAN 100) the one in VLAN 100
    const swapped = planEvacuation({ vms: vms.slice(0, 2), source: here({ enp225s0npf0vf0: vlan(null), enp225s0npf0vf1: vlan(100) }),
        destination: there({ enp193s0npf0vf0: vlan(100), enp193s0npf0vf1: vlan(null) }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(swapped.refusals).toEqual([]);
    expect(swapped.rows.map(r => [r.vm, r.destinationVf])).toEqual([["a", "0000:c1:00.2"], ["b", "0000:c1:00.1"]]);
    // a representor outside the bridge is refused once, for that, not also for its VLAN
    const outside = planEvacuation({ vms: vms.slice(1, 2), source: here({ enp225s0npf0vf1: vlan(100) }),
        destination: facts({ host: "root@dst", nics: k([destNic()]), ovs: k({ running: true, otherConfig: {}, bridges: { "br-vf": ["enp193s0np0"], other: ["enp193s0npf0vf0"] },
            vlans: { enp193s0npf0vf0: vlan(null), enp193s0npf0vf1: vlan(null), enp193s0npf0vf2: vlan(null) }, version: "3.3.0" }) }),
        destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 });
    expect(outside.refusals).toEqual([expect.stringMatching(/^The representor enp193s0npf0vf0 of the destination VF 0000:c1:00.1 is not in bridge br-vf/)]);
    // this host's Open vSwitch not read, or a VM without a VF: no VLAN refusal
    expect(planEvacuation({ vms: vms.slice(0, 2), source: { ...source, ovs: { known: false, reason: "not read", evidence: [] } },
        destination: there({ enp193s0npf0vf1: vlan(100) }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 }).refusals).toEqual([]);
    expect(planEvacuation({ vms: [{ name: "web", vfs: [], memoryMiB: 512 }], plainToo: true, source: here({}),
        destination: there({ enp193s0npf0vf0: vlan(100) }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 }).refusals).toEqual([]);
    // the same VLAN there, or a VLAN not read on one side: no refusal
    expect(planEvacuation({ vms: vms.slice(0, 2), source: here({ enp225s0npf0vf1: vlan(100) }),
        destination: there({ enp193s0npf0vf1: vlan(100) }), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 }).refusals).toEqual([]);
    expect(planEvacuation({ vms: vms.slice(0, 2), source: here({ enp225s0npf0vf1: vlan(100) }),
        destination: there({}), destinationAvailableMiB: 8192, limit: 4, libvirtDbusThreads: 4 }).refusals).toEqual([]);
});

describe("which failing host checks stop an evacuation", () => {
    const failing = [{ id: "iommu-kernel" }, { id: "eswitch-switchdev" }, { id: "firewall-ports" }];
    const plain: EvacuationRow = { vm: "web", sourceVf: null, sourcePort: null, destinationVf: null, destinationPort: null, memoryMiB: 512 };

    test("VMs without a VF alone (a host emptied before its reboot): only what a plain live migration needs", () => {
        expect(blockingFailures(failing, [plain]).map(f => f.id)).toEqual(["firewall-ports"]);
        expect(blockingFailures([{ id: "iommu-kernel" }], [plain])).toEqual([]);
    });

    test("once a VM with a VF moves, every failing check stops the plan", () => {
        expect(blockingFailures(failing, [plain, row("db")]).map(f => f.id)).toEqual(["iommu-kernel", "eswitch-switchdev", "firewall-ports"]);
    });
});
