import { installFakeCockpit } from "../fake-cockpit";
import {
    Bandwidth, BridgeName, DevlinkPort, DriverName, Host, IpAddress, Mac, Netdev, PciAddress, Port, SshUser, ValueError,
    VmName, hostForUri, parseVfCount, pciParts,
} from "../../../src/host/values";

beforeAll(() => { installFakeCockpit() });

function rejects(parse: (s: unknown) => { ok: boolean }, input: unknown, field: string, rule: string) {
    const r = parse(input) as { ok: false; error: ValueError };
    expect(r.ok).toBe(false);
    expect(r.error).toBeInstanceOf(ValueError);
    expect([r.error.field, r.error.rule]).toEqual([field, rule]);
    return r.error.message;
}

test("PCI addresses are normalised; the message names the field and the expected form", () => {
    expect(PciAddress.of("0000:E1:00.1")).toBe("0000:e1:00.1");
    expect(PciAddress.of("e1:00.0")).toBe("0000:e1:00.0");
    expect(pciParts(PciAddress.of("0001:e1:1f.7"))).toEqual({ domain: 1, bus: 0xe1, slot: 0x1f, function: 7 });
    expect(rejects(PciAddress.parse, "zz", "pci-address", "form")).toBe("PCI address “zz” is not of the form 0000:e1:00.1");
    rejects(PciAddress.parse, "0000:e1:20.0", "pci-address", "form");
    rejects(PciAddress.parse, "0000:e1:00.8", "pci-address", "form");
    rejects(PciAddress.parse, "0000:e1:00.0\n", "pci-address", "form");
    expect(() => PciAddress.of("../..")).toThrow(ValueError);
});

test("control characters are shown escaped in messages", () => {
    expect(rejects(PciAddress.parse, "a\u001bb", "pci-address", "form")).toContain("a\\x1bb");
});

test("devlink port handles", () => {
    expect(DevlinkPort.of("pci/0000:E1:00.0/65537")).toBe("pci/0000:e1:00.0/65537");
    rejects(DevlinkPort.parse, "pci/0000:e1:00.0/01", "devlink-port", "form");
    rejects(DevlinkPort.parse, "pci/0000:e1:00.0/4294967296", "devlink-port", "form");
    rejects(DevlinkPort.parse, "auxiliary/mlx5_core.sf.4/1", "devlink-port", "form");
});

test("host names, IPv4 and IPv6", () => {
    expect(Host.of("Dest.Example.COM")).toBe("dest.example.com");
    expect(Host.of("192.0.2.2")).toBe("192.0.2.2");
    expect(Host.of("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(hostForUri(Host.of("2001:db8::1"))).toBe("[2001:db8::1]");
    expect(Host.of("::ffff:192.0.2.1")).toBe("::ffff:c000:201");
    expect(Host.of("2001:0DB8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(Host.of("::")).toBe("::");
    expect(Host.of("1:0:0:0:0:0:0:0")).toBe("1::");
    rejects(Host.parse, "-oProxyCommand=x", "host", "form");
    rejects(Host.parse, "a..b", "host", "form");
    rejects(Host.parse, "192.0.2", "host", "numeric");
    rejects(Host.parse, "1.2.3.256", "host", "numeric");
    rejects(Host.parse, "fe80::1%eth0", "host", "form");
    rejects(Host.parse, "1:2:3:4:5:6:7:8:9", "host", "form");
    rejects(IpAddress.parse, "dest.example.com", "ip-address", "form");
    expect(IpAddress.of("1:2:3:4:5:6:7:8")).toBe("1:2:3:4:5:6:7:8");
});

test("SSH user, port, MAC", () => {
    expect(SshUser.of("root")).toBe("root");
    rejects(SshUser.parse, "-l", "ssh-user", "form");
    rejects(SshUser.parse, "a@b", "ssh-user", "form");
    expect(Port.of("22")).toBe(22);
    expect(rejects(Port.parse, "0", "port", "range")).toBe("Port number “0” is not between 1 and 65535");
    rejects(Port.parse, "022", "port", "form");
    rejects(Port.parse, 1.5, "port", "form");
    expect(Mac.of("52-54-00-AB-CD-EF")).toBe("52:54:00:ab:cd:ef");
    rejects(Mac.parse, "01:00:5e:00:00:01", "mac", "unicast");
    rejects(Mac.parse, "00:00:00:00:00:00", "mac", "zero");
    rejects(Mac.parse, "52:54:00:ab:cd-ef", "mac", "form");
});

test("netdev and bridge names follow the kernel's rules", () => {
    expect(Netdev.of("enp225s0npf0vf0")).toBe("enp225s0npf0vf0");
    rejects(Netdev.parse, "enp225s0npf0vf10", "netdev", "length");
    rejects(Netdev.parse, "..", "netdev", "dots");
    rejects(Netdev.parse, "a b", "netdev", "characters");
    rejects(Netdev.parse, "a/b", "netdev", "characters");
    rejects(Netdev.parse, "-x", "netdev", "dash");
    rejects(Netdev.parse, "ééééééééé", "netdev", "length");
    expect(BridgeName.of("br-vf")).toBe("br-vf");
    rejects(BridgeName.parse, "", "bridge", "length");
});

test("VM names, VF counts, bandwidth, driver names", () => {
    expect(VmName.of("rhel 9 guest – test")).toBe("rhel 9 guest – test");
    rejects(VmName.parse, "a/b", "vm-name", "characters");
    rejects(VmName.parse, "a\nb", "vm-name", "characters");
    rejects(VmName.parse, "--help", "vm-name", "dash");
    rejects(VmName.parse, " vm", "vm-name", "spaces");
    rejects(VmName.parse, "", "vm-name", "length");
    expect(parseVfCount("4", 16)).toEqual({ ok: true, value: 4 });
    expect(parseVfCount(17, 16).ok).toBe(false);
    expect(Bandwidth.of(100)).toBe(100);
    rejects(Bandwidth.parse, -1, "bandwidth", "range");
    rejects(Bandwidth.parse, "1e3", "bandwidth", "form");
    expect(DriverName.of("mlx5_vfio_pci")).toBe("mlx5_vfio_pci");
    rejects(DriverName.parse, "../x", "driver", "form");
    rejects(PciAddress.parse, 5, "pci-address", "type");
});
