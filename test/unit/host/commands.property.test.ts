/*
 * Every argv builder, fed generated inputs through the value types: whatever is accepted yields exactly the
 * expected words — no extra argument, each value in its own slot, never in option position.
 */
import fc from "fast-check";
import { installFakeCockpit } from "../fake-cockpit";
import { inputs, property } from "./arbitraries";
import * as C from "../../../src/host/commands";
import * as S from "../../../src/host/commands-system";
import {
    Bandwidth, BridgeName, DevlinkPort, Host, IpAddress, Netdev, PciAddress, Port, Result, VmName,
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

builder("devlink eswitch show", one(pciIn), pf, C.devlinkEswitchShow, p => ["devlink", "-j", "dev", "eswitch", "show", `pci/${p}`]);
builder("devlink eswitch set", fc.tuple(pciIn, fc.constantFrom("switchdev", "legacy")), xs => [PciAddress.parse(xs[0]), { ok: true, value: xs[1] }],
        C.devlinkEswitchSet, (p, m) => ["devlink", "dev", "eswitch", "set", `pci/${p}`, "mode", m]);
builder("devlink dev info", one(pciIn), pf, C.devlinkDevInfo, p => ["devlink", "-j", "dev", "info", `pci/${p}`]);
builder("devlink port show", one(portIn), xs => [DevlinkPort.parse(xs[0])], (p: DevlinkPort) => C.devlinkPortShow(p), p => ["devlink", "-j", "port", "show", p]);
builder("devlink port function set migratable", fc.tuple(portIn, fc.boolean()), xs => [DevlinkPort.parse(xs[0]), { ok: true, value: xs[1] }],
        C.devlinkPortMigratable, (p, e) => ["devlink", "port", "function", "set", p, "migratable", e ? "enable" : "disable"]);
builder("mstconfig query", one(pciIn), pf, C.mstconfigQuery, p => ["mstconfig", "-d", p, "-e", "query"]);
builder("mstconfig set", fc.tuple(pciIn, fc.constantFrom(...C.MSTCONFIG_KEYS), fc.nat(0xffff)),
        xs => [PciAddress.parse(xs[0]), { ok: true, value: [{ key: xs[1], value: xs[2] }] }],
        C.mstconfigSet, (p, s) => ["mstconfig", "-y", "-d", p, "set", `${s[0].key}=${s[0].value}`]);
builder("mstflint query", one(pciIn), pf, C.mstflintQuery, p => ["mstflint", "-d", p, "q"]);
builder("ethtool -i", one(devIn), xs => [Netdev.parse(xs[0])], C.ethtoolInfo, d => ["ethtool", "-i", d]);
builder("ip link show", one(devIn), xs => [Netdev.parse(xs[0])], (d: Netdev) => C.ipLinkShow(d), d => ["ip", "-j", "-d", "link", "show", "dev", d]);
builder("ip link set up", one(devIn), xs => [Netdev.parse(xs[0])], C.ipLinkSetUp, d => ["ip", "link", "set", "dev", d, "up"]);
builder("ip route get", one(inputs(fc.oneof(fc.ipV4(), fc.ipV6()))), xs => [IpAddress.parse(xs[0])], C.ipRouteGet, a => ["ip", "-j", "route", "get", a]);
builder("ovs-vsctl list-ports", one(devIn), xs => [BridgeName.parse(xs[0])], C.ovsListPorts, b => ["ovs-vsctl", "list-ports", b]);
builder("ovs-vsctl port-to-br", one(devIn), xs => [Netdev.parse(xs[0])], C.ovsPortToBridge, d => ["ovs-vsctl", "port-to-br", d]);
builder("ovs-vsctl add-br", one(devIn), xs => [BridgeName.parse(xs[0])], C.ovsAddBridge, b => ["ovs-vsctl", "--may-exist", "add-br", b]);
builder("ovs-vsctl add-port", fc.tuple(devIn, devIn), xs => [BridgeName.parse(xs[0]), Netdev.parse(xs[1])],
        C.ovsAddPort, (b, d) => ["ovs-vsctl", "--may-exist", "add-port", b, d]);

const vm = (xs: unknown[]) => [VmName.parse(xs[0])];
const virsh = ["virsh", "-c", "qemu:///system"];
builder("virsh domstate", one(vmIn), vm, S.virshDomState, v => [...virsh, "domstate", "--domain", v, "--reason"]);
builder("virsh dumpxml", one(vmIn), vm, (v: VmName) => S.virshDumpXml(v, { migratable: true }), v => [...virsh, "dumpxml", "--domain", v, "--migratable"]);
builder("virsh attach-device", one(vmIn), vm, S.virshAttachDevice, v => [...virsh, "attach-device", "--domain", v, "--file", "/dev/stdin", "--live", "--config"]);
builder("virsh detach-device", one(vmIn), vm, S.virshDetachDevice, v => [...virsh, "detach-device", "--domain", v, "--file", "/dev/stdin", "--live", "--config"]);
builder("virsh domjobinfo", one(vmIn), vm, S.virshDomJobInfo, v => [...virsh, "domjobinfo", "--domain", v]);
builder("virsh domjobabort", one(vmIn), vm, S.virshDomJobAbort, v => [...virsh, "domjobabort", "--domain", v]);
builder("virsh domstats --dirtyrate", one(vmIn), vm, S.virshDomStatsDirtyRate, v => [...virsh, "domstats", "--dirtyrate", "--", v]);
builder("virsh migrate", fc.tuple(vmIn, hostIn, fc.integer({ min: -1, max: 100000 }).map(String)),
        xs => [VmName.parse(xs[0]), Host.parse(xs[1]), Bandwidth.parse(xs[2])],
        (v: VmName, h: Host, b: Bandwidth) => S.virshMigrate({ vm: v, destUri: `qemu+ssh://root@${h.includes(":") ? `[${h}]` : h}/system`, withDestinationXml: true, bandwidth: b }),
        (v, h, b) => [...virsh, "migrate", "--live", "--persistent", "--undefinesource", "--verbose", "--domain", v,
            "--desturi", `qemu+ssh://root@${String(h).includes(":") ? `[${h}]` : h}/system`, "--xml", "/dev/stdin", "--bandwidth", b]);
builder("firewall-cmd --add-port", one(inputs(fc.integer({ min: 0, max: 70000 }).map(String))), xs => [Port.parse(xs[0])],
        (p: Port) => S.firewallAddPort(p, true), p => ["firewall-cmd", "--permanent", `--add-port=${p}/tcp`]);
builder("ping", one(hostIn), xs => [Host.parse(xs[0])], (h: Host) => S.ping(h), h => ["ping", "-c", 3, "-W", "2", "--", h]);
builder("logger", one(fc.string({ unit: "binary", maxLength: 40 }).filter(s => !s.includes("\0"))), xs => [{ ok: true, value: xs[0] }],
        S.loggerArgv, m => ["logger", "-t", "cockpit-vf-migration", "-p", "user.notice", "--", m]);

test("fixed choices are checked even when a cast gets past the types", () => {
    expect(() => C.devlinkEswitchSet(PciAddress.of("0000:e1:00.0"), "-h" as "legacy")).toThrow();
    expect(() => S.systemctlEnableNow("sshd.service" as S.Unit)).toThrow();
    expect(() => C.ethtoolInfo("-x" as Netdev)).toThrow();
    expect(() => S.virshMigrate({ vm: VmName.of("a"), destUri: "qemu+ssh://h/system --postcopy", withDestinationXml: false })).toThrow();
    expect(S.grubbyAddArgs(["intel_iommu=on", "iommu=pt"])).toEqual(["grubby", "--args=intel_iommu=on iommu=pt", "--update-kernel=ALL"]);
    expect(C.ovsSetOtherConfig("max-idle", "300000")).toEqual(["ovs-vsctl", "set", "Open_vSwitch", ".", "other_config:max-idle=300000"]);
});
