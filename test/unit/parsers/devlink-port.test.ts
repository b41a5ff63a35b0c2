import { findVfPort } from "../../../src/parsers";
import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "devlink-port-show.txt";

describe("devlink-port on the samples of devlink-port-show.txt", () => {
    test("(a) VF port with migratable disable, then enable after `port function set` (4/8-space indent)", () => {
        const before = parsed("devlink-port", afterCommand(FILE, "$ devlink port show pci/0000:06:00.0/2", 0));
        expect(before.ports).toEqual([{
            handle: "pci/0000:06:00.0/2", dev: { handle: "pci/0000:06:00.0", bus: "pci", device: "0000:06:00.0" },
            index: 2, type: "eth", netdev: "enp6s0pf0vf1", flavour: "pcivf", pfnum: 0, vfnum: 1,
            function: { hwAddr: "00:00:00:00:00:00", migratable: false },
        }]);
        const after = parsed("devlink-port", afterCommand(FILE, "$ devlink port show pci/0000:06:00.0/2", 1));
        expect(after.ports[0].function?.migratable).toBe(true);
    });

    test("(b) roce enable; migratable absent means unsupported, not false", () => {
        const v = parsed("devlink-port", afterCommand(FILE, "$ devlink port show pci/0000:06:00.0/2", 2));
        expect(v.ports[0].function).toEqual({ hwAddr: "00:00:00:00:00:00", roce: true });
        expect(v.ports[0].function?.migratable).toBeUndefined();
    });

    test("(c) hw_addr with 2/4-space indentation", () => {
        const v = parsed("devlink-port", afterCommand(FILE, "$ devlink port show pci/0000:06:00.0/2", 3));
        expect(v.ports[0].function).toEqual({ hwAddr: "00:11:22:33:44:55" });
    });

    test("(d) physical uplink and external-controller pcipf port (real mlx5 indexes 196607, 131072)", () => {
        const v = parsed("devlink-port", afterCommand(FILE, "$ devlink port show", 0));
        expect(v.ports.map(p => [p.index, p.flavour, p.netdev, p.controller, p.external, p.splittable])).toEqual([
            [196607, "physical", "enP51p1s0f0np0", undefined, undefined, false],
            [131072, "pcipf", "eth0", 1, true, false],
        ]);
        expect(v.ports[0].port).toBe(0);
        expect(v.ports[0].function).toBeUndefined();
        expect(v.ports[1].function).toEqual({ hwAddr: "00:00:00:00:00:00" });
    });

    test("(e) physical port, and the SF port printed by `devlink port add` with state/opstate", () => {
        const v = parsed("devlink-port", afterCommand(FILE, "$ devlink port show", 1));
        expect(v.ports).toHaveLength(1);
        expect(v.ports[0]).toMatchObject({ index: 65535, flavour: "physical", netdev: "ens2f0np0" });
        const sf = parsed("devlink-port", afterCommand(FILE, "$ devlink port add pci/0000:06:00.0 flavour pcisf pfnum 0 sfnum 88"));
        expect(sf.ports[0]).toMatchObject({ index: 32768, flavour: "pcisf", controller: 0, pfnum: 0, sfnum: 88, external: false });
        expect(sf.ports[0].function).toEqual({ hwAddr: "00:00:00:00:00:00", state: "inactive", opstate: "detached" });
    });

    test("(f) SF port from the mlx5 switchdev doc", () => {
        const v = parsed("devlink-port", afterCommand(FILE, "$ devlink port show ens2f0npf0sf88"));
        expect(v.ports[0]).toMatchObject({ netdev: "ens2f0npf0sf88", function: { hwAddr: "00:00:00:00:88:88", state: "inactive" } });
    });

    test("(g) auxiliary devlink instance, flavour virtual", () => {
        const v = parsed("devlink-port", afterCommand(FILE, "$ devlink port show auxiliary/mlx5_core.sf.4/1"));
        expect(v.ports[0]).toMatchObject({
            handle: "auxiliary/mlx5_core.sf.4/1", dev: { bus: "auxiliary", device: "mlx5_core.sf.4" }, flavour: "virtual",
        });
    });
});

// No real `devlink -j port show` exists in the samples: this follows the key list of devlink-port-show.json.md.
const JSON_PORTS = JSON.stringify({
    port: {
        "pci/0000:e1:00.0/65535": { type: "eth", netdev: "enp225s0np0", flavour: "physical", port: 0, splittable: false },
        "pci/0000:e1:00.0/1": {
            type: "eth", netdev: "enp225s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false,
            splittable: false, function: { hw_addr: "52:54:00:aa:bb:01", state: "active", opstate: "detached", roce: "enable", migratable: "enable" },
        },
        "pci/0000:e1:00.1/131071": { type: "eth", netdev: "enp225s0f1np1", flavour: "physical", port: 1, splittable: false },
        "pci/0000:e1:00.1/65537": {
            type: "eth", netdev: "enp225s0f1npf1vf0", flavour: "pcivf", controller: 0, pfnum: 1, vfnum: 0, external: false,
            splittable: false, function: { hw_addr: "52:54:00:aa:bb:02", migratable: "disable" },
        },
    },
});

describe("devlink-port -j (shape from devlink-port-show.json.md)", () => {
    test("reads flavour, numbers, booleans and the function strings enable/disable", () => {
        const v = parsed("devlink-port", JSON_PORTS);
        expect(v.ports).toHaveLength(4);
        expect(v.ports[1]).toMatchObject({ index: 1, flavour: "pcivf", vfnum: 0, external: false, function: { roce: true, migratable: true, opstate: "detached" } });
    });

    test("findVfPort finds VF 0 of the second PF at index 65537, never by assuming /1", () => {
        const { ports } = parsed("devlink-port", JSON_PORTS);
        expect(findVfPort(ports, "0000:e1:00.1", 0)?.handle).toBe("pci/0000:e1:00.1/65537");
        expect(findVfPort(ports, "pci/0000:E1:00.0", 0)?.handle).toBe("pci/0000:e1:00.0/1");
        expect(findVfPort(ports, "0000:e1:00.0", 1)).toBeUndefined();
        expect(findVfPort(ports, "0000:e2:00.0", 0)).toBeUndefined();
    });

    test("findVfPort skips an external controller's VF with the same number", () => {
        const text = JSON.stringify({ port: {
            "pci/0000:e1:00.0/2": { flavour: "pcivf", controller: 1, pfnum: 0, vfnum: 0, external: true },
            "pci/0000:e1:00.0/1": { flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false },
        } });
        expect(findVfPort(parsed("devlink-port", text).ports, "0000:e1:00.0", 0)?.index).toBe(1);
    });

    test("JSON with a boolean migratable (not the documented string) is a parse error", () => {
        const e = parseError("devlink-port", JSON.stringify({ port: { "pci/0000:e1:00.0/1": { flavour: "pcivf", function: { migratable: true } } } }));
        expect(e).toMatchObject({ tool: "devlink-port", line: 0 });
        expect(e.message).toMatch(/migratable/);
    });

    test("invalid and unexpected JSON", () => {
        expect(parseError("devlink-port", '{"port": {').line).toBe(0);
        expect(parseError("devlink-port", '{"ports": {}}').line).toBe(0);
        // attributes a newer iproute2 or kernel adds are ignored, the known ones read (review R16)
        const p = parsed("devlink-port", '{"port":{"pci/0000:06:00.0/2":{"type":"eth","flavour":"pcivf","pfnum":0,"vfnum":1,"newattr":true,' +
            '"function":{"hw_addr":"00:00:00:00:00:00","migratable":"enable","newfn":{"a":1}}}}}').ports[0];
        expect(p).toMatchObject({ flavour: "pcivf", vfnum: 1, function: { migratable: true } });
        expect(parsed("devlink-port", '{"port": {}}').ports).toEqual([]);
    });
});

describe("devlink-port edge cases", () => {
    test("empty output is an empty list (RHEL kernels list no mlx5 port in legacy mode): findVfPort finds nothing", () => {
        expect(parsed("devlink-port", "").ports).toEqual([]);
        expect(findVfPort(parsed("devlink-port", "\n").ports, "0000:e1:00.0", 0)).toBeUndefined();
    });

    test("an unknown attribute is ignored, the known ones on its line read", () => {
        const p = parsed("devlink-port", "pci/0000:06:00.0/2: type eth flavour pcivf pfnum 0 vfnum 1\n  function:\n    hw_addr 00:00:00:00:00:00 newattr on migratable enable\n").ports[0];
        expect(p).toMatchObject({ vfnum: 1, function: { hwAddr: "00:00:00:00:00:00", migratable: true } });
    });

    test("truncated function line (name without value) is an error on that line", () => {
        const e = parseError("devlink-port", "pci/0000:06:00.0/2: type eth flavour pcivf pfnum 0 vfnum 1\n    function:\n        hw_addr 00:00:00:00:00:00 migratable\n");
        expect(e.line).toBe(3);
    });

    test("an unknown flavour, a non-numeric vfnum and a stray line are errors", () => {
        expect(parseError("devlink-port", "pci/0000:06:00.0/2: flavour pcixx\n").message).toMatch(/flavour/);
        expect(parseError("devlink-port", "pci/0000:06:00.0/2: vfnum one\n").message).toMatch(/vfnum/);
        expect(parseError("devlink-port", "devlink answers: Operation not supported\n")).toMatchObject({ line: 1 });
    });

    test("hostile netdev names are kept as data", () => {
        const v = parsed("devlink-port", "pci/0000:06:00.0/2: type eth netdev <b>x</b>\u0007 flavour pcivf pfnum 0 vfnum 0\n");
        expect(v.ports[0].netdev).toBe("<b>x</b>\u0007");
    });
});
