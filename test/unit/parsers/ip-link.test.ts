import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "vf-representor-netdev.txt";
const UPLINK = afterCommand(FILE, "root@tester03:~# ip -d link show enp1s0f0np0");
const REP0 = afterCommand(FILE, "root@tester03:~# ip -d link show enp1s0f0npf0vf0");
const REP1 = afterCommand(FILE, "root@tester03:~# ip -d link show enp1s0f1npf1vf0");

describe("ip-link on vf-representor-netdev.txt (CX-4 Lx switchdev + OVS)", () => {
    test("uplink enp1s0f0np0: up with carrier, portname p0, switchid, parent PCI device, its VF 0 line", () => {
        expect(parsed("ip-link", UPLINK).links).toEqual([{
            ifindex: 2, name: "enp1s0f0np0", flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], up: true, lowerUp: true,
            operState: "UP", mtu: 1500, linkType: "ether", mac: "94:40:c9:c3:67:fa", portName: "p0", switchId: "fa67c3ffffc94094",
            parentBus: "pci", parentDev: "0000:01:00.0", altNames: [], details: [],
            vfs: [{ vf: 0, mac: "00:00:00:00:00:00", details: "brd ff:ff:ff:ff:ff:ff, spoof checking off, link-state disable, trust off, query_rss off" }],
        }]);
    });

    test("representors pf0vf0 and pf1vf0 share the switch id; the one of VF 0 on port 0 is found by portname", () => {
        const links = [UPLINK, REP0, REP1].flatMap(t => parsed("ip-link", t).links);
        expect(links.map(l => [l.name, l.portName, l.parentDev])).toEqual([
            ["enp1s0f0np0", "p0", "0000:01:00.0"], ["enp1s0f0npf0vf0", "pf0vf0", "0000:01:00.0"], ["enp1s0f1npf1vf0", "pf1vf0", "0000:01:00.1"],
        ]);
    });
});

describe("ip-link edge cases", () => {
    test("down interface, altname, @parent, driver-specific detail lines kept raw", () => {
        const v = parsed("ip-link", "5: vlan10@eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
            "    link/ether 52:54:00:AA:BB:CC brd ff:ff:ff:ff:ff:ff promiscuity 0\n    vlan protocol 802.1Q id 10 <REORDER_HDR>\n    altname enp0s1.10\n");
        expect(v.links[0]).toMatchObject({ name: "vlan10", parent: "eth0", up: false, operState: "DOWN", mac: "52:54:00:aa:bb:cc",
            altNames: ["enp0s1.10"], details: ["vlan protocol 802.1Q id 10 <REORDER_HDR>"] });
    });

    test("error text, detail before any interface, bad mtu; empty output is no interface", () => {
        expect(parseError("ip-link", 'Device "enp9s0" does not exist.\n')).toMatchObject({ line: 1 });
        expect(parseError("ip-link", "    link/ether 00:00:00:00:00:00\n").line).toBe(1);
        expect(parseError("ip-link", "2: e: <UP> mtu big\n").message).toMatch(/mtu/);
        expect(parsed("ip-link", "").links).toEqual([]);
    });
});
