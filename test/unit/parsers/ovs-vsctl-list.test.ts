// ovs-vsctl-list-br / ovs-vsctl-list-ports. No captured sample in shared/formats; the format (one name per line,
// sorted, bridge's local port excluded) is from ovs-vsctl-exit-codes.md (ovs-vsctl.8.in).
import { parsed, parseError } from "./expect-parse";

describe("ovs-vsctl-list-br and -list-ports", () => {
    test("one name per line", () => {
        expect(parsed("ovs-vsctl-list-br", "ovs-sriov\novsbr1\n")).toEqual({ names: ["ovs-sriov", "ovsbr1"] });
        expect(parsed("ovs-vsctl-list-ports", "enp1s0f0np0\nenp1s0f0npf0vf0\n").names).toContain("enp1s0f0npf0vf0");
    });

    test("no bridges / no ports: empty list", () => {
        expect(parsed("ovs-vsctl-list-br", "")).toEqual({ names: [] });
    });

    test("names are data, even with markup", () => {
        expect(parsed("ovs-vsctl-list-ports", "<b>p0</b>\n").names).toEqual(["<b>p0</b>"]);
    });

    test("padded names and duplicates are errors", () => {
        expect(parseError("ovs-vsctl-list-ports", "p0\n  p1\n")).toMatchObject({ line: 2, text: "  p1" });
        expect(parseError("ovs-vsctl-list-br", "br0\nbr0\n").message).toMatch(/twice/);
    });
});
