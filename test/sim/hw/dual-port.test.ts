/*
 * A dual-port ConnectX-7 (scenario dual-port's source): two PFs on one PCI slot, 0000:e1:00.0 (port 1, Ethernet)
 * and 0000:e1:00.1 (port 2, InfiniBand), one firmware. What an admin sees of it, through either PF; the names beside
 * the real samples (shared/formats: mstconfig-query.txt, a dual-port BlueField-3; vf-representor-netdev.txt).
 */
import { HW, HwHost, sample, scenarioHost } from "./hwhost";
import { section } from "../../unit/parsers/samples";
import { parse } from "../../../src/parsers";
import { mstconfigQuery } from "../../../src/host/commands/mst";
import { PciAddress } from "../../../src/host/values";

const PF0 = "0000:e1:00.0";
const PF1 = "0000:e1:00.1";
const DEV = "/sys/bus/pci/devices";

/** the configuration lines' first tokens (parameter names), in order */
const names = (text: string) => text.split("\n").filter(l => /^[* ] {7}[A-Z]/.test(l)).map(l => l.slice(8).trim().split(/\s+/)[0]);

describe("dual-port ConnectX-7: two PFs, one adapter", () => {
    const host = new HwHost();
    const run = (...argv: string[]) => host.run(argv);
    /** the tokens of a parameter's line in `mstconfig -d DEV -e query` ("*", name, Default, Current, Next Boot) */
    const paramE = (dev: string, p: string) => run("mstconfig", "-d", dev, "-e", "query").stdout.split("\n")
        .find(l => l.includes(` ${p} `))?.trim().split(/\s+/);

    beforeAll(async () => {
        await host.start(scenarioHost("dual-port", "source"));
    });
    afterAll(() => host.stop());

    test("mstconfig on either PF: the same adapter, LINK_TYPE_P2 right after LINK_TYPE_P1 as in the real dual-port query", () => {
        const q1 = run("mstconfig", "-d", PF1, "query");
        expect(q1.status).toBe(0);
        const real = names(sample("mstconfig-query.txt"));
        const fake = names(q1.stdout);
        expect(real.indexOf("LINK_TYPE_P2")).toBe(real.indexOf("LINK_TYPE_P1") + 1);
        expect(fake.indexOf("LINK_TYPE_P2")).toBe(fake.indexOf("LINK_TYPE_P1") + 1);
        expect(q1.stdout).toContain("        LINK_TYPE_P1                                ETH(2)          \n");
        expect(q1.stdout).toContain("        LINK_TYPE_P2                                IB(1)           \n");
        // the per-port companions, P1's group then P2's (as in the full public capture of that BlueField-3 query)
        expect(fake.filter(n => n.startsWith("KEEP_"))).toEqual(["KEEP_ETH_LINK_UP_P1", "KEEP_IB_LINK_UP_P1",
            "KEEP_LINK_UP_ON_BOOT_P1", "KEEP_LINK_UP_ON_STANDBY_P1", "KEEP_ETH_LINK_UP_P2", "KEEP_IB_LINK_UP_P2",
            "KEEP_LINK_UP_ON_BOOT_P2", "KEEP_LINK_UP_ON_STANDBY_P2"]);
        expect(q1.stdout).toMatch(/^ {8}NUM_OF_PF {35}2 +$/m);
        expect(q1.stdout).toMatch(/^Name: +MCX755106AS-HEA_Ax$/m);
        expect(q1.stdout).toMatch(/^Device: +0000:e1:00\.1 *$/m);
        // the other PF: the same configuration, its own address on the Device line
        const q0 = run("mstconfig", "-d", PF0, "query").stdout;
        expect(q0).toMatch(/^Device: +0000:e1:00\.0 *$/m);
        const withoutDevice = (t: string) => t.split("\n").filter(l => !l.startsWith("Device:")).join("\n");
        expect(withoutDevice(q0)).toBe(withoutDevice(q1.stdout));
        expect(run("mstflint", "-d", PF1, "q").stdout).toMatch(/^PSID: +MT_0000000834$/m);
    });

    test("set LINK_TYPE_P2=ETH on .1: Next Boot of the adapter (.0 shows it), LINK_TYPE_P1 and the running port unchanged", () => {
        const r = run("mstconfig", "-y", "-d", PF1, "set", "LINK_TYPE_P2=ETH");
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("         LINK_TYPE_P2                        IB(1)           ETH(2)          \n");
        expect(paramE(PF0, "LINK_TYPE_P2")).toEqual(["*", "LINK_TYPE_P2", "ETH(2)", "IB(1)", "ETH(2)"]);
        expect(paramE(PF0, "LINK_TYPE_P1")).toEqual(["LINK_TYPE_P1", "ETH(2)", "ETH(2)", "ETH(2)"]);
        expect(paramE(PF1, "LINK_TYPE_P1")).toEqual(["LINK_TYPE_P1", "ETH(2)", "ETH(2)", "ETH(2)"]);
        // NUM_OF_VFS is one setting (VFs per PF) too: set through .0, read through .1, as on a real MCX755106AS
        expect(run("mstconfig", "-y", "-d", PF0, "set", "NUM_OF_VFS=16").status).toBe(0);
        expect(run("mstconfig", "-d", PF1, "query", "NUM_OF_VFS").stdout).toMatch(/^ {8}NUM_OF_VFS +16 +$/m);
        expect(run("mstconfig", "-y", "-d", PF1, "set", "NUM_OF_VFS=8").status).toBe(0);
        expect(paramE(PF0, "NUM_OF_VFS")).toEqual(["NUM_OF_VFS", "8", "8", "8"]);
        // nothing runs differently before the firmware reset: port 2 is still an InfiniBand function
        expect(host.sh(`cat ${DEV}/${PF1}/class`).stdout).toBe("0x020700\n");
    });

    test("mstfwreset on .0 resets the adapter: P2 becomes ETH Current, port 2's netdev appears, both PFs' VFs gone, both legacy", () => {
        expect(run("devlink", "dev", "eswitch", "set", `pci/${PF0}`, "mode", "switchdev").status).toBe(0);
        expect(host.sh(`echo 2 > ${DEV}/${PF0}/sriov_numvfs; echo 1 > ${DEV}/${PF1}/sriov_numvfs`).status).toBe(0);
        expect(run("lspci", "-s", "e1:00.1").stdout).toBe("e1:00.1 Infiniband controller: Mellanox Technologies MT2910 Family [ConnectX-7]\n");
        expect(run("ip", "-o", "link", "show", "dev", "enp225s0f1np1").status).not.toBe(0);

        const r = run("mstfwreset", "-d", PF0, "-l", "3", "-y", "reset");
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("-I- FW was loaded successfully.");
        for (const dev of [PF0, PF1]) {
            expect(paramE(dev, "LINK_TYPE_P2")).toEqual(["LINK_TYPE_P2", "ETH(2)", "ETH(2)", "ETH(2)"]);
            expect(host.sh(`cat ${DEV}/${dev}/sriov_numvfs ${DEV}/${dev}/class`).stdout).toBe("0\n0x020000\n");
            expect(JSON.parse(run("devlink", "-j", "dev", "eswitch", "show", `pci/${dev}`).stdout).dev[`pci/${dev}`].mode).toBe("legacy");
        }
        expect(paramE(PF1, "LINK_TYPE_P1")).toEqual(["LINK_TYPE_P1", "ETH(2)", "ETH(2)", "ETH(2)"]);
        expect(run("lspci", "-D", "-d", "15b3:101e").stdout).toBe("");
        expect(run("ip", "-o", "link", "show", "dev", "enp225s0f1np1").status).toBe(0);
        expect(host.sh(`ls ${DEV}/${PF1}/net`).stdout).toBe("enp225s0f1np1\n");
        expect(run("ethtool", "-i", "enp225s0f1np1").stdout).toContain("bus-info: 0000:e1:00.1\n");
    });

    test("8 VFs on each PF: SR-IOV offsets 2 and 9, stride 1, so PF0's VFs are 00.2-01.1 and PF1's 01.2-02.1", () => {
        expect(host.sh(`echo 8 > ${DEV}/${PF0}/sriov_numvfs && echo 8 > ${DEV}/${PF1}/sriov_numvfs`).status).toBe(0);
        expect(host.sh(`cd ${DEV}; cat ${PF0}/sriov_offset ${PF0}/sriov_stride ${PF1}/sriov_offset ${PF1}/sriov_stride`).stdout)
            .toBe("2\n1\n9\n1\n");
        expect(host.sh(`cd ${DEV}; readlink ${PF0}/virtfn0 ${PF0}/virtfn7 ${PF1}/virtfn0 ${PF1}/virtfn7 0000:e1:01.2/physfn`).stdout)
            .toBe("../0000:e1:00.2\n../0000:e1:01.1\n../0000:e1:01.2\n../0000:e1:02.1\n../0000:e1:00.1\n");
        const vfs = run("lspci", "-D", "-d", "15b3:101e").stdout.trim().split("\n").map(l => l.split(" ")[0]);
        expect(vfs).toHaveLength(16);
        expect(new Set([...vfs, PF0, PF1]).size).toBe(18);
        expect(run("ethtool", "-i", "enp225s0f1v0").stdout).toContain("bus-info: 0000:e1:01.2\n");
        expect(host.sh(`echo 0 > ${DEV}/${PF0}/sriov_numvfs && echo 0 > ${DEV}/${PF1}/sriov_numvfs`).status).toBe(0);
    });

    test("port 2 in switchdev: devlink physical port 1 (p1), its VF ports pfnum 1, representor phys_port_name pf1vf0", () => {
        expect(run("devlink", "dev", "eswitch", "set", `pci/${PF1}`, "mode", "switchdev").status).toBe(0);
        expect(host.sh(`echo 1 > ${DEV}/${PF1}/sriov_numvfs`).status).toBe(0);
        const lines = run("devlink", "port", "show").stdout.trimEnd().split("\n");
        // vhca_id 1: uplink (1 << 16) | 0xffff, VF0 (1 << 16) | 1 (shared/formats/vf-representor-netdev.txt)
        expect(lines[0]).toBe(`pci/${PF1}/131071: type eth netdev enp225s0f1np1 flavour physical port 1 splittable false`);
        const vf = JSON.parse(run("devlink", "-j", "port", "show", `pci/${PF1}/65537`).stdout).port[`pci/${PF1}/65537`];
        expect(vf).toMatchObject({ flavour: "pcivf", pfnum: 1, vfnum: 0 });
        // enp225s0f1npf1vf0 would exceed IFNAMSIZ: udev leaves the kernel's name (README.md)
        expect(vf.netdev.length).toBeLessThanOrEqual(15);
        expect(host.sh(`cat /sys/class/net/enp225s0f1np1/phys_port_name /sys/class/net/${vf.netdev}/phys_port_name`).stdout)
            .toBe("p1\npf1vf0\n");
        expect(host.sh(`readlink -f /sys/class/net/${vf.netdev}/device`).stdout).toBe(`${DEV}/${PF1}\n`);
    });

    test("the product's parser reads LINK_TYPE_P2 of either PF with the real query's columns", () => {
        const real = parse("mstconfig-query-e", section("mstconfig-query-e.txt", "# Older mstflint (2019"));
        for (const pf of [PF0, PF1]) {
            const fake = parse("mstconfig-query-e", run(...mstconfigQuery(PciAddress.of(pf))).stdout);
            if (!fake.ok || !real.ok || fake.value.kind !== "query-e" || real.value.kind !== "query-e")
                throw new Error(`not a query: ${JSON.stringify(fake).slice(0, 200)}`);
            const column = Object.keys(Object.values(real.value.params)[0]).sort();
            expect(Object.keys(fake.value.params.LINK_TYPE_P2).sort()).toEqual(column);
            expect(fake.value.params.LINK_TYPE_P2.current.raw).toBe("ETH(2)");
        }
    });

    test("names as on the real dual-port host of vf-representor-netdev.txt: enp1s0f0np0, enp1s0f1np1, enp1s0f1npf1vf0", () => {
        const sampleText = sample("vf-representor-netdev.txt");
        // the sample's `ip -d link show` lines: ifname, portname, switchid, parentdev
        const real = [...sampleText.matchAll(/^\d+: (\S+): .*\n.* portname (\S+) switchid (\S+) parentbus pci parentdev (\S+)/gm)]
            .map(m => ({ name: m[1], portname: m[2], switchid: m[3], parentdev: m[4] }));
        expect(real.map(r => r.name)).toEqual(["enp1s0f0np0", "enp1s0f0npf0vf0", "enp1s0f1npf1vf0"]);
        host.writeScenario({ timing: { scale: 0.01 }, nics: [0, 1].map(fn => ({
            pf: `0000:01:00.${fn}`, eswitch: "switchdev", vfs: [{ driver: null }] })) });
        expect(host.run([`${HW}/load`]).status).toBe(0);
        expect(host.hwState().nics.map((n: { netdev: string }) => n.netdev)).toEqual(["enp1s0f0np0", "enp1s0f1np1"]);
        const ids = new Set<string>();
        for (const r of real) {
            const got = host.sh(`cd /sys/class/net/${r.name} && cat phys_port_name phys_switch_id && basename $(readlink -f device)`);
            const [portname, switchid, parentdev] = got.stdout.trim().split("\n");
            expect({ name: r.name, portname, parentdev }).toEqual({ name: r.name, portname: r.portname, parentdev: r.parentdev });
            ids.add(switchid);
        }
        // one e-switch id for the adapter's ports (the sample's switchid is the same on both PFs)
        expect(new Set(real.map(r => r.switchid)).size).toBe(1);
        expect(ids.size).toBe(1);
    });
});
