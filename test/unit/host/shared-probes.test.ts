/*
 * Probes asked of one host together (src/host/shared-probes.ts): the first VMs of an evacuation check their VFs
 * again at once, and the host runs each distinct command once, in one probe; each check gets its own records, in
 * its own order, and a probe cut short or failed is said to each.
 */
import { makeArgv } from "../../../src/host/argv";
import { sharedProbes } from "../../../src/host/shared-probes";
import type { CommandResult, HostTransport, ProbeCommand, ProbeOptions, ProbeResult } from "../../../src/host/transport";

const cmd = (...words: string[]): ProbeCommand => ({ argv: makeArgv(...words) });
const names = (r: ProbeResult) => r.records.map(x => x.argv.join(" "));

/** A host that answers each command with its own words, and keeps the probes it was sent. */
function host(o: { answer?: number; fail?: Error; noEnd?: boolean } = {}) {
    const sent: { commands: string[]; options: ProbeOptions }[] = [];
    const t: HostTransport = {
        host: "root@rhel-dst",
        run: () => { throw new Error("not used") },
        writeSysfs: () => { throw new Error("not used") },
        close: async () => {},
        probe: async (commands, options = {}) => {
            sent.push({ commands: commands.map(c => c.argv.join(" ")), options });
            await new Promise(r => setTimeout(r, 1));
            if (o.fail)
                throw o.fail;
            const records = commands.slice(0, o.answer ?? commands.length).map((c): CommandResult =>
                ({ host: "root@rhel-dst", argv: c.argv, stdout: `${c.argv.join(" ")}\n`, stderr: "", exitStatus: 0, durationMs: 3, startedAt: 0, wire: [] }));
            const complete = records.length === commands.length && !o.noEnd;
            return { host: "root@rhel-dst", startedAt: 0, durationMs: 5, records, complete, stderr: "", wire: [], ...(complete ? {} : { problem: "output cut at 100 bytes" }) };
        },
    };
    return { t, sent };
}

const vfCheck = (vf: string) => [cmd("readlink", `/sys/bus/pci/devices/${vf}/driver`), cmd("devlink", "-j", "port", "show"), cmd("virsh", "list", "--name"), cmd("ovs-vsctl", "show")];

test("three VF checks asked at once: one probe, the shared reads once; each check gets its records in its order", async () => {
    const { t, sent } = host();
    const s = sharedProbes(t);
    const opts = { perCommandTimeoutS: 15 };
    const [a, b, c] = await Promise.all(["0000:c1:00.1", "0000:c1:00.2", "0000:c1:00.3"].map(vf => s.probe(vfCheck(vf), opts)));
    expect(sent).toEqual([{ options: opts, commands: [
        "readlink /sys/bus/pci/devices/0000:c1:00.1/driver", "devlink -j port show", "virsh list --name", "ovs-vsctl show",
        "readlink /sys/bus/pci/devices/0000:c1:00.2/driver", "readlink /sys/bus/pci/devices/0000:c1:00.3/driver",
    ] }]);
    expect(names(b)).toEqual(["readlink /sys/bus/pci/devices/0000:c1:00.2/driver", "devlink -j port show", "virsh list --name", "ovs-vsctl show"]);
    expect(c.records[0].stdout).toBe("readlink /sys/bus/pci/devices/0000:c1:00.3/driver\n");
    expect([a.complete, b.complete, c.complete]).toEqual([true, true, true]);
});

test("asked in different turns, with other options, or with a signal: separate probes", async () => {
    const { t, sent } = host();
    const s = sharedProbes(t);
    await s.probe([cmd("ip", "-j", "link")]);
    await s.probe([cmd("ip", "-j", "link")]);
    await Promise.all([s.probe([cmd("ovs-vsctl", "show")], { superuser: true }), s.probe([cmd("ovs-vsctl", "show")]),
        s.probe([cmd("ovs-vsctl", "show")], { signal: new AbortController().signal })]);
    expect(sent.map(p => p.commands.join(", "))).toEqual(["ip -j link", "ip -j link", "ovs-vsctl show", "ovs-vsctl show", "ovs-vsctl show"]);
});

test("a shared probe cut short: each check gets its records up to the first missing one, and the reason", async () => {
    const { t } = host({ answer: 5 });
    const s = sharedProbes(t);
    const [a, b, c] = await Promise.all(["0000:c1:00.1", "0000:c1:00.2", "0000:c1:00.3"].map(vf => s.probe(vfCheck(vf))));
    expect([a.records.length, b.records.length, c.records.length]).toEqual([4, 4, 0]);
    // the probe did not end as it should: no part of it is called complete
    expect([a.complete, b.complete, c.complete]).toEqual([false, false, false]);
    expect(c.problem).toBe("output cut at 100 bytes");
});

test("a shared probe with every record but no proper end: each check is in doubt, as its own probe would be", async () => {
    const { t } = host({ noEnd: true });
    const s = sharedProbes(t);
    const [a, b] = await Promise.all([s.probe(vfCheck("0000:c1:00.1")), s.probe(vfCheck("0000:c1:00.2"))]);
    expect([a.complete, b.complete, a.records.length, b.problem]).toEqual([false, false, 4, "output cut at 100 bytes"]);
});

test("a probe that fails fails every check that shared it", async () => {
    const { t } = host({ fail: new Error("ssh: connect to host rhel-dst port 22: Connection refused") });
    const s = sharedProbes(t);
    const all = await Promise.allSettled([s.probe(vfCheck("0000:c1:00.1")), s.probe(vfCheck("0000:c1:00.2"))]);
    expect(all.map(r => r.status === "rejected" && String(r.reason))).toEqual([
        "Error: ssh: connect to host rhel-dst port 22: Connection refused", "Error: ssh: connect to host rhel-dst port 22: Connection refused"]);
});
