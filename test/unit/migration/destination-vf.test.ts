/*
 * The destination VF's re-check right before the migration: the probe's commands, and the verdict from what they
 * printed (free and migratable; taken by a VM since the checks; unbound from OVS's point of view but not
 * migratable; gone; libvirt not answering).
 */
import type { CommandResult, HostTransport, ProbeResult } from "../../../src/host/transport";
import { PciAddress } from "../../../src/host/values";
import { judgeDestinationVf, recheckCommands, recheckDestinationVf } from "../../../src/migration/destination-vf";

const VF = PciAddress.of("0000:c1:00.1");
const rec = (argv: readonly string[], stdout: string, exitStatus = 0): CommandResult =>
    ({ host: "root@dst", argv, stdout, stderr: "", exitStatus, durationMs: 1, startedAt: 0, wire: [] });

const PORTS = (migratable: "enable" | "disable" | null) => JSON.stringify({ port: {
    "pci/0000:c1:00.0/65535": { type: "eth", netdev: "enp193s0np0", flavour: "physical", port: 0, splittable: false },
    "pci/0000:c1:00.0/1": { type: "eth", netdev: "enp193s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false,
        splittable: false, function: { hw_addr: "00:00:00:00:00:00", ...(migratable ? { migratable } : {}) } },
} });

/** ip -d link show: the representor as in shared/formats/vf-representor-netdev.txt, up or as the kernel creates it */
const LINKS = (repUp: boolean) => `14: enp193s0npf0vf0: <BROADCAST,MULTICAST${repUp ? ",UP,LOWER_UP" : ""}> mtu 1500 qdisc mq state ${repUp ? "UP" : "DOWN"} mode DEFAULT group default qlen 1000
    link/ether d6:d2:15:04:7e:85 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9978 portname pf0vf0 switchid fa67c3ffffc94094 parentbus pci parentdev 0000:c1:00.0 
`;

/** ovs-vsctl show as in shared/formats/ovs-vsctl-show.txt (B3): the bridge with the PF, and the representor unless taken out */
const OVS = (repBridged: boolean, pfBridged = true) => `32549dde-d67b-430c-b183-980a32143c8f
    Bridge br-vf
${repBridged ? `        Port enp193s0npf0vf0
            Interface enp193s0npf0vf0
` : ""}        Port br-vf
            Interface br-vf
                type: internal
${pfBridged ? `        Port enp193s0np0
            Interface enp193s0np0
` : ""}    ovs_version: "3.3.4"
`;

interface Round1 {
    driver?: string | null; migratable?: "enable" | "disable" | null; running?: string; listFails?: boolean; repUp?: boolean;
    repBridged?: boolean; pfBridged?: boolean; ovsDown?: boolean;
}

function round1(o: Round1 = {}): CommandResult[] {
    const cmds = recheckCommands(VF).map(c => c.argv);
    const driver = o.driver === undefined ? null : o.driver;
    return [
        rec(cmds[0], driver ? `/sys/bus/pci/drivers/${driver}\n` : "/sys/devices/pci0000:c0/0000:c1:00.1/driver\n"),
        rec(cmds[1], "/sys/devices/pci0000:c0/0000:c1:00.0\n"),
        rec(cmds[2], "virtfn0 ../0000:c1:00.1\nvirtfn1 ../0000:c1:00.2\n"),
        rec(cmds[3], PORTS(o.migratable === undefined ? "enable" : o.migratable)),
        rec(cmds[4], o.listFails ? "" : o.running ?? "", o.listFails ? 1 : 0),
        rec(cmds[5], LINKS(o.repUp ?? true)),
        o.ovsDown ? { ...rec(cmds[6], "", 1), stderr: "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n" }
            : rec(cmds[6], OVS(o.repBridged ?? true, o.pfBridged ?? true)),
    ];
}

const domXml = (name: string, bus: string) => `<domain type='qemu'><name>${name}</name><devices>
<interface type='hostdev' managed='yes'><mac address='52:54:00:00:00:01'/><source>
<address type='pci' domain='0x0000' bus='${bus}' slot='0x00' function='0x1'/></source></interface></devices></domain>`;

describe("the destination VF, checked again before the call", () => {
    test("the probe reads the driver, the PF, the siblings, devlink ports and the running VMs — argv only", () => {
        const argvs = recheckCommands(VF).map(c => c.argv.join(" "));
        expect(argvs).toEqual([
            "readlink -f -- /sys/bus/pci/devices/0000:c1:00.1/driver",
            "readlink -f -- /sys/bus/pci/devices/0000:c1:00.1/physfn",
            "find /sys/bus/pci/devices/0000:c1:00.1/physfn/ -maxdepth 1 -name virtfn* -printf %f %l\\n",
            "devlink -j port show",
            "virsh -c qemu:///system list --name",
            "ip -d link show",
            "ovs-vsctl show",
        ]);
        expect(() => recheckCommands("0000:c1:00.1/../../x" as PciAddress)).toThrow();
    });

    test("unbound and migratable: passed, with the commands that decided as its evidence", () => {
        const r = judgeDestinationVf(VF, round1(), []);
        expect(r).toMatchObject({ verdict: "pass", driver: "none", pf: "0000:c1:00.0", port: "pci/0000:c1:00.0/1", migratable: true, usedBy: null });
        expect(r.summary).toContain("free, unbound, migratable");
        expect(r.evidence.map(e => e.command.argv.join(" "))).toEqual(recheckCommands(VF).map(c => c.argv.join(" ")));
    });

    test("its representor down (the kernel creates it so, after a reboot or when VFs are made again): failed, saying how to bring it up", () => {
        const r = judgeDestinationVf(VF, round1({ repUp: false }), []);
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("The representor enp193s0npf0vf0 of the destination VF 0000:c1:00.1 is down: the VM's traffic would stop there. " +
            "Bring it up (ip link set dev enp193s0npf0vf0 up), or prepare the destination again.");
    });

    test("its representor taken out of the PF's bridge since the checks: failed, saying how to put it back", () => {
        const r = judgeDestinationVf(VF, round1({ repBridged: false }), []);
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("The representor enp193s0npf0vf0 of the destination VF 0000:c1:00.1 is not in bridge br-vf: the VM would have no network there. " +
            "Add it (ovs-vsctl add-port br-vf enp193s0npf0vf0), or prepare the destination again.");
    });

    test("no bridge holds the PF any more: failed, naming the PF", () => {
        const r = judgeDestinationVf(VF, round1({ pfBridged: false }), []);
        expect(r.verdict).toBe("fail");
        expect(r.summary).toContain("No Open vSwitch bridge holds enp193s0np0, the PF of the destination VF 0000:c1:00.1");
    });

    test("Open vSwitch not answering: not started, the bridge not known, with ovs-vsctl's error as evidence", () => {
        const r = judgeDestinationVf(VF, round1({ ovsDown: true }), []);
        expect(r.verdict).toBe("unknown");
        expect(r.summary).toContain("Open vSwitch on the destination could not be read (ovs-vsctl show)");
        expect(r.evidence.map(e => e.command.stderr).join("")).toContain("database connection failed");
    });

    test("no representor named by devlink: its bridge cannot be checked, so the call does not start", () => {
        const r = round1();
        const ports = JSON.parse(r[3].stdout);
        delete ports.port["pci/0000:c1:00.0/1"].netdev;
        r[3] = { ...r[3], stdout: JSON.stringify(ports) };
        const j = judgeDestinationVf(VF, r, []);
        expect(j.verdict).toBe("unknown");
        expect(j.summary).toContain("devlink names no representor of the destination VF 0000:c1:00.1");
    });

    test("an answer that stopped before Open vSwitch was read: not started, saying so", () => {
        const j = judgeDestinationVf(VF, round1().slice(0, 6), []);
        expect(j.verdict).toBe("unknown");
        expect(j.summary).toBe("The destination's answer stopped before Open vSwitch was read");
    });

    test("released on mlx5_core (after an earlier migration away): passed, libvirt rebinds it", () => {
        expect(judgeDestinationVf(VF, round1({ driver: "mlx5_core" }), []).verdict).toBe("pass");
    });

    test("taken by another VM since the checks: failed, naming the VM", () => {
        const holders = [{ name: "other", result: rec(["virsh"], domXml("other", "0xc1")) },
            { name: "unrelated", result: rec(["virsh"], domXml("unrelated", "0xd1")) }];
        const r = judgeDestinationVf(VF, round1({ driver: "mlx5_vfio_pci", running: "other\nunrelated\n" }), holders);
        expect(r).toMatchObject({ verdict: "fail", usedBy: "other" });
        expect(r.summary).toContain("now used by the VM other");
    });

    test("migratable turned off, or not printed: failed", () => {
        expect(judgeDestinationVf(VF, round1({ migratable: "disable" }), []).verdict).toBe("fail");
        expect(judgeDestinationVf(VF, round1({ migratable: null }), []).summary).toContain("not migratable");
    });

    test("bound to plain vfio-pci or pci-stub: failed", () => {
        expect(judgeDestinationVf(VF, round1({ driver: "vfio-pci" }), []).verdict).toBe("fail");
        expect(judgeDestinationVf(VF, round1({ driver: "pci-stub" }), []).summary).toContain("pci-stub");
    });

    test("the VF no longer exists (VFs removed, host rebooted): failed", () => {
        const r = round1();
        r[0] = { ...r[0], stdout: "", exitStatus: 1 };
        r[1] = { ...r[1], stdout: "", exitStatus: 1 };
        expect(judgeDestinationVf(VF, r, []).summary).toContain("no longer exists");
    });

    function fakeTransport(rounds: CommandResult[][]): HostTransport & { probes: number } {
        const t = {
            host: "root@dst", probes: 0,
            probe: async (): Promise<ProbeResult> => {
                const records = rounds[t.probes++];
                return { host: "root@dst", startedAt: 0, durationMs: 1, records, complete: true, stderr: "", wire: [] };
            },
        };
        return t as unknown as HostTransport & { probes: number };
    }

    test("a second round trip reads the running VMs' XML only when some run", async () => {
        const idle = fakeTransport([round1()]);
        expect((await recheckDestinationVf(idle, VF)).verdict).toBe("pass");
        expect(idle.probes).toBe(1);
        const busy = fakeTransport([round1({ driver: "mlx5_vfio_pci", running: "intruder\n" }), [rec(["virsh"], domXml("intruder", "0xc1"))]]);
        expect(await recheckDestinationVf(busy, VF)).toMatchObject({ verdict: "fail", usedBy: "intruder" });
        expect(busy.probes).toBe(2);
    });

    test("VMs run there but the VF is unbound or on mlx5_core (no VM can hold it so): their XML is not read, as it waits on VMs still migrating there", async () => {
        for (const driver of [null, "mlx5_core"]) {
            const t = fakeTransport([round1({ driver, running: "guest1\nguest2\n" })]);
            const r = await recheckDestinationVf(t, VF);
            expect(r.verdict).toBe("pass");
            expect(r.usedBy).toBeNull();
            expect(t.probes).toBe(1);
        }
        // on mlx5_vfio_pci, free: read, and passed as free
        const free = fakeTransport([round1({ driver: "mlx5_vfio_pci", running: "guest1\n" }), [rec(["virsh"], domXml("guest1", "0xe1"))]]);
        expect((await recheckDestinationVf(free, VF)).summary).toContain("already on mlx5_vfio_pci, no VM uses it");
        expect(free.probes).toBe(2);
    });

    test("libvirt not answering on the destination: judged by the driver, the call reports libvirt's error", async () => {
        const free = await recheckDestinationVf(fakeTransport([round1({ listFails: true })]), VF);
        expect(free.verdict).toBe("pass");
        expect(free.summary).toContain("did not answer");
        const bound = await recheckDestinationVf(fakeTransport([round1({ listFails: true, driver: "mlx5_vfio_pci" })]), VF);
        expect(bound.verdict).toBe("unknown");
    });
});
