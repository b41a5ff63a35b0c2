import { readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

// The format strings quoted in ovs-vsctl-exit-codes.md (source, not captured runs), filled in.
const DOC = readSample("ovs-vsctl-exit-codes.md");

describe("ovs-vsctl-errors on the messages of ovs-vsctl-exit-codes.md", () => {
    test.each([
        ['"no bridge named %s"', "ovs-vsctl: no bridge named ovs-sriov", "no-bridge", "ovs-sriov"],
        ['"no port named %s"', "ovs-vsctl: no port named enp225s0npf0vf0", "no-port", "enp225s0npf0vf0"],
        ['"cannot create a bridge named %s because a bridge named %s already exists"',
            "ovs-vsctl: cannot create a bridge named br0 because a bridge named br0 already exists", "bridge-exists", "br0"],
        ['"cannot create a port named %s because a port named %s already exists on bridge %s"',
            "ovs-vsctl: cannot create a port named p0 because a port named p0 already exists on bridge br0", "port-exists", "p0"],
        ['"cannot create an interface named %s because an interface named %s already exists on bridge %s"',
            "ovs-vsctl: cannot create an interface named i0 because an interface named i0 already exists on bridge br0", "interface-exists", "i0"],
        ['"no key \\"%s\\" in %s record \\"%s\\" column %s"',
            'ovs-vsctl: no key "hw-offload" in Open_vSwitch record "." column other_config', "no-key", "hw-offload"],
        ['"%s: database connection failed (%s)"',
            "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)", "db-connection-failed", "No such file or directory"],
    ])("%s", (format, text, kind, name) => {
        expect(DOC).toContain(format);
        expect(parsed("ovs-vsctl-errors", text + "\n")).toEqual({ kind, name, message: text.slice("ovs-vsctl: ".length) });
    });
});

describe("ovs-vsctl-errors edge cases", () => {
    test("unknown message, another program, two lines, empty", () => {
        expect(parseError("ovs-vsctl-errors", "ovs-vsctl: something new\n")).toMatchObject({ line: 1, message: "unknown ovs-vsctl error" });
        expect(parseError("ovs-vsctl-errors", "sh: ovs-vsctl: not found\n").line).toBe(1);
        expect(parseError("ovs-vsctl-errors", "ovs-vsctl: no bridge named a\nmore\n").line).toBe(2);
        expect(parseError("ovs-vsctl-errors", "").line).toBe(0);
    });
});
