/*
 * This host's VF, checked beside the destination's right before the migration call: the VM must hold it through
 * mlx5_vfio_pci, with its devlink port function migratable, or QEMU refuses the migration only once the destination
 * is set up ("VFIO device doesn't support migration", shared/formats/mlx5_vfio_pci-and-libvirt-variant-driver.md).
 */
import type { CommandResult, HostTransport, ProbeResult } from "../../../src/host/transport";
import { PciAddress } from "../../../src/host/values";
import { judgeSourceVf, recheckSourceVf } from "../../../src/migration/source-vf";
import { vfReadCommands } from "../../../src/migration/vf-read";

const VF = PciAddress.of("0000:e1:00.1");
const VM = "guest1";
const rec = (argv: readonly string[], stdout: string, exitStatus = 0): CommandResult =>
    ({ host: "localhost", argv, stdout, stderr: "", exitStatus, durationMs: 1, startedAt: 0, wire: [] });

/** devlink -j port show (shared/formats/devlink-port-show.json.md): the uplink and VF 0's port, migratable or not */
const PORTS = (migratable: "enable" | "disable" | null, vfnum = 0) => JSON.stringify({ port: {
    "pci/0000:e1:00.0/65535": { type: "eth", netdev: "enp225s0np0", flavour: "physical", port: 0, splittable: false },
    "pci/0000:e1:00.0/1": { type: "eth", netdev: "enp225s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum, external: false,
        splittable: false, function: { hw_addr: "52:54:00:6b:1e:01", ...(migratable ? { migratable } : {}) } },
} });

function records(o: { driver?: string | null; migratable?: "enable" | "disable" | null; gone?: boolean; vfnum?: number } = {}): CommandResult[] {
    const cmds = vfReadCommands(VF).map(c => c.argv);
    const driver = o.driver === undefined ? "mlx5_vfio_pci" : o.driver;
    if (o.gone)
        return [rec(cmds[0], "", 1), rec(cmds[1], "", 1), rec(cmds[2], "", 1), rec(cmds[3], PORTS(null))];
    return [
        rec(cmds[0], driver ? `/sys/bus/pci/drivers/${driver}\n` : "/sys/devices/pci0000:e0/0000:e1:00.1/driver\n"),
        rec(cmds[1], "/sys/devices/pci0000:e0/0000:e1:00.0\n"),
        rec(cmds[2], "virtfn0 ../0000:e1:00.1\nvirtfn1 ../0000:e1:00.2\n"),
        rec(cmds[3], PORTS(o.migratable === undefined ? "enable" : o.migratable, o.vfnum)),
    ];
}

describe("this host's VF, checked before the call", () => {
    test("reads the driver, the PF, the siblings and devlink's ports, as argv", () => {
        expect(vfReadCommands(VF).map(c => c.argv.join(" "))).toEqual([
            "readlink -f -- /sys/bus/pci/devices/0000:e1:00.1/driver",
            "readlink -f -- /sys/bus/pci/devices/0000:e1:00.1/physfn",
            "find /sys/bus/pci/devices/0000:e1:00.1/physfn/ -maxdepth 1 -name virtfn* -printf %f %l\\n",
            "devlink -j port show",
        ]);
    });

    test("held through mlx5_vfio_pci and migratable: passed, with the reads as evidence", () => {
        const r = judgeSourceVf(VF, VM, records());
        expect(r).toMatchObject({ id: "source-vf-recheck", verdict: "pass", driver: "mlx5_vfio_pci", port: "pci/0000:e1:00.0/1", migratable: true, usedBy: VM });
        expect(r.summary).toBe("This host's VF 0000:e1:00.1: on mlx5_vfio_pci, migratable");
        expect(r.evidence.map(e => e.command.argv[0])).toEqual(["readlink", "readlink", "find", "devlink"]);
    });

    test("held through plain vfio-pci (attached by hand, or by a libvirt that picked no variant driver): refused, naming the VM and the driver", () => {
        const r = judgeSourceVf(VF, VM, records({ driver: "vfio-pci" }));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toContain("guest1 holds this host's VF 0000:e1:00.1 through vfio-pci, not mlx5_vfio_pci: QEMU cannot migrate it");
        expect(r.summary).toContain("attach a prepared VF");
    });

    test("bound to no driver (the VM's XML names it, yet no VFIO driver holds it): refused, without splicing “no driver” into a sentence", () => {
        const r = judgeSourceVf(VF, VM, records({ driver: null }));
        expect(r).toMatchObject({ verdict: "fail", driver: "none" });
        expect(r.summary).toBe("This host's VF 0000:e1:00.1 is bound to no driver, so guest1 does not hold it through mlx5_vfio_pci: QEMU cannot migrate it. " +
            "Detach it, then attach a prepared VF at the “VF attach” stage.");
    });

    test("on mlx5_vfio_pci but its port not migratable (set after the driver took it, or never): refused, naming the port", () => {
        for (const m of ["disable", null] as const) {
            const r = judgeSourceVf(VF, VM, records({ migratable: m }));
            expect(r.verdict).toBe("fail");
            expect(r.summary).toContain("is not migratable (devlink port pci/0000:e1:00.0/1)");
        }
    });

    test("gone, no devlink port of its index, devlink unreadable, nothing read", () => {
        expect(judgeSourceVf(VF, VM, records({ gone: true }))).toMatchObject({ verdict: "fail", summary: "This host's VF 0000:e1:00.1 is gone" });
        expect(judgeSourceVf(VF, VM, records({ vfnum: 7 })))
                .toMatchObject({ verdict: "fail", summary: "This host's VF 0000:e1:00.1 has no devlink port: is the e-switch still in switchdev mode?" });
        const unreadable = records();
        unreadable[3] = { ...unreadable[3], exitStatus: 1, stdout: "", stderr: "devlink answers: Operation not supported\n" };
        expect(judgeSourceVf(VF, VM, unreadable))
                .toMatchObject({ verdict: "unknown", summary: "The devlink port of this host's VF 0000:e1:00.1 could not be read" });
        expect(judgeSourceVf(VF, VM, []).verdict).toBe("unknown");
    });

    test("one probe on this host's transport, as root (Open vSwitch's socket, read for the representor's VLAN, is root's)", async () => {
        const asked: string[][] = [];
        const options: unknown[] = [];
        const t = { probe: async (cmds: { argv: readonly string[] }[], o: unknown): Promise<ProbeResult> => {
            asked.push(cmds.map(c => c.argv.join(" ")));
            options.push(o);
            return { records: records({ driver: "vfio-pci" }), problem: null } as unknown as ProbeResult;
        } } as unknown as HostTransport;
        const r = await recheckSourceVf(t, VF, VM);
        expect(asked).toHaveLength(1);
        expect(asked[0][4]).toBe("ovs-vsctl show");
        expect(options[0]).toMatchObject({ superuser: true });
        expect(r.verdict).toBe("fail");
    });
});
