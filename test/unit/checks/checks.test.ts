import { evaluateHost, HOST_CHECKS } from "../../../src/checks";
import { cx7Present, firmwareVersion, fwVfMigration, fwLinkType } from "../../../src/checks/hardware";
import { iommuKernel } from "../../../src/checks/kernel";
import { firewallPortsCheck, libvirtSocketCheck } from "../../../src/checks/packages";
import { eswitchMode, vfPrepared } from "../../../src/checks/sriov";
import { ovsBridge, ovsHwOffloadCheck } from "../../../src/checks/ovs";
import { managementOverPf } from "../../../src/checks/network";
import { sameFirmware, sameMtu } from "../../../src/checks/pair";
import { REFUSING_CHECK_IDS } from "../../../src/checks";
import { ctx, facts, k, nic, u, vf } from "./fixtures";
import { nicsOf } from "../../../src/migration/vm-checks";
import { DEFAULT_OPTIONS, contextFromFacts } from "../../../src/steps";
import type { Fact } from "../../../src/checks/types";

const verdict = (c: { evaluate: (x: never) => { verdict: string } }, x: unknown) => c.evaluate(x as never).verdict;

describe("host checks", () => {
    test("a ready host passes every check, each with evidence", () => {
        const results = evaluateHost(ctx(facts(), "destination"));
        expect(results.filter(r => r.verdict !== "pass").map(r => `${r.id}: ${r.summary}`)).toEqual([]);
        for (const r of results)
            expect(r.evidence.length).toBeGreaterThan(0);
    });

    test("check ids are unique and every check has a title, a description and a reason", () => {
        const ids = HOST_CHECKS.map(c => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const c of HOST_CHECKS) {
            expect(c.title).not.toBe("");
            expect(c.description).not.toBe("");
            expect(c.why).not.toBe("");
        }
    });

    test("firmware below RHEL's floor fails, below NVIDIA's floor warns", () => {
        const fw = (version: string) => ctx(facts({ nics: k([nic({ firmware: k({ version, psid: "MT_0000000834" }) })]) }));
        expect(verdict(firmwareVersion, fw("28.35.2000"))).toBe("fail");
        expect(verdict(firmwareVersion, fw("28.36.1010"))).toBe("warn");
        expect(verdict(firmwareVersion, fw("28.39.3560"))).toBe("warn");
        expect(verdict(firmwareVersion, fw("28.41.1000"))).toBe("pass");
        expect(verdict(firmwareVersion, fw("28.100.1"))).toBe("pass");
    });

    test("VF_MIGRATION_MODE set for the next boot only is 'active after reboot', not a pass (the procedure's trap)", () => {
        const n = nic();
        if (n.params.known)
            n.params.value.VF_MIGRATION_MODE = { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "MIGRATION_ENABLED(2)" };
        const r = fwVfMigration.evaluate(ctx(facts({ nics: k([n]) })));
        expect(r.verdict).toBe("pending-reboot");
        expect(r.summary).toContain("DEVICE_DEFAULT(0)");
    });

    test("VF_MIGRATION_MODE off fails with the mstconfig command to copy", () => {
        const n = nic();
        if (n.params.known)
            n.params.value.VF_MIGRATION_MODE = { name: "VF_MIGRATION_MODE", current: "DEVICE_DEFAULT(0)", nextBoot: "DEVICE_DEFAULT(0)" };
        const r = fwVfMigration.evaluate(ctx(facts({ nics: k([n]) })));
        expect(r.verdict).toBe("fail");
        expect(r.fix).toEqual(expect.objectContaining({ kind: "command", argv: [["mstconfig", "-y", "-d", "0000:e1:00.0", "set", "VF_MIGRATION_MODE=2"]] }));
    });

    test("InfiniBand link type fails", () => {
        const n = nic();
        if (n.params.known)
            n.params.value.LINK_TYPE_P1 = { name: "LINK_TYPE_P1", current: "IB(1)", nextBoot: "IB(1)" };
        expect(verdict(fwLinkType, ctx(facts({ nics: k([n]) })))).toBe("fail");
    });

    // #16 W3: port 2 of a dual-port adapter, set to InfiniBand, has no Ethernet interface yet: said so, not "is mlx5_core bound?"
    test("a port without interface that runs InfiniBand: the adapter check names its own link type setting", () => {
        const n = nic({ pci: "0000:e1:00.1", port: 2, netdev: null });
        if (n.params.known)
            n.params.value.LINK_TYPE_P2 = { name: "LINK_TYPE_P2", current: "IB(1)", nextBoot: "IB(1)" };
        const r = cx7Present.evaluate(ctx(facts({ nics: k([nic(), n]), chosenPf: "0000:e1:00.1" })));
        expect(r).toMatchObject({ verdict: "fail", summary: "ConnectX-7 at 0000:e1:00.1 runs InfiniBand (LINK_TYPE_P2 is IB(1)): it has an Ethernet interface once that is ETH" });
        // port 1's Ethernet setting does not count for port 2; without an InfiniBand setting, the driver is the question
        const eth = nic({ pci: "0000:e1:00.1", port: 2, netdev: null });
        expect(cx7Present.evaluate(ctx(facts({ nics: k([nic(), eth]), chosenPf: "0000:e1:00.1" }))).summary)
            .toBe("ConnectX-7 at 0000:e1:00.1 has no network interface: is mlx5_core bound?");
    });

    test("a chosen port the host no longer shows: the checks say so and name no other port in its place", () => {
        const f = facts({ nics: k([nic()]), chosenPf: "0000:e1:00.1" });
        expect(cx7Present.evaluate(ctx(f))).toMatchObject({ verdict: "fail", summary: "The port chosen for VFs, 0000:e1:00.1, is not on this host" });
        expect(fwLinkType.evaluate(ctx(f)).summary).toBe("The port chosen for VFs, 0000:e1:00.1, is not on this host");
        expect(contextFromFacts("source", f, DEFAULT_OPTIONS, []).pf).toBe("");
    });

    test("VFs are taken from the chosen port first (the wizard's attach, the destination VF, the concurrent-VF count)", () => {
        const two = [nic({ vfs: [vf(0)] }), nic({ pci: "0000:e1:00.1", port: 2, netdev: "enp225s0f1np1", vfs: [vf(0, { pci: "0000:e1:01.2" })] })];
        expect(nicsOf(facts({ nics: k(two) })).map(n => n.pci)).toEqual(["0000:e1:00.0", "0000:e1:00.1"]);
        expect(nicsOf(facts({ nics: k(two), chosenPf: "0000:e1:00.1" })).map(n => n.pci)).toEqual(["0000:e1:00.1", "0000:e1:00.0"]);
    });

    test("LINK_TYPE_P1 not listed (an Ethernet-only model, R9): what the port runs decides, with nothing to set", () => {
        const lacking = (linkType?: Fact<string>) => {
            const n = nic(linkType ? { linkType } : {});
            if (n.params.known)
                delete n.params.value.LINK_TYPE_P1;
            return fwLinkType.evaluate(ctx(facts({ nics: k([n]) })));
        };
        const eth = lacking(k("eth", ["ip", "-d", "link", "show"], "4: enp225s0np0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n    link/ether e0:9d:73:12:67:44"));
        expect(eth).toMatchObject({ verdict: "pass", summary: "mstconfig lists no LINK_TYPE_P1 (an Ethernet-only model); the adapter's port runs Ethernet" });
        expect(eth.fix).toBeUndefined();
        expect(eth.evidence.map(e => e.command.argv[0])).toEqual(["mstconfig", "ip"]);
        const ib = lacking(k("ib"));
        expect(ib.verdict).toBe("fail");
        expect(ib.fix?.kind).toBe("manual");
        expect(lacking(u("not read")).verdict).toBe("unknown");
        expect(lacking().verdict).toBe("unknown");
    });

    test("unreadable tool output is unknown with the raw output, never a pass", () => {
        const r = fwVfMigration.evaluate(ctx(facts({ nics: k([nic({ params: u("mstconfig: line 3 not understood") })]) })));
        expect(r.verdict).toBe("unknown");
        expect(r.evidence[0].command.stdout).toBe("garbage");
    });

    test("no IOMMU in the firmware: the kernel check fails with the firmware setup as its fix, never a kernel argument", () => {
        const args = ["ro", "intel_iommu=on", "iommu=pt"];
        const r = iommuKernel.evaluate(ctx(facts({ hardwareIommu: k("fail"), cmdline: k(args), nextBootArgs: k(args), iommuActive: k(false) })));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("The system firmware provides no IOMMU: kernel arguments cannot enable it");
        expect(r.fix).toEqual(expect.objectContaining({ text: expect.stringMatching(/^Enable VT-d \(Intel\) or AMD-Vi/) }));
        expect(r.fix).not.toHaveProperty("argv");
    });

    test("AMD hosts need only iommu=pt; arguments set for next boot only are pending a reboot", () => {
        const amd = facts({ cpuVendor: k("amd"), cmdline: k(["ro"]), iommuActive: k(false), nextBootArgs: k(["ro", "iommu=pt"]) });
        expect(verdict(iommuKernel, ctx(amd))).toBe("pending-reboot");
        const off = facts({ cpuVendor: k("amd"), cmdline: k(["ro"]), iommuActive: k(false), nextBootArgs: k(["ro"]) });
        const r = iommuKernel.evaluate(ctx(off));
        expect(r.verdict).toBe("fail");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["grubby", "--args=iommu=pt", "--update-kernel=ALL"]] }));
        const disabled = facts({ cpuVendor: k("amd"), cmdline: k(["ro", "amd_iommu=off"]), iommuActive: k(false), nextBootArgs: k(["ro", "amd_iommu=off"]) });
        const d = iommuKernel.evaluate(ctx(disabled));
        expect(d.summary).toContain("amd_iommu=off");
        expect(d.fix).toEqual(expect.objectContaining({ argv: [["grubby", "--args=iommu=pt", "--remove-args=amd_iommu=off", "--update-kernel=ALL"]] }));
    });

    test("the IOMMU active without iommu=pt: a warning with the argument to add, no reboot required (AMD's IOMMU is on by default)", () => {
        const amd = facts({ cpuVendor: k("amd"), cmdline: k(["ro"]), iommuActive: k(true), nextBootArgs: k(["ro"]) });
        const r = iommuKernel.evaluate(ctx(amd));
        expect(r.verdict).toBe("warn");
        expect(r.summary).toBe("Active, without iommu=pt: the host's own devices go through the IOMMU's translation, which costs them some throughput. The VF does not need it.");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["grubby", "--args=iommu=pt", "--update-kernel=ALL"]] }));
        const intel = facts({ cmdline: k(["ro", "intel_iommu=on"]), iommuActive: k(true), nextBootArgs: k(["ro", "intel_iommu=on"]) });
        expect(verdict(iommuKernel, ctx(intel))).toBe("warn");
        // already set for the next boot: no grubby line again, only when it takes effect
        const next = iommuKernel.evaluate(ctx(facts({ cmdline: k(["ro", "intel_iommu=on"]), iommuActive: k(true), nextBootArgs: k(["ro", "intel_iommu=on", "iommu=pt"]) })));
        expect(next.verdict).toBe("warn");
        expect(next.fix).toEqual(expect.objectContaining({ text: "iommu=pt is set for the next boot: it takes effect at the next reboot." }));
        expect(next.fix).not.toHaveProperty("argv");
        // Intel's must be switched on: active without intel_iommu=on (a firmware that turns it on) still needs it
        const intelOff = facts({ cmdline: k(["ro", "iommu=pt"]), iommuActive: k(true), nextBootArgs: k(["ro", "iommu=pt"]) });
        expect(verdict(iommuKernel, ctx(intelOff))).toBe("fail");
    });

    test("legacy e-switch fails with the switchdev command and its warning", () => {
        const r = eswitchMode.evaluate(ctx(facts({ nics: k([nic({ eswitchMode: k("legacy") })]) })));
        expect(r.verdict).toBe("fail");
        // the fix is the switchdev step's commands: the VFs go first, as the firmware refuses the change while they exist
        expect(r.fix).toEqual(expect.objectContaining({ argv: [
            { path: "/sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs", value: "0" },
            ["devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev"],
        ] }));
    });

    test("a destination whose only VF is in use has no free VF", () => {
        const busy = facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_vfio_pci", usedBy: "web1" })] })]) });
        expect(verdict(vfPrepared, ctx(busy, "source"))).toBe("pass");
        const r = vfPrepared.evaluate(ctx(busy, "destination"));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toContain("in use by VM web1");
    });

    test("a VF still on mlx5_core is unbound then marked migratable, in that order", () => {
        const f = facts({ nics: k([nic({ vfs: [vf(0, { driver: "mlx5_core", port: { handle: "pci/0000:e1:00.0/65537", migratable: false, hwAddr: null, netdev: null } })] })]) });
        const r = vfPrepared.evaluate(ctx(f));
        expect(r.verdict).toBe("fail");
        expect(r.fix).toEqual(expect.objectContaining({
            argv: [{ path: "/sys/bus/pci/drivers/mlx5_core/unbind", value: "0000:e1:00.1" },
                ["devlink", "port", "function", "set", "pci/0000:e1:00.0/65537", "migratable", "enable"]],
        }));
    });

    test("a destination on the monolithic libvirtd (R5): its own socket for the protocol, never virtproxyd's beside it", () => {
        const mono = facts({ units: k({ "libvirtd.service": { activeState: "active", unitFileState: "enabled" },
            "libvirtd-tls.socket": { activeState: "inactive", unitFileState: "disabled" },
            "virtproxyd-tls.socket": { activeState: "inactive", unitFileState: "disabled" } }) });
        const r = libvirtSocketCheck.evaluate(ctx(mono, "destination", "tls"));
        expect(r.summary).toBe("libvirtd-tls.socket is inactive");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["systemctl", "enable", "--now", "--", "libvirtd-tls.socket"], ["systemctl", "restart", "--", "libvirtd.service"]] }));
        const up = facts({ units: k({ "libvirtd.socket": { activeState: "active", unitFileState: "enabled" },
            "libvirtd-tcp.socket": { activeState: "active", unitFileState: "enabled" } }) });
        expect(verdict(libvirtSocketCheck, ctx(up, "destination", "tcp"))).toBe("pass");
        expect(verdict(libvirtSocketCheck, ctx(up, "destination", "ssh"))).toBe("pass");
    });

    test("the libvirt socket and the firewall are checked on the destination for the chosen protocol", () => {
        const f = facts();
        expect(verdict(libvirtSocketCheck, ctx(f, "destination", "tcp"))).toBe("fail");
        expect(verdict(libvirtSocketCheck, ctx(f, "destination", "tls"))).toBe("pass");
        expect(verdict(libvirtSocketCheck, ctx(f, "source", "tcp"))).toBe("pass");
        const r = firewallPortsCheck.evaluate(ctx(f, "destination", "tls"));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toContain("16514/tcp");
        expect(r.summary).not.toContain("16509");
        expect(verdict(firewallPortsCheck, ctx(f, "destination", "ssh"))).toBe("pass");
    });

    test("OVS without hw-offload fails; a bridge without the representor fails", () => {
        const f = facts({ ovs: k({ running: true, otherConfig: { "max-idle": "300000" }, bridges: { br0: ["enp225s0np0"] }, version: "3.3.0" }) });
        expect(verdict(ovsHwOffloadCheck, ctx(f))).toBe("fail");
        const r = ovsBridge.evaluate(ctx(f));
        expect(r.verdict).toBe("fail");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["ovs-vsctl", "--may-exist", "add-port", "br0", "enp225s0npf0vf0"],
                                                                 ["ip", "link", "set", "dev", "enp225s0npf0vf0", "up"]] }));
    });

    test("the VF's representor in the bridge but down (as the kernel creates it): fails, and the fix brings it up", () => {
        const bridged = (up: boolean | null) => facts({ nics: k([nic({ vfs: [vf(0, { representorUp: up })] })]),
                                                        ovs: k({ running: true, otherConfig: {}, bridges: { br0: ["enp225s0np0", "enp225s0npf0vf0"] }, version: "3.3.0" }) });
        const r = ovsBridge.evaluate(ctx(bridged(false)));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("Bridge br0 holds enp225s0np0, but the representor enp225s0npf0vf0 is down: the VF's traffic stops there");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["ovs-vsctl", "--may-exist", "add-port", "br0", "enp225s0npf0vf0"],
                                                                 ["ip", "link", "set", "dev", "enp225s0npf0vf0", "up"]] }));
        expect(ovsBridge.evaluate(ctx(bridged(true))).verdict).toBe("pass");
        // ip did not list it: not called down
        expect(ovsBridge.evaluate(ctx(bridged(null))).verdict).toBe("pass");
    });

    test("a bridge without representors: the fix adds the one of the VF the preparation would take, not every VF's", () => {
        const two = [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1" }), vf(1)];
        const f = facts({ nics: k([nic({ vfs: two })]),
                          ovs: k({ running: true, otherConfig: {}, bridges: { br0: ["enp225s0np0"] }, version: "3.3.0" }) });
        const r = ovsBridge.evaluate(ctx(f));
        expect(r.verdict).toBe("fail");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["ovs-vsctl", "--may-exist", "add-port", "br0", "enp225s0npf0vf1"],
                                                                 ["ip", "link", "set", "dev", "enp225s0npf0vf1", "up"]] }));
    });

    test("another VF's representor in the bridge does not stand for the one a migration takes (R8): fails, and the fix adds that one", () => {
        // VF 0 is held by a VM, its representor bridged; VF 1 is the one the preparation (and a migration here) takes
        const two = [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1", representorUp: true }), vf(1, { representorUp: false })];
        const f = facts({ nics: k([nic({ vfs: two })]),
                          ovs: k({ running: true, otherConfig: {}, bridges: { br0: ["enp225s0np0", "enp225s0npf0vf0"] }, version: "3.3.0" }) });
        const r = ovsBridge.evaluate(ctx(f));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("Bridge br0 holds enp225s0np0 but not enp225s0npf0vf1, the representor of the VF a migration takes");
        expect(r.fix).toEqual(expect.objectContaining({ argv: [["ovs-vsctl", "--may-exist", "add-port", "br0", "enp225s0npf0vf1"],
                                                                 ["ip", "link", "set", "dev", "enp225s0npf0vf1", "up"]] }));
        // every VF held by a VM: no VF to take, and one in the bridge is what there is to judge
        const held = [vf(0, { driver: "mlx5_vfio_pci", usedBy: "guest1", representorUp: true }), vf(1, { driver: "mlx5_vfio_pci", usedBy: "guest2" })];
        expect(verdict(ovsBridge, ctx(facts({ nics: k([nic({ vfs: held })]),
                                                ovs: k({ running: true, otherConfig: {}, bridges: { br0: ["enp225s0np0", "enp225s0npf0vf0"] }, version: "3.3.0" }) })))).toBe("pass");
    });

    test("management traffic over the PF blocks switchdev", () => {
        const f = facts({ managementInterfaces: k(["enp225s0np0"]), nics: k([nic({ eswitchMode: k("legacy") })]) });
        expect(verdict(managementOverPf, ctx(f))).toBe("fail");
    });
});

describe("pair checks", () => {
    // review R7: RHEL's limitations and NVIDIA's DOCA guide require it; the wizard stops on it (REFUSING_CHECK_IDS)
    test("a different firmware version fails, and no preparation step is offered for it", () => {
        const other = facts({ nics: k([nic({ firmware: k({ version: "28.42.1000", psid: "MT_0000000838" }) })]) });
        expect(verdict(sameFirmware, { source: facts(), destination: other })).toBe("fail");
        expect(REFUSING_CHECK_IDS).toContain("pair-firmware");
        expect(verdict(sameFirmware, { source: facts(), destination: facts() })).toBe("pass");
    });

    // review §3: the destination's port must carry the frames the VM's network carried on the source
    test("a destination port with a smaller MTU warns with both figures; equal or larger passes; unread is unknown", () => {
        const withMtu = (mtu: number) => facts({ nics: k([nic({ mtu: k(mtu) })]) });
        const smaller = sameMtu.evaluate({ source: withMtu(9000), destination: withMtu(1500) });
        expect(smaller).toMatchObject({ verdict: "warn", summary: "Source 9000, destination 1500: a guest using more than 1500 loses its larger frames there" });
        expect(smaller.fix).toBeDefined();
        expect(verdict(sameMtu, { source: withMtu(1500), destination: withMtu(1500) })).toBe("pass");
        expect(verdict(sameMtu, { source: withMtu(1500), destination: withMtu(9000) })).toBe("pass");
        expect(verdict(sameMtu, { source: withMtu(1500), destination: facts() })).toBe("unknown");
        expect(REFUSING_CHECK_IDS).not.toContain("pair-mtu");
    });
});
