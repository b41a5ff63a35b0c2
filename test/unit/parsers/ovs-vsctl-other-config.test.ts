import { afterCommand, section } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "ovs-vsctl-other-config.txt";

describe("ovs-vsctl-other-config on ovs-vsctl-other-config.txt", () => {
    test("lab notes, first get: three keys, all values strings", () => {
        expect(parsed("ovs-vsctl-other-config", afterCommand(FILE, "root@tester03:~# ovs-vsctl get Open_vSwitch . other_config", 0))).toEqual({
            kind: "map", entries: { "hw-offload": "true", "n-handler-threads": "5", "n-revalidator-threads": "2" },
        });
    });

    test("lab notes, second get: max-idle 30000 (not the 300000 the procedure sets)", () => {
        const v = parsed("ovs-vsctl-other-config", afterCommand(FILE, "root@tester03:~# ovs-vsctl get Open_vSwitch . other_config", 1));
        expect(v).toMatchObject({ kind: "map", entries: { "hw-offload": "true", "max-idle": "30000", "max-revalidator": "10000" } });
    });

    test("hotsos sosreport fixture", () => {
        expect(parsed("ovs-vsctl-other-config", section(FILE, "# From hotsos unit-test fixtures"))).toEqual({
            kind: "map", entries: { "hw-offload": "true", "max-idle": "30000" },
        });
    });

    test("`ovs-vsctl list open` line", () => {
        expect(parsed("ovs-vsctl-other-config", section(FILE, "# `ovs-vsctl list open` excerpt"))).toEqual({
            kind: "map", entries: { "hw-offload": "true" },
        });
    });
});

describe("ovs-vsctl-other-config edge cases", () => {
    test("single values of `get ... other_config:<key>`, quoted or bare, and the empty map", () => {
        expect(parsed("ovs-vsctl-other-config", '"true"\n')).toEqual({ kind: "value", value: "true" });
        expect(parsed("ovs-vsctl-other-config", '"300000"\n')).toEqual({ kind: "value", value: "300000" });
        expect(parsed("ovs-vsctl-other-config", "abc\n")).toEqual({ kind: "value", value: "abc" });
        expect(parsed("ovs-vsctl-other-config", "{}\n")).toEqual({ kind: "map", entries: {} });
    });

    test("escapes in quoted strings are decoded; markup stays data", () => {
        expect(parsed("ovs-vsctl-other-config", '{note="a \\"b\\" <i>", x="\\u0041"}\n')).toEqual({ kind: "map", entries: { note: 'a "b" <i>', x: "A" } });
    });

    test("malformed maps, several lines, empty output", () => {
        expect(parseError("ovs-vsctl-other-config", '{hw-offload="true"\n')).toMatchObject({ line: 1 });
        expect(parseError("ovs-vsctl-other-config", '{hw-offload="true" max-idle="1"}\n').message).toMatch(/expected ","/);
        expect(parseError("ovs-vsctl-other-config", '{a="1", a="2"}\n').message).toMatch(/twice/);
        expect(parseError("ovs-vsctl-other-config", '"true"\n"false"\n')).toMatchObject({ line: 2 });
        expect(parseError("ovs-vsctl-other-config", "").line).toBe(0);
        expect(parseError("ovs-vsctl-other-config", '"unterminated\n').line).toBe(1);
    });
});
