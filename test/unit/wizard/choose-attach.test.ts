/* The wizard's choose form (every refusal on its own field) and the wizard's read-only commands. */
import { formFromState, migrationOptionsOf, optionsOf, validateChoice, type ChooseFormValues } from "../../../src/ui/wizard/ChooseStageForm";
import { INITIAL_STATE } from "../../../src/ui/wizard/types";
import { virshHypervisorCpuCompare, virshDomIfAddrAgent } from "../../../src/host/commands/virsh";
import { getentAhosts } from "../../../src/host/commands/network";
import { netSpeed } from "../../../src/host/commands/sysfs";
import { statFsType } from "../../../src/host/commands/files";
import { Host, Netdev, VmName } from "../../../src/host/values";

const good: ChooseFormValues = {
    host: "rhel-dst.example.test", user: "root", port: "22", protocol: "ssh", migrationAddress: "", bandwidth: "", parallelConnections: "1",
    maxDowntimeMs: "", persistOnDestination: true, undefineSource: true, copyStorage: false,
};
const errorsOf = (patch: Partial<ChooseFormValues>) => {
    const r = validateChoice({ ...good, ...patch });
    return r.ok ? {} : r.errors;
};

test("a valid choice gives the migration options: persist and undefine by default, no copy", () => {
    const r = validateChoice(good);
    expect(r.ok && r.options).toMatchObject({ transport: "ssh", host: "rhel-dst.example.test", user: "root", persistOnDestination: true, undefineSource: true, copyStorage: false, parallelConnections: 1 });
});

test.each([
    [{ host: "evil;rm" }, "host", /is not a host name/],
    [{ host: "host$(reboot)" }, "host", /is not a host name/],
    [{ user: "-oProxyCommand=x" }, "user", /must start with a letter/],
    [{ user: "" }, "user", /Enter the SSH user/],
    [{ port: "0" }, "port", /Port number “0” is not between 1 and 65535/],
    [{ port: "22 -oProxyCommand=x" }, "port", /is not a whole number/],
    [{ bandwidth: "-1" }, "bandwidth", /Bandwidth/],
    [{ bandwidth: "1e3" }, "bandwidth", /Bandwidth/],
    [{ parallelConnections: "0" }, "parallelConnections", /Parallel connections/],
    [{ maxDowntimeMs: "abc" }, "maxDowntimeMs", /downtime/i],
    [{ migrationAddress: "192.0.2.2;id" }, "migrationAddress", /not a host name/],
    [{ persistOnDestination: false, undefineSource: true }, "undefineSource", /defined on the destination/],
])("%j is refused on the field %s", (patch, field, message) => {
    const errors = errorsOf(patch) as Record<string, string>;
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
});

test("an SSH port other than 22 is in the qemu+ssh URI; TLS and TCP keep libvirtd's own port", () => {
    const ssh = validateChoice({ ...good, port: " 2222 " });
    expect(ssh.ok && ssh.options.port).toBe(2222);
    const tls = validateChoice({ ...good, port: "2222", protocol: "tls" });
    expect(tls.ok && tls.options.port).toBeUndefined();
    const dflt = validateChoice(good);
    expect(dflt.ok && dflt.options.port).toBeUndefined();
});

test("the SSH user is for the checks' login whatever the connection; only SSH puts it in the libvirt URI", () => {
    const r = validateChoice({ ...good, protocol: "tls" });
    expect(r.ok && r.options.user).toBeUndefined();
    expect(r.ok && r.options.transport).toBe("tls");
    expect(errorsOf({ protocol: "tcp", user: "bad user" })).toHaveProperty("user");
});

test("the form round-trips through the wizard state; the remembered destination prefills it", () => {
    const remembered = { host: "dst.example.test", user: "admin", protocol: "tls" as const };
    const v = formFromState(INITIAL_STATE, remembered);
    expect(v).toMatchObject({ host: "dst.example.test", user: "admin", protocol: "tls", parallelConnections: "1", persistOnDestination: true });
    const state = { ...INITIAL_STATE, destination: { host: "rhel-dst.example.test", user: "root", protocol: "ssh" as const }, options: optionsOf({ ...good, bandwidth: " 100 " }) };
    expect(formFromState(state, remembered).bandwidth).toBe("100");
    expect(migrationOptionsOf(state)).toMatchObject({ bandwidth: 100, host: "rhel-dst.example.test" });
    expect(migrationOptionsOf({ ...state, options: { bandwidth: "-1" } })).toBeNull();
});

test("the wizard's read-only commands are argv arrays of validated values", () => {
    expect([...virshHypervisorCpuCompare("qemu")]).toEqual(["virsh", "-c", "qemu:///system", "hypervisor-cpu-compare", "--virttype", "qemu", "--file", "/dev/stdin"]);
    expect([...virshHypervisorCpuCompare()]).toEqual(["virsh", "-c", "qemu:///system", "hypervisor-cpu-compare", "--file", "/dev/stdin"]);
    expect(() => virshHypervisorCpuCompare("xen; id" as "kvm")).toThrow();
    expect([...statFsType("/var/lib/libvirt/images/a b.qcow2")]).toEqual(["stat", "-f", "-c", "%T", "--", "/var/lib/libvirt/images/a b.qcow2"]);
    for (const bad of ["relative.qcow2", "-rf", "/a\nb", ""])
        expect(() => statFsType(bad)).toThrow(/not an absolute path/);
    expect([...getentAhosts(Host.of("rhel-dst.example.test"))]).toEqual(["getent", "ahosts", "rhel-dst.example.test"]);
    expect([...netSpeed(Netdev.of("eno1"))]).toEqual(["cat", "--", "/sys/class/net/eno1/speed"]);
    expect(() => netSpeed("../../etc" as Netdev)).toThrow();
    expect([...virshDomIfAddrAgent(VmName.of("guest1"))]).toEqual(["virsh", "-c", "qemu:///system", "domifaddr", "--domain", "guest1", "--source", "agent", "--full"]);
});
