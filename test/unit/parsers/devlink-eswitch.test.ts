import { afterCommand, readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "devlink-eswitch-show.txt";

describe("devlink-eswitch on devlink-eswitch-show.txt", () => {
    test("(a) ConnectX-6 Lx legacy", () => {
        expect(parsed("devlink-eswitch", afterCommand(FILE, "devlink dev eswitch show pci/0101:00:00.0")).devices).toEqual([{
            handle: "pci/0101:00:00.0", bus: "pci", device: "0101:00:00.0", mode: "legacy", inlineMode: "none", encapMode: "basic",
        }]);
    });

    test("(b) ConnectX-4 Lx legacy then switchdev", () => {
        const a = parsed("devlink-eswitch", afterCommand(FILE, "devlink dev eswitch show pci/0000:c1:00.1", 0));
        const b = parsed("devlink-eswitch", afterCommand(FILE, "devlink dev eswitch show pci/0000:c1:00.1", 1));
        expect([a.devices[0].mode, a.devices[0].inlineMode]).toEqual(["legacy", "link"]);
        expect(b.devices[0].mode).toBe("switchdev");
    });

    test("(d) kernel doc example", () => {
        expect(parsed("devlink-eswitch", afterCommand(FILE, "$ devlink dev eswitch show pci/0000:08:00.0")).devices[0].mode).toBe("switchdev");
    });
});

describe("devlink-eswitch -j (devlink-eswitch-show.json and the shapes in its .md)", () => {
    test("netplan's sample object", () => {
        expect(parsed("devlink-eswitch", readSample("devlink-eswitch-show.json")).devices).toEqual([
            { handle: "pci/0000:03:00.0", bus: "pci", device: "0000:03:00.0", mode: "switchdev" },
        ]);
    });

    test('{"dev":{}} when the mode is not available: no device, so no mode can be read as switchdev', () => {
        expect(parsed("devlink-eswitch", '{"dev":{}}').devices).toEqual([]);
    });

    test("full object with inline-mode, encap-mode; old boolean encap", () => {
        const v = parsed("devlink-eswitch", '{"dev":{"pci/0000:e1:00.0":{"mode":"switchdev_inactive","inline-mode":"none","encap-mode":"basic"}}}');
        expect(v.devices[0]).toMatchObject({ mode: "switchdev_inactive", inlineMode: "none", encapMode: "basic" });
        expect(parsed("devlink-eswitch", '{"dev":{"pci/0000:e1:00.0":{"mode":"legacy","encap":false}}}').devices[0].encapMode).toBe("none");
    });

    test("unknown mode in JSON is an error", () => {
        expect(parseError("devlink-eswitch", '{"dev":{"pci/0000:e1:00.0":{"mode":"offloads"}}}').message).toMatch(/mode/);
    });
});

describe("devlink-eswitch edge cases", () => {
    test("iproute2 < 5.7 printed encap enable|disable", () => {
        expect(parsed("devlink-eswitch", "pci/0000:e1:00.0: mode switchdev inline-mode none encap enable\n").devices[0].encapMode).toBe("basic");
    });

    test("empty output, unknown mode, unknown attribute, truncated line, error text", () => {
        expect(parseError("devlink-eswitch", "").line).toBe(0);
        expect(parseError("devlink-eswitch", "pci/0000:e1:00.0: mode offloads\n")).toMatchObject({ line: 1 });
        // an attribute a newer iproute2 adds is ignored (review R16)
        expect(parsed("devlink-eswitch", "pci/0000:e1:00.0: mode legacy foo bar\n").devices[0]).toMatchObject({ mode: "legacy" });
        expect(parsed("devlink-eswitch", '{"dev":{"pci/0000:e1:00.0":{"mode":"switchdev","foo":"bar","bar":{"n":1},"baz":7}},"extra":1}').devices[0]).toMatchObject({ mode: "switchdev" });
        expect(parseError("devlink-eswitch", "pci/0000:e1:00.0: mode legacy inline-mode\n").line).toBe(1);
        expect(parseError("devlink-eswitch", "pci/0000:e1:00.0: inline-mode none\n").message).toMatch(/no mode/);
        // the i40e answer quoted in SOURCES.md
        expect(parseError("devlink-eswitch", "devlink answers: No such device\n").line).toBe(1);
    });
});
