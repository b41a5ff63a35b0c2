/*
 * The guest's network as the destination sees it: `virsh domifaddr --source agent --full` (the layout of libvirt's
 * tools/virsh-domain-monitor.c, cmdDomIfAddr; no real capture in ../shared/formats), iputils ping's summary and
 * `ip -j route get` (both captured on this machine's simulated hosts: iputils 20221126, iproute2 6.1).
 */
import { parse } from "../../../src/parsers";
import { parsed, parseError } from "./expect-parse";

const DOMIFADDR = ` Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 lo         00:00:00:00:00:00    ipv4         127.0.0.1/8
 lo         00:00:00:00:00:00    ipv6         ::1/128
 eth0       52:54:00:5A:11:01    ipv4         198.51.100.11/24
 eth0       52:54:00:5A:11:01    ipv6         fe80::5054:ff:fe5a:1101/64
 eth1       52:54:00:00:00:02    N/A          N/A
`;

test("domifaddr: every address with its interface and MAC (lower case); an interface without address lists none", () => {
    expect(parsed("virsh-domifaddr", DOMIFADDR).addresses).toEqual([
        { iface: "lo", mac: "00:00:00:00:00:00", family: "ipv4", address: "127.0.0.1", prefix: 8 },
        { iface: "lo", mac: "00:00:00:00:00:00", family: "ipv6", address: "::1", prefix: 128 },
        { iface: "eth0", mac: "52:54:00:5a:11:01", family: "ipv4", address: "198.51.100.11", prefix: 24 },
        { iface: "eth0", mac: "52:54:00:5a:11:01", family: "ipv6", address: "fe80::5054:ff:fe5a:1101", prefix: 64 },
    ]);
});

test("domifaddr: an interface the agent reports without a hardware address (libvirt prints it empty) is left out", () => {
    const text = DOMIFADDR + " tun0                            ipv4         10.8.0.2/24\n";
    expect(parsed("virsh-domifaddr", text).addresses.map(a => a.iface)).toEqual(["lo", "lo", "eth0", "eth0"]);
});

test("domifaddr: the header in the admin's language is skipped up to the dashed line", () => {
    const fr = DOMIFADDR.replace(" Name       MAC address          Protocol     Address", " Nom        Adresse MAC          Protocole    Adresse");
    expect(parsed("virsh-domifaddr", fr).addresses).toHaveLength(4);
});

test("domifaddr: a line of another shape is an error naming it, never an address", () => {
    const HEAD = DOMIFADDR.split("\n").slice(0, 2).join("\n") + "\n";
    expect(parseError("virsh-domifaddr", `${HEAD} eth0  52:54:00:5a:11:01  ipv4\n`)).toMatchObject({ line: 3, text: " eth0  52:54:00:5a:11:01  ipv4" });
    expect(parseError("virsh-domifaddr", `${HEAD} eth0  52:54:00:5a:11:01  ipx  10.0.0.1/8\n`).line).toBe(3);
    expect(parseError("virsh-domifaddr", `${HEAD} eth0  not-a-mac  ipv4  10.0.0.1/8\n`).line).toBe(3);
    expect(parse("virsh-domifaddr", " eth0  52:54:00:5a:11:01  ipv4  10.0.0.1/8\n").ok).toBe(false);
});

test("ping: transmitted and received from the summary, with the line kept; with errors too", () => {
    const answered = "PING 198.51.100.11 (198.51.100.11) 56(84) bytes of data.\n" +
        "64 bytes from 198.51.100.11: icmp_seq=1 ttl=64 time=0.850 ms\n64 bytes from 198.51.100.11: icmp_seq=2 ttl=64 time=0.678 ms\n" +
        "64 bytes from 198.51.100.11: icmp_seq=3 ttl=64 time=0.764 ms\n\n--- 198.51.100.11 ping statistics ---\n" +
        "3 packets transmitted, 3 received, 0% packet loss, time 407ms\nrtt min/avg/max/mdev = 0.678/0.764/0.850/0.070 ms\n";
    expect(parsed("ping-summary", answered)).toEqual({ transmitted: 3, received: 3, line: "3 packets transmitted, 3 received, 0% packet loss, time 407ms" });
    expect(parsed("ping-summary", "--- 198.51.100.99 ping statistics ---\n3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2040ms\n"))
        .toMatchObject({ transmitted: 3, received: 0 });
    expect(parse("ping-summary", "PING 198.51.100.99 (198.51.100.99) 56(84) bytes of data.\n").ok).toBe(false);
});

test("ip route get: the interface, and the gateway only when the address is not on a network of the host's own", () => {
    expect(parsed("ip-route-get", '[{"dst":"198.51.100.11","dev":"br-vf","prefsrc":"198.51.100.2","flags":[],"uid":0,"cache":[]}]\n'))
        .toEqual({ dev: "br-vf", gateway: null, type: null });
    expect(parsed("ip-route-get", '[{"dst":"203.0.113.5","gateway":"192.0.2.254","dev":"eno1","prefsrc":"192.0.2.2","flags":[],"uid":0,"cache":[]}]\n'))
        .toEqual({ dev: "eno1", gateway: "192.0.2.254", type: null });
    // one of the host's own addresses
    expect(parsed("ip-route-get", '[{"type":"local","dst":"198.51.100.2","dev":"lo","prefsrc":"198.51.100.2","flags":[],"uid":0,"cache":["local"]}]\n'))
        .toEqual({ dev: "lo", gateway: null, type: "local" });
    expect(parse("ip-route-get", "[]").ok).toBe(false);
});
