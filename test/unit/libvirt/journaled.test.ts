/* libvirt-dbus calls in the command log and the system log: what the admin reads and copies afterwards. */
import { installFakeDBus, FakeDBusCockpit } from "./fake-dbus";
import { CommandJournal } from "../../../src/host/journal";
import { LocalTransport } from "../../../src/host/local";
import { MigrateFlags } from "../../../src/libvirt";
import { journaledLibvirt } from "../../../src/libvirt/journaled";

const DOM_PATH = "/org/libvirt/QEMU/domain/_1b4e28ba_2fa1_11d2_883f_0016d3cca427";
const dom = { path: DOM_PATH, name: "guest1" };
const XML = "<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:6b:3c:58'/>\n</interface>\n";
let fake: FakeDBusCockpit;

beforeEach(() => {
    fake = installFakeDBus();
    fake.script(["logger"], {});
});

/** until no system log line is still being written */
async function settle(journal: CommandJournal): Promise<void> {
    for (let i = 0; i < 100 && journal.entries().some(e => e.syslog === "pending" || e.peer?.syslog === "pending"); i++)
        await new Promise(r => setTimeout(r, 10));
}
const logged = () => fake.calls.filter(c => c.args[0] === "logger").map(c => c.args[6]);

test("an attach is a change in the command log, with the virsh line to copy and the device as its here-document", async () => {
    fake.answer("AttachDevice", []);
    const journal = new CommandJournal();
    const c = journaledLibvirt({ journal, host: new LocalTransport(), user: () => "admin" });
    await c.attachDevice(dom, XML);
    await settle(journal);
    const [e] = journal.entries();
    expect(e).toMatchObject({ host: "localhost", changes: true, via: "libvirt-dbus", exitStatus: 0, user: "admin", syslog: "written" });
    expect(e.line).toBe(`virsh -c qemu:///system attach-device --domain guest1 --file /dev/stdin --live --config <<'EOF'\n${XML}EOF`);
    expect(e.call).toBe(`org.libvirt.Domain.AttachDevice(xml=<document, ${XML.length} characters>, flags=3) on ${DOM_PATH}`);
    expect(logged()).toEqual([
        "admin started on localhost through libvirt-dbus (AttachDevice): virsh -c qemu:///system attach-device --domain guest1 --file /dev/stdin --live --config <<'EOF' ⏎ <interface type='hostdev' managed='yes'> ⏎   <mac address='52:54:00:6b:3c:58'/> ⏎ </interface> ⏎ EOF",
        "admin ran on localhost through libvirt-dbus (AttachDevice): virsh -c qemu:///system attach-device --domain guest1 --file /dev/stdin --live --config <<'EOF' ⏎ <interface type='hostdev' managed='yes'> ⏎   <mac address='52:54:00:6b:3c:58'/> ⏎ </interface> ⏎ EOF → done",
    ]);
});

test("the migration is logged on both hosts, the destination's through its own transport; a failure says libvirt's words", async () => {
    fake.answer("MigrateToURI3", () => Promise.reject({ name: "org.libvirt.Error", message: "operation failed: job 'migration out' failed" }));
    const journal = new CommandJournal();
    const dest = new LocalTransport("root@dest.example:22");
    const c = journaledLibvirt({ journal, host: new LocalTransport(), user: () => "admin", peer: () => dest });
    const virsh = ["virsh", "-c", "qemu:///system", "migrate", "--live", "--p2p", "--domain", "guest1", "--desturi", "qemu+ssh://root@dest.example/system"];
    await expect(c.migrateToUri3(dom, { destUri: "qemu+ssh://root@dest.example/system", params: {}, flags: MigrateFlags.LIVE | MigrateFlags.PEER2PEER, virsh }))
            .rejects.toThrow(/job 'migration out' failed/);
    await settle(journal);
    const [e] = journal.entries();
    expect(e).toMatchObject({ changes: true, via: "libvirt-dbus", error: { kind: "failed", message: "operation failed: job 'migration out' failed" },
        syslog: "written", peer: { host: "root@dest.example:22", syslog: "written" } });
    const line = "virsh -c qemu:///system migrate --live --p2p --domain guest1 --desturi qemu+ssh://root@dest.example/system";
    expect(e.line).toBe(line);
    // the fake spawns every host's logger locally: the messages say which host each is for
    expect(logged()).toEqual([
        `admin started on localhost through libvirt-dbus (MigrateToURI3): ${line}`,
        `admin started migrating a VM to this host, on the source host through libvirt-dbus (MigrateToURI3): ${line}`,
        `admin ran on localhost through libvirt-dbus (MigrateToURI3): ${line} → failed: operation failed: job 'migration out' failed`,
        `admin migrated a VM to this host, on the source host through libvirt-dbus (MigrateToURI3): ${line} → failed: operation failed: job 'migration out' failed`,
    ]);
});

test("abort, downtime and speed are changes; reads are kept as reads, unlogged; a poll is one entry that counts its repeats", async () => {
    fake.answer("AbortJob", []).answer("MigrateSetMaxDowntime", []).answer("MigrateSetMaxSpeed", [])
            .answer("GetXMLDesc", ["<domain/>"]).answer("GetJobStats", [[2, {}]]).answer("DomainLookupByName", [DOM_PATH]);
    const journal = new CommandJournal();
    const c = journaledLibvirt({ journal, host: new LocalTransport(), user: () => "admin" });
    await c.lookupByName("guest1");
    await c.getXmlDesc(dom, 2);
    for (let i = 0; i < 5; i++)
        await c.getJobStats(dom);
    await c.migrateSetMaxDowntime(dom, 300);
    await c.migrateSetMaxSpeed(dom, 1000);
    await c.abortJob(dom);
    await settle(journal);
    expect(journal.entries().map(e => [e.line, e.changes, e.syslog])).toEqual([
        ["virsh -c qemu:///system domuuid --domain guest1", false, "not-needed"],
        ["virsh -c qemu:///system dumpxml --domain guest1 --inactive", false, "not-needed"],
        ["virsh -c qemu:///system domjobinfo --domain guest1", false, "not-needed"],
        ["virsh -c qemu:///system migrate-setmaxdowntime --domain guest1 --downtime 300", true, "written"],
        ["virsh -c qemu:///system migrate-setspeed --domain guest1 --bandwidth 1000", true, "written"],
        ["virsh -c qemu:///system domjobabort --domain guest1", true, "written"],
    ]);
    expect(logged().filter(m => / → /.test(m)).map(m => m.replace(/^.*: virsh -c qemu:\/\/\/system (\S+).* → (.*)$/, "$1 $2")))
            .toEqual(["migrate-setmaxdowntime done", "migrate-setspeed done", "domjobabort done"]);
});

test("a poll after a change starts a new entry; a failed poll has its own; domain properties read as virsh dominfo", async () => {
    fake.answer("GetJobStats", [[2, {}]]).answer("AbortJob", []).answer("ListDomains", [[DOM_PATH]])
            .answer("GetAll", [{ Name: { t: "v", v: { t: "s", v: "guest1" } }, UUID: { t: "v", v: { t: "s", v: "u-1" } } }]);
    const journal = new CommandJournal();
    const c = journaledLibvirt({ journal, host: new LocalTransport(), user: () => "admin" });
    await c.getJobStats(dom);
    await c.getJobStats(dom);
    await c.abortJob(dom);
    await c.getJobStats(dom);
    fake.answer("GetJobStats", () => Promise.reject({ name: "org.libvirt.Error", message: "Domain not found" }));
    await expect(c.getJobStats(dom)).rejects.toMatchObject({ message: "Domain not found" });
    await c.listDomains();
    await c.listDomains();
    await settle(journal);
    expect(journal.entries().map(e => [e.line.replace("virsh -c qemu:///system ", ""), e.repeats?.count ?? 0, e.error?.message ?? ""])).toEqual([
        ["domjobinfo --domain guest1", 1, ""],
        ["domjobabort --domain guest1", 0, ""],
        ["domjobinfo --domain guest1", 0, ""],
        ["domjobinfo --domain guest1", 0, "Domain not found"],
        ["list --all", 1, ""],
        ["dominfo --domain guest1", 1, ""],
    ]);
    expect(journal.asText()).toMatch(/\(via libvirt-dbus, done, 1 more time until \d{4}-/);
});


test("every call the client makes is in the command log as a virsh line, even a domain whose properties lack its name", async () => {
    fake.answer("ListDomains", [[DOM_PATH]]).answer("GetAll", [{}]).answer("DomainLookupByName", [DOM_PATH])
            .answer("GetXMLDesc", ["<domain/>"]).answer("AttachDevice", []).answer("GetJobStats", [[2, {}]])
            .answer("AbortJob", []).answer("MigrateSetMaxDowntime", []).answer("MigrateSetMaxSpeed", []).answer("MigrateToURI3", []);
    const journal = new CommandJournal();
    const c = journaledLibvirt({ journal, host: new LocalTransport(), user: () => "admin" });
    await expect(c.listDomains()).rejects.toThrow(/no Name\/UUID/);
    await c.lookupByName("guest1");
    await c.getXmlDesc(dom, 0);
    await c.attachDevice(dom, XML);
    await c.getJobStats(dom);
    await c.migrateSetMaxDowntime(dom, 300);
    await c.migrateSetMaxSpeed(dom, 100);
    await c.abortJob(dom);
    await c.migrateToUri3(dom, { destUri: "qemu+ssh://d/system", params: {}, flags: MigrateFlags.LIVE, virsh: ["virsh", "-c", "qemu:///system", "migrate", "--live"] });
    await settle(journal);
    const calls = fake.dbusCalls.map(d => d.method);
    const entries = journal.entries();
    expect(entries.map(e => e.call?.replace(/^org\.\w+(\.\w+)*\.(\w+)\(.*$/, "$2"))).toEqual(calls);
    for (const e of entries)
        expect(e.line).toMatch(/^virsh -c qemu:\/\/\/system /);
    expect(entries[1].line).toBe("virsh -c qemu:///system dominfo --domain 1b4e28ba-2fa1-11d2-883f-0016d3cca427");
});

test("a long poll leaves no list behind: the client holds no collection, the command log keeps its last entries", async () => {
    fake.answer("GetJobStats", [[2, {}]]).answer("MigrateSetMaxDowntime", []);
    const journal = new CommandJournal();
    const c = journaledLibvirt({ journal, host: new LocalTransport(), user: () => "admin" });
    for (let i = 0; i < 700; i++) {
        await c.getJobStats(dom);
        await c.migrateSetMaxDowntime(dom, 300 + i);
    }
    await settle(journal);
    expect(journal.entries().length).toBeLessThanOrEqual(500);
    expect(journal.entries().at(-1)?.line).toBe("virsh -c qemu:///system migrate-setmaxdowntime --domain guest1 --downtime 999");
    const held = Object.values(c).filter(v => Array.isArray(v) || v instanceof Map || v instanceof Set);
    expect(held).toEqual([]);
}, 30_000);
