import { buildFacts, discoveredPfs } from "../../../src/checks/gather";
import { DISCOVERY, probePlan } from "../../../src/checks/plan";
import type { CommandEvidence } from "../../../src/checks/types";
import { PciAddress } from "../../../src/host/values";

const PF = "0000:e1:00.0";
const items = probePlan([PciAddress.of(PF)]);

function rec(key: string, stdout: string, exitStatus = 0, stderr = ""): [string, CommandEvidence] {
    const it = items.find(i => i.key === key);
    if (!it)
        throw new Error(`no probe item ${key}`);
    return [key, { host: "h", argv: it.argv, stdout, stderr, exitStatus, durationMs: 3 }];
}

function outcome(over: [string, CommandEvidence][] = [], problem?: string) {
    const map = new Map<string, CommandEvidence>([
        rec("lspci", `${PF} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n` +
            "0000:e1:00.1 Ethernet controller [0200]: Mellanox Technologies ConnectX Family mlx5Gen Virtual Function [15b3:101e]\n"),
        rec("virt-host-validate", "  QEMU: Checking for device assignment IOMMU support                         : PASS\n" +
            "  QEMU: Checking if IOMMU is enabled by kernel                               : WARN (IOMMU appears to be disabled in kernel. Add intel_iommu=on to kernel cmdline arguments)\n", 1),
        rec(`${PF}/virtfn`, "virtfn0 ../0000:e1:00.1\n"),
        rec("drivers", "/sys/bus/pci/drivers/mlx5_core/0000:e1:00.0\n/sys/bus/pci/drivers/mlx5_vfio_pci/0000:e1:00.1\n"),
        rec("iommu-groups", "/sys/kernel/iommu_groups/40/devices/0000:e1:00.1\n/sys/kernel/iommu_groups/39/devices/0000:e1:00.0\n"),
        rec(`${PF}/sriov`, `/sys/bus/pci/devices/${PF}/sriov_totalvfs:8\n/sys/bus/pci/devices/${PF}/sriov_numvfs:1\n`),
        rec(`${PF}/net`, "enp225s0np0\n"),
        ...over,
    ]);
    const records = items.map(i => map.get(i.key) ?? { host: "h", argv: i.argv, stdout: "", stderr: "not in this test", exitStatus: 1, durationMs: 1 });
    return { host: "h", items, records, ...(problem ? { problem } : {}) };
}

describe("facts from probe records", () => {
    test("the discovery probe finds ConnectX-7 PFs, not their VFs", () => {
        const lspci = outcome().records[0];
        expect(DISCOVERY[0].key).toBe("lspci");
        expect(discoveredPfs(lspci)).toEqual([PF]);
    });

    test("virt-host-validate's exit status 1 still tells the IOMMU state, from its lines", () => {
        const f = buildFacts(outcome());
        expect(f.hardwareIommu).toEqual(expect.objectContaining({ known: true, value: "warn" }));
        if (f.hardwareIommu.known)
            expect(f.hardwareIommu.evidence[0].lines.join("\n")).toContain("Add intel_iommu=on");
    });

    // shared/formats/virt-host-validate.txt (d): the firmware has no DMAR table; libvirt says WARN, not FAIL
    test("no ACPI DMAR table: the hardware IOMMU check fails, whatever the kernel line says", () => {
        const f = buildFacts(outcome([rec("virt-host-validate",
            "QEMU: Checking for device assignment IOMMU support : WARN (No ACPI DMAR table found, IOMMU either disabled in BIOS or not supported by this hardware platform)\n", 1)]));
        expect(f.hardwareIommu).toEqual(expect.objectContaining({ known: true, value: "fail" }));
        // the same line's other WARN (no vmx/svm flag seen, e.g. nested): not a missing table
        const other = buildFacts(outcome([rec("virt-host-validate",
            "QEMU: Checking for device assignment IOMMU support : WARN (Unknown if this platform has IOMMU support)\n", 1)]));
        expect(other.hardwareIommu).toEqual(expect.objectContaining({ known: true, value: "warn" }));
    });

    test("a VF's driver, IOMMU group and PCI address come from sysfs listings", () => {
        const f = buildFacts(outcome());
        expect(f.nics.known).toBe(true);
        if (!f.nics.known)
            return;
        const nic = f.nics.value[0];
        expect(nic.netdev).toBe("enp225s0np0");
        expect(nic.numVfs).toBe(1);
        expect(nic.totalVfs).toBe(8);
        expect(nic.vfs).toEqual([expect.objectContaining({ pci: "0000:e1:00.1", driver: "mlx5_vfio_pci", iommuGroup: "40", iommuGroupMembers: ["0000:e1:00.1"] })]);
    });

    // review R3: the PF's net/ folder also holds the VF representors; an admin's rename can sort one first
    test("the PF's netdev is the one its devlink uplink port names, not the first name in its net/ folder", () => {
        const ports = JSON.stringify({ port: {
            [`pci/${PF}/65535`]: { type: "eth", netdev: "uplink0", flavour: "physical", port: 0, splittable: false },
            [`pci/${PF}/1`]: { type: "eth", netdev: "enp225s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false, splittable: false },
        } });
        const netdev = (over: [string, CommandEvidence][]) => {
            const f = buildFacts(outcome([rec(`${PF}/net`, "enp225s0npf0vf0\nuplink0\n"), ...over]));
            return f.nics.known ? f.nics.value[0].netdev : undefined;
        };
        expect(netdev([rec("devlink-ports", ports)])).toBe("uplink0");
        // InfiniBand: the uplink names an ibdev; the IPoIB interface in the folder is the one the guards watch
        const ib = JSON.stringify({ port: { [`pci/${PF}/65535`]: { type: "ib", ibdev: "mlx5_0", flavour: "physical", port: 1 } } });
        const f = buildFacts(outcome([rec(`${PF}/net`, "ibp225s0\n"), rec("devlink-ports", ib)]));
        expect(f.nics.known && f.nics.value[0].netdev).toBe("ibp225s0");
        // devlink not answering: the folder's first name, so that the lock-out guards still have an interface to watch
        expect(netdev([])).toBe("enp225s0npf0vf0");
    });

    // shared/formats/vf-representor-netdev.txt: the representor is a netdev of its own, with the UP flag when up
    test("a VF's representor is read as up or down from ip link's flags; not listed, it is not known", () => {
        const ports = JSON.stringify({ port: {
            [`pci/${PF}/65535`]: { type: "eth", netdev: "enp225s0np0", flavour: "physical", port: 0, splittable: false },
            [`pci/${PF}/1`]: { type: "eth", netdev: "enp225s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false, splittable: false },
        } });
        const rep = (flags: string) => `13: enp225s0npf0vf0: <${flags}> mtu 1500 qdisc mq state DOWN mode DEFAULT group default qlen 1000\n` +
            "    link/ether 32:4c:db:2a:0b:74 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9978 addrgenmode none numtxqueues 32 " +
            `numrxqueues 32 gso_max_size 65536 gso_max_segs 65535 portname pf0vf0 switchid fa67c3ffffc94094 parentbus pci parentdev ${PF} \n`;
        const up = (ipLink: string | null) => {
            const f = buildFacts(outcome([rec("devlink-ports", ports), ...(ipLink === null ? [] : [rec("ip-link", ipLink)])]));
            return f.nics.known ? f.nics.value[0].vfs[0].representorUp : undefined;
        };
        expect(up(rep("BROADCAST,MULTICAST,UP,LOWER_UP"))).toBe(true);
        // as the kernel creates it
        expect(up(rep("BROADCAST,MULTICAST"))).toBe(false);
        expect(up(null)).toBeNull();
    });

    test("what the port runs: devlink's uplink port type, else (legacy mode, no uplink port) the PF interface's link type", () => {
        const linkType = (recs: ReturnType<typeof rec>[]) => {
            const f = buildFacts(outcome(recs));
            const t = f.nics.known ? f.nics.value[0].linkType : undefined;
            return t?.known ? t.value : "unknown";
        };
        const uplink = (type: string) => rec("devlink-ports", JSON.stringify({ port: { [`pci/${PF}/65535`]: { type, netdev: "enp225s0np0", flavour: "physical", port: 0 } } }));
        const pfLink = (kind: string) => rec("ip-link", `4: enp225s0np0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\n    link/${kind} e0:9d:73:12:67:44 brd ff:ff:ff:ff:ff:ff\n`);
        expect(linkType([uplink("eth")])).toBe("eth");
        expect(linkType([uplink("ib")])).toBe("ib");
        // legacy mode on RHEL kernels: no uplink port; the PF's interface from its net/ folder
        const legacy = [rec(`${PF}/net`, "enp225s0np0\n"), rec("devlink-ports", JSON.stringify({ port: {} }))];
        expect(linkType([...legacy, pfLink("ether")])).toBe("eth");
        expect(linkType(legacy)).toBe("unknown");
    });

    test("the PF interface's MTU, from ip link, for the pair's MTU check; unread stays unknown", () => {
        const mtuOf = (recs: ReturnType<typeof rec>[]) => {
            const f = buildFacts(outcome(recs));
            const m = f.nics.known ? f.nics.value[0].mtu : undefined;
            return m?.known ? m.value : "unknown";
        };
        const uplink = rec("devlink-ports", JSON.stringify({ port: { [`pci/${PF}/65535`]: { type: "eth", netdev: "enp225s0np0", flavour: "physical", port: 0 } } }));
        const link = rec("ip-link", "4: enp225s0np0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc mq state UP mode DEFAULT group default qlen 1000\n" +
            "    link/ether e0:9d:73:12:67:44 brd ff:ff:ff:ff:ff:ff\n");
        expect(mtuOf([uplink, link])).toBe(9000);
        expect(mtuOf([uplink])).toBe("unknown");
    });

    test("a command that failed makes its fact unknown with the tool's error", () => {
        const f = buildFacts(outcome([rec(`${PF}/mstconfig`, "", 3, "-E- Failed to open device: 0000:e1:00.0")]));
        const params = f.nics.known ? f.nics.value[0].params : null;
        expect(params).toEqual(expect.objectContaining({ known: false }));
        if (params && !params.known)
            expect(params.reason).toContain("-E- Failed to open device");
    });

    test("a command the probe's time limit stopped, or whose output it cut, is unknown and says which limit", () => {
        const [key, c] = rec("cmdline", "BOOT_IMAGE=/vmlinuz ro\n", 124);
        let f = buildFacts(outcome([[key, { ...c, stoppedAfterS: 20 }]]));
        expect(f.cmdline).toEqual(expect.objectContaining({ known: false, reason: "“cat” did not finish within 20 seconds and was stopped" }));
        f = buildFacts(outcome([[key, { ...c, exitStatus: 0, truncated: { stdout: true, stderr: false }, outputLimit: 1048576 }]]));
        expect(f.cmdline).toEqual(expect.objectContaining({ known: false, reason: "the output of “cat” was longer than the 1 MiB read and was cut" }));
    });

    test("output the parser did not expect is unknown, naming the line, never a pass", () => {
        const f = buildFacts(outcome([rec("cmdline", "BOOT_IMAGE=/vmlinuz ro\nsecond line\n")]));
        expect(f.cmdline.known).toBe(false);
        if (!f.cmdline.known)
            expect(f.cmdline.reason).toContain("line 2");
    });

    test("commands the probe did not reach are unknown with the probe's problem", () => {
        const o = outcome();
        const cut = { ...o, records: o.records.slice(0, 3), problem: "cut short" };
        const f = buildFacts(cut);
        expect(f.ovs.known).toBe(false);
        if (!f.ovs.known)
            expect(f.ovs.reason).toContain("cut short");
    });

    test("the host is named as `hostname` says, or not at all when it failed", () => {
        expect(buildFacts(outcome([rec("hostname", "rhel-src.example.test\n")])).hostname).toBe("rhel-src.example.test");
        expect(buildFacts(outcome([rec("hostname", "", 1)])).hostname).toBeNull();
    });

    test("each bridge port's VLAN, as ovs-vsctl show prints it (Open vSwitch 3.1 on the simulated pair); a value that is no VLAN left out", () => {
        const show = `3a503429-cc01-46d6-98b1-6391b2669196
    Bridge br-vf
        datapath_type: netdev
        Port enp225s0np0
            Interface enp225s0np0
        Port enp225s0npf0vf0
            tag: 100
            Interface enp225s0npf0vf0
        Port enp225s0npf0vf1
            trunks: [10, 20]
            Interface enp225s0npf0vf1
        Port enp225s0npf0vf2
            tag: 9000
            Interface enp225s0npf0vf2
    ovs_version: "3.1.0"
`;
        const f = buildFacts(outcome([rec("ovs-show", show)]));
        expect(f.ovs.known && f.ovs.value.vlans).toEqual({
            enp225s0np0: { tag: null, trunks: [] },
            enp225s0npf0vf0: { tag: 100, trunks: [] },
            enp225s0npf0vf1: { tag: null, trunks: [10, 20] },
        });
    });

    test("Open vSwitch not running is a known fact, not an unknown", () => {
        const f = buildFacts(outcome([rec("ovs-show", "", 1, "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)")]));
        expect(f.ovs).toEqual(expect.objectContaining({ known: true, value: expect.objectContaining({ running: false }) }));
    });

    // which connections count (ports, processes, IPv6, link-local) is the bash rule's: test/unit/steps/export.test.ts
    // review W1: the kernel's route of each connection, not the interface that holds its local address
    test("with the routes read (vfm_mgmt_routes), the interface the kernel routes each connection through counts", () => {
        const addrs = rec("ip-addr", "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n1: lo    inet 192.0.2.10/32 scope global lo\\       valid_lft forever\n" +
            "4: enp193s0np0    inet 198.51.100.2/24 scope global enp193s0np0\\       valid_lft forever\n3: eno1    inet 10.0.0.2/24 scope global eno1\\       valid_lft forever\n");
        // SSH to an address on lo (a routed /32, as anycast or BGP set-ups have), answered over the PF
        let f = buildFacts(outcome([rec("mgmt-routes", "192.0.2.10 22 203.0.113.7 51234 sshd enp193s0np0\n127.0.0.1 9090 127.0.0.1 40100 - lo\n"), addrs]));
        expect(f.managementInterfaces).toEqual(expect.objectContaining({ known: true, value: ["enp193s0np0"] }));
        expect(f.managementInterfaces.evidence[0].command.argv.slice(0, 2)).toEqual(["bash", "-c"]);
        // ip did not say: the interface that holds the local address
        f = buildFacts(outcome([rec("mgmt-routes", "10.0.0.2 22 10.0.0.9 51000 - -\n"), addrs]));
        expect(f.managementInterfaces).toEqual(expect.objectContaining({ known: true, value: ["eno1"] }));
        // no management connection at all: known, none
        f = buildFacts(outcome([rec("mgmt-routes", ""), addrs]));
        expect(f.managementInterfaces).toEqual(expect.objectContaining({ known: true, value: [] }));
    });
});

describe("what protects the migration", () => {
    test("SSH_CONNECTION's first field is the source's address; a host not reached over SSH has none", () => {
        expect(buildFacts(outcome([rec("ssh-connection", "192.0.2.1 40522 192.0.2.2 22\n")])).sshPeer)
            .toEqual(expect.objectContaining({ known: true, value: "192.0.2.1" }));
        expect(buildFacts(outcome([rec("ssh-connection", "", 1)])).sshPeer.known).toBe(false);
        expect(buildFacts(outcome([rec("ssh-connection", "192.0.2.999 40522 192.0.2.2 22\n")])).sshPeer.known).toBe(false);
    });

    test("a missing configuration file is libvirt's defaults (known, empty); a set value is read", () => {
        const f = buildFacts(outcome([
            rec("virtproxyd-conf", "", 1, "cat: /etc/libvirt/virtproxyd.conf: No such file or directory\n"),
            rec("libvirtd-conf", 'auth_tcp = "none"\n'),
            rec("qemu-conf", "", 1, "cat: /etc/libvirt/qemu.conf: Permission denied\n"),
        ]));
        expect(f.libvirtConf.virtproxyd).toEqual(expect.objectContaining({ known: true, value: {} }));
        expect(f.libvirtConf.libvirtd).toEqual(expect.objectContaining({ known: true, value: { auth_tcp: "none" } }));
        expect(f.libvirtConf.qemu.known).toBe(false);
    });

    test("TLS files: ls lists those that exist (exit 2 when some are missing); rich rules come with the firewall", () => {
        const f = buildFacts(outcome([
            rec("tls-files", "/etc/pki/CA/cacert.pem\n", 2, "ls: cannot access '/etc/pki/libvirt/servercert.pem': No such file or directory\n"),
            rec("firewall-state", "running\n"),
            rec("firewall", 'public (active)\n  ports: \n  rich rules: \n\trule family="ipv4" source address="192.0.2.1" port port="16514" protocol="tcp" accept\n'),
            rec("firewall-default-zone", "public\n"),
        ]));
        expect(f.tlsFiles).toEqual(expect.objectContaining({ known: true, value: ["/etc/pki/CA/cacert.pem"] }));
        expect(f.firewall.known && f.firewall.value.richRules).toEqual(['rule family="ipv4" source address="192.0.2.1" port port="16514" protocol="tcp" accept']);
    });
});

describe("the PF's own addresses (R4)", () => {
    test("only those of scope global count: the link-local address every interface has does not", () => {
        const f = buildFacts(outcome([rec("ip-addr",
            "6: enp225s0np0    inet 198.51.100.5/24 brd 198.51.100.255 scope global enp225s0np0\\       valid_lft forever preferred_lft forever\n" +
            "6: enp225s0np0    inet6 fe80::98cc:f3ff:fed6:a160/64 scope link proto kernel_ll \\       valid_lft forever preferred_lft forever\n")]));
        expect(f.nics.known && f.nics.value[0].addresses).toEqual(["198.51.100.5/24"]);
        const none = buildFacts(outcome([rec("ip-addr", "6: enp225s0np0    inet6 fe80::98cc:f3ff:fed6:a160/64 scope link proto kernel_ll \\       valid_lft forever\n")]));
        expect(none.nics.known && none.nics.value[0].addresses).toEqual([]);
        const failed = buildFacts(outcome([rec("ip-addr", "", 1, "Cannot open netlink socket")])).nics;
        expect(failed.known && failed.value[0].addresses).toBeNull();
    });
});

describe("the firewall zone the source's connections arrive in (R6)", () => {
    // firewalld 1.3.4's --list-all-zones: every zone, "(active)" on those with interfaces or sources, a blank line after each
    const zone = (name: string, fields: string) => `${name}${/(interfaces|sources): \S/.test(fields) ? " (active)" : ""}\n  target: default\n${fields}\n`;
    const ZONES = [
        zone("public", "  interfaces: eth0\n  sources: \n  ports: \n  rich rules: "),
        zone("internal", "  interfaces: eno1\n  sources: \n  ports: \n  rich rules: \n\trule family=\"ipv4\" source address=\"192.0.2.1\" port port=\"49152-49215\" protocol=\"tcp\" accept"),
        zone("trusted", "  interfaces: \n  sources: 198.51.100.0/24\n  ports: \n  rich rules: "),
    ].join("\n");
    const facts = (sshConnection: string, defaultZone = "public\n") => buildFacts(outcome([
        rec("firewall-state", "running\n"),
        rec("firewall", ZONES),
        rec("firewall-default-zone", defaultZone),
        rec("ssh-connection", sshConnection),
        rec("ip-addr", "2: eno1    inet 192.0.2.2/24 brd 192.0.2.255 scope global eno1\\       valid_lft forever preferred_lft forever\n" +
            "3: eth0    inet 203.0.113.2/24 brd 203.0.113.255 scope global eth0\\       valid_lft forever preferred_lft forever\n"),
    ])).firewall;

    test("the interface that holds the address the source connects to names the zone, not the default zone", () => {
        const fw = facts("192.0.2.1 40522 192.0.2.2 22\n");
        expect(fw.known && fw.value).toEqual(expect.objectContaining({ zone: "internal", zoneBy: "interface", ingress: "eno1",
            richRules: ['rule family="ipv4" source address="192.0.2.1" port port="49152-49215" protocol="tcp" accept'] }));
    });

    test("a zone bound to the source's address wins over the interface's zone", () => {
        const fw = facts("198.51.100.7 40522 192.0.2.2 22\n");
        expect(fw.known && fw.value).toEqual(expect.objectContaining({ zone: "trusted", zoneBy: "source", ingress: "eno1" }));
    });

    test("an interface in no zone: the default zone", () => {
        const fw = facts("192.0.2.1 40522 192.0.2.9 22\n", "trusted\n");
        expect(fw.known && fw.value).toEqual(expect.objectContaining({ zone: "trusted", zoneBy: "default", ingress: null }));
    });

    test("a default zone the listing does not hold, or no default zone named: unknown, with why", () => {
        const fw = facts("192.0.2.1 40522 192.0.2.9 22\n", "dmz\n");
        expect(fw).toEqual(expect.objectContaining({ known: false, reason: "firewall-cmd lists no zone dmz, its default zone" }));
        expect(facts("192.0.2.1 40522 192.0.2.9 22\n", "\n")).toEqual(expect.objectContaining({ known: false, reason: "firewall-cmd did not name its default zone" }));
    });
});

describe("one firmware query per adapter (R10)", () => {
    // a dual-port ConnectX-7 (functions .0 and .1 of one slot) and a second, single-port card
    const PFS = ["0000:e1:00.0", "0000:e1:00.1", "0000:c1:00.0"];
    const QUERY = "\nDevice #1:\n----------\n\nDevice type:        ConnectX7           \nDevice:             0000:e1:00.0        \n\n" +
        "Configurations:                                     Default              Current              Next Boot\n" +
        "*       VF_MIGRATION_MODE                           DEVICE_DEFAULT(0)    MIGRATION_ENABLED(2) MIGRATION_ENABLED(2)\n" +
        "        LINK_TYPE_P1                                ETH(2)               ETH(2)               ETH(2)              \n" +
        "        LINK_TYPE_P2                                ETH(2)               ETH(2)               ETH(2)              \n";

    test("the probe queries each adapter once, through its first port; both ports read that answer", () => {
        const plan = probePlan(PFS.map(p => PciAddress.of(p)));
        expect(plan.filter(i => i.slow).map(i => i.argv)).toEqual([
            ["mstconfig", "-d", "0000:e1:00.0", "-e", "query"], ["mstconfig", "-d", "0000:c1:00.0", "-e", "query"]]);
        const lspci = PFS.map(p => `${p} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n`).join("");
        const answers = new Map<string, string>([["lspci", lspci], ["0000:e1:00.0/mstconfig", QUERY]]);
        const records = plan.map(i => ({ host: "h", argv: i.argv, stdout: answers.get(i.key) ?? "", stderr: "", exitStatus: answers.has(i.key) ? 0 : 1, durationMs: 1 }));
        const nics = buildFacts({ host: "h", items: plan, records }).nics;
        const params = nics.known ? nics.value.map(n => n.params.known ? n.params.value.VF_MIGRATION_MODE?.current : "unknown") : [];
        expect(params).toEqual(["MIGRATION_ENABLED(2)", "MIGRATION_ENABLED(2)", "unknown"]);
    });
});

// #16 W3: a dual-port ConnectX-7 shows two PFs; LINK_TYPE_P<n> and the port's interface are each port's own
describe("the ports of a dual-port adapter", () => {
    const PFS = ["0000:e1:00.0", "0000:e1:00.1", "0000:c1:00.0"];
    const plan = probePlan(PFS.map(p => PciAddress.of(p)));
    const lspci = PFS.map(p => `${p} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n`).join("");
    const facts = (answers: Map<string, string>) => {
        const records = plan.map(i => ({ host: "h", argv: i.argv, stdout: answers.get(i.key) ?? "", stderr: "", exitStatus: answers.has(i.key) ? 0 : 1, durationMs: 1 }));
        const nics = buildFacts({ host: "h", items: plan, records }).nics;
        return nics.known ? nics.value : [];
    };

    test("each PF is numbered by its function within its slot: .0 is port 1, .1 port 2; another card's PF is its own port 1", () => {
        expect(facts(new Map([["lspci", lspci]])).map(n => [n.pci, n.port])).toEqual([["0000:e1:00.0", 1], ["0000:e1:00.1", 2], ["0000:c1:00.0", 1]]);
    });

    // shared/formats/vf-representor-netdev.txt: the uplink's portname is p0/p1, a representor's pf1vf0, same parentdev
    test("without a devlink uplink port, the PF's interface is the one ip link names with port name p<N>, not a representor sorted first", () => {
        const ipLink = "14: enp225s0f1npf1vf0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\n" +
            "    link/ether d6:d2:15:04:7e:85 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9978 portname pf1vf0 switchid fa67c3ffffc94094 parentbus pci parentdev 0000:e1:00.1 \n" +
            "3: enp225s0f1np1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\n" +
            "    link/ether 94:40:c9:c3:67:fb brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9978 portname p1 switchid fa67c3ffffc94094 parentbus pci parentdev 0000:e1:00.1 \n";
        const nics = facts(new Map([["lspci", lspci], ["ip-link", ipLink], ["0000:e1:00.1/net", "enp225s0f1npf1vf0\nenp225s0f1np1\n"]]));
        expect(nics[1].netdev).toBe("enp225s0f1np1");
    });
});
