import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "ovs-vsctl-show.txt";

describe("ovs-vsctl-show on ovs-vsctl-show.txt", () => {
    test("(B2) no bridges", () => {
        expect(parsed("ovs-vsctl-show", afterCommand(FILE, "root@tester03:~# ovs-vsctl show", 0))).toEqual({
            uuid: "32549dde-d67b-430c-b183-980a32143c8f", bridges: [], managers: [], ovsVersion: "2.17.9",
        });
    });

    test("(B3) offload bridge with PF uplinks and VF representors", () => {
        const v = parsed("ovs-vsctl-show", afterCommand(FILE, "root@tester03:~# ovs-vsctl show", 1));
        expect(v.bridges.map(b => b.name)).toEqual(["ovs-sriov"]);
        const br = v.bridges[0];
        expect(br.ports.map(p => p.name)).toEqual(["enp1s0f0npf0vf0", "enp1s0f1np1", "ovs-sriov", "enp1s0f0np0", "enp1s0f1npf1vf0"]);
        expect(br.ports[2].interfaces).toEqual([{ name: "ovs-sriov", type: "internal", columns: { type: "internal" } }]);
        expect(br.ports[0].interfaces[0].type).toBeUndefined();
    });

    test("(C) NVIDIA BlueField doc: two bridges, interface names differ from port names", () => {
        const v = parsed("ovs-vsctl-show", afterCommand(FILE, "$ ovs-vsctl show"));
        expect(v.ovsVersion).toBe("2.14.1");
        expect(v.bridges.map(b => [b.name, b.ports.length])).toEqual([["ovsbr2", 4], ["ovsbr1", 4]]);
        expect(v.bridges[0].ports.find(p => p.name === "pf1sf0")?.interfaces[0].name).toBe("en3f1pf1sf0");
    });
});

describe("ovs-vsctl-show edge cases", () => {
    const UUID = "32549dde-d67b-430c-b183-980a32143c8f";

    test("controller, fail_mode, port tag, interface error and options; quoted names", () => {
        const v = parsed("ovs-vsctl-show", [
            UUID,
            '    Manager "ptcp:6640"',
            "        is_connected: true",
            '    Bridge "br <x>"',
            '        Controller "tcp:127.0.0.1:6653"',
            "            is_connected: false",
            "        fail_mode: secure",
            "        Port enp225s0npf0vf0",
            "            tag: 10",
            "            Interface enp225s0npf0vf0",
            '                error: "could not open network device enp225s0npf0vf0 (No such device)"',
            "        Port patch0",
            "            Interface patch0",
            "                type: patch",
            "                options: {peer=patch1}",
            '    ovs_version: "3.3.0"',
        ].join("\n") + "\n");
        expect(v.managers).toEqual(["ptcp:6640"]);
        const br = v.bridges[0];
        expect(br).toMatchObject({ name: "br <x>", controllers: ["tcp:127.0.0.1:6653"], columns: { fail_mode: "secure" } });
        expect(br.ports[0].columns.tag).toBe("10");
        expect(br.ports[0].interfaces[0].error).toBe("could not open network device enp225s0npf0vf0 (No such device)");
        expect(br.ports[1].interfaces[0]).toMatchObject({ type: "patch", columns: { options: "{peer=patch1}" } });
    });

    test("empty, missing UUID, bad indentation, port outside a bridge", () => {
        expect(parseError("ovs-vsctl-show", "").line).toBe(0);
        expect(parseError("ovs-vsctl-show", "    Bridge br0\n")).toMatchObject({ line: 1 });
        expect(parseError("ovs-vsctl-show", `${UUID}\n   Bridge br0\n`)).toMatchObject({ line: 2, text: "   Bridge br0" });
        expect(parseError("ovs-vsctl-show", `${UUID}\n        Port p0\n`)).toMatchObject({ line: 2 });
        expect(parseError("ovs-vsctl-show", `${UUID}\n    Bridge br0\n        Port "unterminated\n`).line).toBe(3);
    });

    test("database error text is not a show output", () => {
        expect(parseError("ovs-vsctl-show", "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n").line).toBe(1);
    });
});
