/*
 * The verification after a migration (src/migration/verify.ts) against scripted hosts: every check's verdict from
 * what the destination, this host and libvirt answer, a check whose command cannot run, the guest agent's absence,
 * and the guest's answer to ping from the destination (on the agent's address, the one the admin gives, or the one
 * pinged from this host before the call, whose answer then decides).
 */
import type { ReachBefore } from "../../../src/migration/guest-reach";
import { SILENCE_RETRY, UNDEFINE_WAIT, runVerify, type VerifyCheck, type VerifyInput } from "../../../src/migration/verify";
import { parseMigrationForm, type MigrationOptions } from "../../../src/migration/plan";
import { FakeLibvirt } from "../session/fake-libvirt";
import { fakeTransport, type Answer } from "../session/fake-transport";
import { VF_DEST, VF_SOURCE } from "./fixtures";

const VM = "rhel9-vf";
// iputils' own output (captured on the simulated pair)
const PING_OK = "PING 198.51.100.50 (198.51.100.50) 56(84) bytes of data.\n64 bytes from 198.51.100.50: icmp_seq=1 ttl=64 time=0.850 ms\n" +
    "\n--- 198.51.100.50 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 407ms\n";
const PING_NONE = "PING 198.51.100.50 (198.51.100.50) 56(84) bytes of data.\n\n--- 198.51.100.50 ping statistics ---\n" +
    "3 packets transmitted, 0 received, 100% packet loss, time 407ms\n";
const MAC = "52:54:00:00:00:01";
const DEST_XML = `<domain type='kvm'><name>${VM}</name><devices>
<interface type='hostdev' managed='yes'><mac address='${MAC}'/><source>
<address type='pci' domain='0x0000' bus='0x81' slot='0x00' function='0x3'/></source></interface></devices></domain>`;

function options(): MigrationOptions {
    const r = parseMigrationForm({ transport: "ssh", host: "192.0.2.2" });
    if (!r.ok) throw new Error("options");
    return r.value;
}

const DESTINATION: Record<string, Answer> = {
    [`virsh -c qemu:///system domstate --domain ${VM} --reason`]: { stdout: "running (migrated)\n" },
    [`virsh -c qemu:///system dumpxml --domain ${VM}`]: { stdout: DEST_XML },
    [`virsh -c qemu:///system dumpxml --domain ${VM} --inactive`]: { stdout: DEST_XML },
    [`readlink -f -- /sys/bus/pci/devices/${VF_DEST}/driver`]: { stdout: "/sys/bus/pci/drivers/mlx5_vfio_pci\n" },
    [`virsh -c qemu:///system domifaddr --domain ${VM} --source agent --full`]: {
        stdout: " Name       MAC address          Protocol     Address\n-------------------------------------------------------------------------------\n" +
            " lo         00:00:00:00:00:00    ipv4         127.0.0.1/8\n" +
            ` eth1       ${MAC}    ipv6         fe80::5054:ff:fe00:1/64\n eth1       ${MAC}    ipv4         198.51.100.50/24\n`,
    },
    "ip -j route get 198.51.100.50": { stdout: '[{"dst":"198.51.100.50","dev":"br-vf","prefsrc":"198.51.100.2","flags":[],"uid":0,"cache":[]}]\n' },
    "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": { stdout: PING_OK },
};

/** an answer, or one made at each call (a guest that answers only from its second ping) */
type Scripted = Answer | (() => Answer);

async function verify(o: { destination?: Record<string, Scripted>; sourceDriver?: string; sourceStill?: boolean; guestAddress?: string;
    /** what the departure note keeps of the ping from this host before the call (an Error: the note cannot be read) */
    before?: ReachBefore | null | Error;
    /** the source's definition stays, shut off, for this many of the page's listings */
    definedFor?: number } = {}) {
    const libvirt = new FakeLibvirt();
    if (o.sourceStill)
        libvirt.domains.set(VM, { active: true, persistent: true, xml: DEST_XML });
    if (o.definedFor) {
        libvirt.domains.set(VM, { active: false, persistent: true, xml: DEST_XML });
        let left = o.definedFor;
        const list = libvirt.listDomains.bind(libvirt);
        libvirt.listDomains = async () => {
            const r = await list();
            if (--left === 0)
                libvirt.domains.delete(VM);
            return r;
        };
    }
    const answers = { ...DESTINATION, ...o.destination };
    const input: VerifyInput = {
        libvirt: libvirt.asClient(), vm: VM, options: options(), destinationVf: VF_DEST, sourceVf: VF_SOURCE, guestAddress: o.guestAddress ?? null,
        ...(o.before !== undefined ? { reachBefore: () => (o.before instanceof Error ? Promise.reject(o.before) : Promise.resolve(o.before ?? null)) } : {}),
        ssh: fakeTransport("root@dst", line => { const a: Scripted | undefined = answers[line]; return typeof a === "function" ? a() : a }),
        local: fakeTransport("localhost", line => (line === `readlink -f -- /sys/bus/pci/devices/${VF_SOURCE}/driver`
            ? { stdout: `/sys/bus/pci/drivers/${o.sourceDriver ?? "mlx5_core"}\n` } : undefined)),
    };
    const found: Partial<Record<VerifyCheck["id"], VerifyCheck>> = {};
    await runVerify(input, c => { found[c.id] = c });
    return found;
}

test("a migration that ended well: every check passes, each with its title and evidence", async () => {
    const c = await verify();
    expect(Object.fromEntries(Object.entries(c).map(([id, f]) => [id, f.verdict]))).toEqual({
        "destination-running": "pass", "source-gone": "pass", "destination-xml": "pass",
        "destination-vf-driver": "pass", "source-vf-released": "pass", "guest-interface": "pass", "guest-network": "pass",
    });
    expect(c["destination-running"])
        .toMatchObject({ title: "The VM runs on the destination", summary: "rhel9-vf on root@dst: running (migrated)" });
    expect(c["guest-interface"]?.summary).toBe(`The guest agent reports an interface with MAC ${MAC}`);
    expect(c["destination-xml"]?.evidence[0].command.argv.join(" ")).toBe(`virsh -c qemu:///system dumpxml --domain ${VM}`);
});

test("the VM still here, this host's VF still on mlx5_vfio_pci, no guest agent", async () => {
    const c = await verify({
        sourceStill: true, sourceDriver: "mlx5_vfio_pci",
        destination: {
            [`virsh -c qemu:///system domifaddr --domain ${VM} --source agent --full`]: { exit: 1, stderr: "error: Guest agent is not responding" },
        },
    });
    expect(c["source-gone"]).toMatchObject({ verdict: "fail", summary: "rhel9-vf still runs on this host" });
    expect(c["source-vf-released"]?.verdict).toBe("fail");
    expect(c["guest-interface"]?.verdict).toBe("warn");
    expect(c["guest-interface"]?.summary).toMatch(/no QEMU guest agent/);
});

test("a check whose command cannot run reports unknown with the error, under its own id and title", async () => {
    const stderr = "error: failed to get domain 'rhel9-vf'";
    const c = await verify({ destination: { [`virsh -c qemu:///system domstate --domain ${VM} --reason`]: { exit: 1, stderr } } });
    expect(c["destination-running"]).toMatchObject({ verdict: "fail", summary: `The destination does not know rhel9-vf: ${stderr}` });
});

const NO_AGENT = { [`virsh -c qemu:///system domifaddr --domain ${VM} --source agent --full`]: { exit: 1, stderr: "error: Guest agent is not responding" } };

test("the guest's network: the agent's IPv4 address on the VF's MAC answers ping from the destination, with the route and ping as evidence", async () => {
    const c = (await verify())["guest-network"];
    expect(c).toMatchObject({ verdict: "pass", title: "The guest answers on its VF's network",
                              summary: "The guest at 198.51.100.50 answers ping from root@dst",
                              details: ["The address is the one the guest agent reports on the VF's MAC"] });
    expect(c?.evidence.map(e => [e.command.argv.join(" "), e.lines])).toEqual([
        ["ip -j route get 198.51.100.50", ["dev br-vf"]],
        ["ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50", ["3 packets transmitted, 3 received, 0% packet loss, time 407ms"]],
    ]);
});

test("the guest's network without an agent: not checked and said so; with the address the admin gives, pinged", async () => {
    const none = (await verify({ destination: NO_AGENT }))["guest-network"];
    expect(none?.verdict).toBe("warn");
    expect(none?.summary).toMatch(/no address of the guest on its VF's network is known.*Give it below/);
    const given = (await verify({ destination: NO_AGENT, guestAddress: "198.51.100.50" }))["guest-network"];
    expect(given).toMatchObject({ verdict: "pass", summary: "The guest at 198.51.100.50 answers ping from root@dst", details: ["The address was given on this page"] });
});

test("no reply is a warning that names the interface and what to check (a guest may drop ICMP echo); through a gateway, only not checked", async () => {
    const cut = (await verify({ destination: { "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": { exit: 1, stdout: PING_NONE } } }))["guest-network"];
    expect(cut?.verdict).toBe("warn");
    expect(cut?.summary).toMatch(/^The guest at 198.51.100.50 does not answer ping from root@dst over br-vf. If it answers ICMP echo, its VF's path on the destination is cut: check that the destination VF's representor is up/);
    const far = (await verify({
        destination: {
            "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": { exit: 1, stdout: PING_NONE },
            "ip -j route get 198.51.100.50": { stdout: '[{"dst":"198.51.100.50","gateway":"192.0.2.254","dev":"eno1","prefsrc":"192.0.2.2","flags":[],"uid":0,"cache":[]}]\n' },
        },
    }))["guest-network"];
    expect(far?.verdict).toBe("warn");
    expect(far?.summary).toMatch(/^Not checked: .* only through the gateway 192.0.2.254 \(eno1\)/);
});

test("an answer from this host before the migration decides: silence after it is a cut path (a failure), silence before and after only a warning", async () => {
    SILENCE_RETRY.ms = 1;
    let pings = 0;
    const silent = { ...NO_AGENT, "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": () => { pings++; return { exit: 1, stdout: PING_NONE } } };
    // the admin gave no address here: the one pinged before the call is pinged again, and asked again twice before
    // its silence fails (the path may still be settling after the switch-over)
    const cut = (await verify({ destination: silent, before: { address: "198.51.100.50", answered: true, at: 1_700_000_000_000 } }))["guest-network"];
    expect(pings).toBe(3);
    expect(cut?.verdict).toBe("fail");
    expect(cut?.summary).toBe("The guest at 198.51.100.50 does not answer ping from root@dst over br-vf. It answered this host's ping right before the migration: " +
        "its VF's path on the destination is cut: check that the destination VF's representor is up and in the VM's bridge, with the VM's VLAN.");
    expect(cut?.details).toEqual(["The address was given before the migration", "Before the migration, it answered ping from this host"]);
    pings = 0;
    const never = (await verify({ destination: silent, before: { address: "198.51.100.50", answered: false, at: 1_700_000_000_000 } }))["guest-network"];
    expect(pings).toBe(1);
    expect(never?.verdict).toBe("warn");
    expect(never?.summary).toMatch(/does not answer ping from root@dst over br-vf. It did not answer before the migration either: it may drop ICMP echo.$/);
    const back = (await verify({ destination: NO_AGENT, before: { address: "198.51.100.50", answered: false, at: 1_700_000_000_000 } }))["guest-network"];
    expect(back).toMatchObject({ verdict: "pass", details: ["The address was given before the migration", "Before the migration, it did not answer ping from this host either"] });
    // another address typed after the migration: the answer from before is not about it
    const other = (await verify({
        destination: { ...silent, "ip -j route get 198.51.100.60": { stdout: '[{"dst":"198.51.100.60","dev":"br-vf","prefsrc":"198.51.100.2","flags":[],"uid":0,"cache":[]}]\n' },
                       "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.60": { exit: 1, stdout: PING_NONE } },
        guestAddress: "198.51.100.60", before: { address: "198.51.100.50", answered: true, at: 1_700_000_000_000 },
    }))["guest-network"];
    expect(other).toMatchObject({ verdict: "warn", details: ["The address was given on this page"] });
    // the destination's route to it not known (ip failed): not called a cut path, and not asked again
    pings = 0;
    const noRoute = { ...silent, "ip -j route get 198.51.100.50": { exit: 1, stderr: "RTNETLINK answers: Invalid argument\n" } };
    const unknown = (await verify({ destination: noRoute, before: { address: "198.51.100.50", answered: true, at: 1 } }))["guest-network"];
    expect([unknown?.verdict, pings]).toEqual(["warn", 1]);
    expect(unknown?.summary).toMatch(/does not answer ping from root@dst. It answered this host's ping before the migration, but the destination's route to it could not be read: check/);
    // silent at first, then it answers: passed
    pings = 0;
    const settling = { ...NO_AGENT, "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": () => (++pings < 2 ? { exit: 1, stdout: PING_NONE } : { stdout: PING_OK }) };
    expect((await verify({ destination: settling, before: { address: "198.51.100.50", answered: true, at: 1 } }))["guest-network"]?.verdict).toBe("pass");
    // the departure note cannot be read: said, and the guest agent's address is pinged as without one
    const unread = (await verify({ before: new Error("departed.json is not JSON: Unexpected end") }))["guest-network"];
    expect(unread).toMatchObject({ verdict: "pass", details: ["The address is the one the guest agent reports on the VF's MAC",
        "The answer from before the migration could not be read: departed.json is not JSON: Unexpected end"] });
});

test("an address of the destination itself is not pinged as the guest's", async () => {
    const local = '[{"type":"local","dst":"198.51.100.2","dev":"lo","prefsrc":"198.51.100.2","flags":[],"uid":0,"cache":["local"]}]\n';
    const c = (await verify({ guestAddress: "198.51.100.2", destination: { ...NO_AGENT, "ip -j route get 198.51.100.2": { stdout: local } } }))["guest-network"];
    expect(c).toMatchObject({ verdict: "warn", summary: "Not checked: 198.51.100.2 is an address of root@dst itself, not the guest's" });
    expect(c?.evidence.map(e => e.command.argv[0])).toEqual(["ip"]);
});

test("the verdict comes from ping's exit status, so a host in another language gives the same answer", async () => {
    const fr = "PING 198.51.100.50 (198.51.100.50) 56(84) octets de données.\n\n--- statistiques ping 198.51.100.50 ---\n" +
        "3 paquets transmis, 3 reçus, 0 % paquets perdus, temps 407 ms\n";
    const c = (await verify({ destination: { "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": { stdout: fr } } }))["guest-network"];
    expect(c).toMatchObject({ verdict: "pass", summary: "The guest at 198.51.100.50 answers ping from root@dst" });
    expect(c?.evidence[1].lines).toEqual(["3 paquets transmis, 3 reçus, 0 % paquets perdus, temps 407 ms"]);
});

test("ping that cannot run (no route at all) is not checked, with ping's own words", async () => {
    const c = (await verify({
        destination: {
            "ip -j route get 198.51.100.50": { exit: 2, stderr: "RTNETLINK answers: Network is unreachable\n" },
            "ping -n -c 3 -i 0.2 -W 1 -- 198.51.100.50": { exit: 2, stderr: "ping: connect: Network is unreachable\n" },
        },
    }))["guest-network"];
    expect(c).toMatchObject({ verdict: "warn", summary: "Not checked: ping of 198.51.100.50 could not run on root@dst: ping: connect: Network is unreachable" });
});

test("an agent's list of addresses that is not understood is said so, not taken for an empty one", async () => {
    const c = (await verify({
        destination: { [`virsh -c qemu:///system domifaddr --domain ${VM} --source agent --full`]: { stdout: `something else entirely ${MAC}\n` } },
    }))["guest-network"];
    expect(c?.verdict).toBe("warn");
    expect(c?.summary).toMatch(/the guest agent's list of addresses was not understood/);
});

test("the source's definition removed a moment after libvirt's end (as its call returns) is waited for, not reported", async () => {
    UNDEFINE_WAIT.ms = 1;
    expect((await verify({ definedFor: 2 }))["source-gone"]).toMatchObject({ verdict: "pass", summary: "rhel9-vf is no longer defined on this host, as chosen" });
    // one that stays is reported, after the wait
    expect((await verify({ definedFor: 100 }))["source-gone"])
        .toMatchObject({ verdict: "fail", summary: "rhel9-vf is still defined on this host, though removing its definition was chosen" });
});
