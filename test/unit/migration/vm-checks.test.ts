/*
 * The per-VM checks (src/migration/vm-checks.ts) against a fake libvirt client and scripted hosts: the destination
 * VF picked (the earlier pick while free), the CPU compared on the destination, a VM with its VF already attached
 * (the dirty-page rate not measured), a VM libvirt does not know, and the pure parts.
 */
import { memoryMiB, runVmChecks, type VmCheck, type VmCheckInput } from "../../../src/migration/vm-checks";
import { parseMigrationForm } from "../../../src/migration/plan";
import { FakeLibvirt, stats } from "../session/fake-libvirt";
import { fakeTransport, type Answer } from "../session/fake-transport";
import { facts, nic, vf } from "../checks/fixtures";
import { LIVE_XML } from "./fixtures";

const VM = "rhel9-vf";

test("the VM's memory in MiB from <memory unit=…>", () => {
    expect(memoryMiB("<domain><name>g</name><memory unit='KiB'>196608</memory></domain>")).toBe(192);
    expect(memoryMiB("<domain><name>g</name><memory unit='GiB'>2</memory></domain>")).toBe(2048);
    expect(memoryMiB("<domain><name>g</name><memory>1048576</memory></domain>")).toBe(1024);
    expect(memoryMiB("<domain><name>g</name></domain>")).toBeNull();
});

type Vlans = Record<string, { tag: number | null; trunks: number[] }>;
const withVlans = (f: ReturnType<typeof facts>, vlans: Vlans | undefined, ports: string[]) => (vlans === undefined ? f
    : { ...f, ovs: { known: true as const, value: { running: true, otherConfig: {}, bridges: { "br-vf": ports }, vlans, version: "3.3.0" }, evidence: [] } });

async function check(o: { cpu?: Answer; preferredVf?: string | null; known?: boolean; memAvailable?: Answer;
                         xml?: string; local?: (line: string) => Answer | undefined; vlansHere?: Vlans; vlansThere?: Vlans } = {}) {
    const libvirt = new FakeLibvirt();
    if (o.known !== false)
        libvirt.domains.set(VM, { active: true, persistent: true, xml: o.xml ?? LIVE_XML });
    libvirt.jobStats = [stats("none")];
    const r = parseMigrationForm({ transport: "ssh", host: "192.0.2.2" });
    if (!r.ok) throw new Error("options");
    const nics = [nic({ vfs: [vf(0, { usedBy: "other" }), vf(1), vf(2)] })];
    const reps = ["enp225s0np0", "enp225s0npf0vf0", "enp225s0npf0vf1", "enp225s0npf0vf2"];
    const destination = withVlans(facts({ host: "root@dst", nics: { known: true, value: nics, evidence: [] } }), o.vlansThere, reps);
    const ssh = fakeTransport("root@dst", line => {
        if (line.startsWith("stat -f -c %T -- "))
            return { stdout: "nfs\n" };
        if (line.includes("hypervisor-cpu-compare"))
            return o.cpu ?? { stdout: "CPU described in /dev/stdin is identical to the CPU provided by hypervisor on the host\n" };
        if (line.includes("domjobinfo"))
            return { stdout: "Job type:         None\n" };
        if (line === "grep -m 1 ^MemAvailable: /proc/meminfo")
            return o.memAvailable ?? { stdout: "MemAvailable:   16384000 kB\n" };
        return undefined;
    });
    const input: VmCheckInput = {
        libvirt: libvirt.asClient(), local: fakeTransport("localhost", o.local ?? (() => undefined)), ssh, vm: VM, options: r.value,
        source: withVlans(facts(), o.vlansHere, reps.slice(0, 2)), destination, preferredVf: o.preferredVf ?? null,
    };
    const found: Partial<Record<VmCheck["id"], VmCheck>> = {};
    await runVmChecks(input, c => { found[c.id] = c });
    return { found, ssh };
}

test("a VM on shared storage with its VF attached: the destination VF picked, the CPU accepted, the rate not measured", async () => {
    const { found, ssh } = await check({ preferredVf: "0000:e1:00.3" });
    expect(found["destination-vf"])
        .toMatchObject({ verdict: "pass", pickedVf: "0000:e1:00.3", title: "A free prepared VF on the destination" });
    expect(found.viommu?.verdict).toBe("pass");
    expect(found.storage?.verdict).toBe("pass");
    expect(found.cpu?.verdict).toBe("pass");
    expect(found["concurrent-vfs"]?.verdict).toBe("pass");
    expect(found.convergence)
        .toMatchObject({ verdict: "warn", summary: expect.stringMatching(/^Not measured: VF 0000:e1:00.1 is already attached/) });
    expect(ssh.runs).toContain("stat -f -c %T -- /var/lib/libvirt/images/shared/rhel9-vf.qcow2");
});

test("the destination's available memory against the VM's, all of it pinned for the VF", async () => {
    let { found } = await check();
    expect(found.memory).toMatchObject({ verdict: "pass", title: "Memory on the destination for the VM's pinned RAM" });
    expect(found.memory?.summary).toMatch(/^The VM's \d+ MiB, pinned for its VF, fit in the destination's 16000 MiB available$/);
    expect(found.memory?.evidence[0].command.argv).toEqual(["grep", "-m", "1", "^MemAvailable:", "/proc/meminfo"]);
    ({ found } = await check({ memAvailable: { stdout: "MemAvailable:      1024 kB\n" } }));
    expect(found.memory?.verdict).toBe("fail");
    expect(found.memory?.summary).toMatch(/^The VM needs \d+ MiB, all pinned for its VF; the destination has 1 MiB available/);
    ({ found } = await check({ memAvailable: { exit: 2, stdout: "", stderr: "grep: /proc/meminfo: No such file or directory\n" } }));
    expect(found.memory).toMatchObject({ verdict: "unknown", summary: "The destination's free memory could not be read" });
});

test("an earlier pick no longer free: the first free VF; a CPU the destination cannot run fails", async () => {
    const incompatible = "CPU described in /dev/stdin is incompatible with the CPU provided by hypervisor on the host\n";
    const { found } = await check({ preferredVf: "0000:e1:00.1", cpu: { exit: 1, stdout: incompatible } });
    expect(found["destination-vf"]?.pickedVf).toBe("0000:e1:00.2");
    expect(found.cpu?.verdict).toBe("fail");
});

test("the VM's VLAN here: the destination VF whose port carries it is picked (an earlier pick given up); none that does fails with the command that fixes it", async () => {
    const vlan = (tag: number | null) => ({ tag, trunks: [] });
    // the VM's VF 0000:e1:00.1 leaves here through enp225s0npf0vf0 in VLAN 100; of the destination's free VFs, VF 2 carries it
    let { found } = await check({ preferredVf: "0000:e1:00.2", vlansHere: { enp225s0npf0vf0: vlan(100) },
                                  vlansThere: { enp225s0npf0vf1: vlan(null), enp225s0npf0vf2: vlan(100) } });
    expect(found["destination-vf"]).toMatchObject({ verdict: "pass", pickedVf: "0000:e1:00.3" });
    expect(found.vlan).toMatchObject({
        verdict: "pass", title: "The destination VF carries the VM's VLAN",
        summary: "The VM's VF here leaves through enp225s0npf0vf0 in VLAN 100; the destination VF's representor enp225s0npf0vf2 is in VLAN 100",
    });
    expect(found["concurrent-vfs"]?.verdict).toBe("pass");
    // neither does: refused before anything changes, with the fix for the VF it would get (no preparation fixes it)
    ({ found } = await check({ vlansHere: { enp225s0npf0vf0: vlan(100) }, vlansThere: { enp225s0npf0vf1: vlan(null), enp225s0npf0vf2: vlan(200) } }));
    expect(found["destination-vf"]).toMatchObject({ verdict: "pass", pickedVf: "0000:e1:00.2" });
    expect(found.vlan).toMatchObject({
        verdict: "fail",
        summary: "The VM's VF here leaves through enp225s0npf0vf0 in VLAN 100; the destination VF's representor enp225s0npf0vf1 is in every VLAN (no tag): " +
            "the VM would lose its network there. Make them the same on the destination: ovs-vsctl clear port enp225s0npf0vf1 tag trunks -- set port enp225s0npf0vf1 tag=100",
    });
    // picked before and in another VLAN, as every other: kept, so that the fix shown stays the same
    ({ found } = await check({ preferredVf: "0000:e1:00.3", vlansHere: { enp225s0npf0vf0: vlan(100) },
                              vlansThere: { enp225s0npf0vf1: vlan(null), enp225s0npf0vf2: vlan(200) } }));
    expect(found["destination-vf"]?.pickedVf).toBe("0000:e1:00.3");
    expect(found.vlan?.summary).toContain("ovs-vsctl clear port enp225s0npf0vf2 tag trunks -- set port enp225s0npf0vf2 tag=100");
    // a VF read in another VLAN rather than one in no bridge (which the re-check refuses): the failure shows the fix
    ({ found } = await check({ vlansHere: { enp225s0npf0vf0: vlan(100) }, vlansThere: { enp225s0npf0vf2: vlan(null) } }));
    expect(found["destination-vf"]?.pickedVf).toBe("0000:e1:00.2");
    expect(found.vlan).toMatchObject({
        verdict: "unknown", summary: "The destination VF's representor enp225s0npf0vf1 is in no bridge yet: its VLAN is compared right before the migration" });
    // the destination's VLANs not read: the first free VF, compared right before the call; nor this host's
    ({ found } = await check({ vlansHere: { enp225s0npf0vf0: vlan(100) } }));
    expect(found["destination-vf"]).toMatchObject({ verdict: "pass", pickedVf: "0000:e1:00.2" });
    expect(found.vlan).toMatchObject({ verdict: "unknown", summary: "The VLAN of the destination VF 0000:e1:00.2 was not read: it is compared right before the migration" });
    ({ found } = await check({ vlansHere: {}, vlansThere: { enp225s0npf0vf1: vlan(null) } }));
    expect(found.vlan).toMatchObject({ verdict: "unknown", summary: "The VLAN of this host's VF 0000:e1:00.1 was not read: it is compared right before the migration" });
    // a VM without a VF yet: the one attached to it is compared before the call
    const noVf = LIVE_XML.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>/, "");
    ({ found } = await check({ xml: noVf, vlansHere: { enp225s0npf0vf0: vlan(100) }, vlansThere: { enp225s0npf0vf1: vlan(null) } }));
    expect(found.vlan).toMatchObject({ verdict: "pass", summary: expect.stringMatching(/^The VM holds no VF yet/) });
});

test("a VM libvirt does not know: every check that needs it is unknown with libvirt's words; the VF pick still reported", async () => {
    const { found } = await check({ known: false });
    expect(found["destination-vf"]?.verdict).toBe("pass");
    for (const id of ["viommu", "storage", "cpu", "vlan", "memory", "concurrent-vfs", "convergence"] as const)
        expect(found[id]).toMatchObject({ id, verdict: "unknown", summary: expect.stringMatching(/Domain not found/) });
});

test("a dirty-page measurement already under way (the checks run again on fresher facts): its figure is used, not reported as a failure", async () => {
    const noVf = LIVE_XML.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>/, "");
    expect(noVf).not.toContain("<interface type='hostdev' managed");
    const { found } = await check({
        xml: noVf,
        local: line => {
            if (line.includes(" domdirtyrate-calc "))
                // QEMU's words (migration/dirtyrate.c), as libvirt 11.3 and QEMU 10.0 print them on the simulated pair
                return { exit: 1, stderr: "error: internal error: unable to execute QEMU command 'calc-dirty-rate': the dirty rate is already being measured.\n" };
            if (line.includes(" domstats --dirtyrate "))
                return { stdout: `Domain: '${VM}'\n  dirtyrate.calc_status=2\n  dirtyrate.calc_start_time=100\n  dirtyrate.calc_period=10\n  dirtyrate.calc_mode=page-sampling\n  dirtyrate.megabytes_per_second=12\n\n` };
            if (line === "ip -j route get 192.0.2.2")
                return { stdout: '[{"dst":"192.0.2.2","dev":"eno1","prefsrc":"192.0.2.1","flags":[],"uid":0,"cache":[]}]\n' };
            if (line === "cat -- /sys/class/net/eno1/speed")
                return { stdout: "25000\n" };
            return undefined;
        },
    });
    expect(found.convergence?.verdict).toBe("pass");
    // another tool's measurement, over its own period: the text says which
    expect(found.convergence?.details[0]).toBe("dirty-page rate 12 MiB/s, measured over 10 s before the VF is attached");
}, 15000);
