/*
 * The VLAN of the VF representors' Open vSwitch ports, here and on the destination, compared right before the
 * migration call: a guest whose representor port is tagged here and not there (or another tag) loses its network
 * once migrated. The `ovs-vsctl show` text is that of Open vSwitch 3.1 on the simulated pair after
 * `ovs-vsctl set port enp225s0npf0vf0 tag=100` and `… trunks=[10, 20]` (shared/formats/ovs-vsctl-show.txt has no tag).
 */
import type { CommandResult } from "../../../src/host/transport";
import { PciAddress } from "../../../src/host/values";
import { ovsSetPortVlan } from "../../../src/host/commands/ovs";
import { Netdev } from "../../../src/host/values";
import { parse } from "../../../src/parsers";
import { carriesVlan, portVlanOf } from "../../../src/rules/ovs";
import { judgeSourceVf } from "../../../src/migration/source-vf";
import { vfReadCommands } from "../../../src/migration/vf-read";
import { vfNotRead, type VfRecheck } from "../../../src/migration/destination-vf";
import { vfGate } from "../../../src/session/migration-job";

const show = (portLines: string) => `3a503429-cc01-46d6-98b1-6391b2669196
    Bridge br-vf
        datapath_type: netdev
        Port enp225s0np0
            Interface enp225s0np0
        Port br-vf
            Interface br-vf
                type: internal
        Port enp225s0npf0vf0
${portLines}            Interface enp225s0npf0vf0
    ovs_version: "3.1.0"
`;
const vlanOf = (portLines: string) => {
    const p = parse("ovs-vsctl-show", show(portLines));
    if (!p.ok) throw new Error("parse");
    return portVlanOf(p.value, "enp225s0npf0vf0");
};

test("the representor port's VLAN as ovs-vsctl show prints it: untagged, an access tag, a trunk; a value that is no VLAN is not read", () => {
    expect(vlanOf("")).toEqual({ tag: null, trunks: [] });
    expect(vlanOf("            tag: 100\n")).toEqual({ tag: 100, trunks: [] });
    expect(vlanOf("            trunks: [10, 20]\n")).toEqual({ tag: null, trunks: [10, 20] });
    expect(vlanOf("            tag: 5000\n")).toBeNull();
});

test("what the destination's port must carry: the same access tag; with no tag there, every VLAN, or at least the source's trunks", () => {
    const v = (tag: number | null, trunks: number[] = []) => ({ tag, trunks });
    expect(carriesVlan(v(100), v(100))).toBe(true);
    expect(carriesVlan(v(100), v(null))).toBe(false);
    expect(carriesVlan(v(100), v(200))).toBe(false);
    // untagged (every VLAN, the guest tagging its own) needs the same there
    expect(carriesVlan(v(null), v(null))).toBe(true);
    expect(carriesVlan(v(null), v(100))).toBe(false);
    expect(carriesVlan(v(null), v(null, [10, 20]))).toBe(false);
    // a trunk here: every VLAN there carries it, as does a wider trunk; a narrower one does not
    expect(carriesVlan(v(null, [10, 20]), v(null))).toBe(true);
    expect(carriesVlan(v(null, [10, 20]), v(null, [10, 20, 30]))).toBe(true);
    expect(carriesVlan(v(null, [10, 20]), v(null, [10]))).toBe(false);
    expect(carriesVlan(v(null, [10, 20]), v(10))).toBe(false);
});

test("the fix sets exactly the source's VLAN, clearing the other column; numbers outside 0–4095 are refused", () => {
    expect(ovsSetPortVlan(Netdev.of("enp193s0npf0vf0"), 100, []).join(" "))
        .toBe("ovs-vsctl clear port enp193s0npf0vf0 tag trunks -- set port enp193s0npf0vf0 tag=100");
    expect(ovsSetPortVlan(Netdev.of("enp193s0npf0vf0"), null, []).join(" ")).toBe("ovs-vsctl clear port enp193s0npf0vf0 tag trunks");
    expect(ovsSetPortVlan(Netdev.of("enp193s0npf0vf0"), null, [10, 20]).join(" "))
        .toBe("ovs-vsctl clear port enp193s0npf0vf0 tag trunks -- set port enp193s0npf0vf0 trunks=10,20");
    expect(() => ovsSetPortVlan(Netdev.of("enp193s0npf0vf0"), 4096, [])).toThrow();
});

const VF = PciAddress.of("0000:e1:00.1");
const rec = (argv: readonly string[], stdout: string, exitStatus = 0): CommandResult =>
    ({ host: "localhost", argv, stdout, stderr: "", exitStatus, durationMs: 1, startedAt: 0, wire: [] });
const PORTS = JSON.stringify({ port: {
    "pci/0000:e1:00.0/65535": { type: "eth", netdev: "enp225s0np0", flavour: "physical", port: 0, splittable: false },
    "pci/0000:e1:00.0/1": { type: "eth", netdev: "enp225s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false,
        splittable: false, function: { hw_addr: "52:54:00:6b:1e:01", migratable: "enable" } },
} });
const sourceCheck = (portLines: string | null): VfRecheck => {
    const cmds = vfReadCommands(VF).map(c => c.argv);
    return judgeSourceVf(VF, "guest1", [
        rec(cmds[0], "/sys/bus/pci/drivers/mlx5_vfio_pci\n"),
        rec(cmds[1], "/sys/devices/pci0000:e0/0000:e1:00.0\n"),
        rec(cmds[2], "virtfn0 ../0000:e1:00.1\n"),
        rec(cmds[3], PORTS),
        portLines === null ? rec(["ovs-vsctl", "show"], "", 1) : rec(["ovs-vsctl", "show"], show(portLines)),
    ]);
};
const destinationCheck = (vlan: { tag: number | null; trunks: number[] } | null): VfRecheck =>
    ({ ...vfNotRead("0000:c1:00.1", ""), verdict: "pass", summary: "Destination VF 0000:c1:00.1: free", vlan: { rep: "enp193s0npf0vf0", vlan } });

test("this host's re-check reads its representor's VLAN", () => {
    expect(sourceCheck("            tag: 100\n")).toMatchObject({ verdict: "pass", vlan: { rep: "enp225s0npf0vf0", vlan: { tag: 100, trunks: [] } } });
    expect(sourceCheck(null)).toMatchObject({ verdict: "pass", vlan: { rep: "enp225s0npf0vf0", vlan: null } });
});

test("the gate before the call: the VM's VLAN here and not there is refused with the command that makes them the same", () => {
    const gate = vfGate(sourceCheck("            tag: 100\n"), destinationCheck({ tag: null, trunks: [] }));
    expect(gate).toMatchObject({ id: "vlan-mismatch", verdict: "fail" });
    expect(gate.summary).toBe("The VM's VF here leaves through enp225s0npf0vf0 in VLAN 100; the destination VF's representor enp193s0npf0vf0 is in every VLAN (no tag): " +
        "the VM would lose its network there. Make them the same on the destination: " +
        "ovs-vsctl clear port enp193s0npf0vf0 tag trunks -- set port enp193s0npf0vf0 tag=100");
    expect(vfGate(sourceCheck(""), destinationCheck({ tag: 7, trunks: [] })).summary)
        .toContain("in every VLAN (no tag); the destination VF's representor enp193s0npf0vf0 is in VLAN 7: the VM would lose its network there. " +
                   "Make them the same on the destination: ovs-vsctl clear port enp193s0npf0vf0 tag trunks");
    expect(vfGate(sourceCheck("            trunks: [10, 20]\n"), destinationCheck({ tag: null, trunks: [10] })).summary)
        .toContain("in VLANs 10, 20 (trunk); the destination VF's representor enp193s0npf0vf0 is in VLANs 10 (trunk): " +
                   "the VM would lose its network there. Make them the same on the destination: ovs-vsctl clear port enp193s0npf0vf0 tag trunks -- set port enp193s0npf0vf0 trunks=10,20");
    // a source VF that fails, or a destination refused, decides before any VLAN; the destination's VLAN not read: no refusal
    const taggedHere = sourceCheck("            tag: 100\n");
    const failedHere = { ...taggedHere, verdict: "fail" as const, summary: "This host's VF is gone" };
    expect(vfGate(failedHere, destinationCheck({ tag: null, trunks: [] }))).toBe(failedHere);
    const refusedThere = { ...destinationCheck({ tag: null, trunks: [] }), verdict: "fail" as const, summary: "The destination VF is now used by the VM x" };
    expect(vfGate(taggedHere, refusedThere)).toBe(refusedThere);
    expect(vfGate(taggedHere, destinationCheck(null)).verdict).toBe("pass");
    // the same VLAN, or a side not read: the destination's own verdict
    expect(vfGate(sourceCheck("            tag: 100\n"), destinationCheck({ tag: 100, trunks: [] })).verdict).toBe("pass");
    expect(vfGate(sourceCheck(null), destinationCheck({ tag: 100, trunks: [] })).verdict).toBe("pass");
    expect(vfGate(null, destinationCheck({ tag: 100, trunks: [] })).verdict).toBe("pass");
});
