/*
 * Every argv builder, fed generated inputs through the value types: whatever is accepted yields exactly the
 * expected words — no extra argument, each value in its own slot, never in option position.
 */
import fc from "fast-check";
import { installFakeCockpit } from "../fake-cockpit";
import { inputs, property } from "./arbitraries";
import * as devlink from "../../../src/host/commands/devlink";
import * as ip from "../../../src/host/commands/ip";
import * as mst from "../../../src/host/commands/mst";
import * as net from "../../../src/host/commands/network";
import * as ovs from "../../../src/host/commands/ovs";
import * as V from "../../../src/host/commands/virsh";
import * as systemd from "../../../src/host/commands/systemd";
import * as fw from "../../../src/host/commands/firewalld";
import * as grubby from "../../../src/host/commands/grubby";
import * as system from "../../../src/host/commands/system";
import {
    BridgeName, DevlinkPort, Host, IpAddress, Netdev, PciAddress, Port, Result, VmName,
} from "../../../src/host/values";

beforeAll(() => { installFakeCockpit() });

const pciValid = fc.stringMatching(/^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]$/);
const pciIn = inputs(pciValid);
const portIn = inputs(fc.tuple(pciValid, fc.nat()).map(([p, n]) => `pci/${p}/${n}`));
const devIn = inputs(fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/));
const vmIn = inputs(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }));
const hostIn = inputs(fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()));

/** Builds from each input that all value types accept; `expected` names the words, values at their slots. */
function builder<T extends unknown[]>(name: string, arb: fc.Arbitrary<unknown[]>, parse: (xs: unknown[]) => Result<unknown>[],
                                      build: (...vs: T) => readonly string[], expected: (...vs: T) => (string | number)[]) {
    property(`${name}: exact words, values in their own slots, never an option`, arb, xs => {
        const rs = parse(xs);
        if (!rs.every(r => r.ok))
            return;
        const vs = rs.map(r => (r as { value: unknown }).value) as T;
        const argv = build(...vs);
        const want = expected(...vs).map(String);
        if (argv.length !== want.length || argv.some((w, i) => w !== want[i]))
            throw new Error(`${name}: ${JSON.stringify(argv)} != ${JSON.stringify(want)}`);
        // each value's slot: never option-like unless after `--`
        const dashdash = argv.indexOf("--");
        vs.forEach(v => {
            const s = String(v);
            const at = argv.findIndex(w => w === s || w.endsWith("/" + s) || w.endsWith("=" + s));
            if (at >= 0 && argv[at].startsWith("-") && !(dashdash >= 0 && at > dashdash) && !argv[at].includes("="))
                throw new Error(`${name}: value in option position: ${JSON.stringify(argv)}`);
        });
        if (argv.some(w => w.includes("\0")))
            throw new Error("NUL in argv");
    });
}

const one = (a: fc.Arbitrary<string>) => a.map(x => [x]);
const pf = (xs: unknown[]) => [PciAddress.parse(xs[0])];

builder("devlink eswitch show", one(pciIn), pf, devlink.devlinkEswitchShow, p => ["devlink", "-j", "dev", "eswitch", "show", `pci/${p}`]);
builder("devlink eswitch set", fc.tuple(pciIn, fc.constantFrom("switchdev", "legacy")), xs => [PciAddress.parse(xs[0]), { ok: true, value: xs[1] }],
        devlink.devlinkEswitchSet, (p, m) => ["devlink", "dev", "eswitch", "set", `pci/${p}`, "mode", m]);
builder("devlink dev info", one(pciIn), pf, devlink.devlinkDevInfo, p => ["devlink", "-j", "dev", "info", `pci/${p}`]);
builder("devlink port show", one(portIn), xs => [DevlinkPort.parse(xs[0])], (p: DevlinkPort) => devlink.devlinkPortShow(p), p => ["devlink", "-j", "port", "show", p]);
builder("devlink port function set migratable", fc.tuple(portIn, fc.boolean()), xs => [DevlinkPort.parse(xs[0]), { ok: true, value: xs[1] }],
        devlink.devlinkPortMigratable, (p, e) => ["devlink", "port", "function", "set", p, "migratable", e ? "enable" : "disable"]);
builder("mstconfig query", one(pciIn), pf, mst.mstconfigQuery, p => ["mstconfig", "-d", p, "-e", "query"]);
builder("mstconfig set", fc.tuple(pciIn, fc.constantFrom(...mst.MSTCONFIG_KEYS), fc.nat(0xffff)),
        xs => [PciAddress.parse(xs[0]), { ok: true, value: [{ key: xs[1], value: xs[2] }] }],
        mst.mstconfigSet, (p, s) => ["mstconfig", "-y", "-d", p, "set", `${s[0].key}=${s[0].value}`]);
builder("ip link set up", one(devIn), xs => [Netdev.parse(xs[0])], ip.ipLinkSetUp, d => ["ip", "link", "set", "dev", d, "up"]);
builder("ip route get", one(inputs(fc.oneof(fc.ipV4(), fc.ipV6()))), xs => [IpAddress.parse(xs[0])], ip.ipRouteGet, a => ["ip", "-j", "route", "get", a]);
builder("ovs-vsctl del-port", fc.tuple(devIn, devIn), xs => [BridgeName.parse(xs[0]), Netdev.parse(xs[1])],
        ovs.ovsDelPort, (b, d) => ["ovs-vsctl", "--if-exists", "del-port", b, d]);
builder("ovs-vsctl add-br", one(devIn), xs => [BridgeName.parse(xs[0])], ovs.ovsAddBridge, b => ["ovs-vsctl", "--may-exist", "add-br", b]);
builder("ovs-vsctl add-port", fc.tuple(devIn, devIn), xs => [BridgeName.parse(xs[0]), Netdev.parse(xs[1])],
        ovs.ovsAddPort, (b, d) => ["ovs-vsctl", "--may-exist", "add-port", b, d]);

const vm = (xs: unknown[]) => [VmName.parse(xs[0])];
const virsh = ["virsh", "-c", "qemu:///system"];
builder("virsh domstate", one(vmIn), vm, V.virshDomState, v => [...virsh, "domstate", "--domain", v, "--reason"]);
builder("virsh dumpxml", one(vmIn), vm, (v: VmName) => V.virshDumpXml(v, { migratable: true }), v => [...virsh, "dumpxml", "--domain", v, "--migratable"]);
builder("virsh domjobinfo", one(vmIn), vm, V.virshDomJobInfo, v => [...virsh, "domjobinfo", "--domain", v]);
builder("virsh domifaddr", one(vmIn), vm, V.virshDomIfAddrAgent, v => [...virsh, "domifaddr", "--domain", v, "--source", "agent", "--full"]);
builder("virsh domstats --dirtyrate", one(vmIn), vm, V.virshDomStatsDirtyRate, v => [...virsh, "domstats", "--dirtyrate", "--", v]);
builder("getent ahosts", one(hostIn), xs => [Host.parse(xs[0])], net.getentAhosts, h => ["getent", "ahosts", h]);
builder("firewall-cmd --query-rich-rule", fc.tuple(inputs(fc.ipV4()), inputs(fc.integer({ min: 0, max: 70000 }).map(String))),
        xs => [IpAddress.parse(xs[0]), Port.parse(xs[1])], (a: IpAddress, p: Port) => fw.firewallQueryRichRule("public", a, p),
        // (a generated input may parse as IPv6, e.g. "::0.0.0.0" is "::")
        (a, p) => ["firewall-cmd", "--zone=public", `--query-rich-rule=rule family="${String(a).includes(":") ? "ipv6" : "ipv4"}" source address="${a}" port port="${p}" protocol="tcp" accept`]);
builder("logger", one(fc.string({ unit: "binary", maxLength: 40 }).filter(s => !s.includes("\0"))), xs => [{ ok: true, value: xs[0] }],
        system.loggerArgv, m => ["logger", "-t", "cockpit-vf-migration", "-p", "user.notice", "--", m]);

test("fixed choices are checked even when a cast gets past the types", () => {
    expect(() => devlink.devlinkEswitchSet(PciAddress.of("0000:e1:00.0"), "-h" as "legacy")).toThrow();
    expect(() => systemd.systemctlEnableNow("sshd.service" as systemd.Unit)).toThrow();
    expect(() => ip.ipLinkSetUp("-x" as Netdev)).toThrow();
    expect(grubby.grubbyUpdateArgs(["intel_iommu=on", "iommu=pt"], ["iommu=off"]))
        .toEqual(["grubby", "--args=intel_iommu=on iommu=pt", "--remove-args=iommu=off", "--update-kernel=ALL"]);
    expect(ovs.ovsSetOtherConfig("max-idle", "300000")).toEqual(["ovs-vsctl", "set", "Open_vSwitch", ".", "other_config:max-idle=300000"]);
});
