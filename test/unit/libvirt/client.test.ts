/* The libvirt-dbus client against a fake cockpit.dbus: exact names, signatures, flags, timeouts, and the record. */
import { installFakeDBus, FakeDBusCockpit } from "./fake-dbus";
import {
    AffectFlags, XmlDescFlags, JobStatsFlags, LibvirtCallError, LibvirtCallRecord, LibvirtClient, MigrateFlags, TIMEOUTS, variant,
} from "../../../src/libvirt";

const DOM_PATH = "/org/libvirt/QEMU/domain/_1b4e28ba_2fa1_11d2_883f_0016d3cca427";
const dom = { path: DOM_PATH, name: "guest1" };
let fake: FakeDBusCockpit;

beforeEach(() => { fake = installFakeDBus() });

/** libvirt-dbus wraps each value of an a{sv} reply twice (a variant of a variant); cockpit.dbus shows it so. */
const vv = (t: string, v: unknown) => ({ t: "v", v: { t, v } });

/** The calls a client describes to onRecord, each once (the client itself keeps none). */
function recorded(): { records: LibvirtCallRecord[]; onRecord: (r: LibvirtCallRecord) => void } {
    const records: LibvirtCallRecord[] = [];
    return { records, onRecord: r => { if (!records.includes(r)) records.push(r) } };
}

/** Properties.GetAll as libvirt 11.3 / libvirt-dbus answered it through Cockpit 337 on the test bed. */
const props = (name: string, uuid: string, active: boolean, persistent: boolean) => [{
    Active: vv("b", active), Autostart: vv("b", false), Id: vv("u", active ? 2 : 0), Name: vv("s", name), OSType: vv("s", "hvm"),
    Persistent: vv("b", persistent), Updated: vv("b", false), UUID: vv("s", uuid),
}];

test("opens org.libvirt on the system bus with administrative access required, once", async () => {
    fake.answer("GetXMLDesc", ["<domain/>"]);
    const c = new LibvirtClient({ onRecord: () => {} });
    await c.getXmlDesc(dom, XmlDescFlags.INACTIVE);
    await c.getXmlDesc(dom, 0);
    expect(fake.opened).toEqual([{ name: "org.libvirt", options: { bus: "system", superuser: "require" } }]);
    c.close();
    expect(fake.closed).toBe(1);
});

test("listDomains: ListDomains(u) on /org/libvirt/QEMU, then Properties.GetAll(s) for each domain", async () => {
    const other = "/org/libvirt/QEMU/domain/_00000000_0000_0000_0000_000000000002";
    fake.answer("org.libvirt.Connect.ListDomains", [[DOM_PATH, other]])
            .answer("GetAll", call => (call.path === DOM_PATH ? props("guest1", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", true, true)
                : props("idle", "00000000-0000-0000-0000-000000000002", false, false)));
    const list = await new LibvirtClient({ onRecord: () => {} }).listDomains();
    expect(list).toEqual([
        { path: DOM_PATH, name: "guest1", uuid: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", active: true, persistent: true },
        { path: other, name: "idle", uuid: "00000000-0000-0000-0000-000000000002", active: false, persistent: false },
    ]);
    expect(fake.dbusCalls[0]).toEqual({ path: "/org/libvirt/QEMU", iface: "org.libvirt.Connect", method: "ListDomains", args: [0],
        options: { type: "u", timeout: TIMEOUTS.default } });
    expect(fake.dbusCalls[1]).toMatchObject({ path: DOM_PATH, iface: "org.freedesktop.DBus.Properties", method: "GetAll",
        args: ["org.libvirt.Domain"], options: { type: "s" } });
});

test("lookupByName: Connect.DomainLookupByName(s) gives the object path", async () => {
    fake.answer("DomainLookupByName", [DOM_PATH]);
    expect(await new LibvirtClient({ onRecord: () => {} }).lookupByName("guest1")).toEqual(dom);
    expect(fake.dbusCalls[0]).toMatchObject({ path: "/org/libvirt/QEMU", iface: "org.libvirt.Connect", args: ["guest1"], options: { type: "s" } });
});

test("getXmlDesc passes the flags as u and records the dumpxml line", async () => {
    fake.answer("GetXMLDesc", ["<domain type='kvm'/>"]);
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    expect(await c.getXmlDesc(dom, XmlDescFlags.SECURE | XmlDescFlags.INACTIVE | XmlDescFlags.MIGRATABLE)).toBe("<domain type='kvm'/>");
    expect(fake.dbusCalls[0]).toEqual({ path: DOM_PATH, iface: "org.libvirt.Domain", method: "GetXMLDesc", args: [11],
        options: { type: "u", timeout: TIMEOUTS.default } });
    expect(records[0].virsh).toEqual(["virsh", "-c", "qemu:///system", "dumpxml", "--domain", "guest1", "--security-info", "--inactive", "--migratable"]);
});

test("attachDevice: (su) with LIVE|CONFIG by default and the long attach timeout; the XML is summarised, not copied", async () => {
    fake.answer("AttachDevice", []);
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    const xml = "<interface type='hostdev' managed='yes'/>";
    await c.attachDevice(dom, xml);
    expect(fake.dbusCalls[0]).toEqual({ path: DOM_PATH, iface: "org.libvirt.Domain", method: "AttachDevice",
        args: [xml, AffectFlags.LIVE | AffectFlags.CONFIG], options: { type: "su", timeout: TIMEOUTS.attach } });
    expect(records[0].args).toEqual([`xml=<document, ${xml.length} characters>`, "flags=3"]);
    expect(records[0].virsh).toEqual(["virsh", "-c", "qemu:///system", "attach-device", "--domain", "guest1", "--file", "/dev/stdin", "--live", "--config"]);
    expect(records[0]).toMatchObject({ input: xml, changes: true });
});

test("getJobStats: (ia{sv}) reply mapped to typed stats", async () => {
    fake.answer("GetJobStats", [[2, {
        operation: vv("i", 5), time_elapsed: vv("t", 5000), data_total: vv("t", 2147483648),
        data_processed: vv("t", 1073741824), data_remaining: vv("t", 536870912), memory_bps: vv("t", 838860800),
        memory_dirty_rate: vv("t", 1000), memory_iteration: vv("t", 3), memory_page_size: vv("t", 4096),
        downtime: vv("t", 42), vfio_data_transferred: vv("t", 123456), auto_converge_throttle: vv("i", 0),
    }]]);
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    const s = await c.getJobStats(dom, JobStatsFlags.COMPLETED);
    expect(fake.dbusCalls[0]).toMatchObject({ method: "GetJobStats", args: [1], options: { type: "u" } });
    expect(s).toMatchObject({ type: "unbounded", typeCode: 2, operation: 5, timeElapsedMs: 5000, dataTotal: 2147483648,
        dataProcessed: 1073741824, dataRemaining: 536870912, memoryBps: 838860800, memoryDirtyRate: 1000, memoryIteration: 3,
        memoryPageSize: 4096, downtimeMs: 42, vfioDataTransferred: 123456, autoConvergeThrottle: 0 });
    expect(records[0].virsh).toEqual(["virsh", "-c", "qemu:///system", "domjobinfo", "--domain", "guest1", "--completed"]);
});

test("getJobStats with no job: type none and no figures", async () => {
    fake.answer("GetJobStats", [[0, {}]]);
    const s = await new LibvirtClient({ onRecord: () => {} }).getJobStats(dom);
    expect(s).toEqual({ type: "none", typeCode: 0, raw: {} });
});

test("abortJob has no arguments and an empty signature", async () => {
    fake.answer("AbortJob", []);
    await new LibvirtClient({ onRecord: () => {} }).abortJob(dom);
    expect(fake.dbusCalls[0]).toEqual({ path: DOM_PATH, iface: "org.libvirt.Domain", method: "AbortJob", args: [],
        options: { type: "", timeout: TIMEOUTS.default } });
});

test("migrateSetMaxDowntime / migrateSetMaxSpeed: (tu) with flags 0; nonsense values refused before any call", async () => {
    fake.answer("MigrateSetMaxDowntime", []).answer("MigrateSetMaxSpeed", []);
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    await c.migrateSetMaxDowntime(dom, 500);
    await c.migrateSetMaxSpeed(dom, 100);
    expect(fake.dbusCalls.map(x => [x.method, x.args, x.options.type])).toEqual([
        ["MigrateSetMaxDowntime", [500, 0], "tu"], ["MigrateSetMaxSpeed", [100, 0], "tu"]]);
    await expect(c.migrateSetMaxDowntime(dom, 0)).rejects.toThrow(RangeError);
    await expect(c.migrateSetMaxSpeed(dom, 1.5)).rejects.toThrow(RangeError);
    expect(fake.dbusCalls).toHaveLength(2);
    expect(records.map(r => r.virsh?.slice(3))).toEqual([
        ["migrate-setmaxdowntime", "--domain", "guest1", "--downtime", "500"], ["migrate-setspeed", "--domain", "guest1", "--bandwidth", "100"]]);
});

test("migrateToUri3: (sa{sv}u), variants as {t, v}, the 24-hour wait, and a record that is 'running' until it returns", async () => {
    let release: () => void = () => {};
    fake.answer("MigrateToURI3", () => new Promise<unknown[]>(r => { release = () => r([]) }));
    const seen: LibvirtCallRecord["outcome"][] = [];
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord: r => { onRecord(r); seen.push(r.outcome) } });
    const params = { destination_xml: variant.string("<domain/>"), bandwidth: variant.ullong(100), "parallel.connections": variant.int(4) };
    const flags = MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.PARALLEL;
    const done = c.migrateToUri3(dom, { destUri: "qemu+ssh://root@192.0.2.2/system", params, flags, virsh: ["virsh", "migrate"] });
    await new Promise(r => setTimeout(r, 0));
    expect(records[0].outcome).toBe("running");
    release();
    await done;
    expect(seen).toEqual(["running", "ok"]);
    expect(fake.dbusCalls[0]).toEqual({ path: DOM_PATH, iface: "org.libvirt.Domain", method: "MigrateToURI3",
        args: ["qemu+ssh://root@192.0.2.2/system", { destination_xml: { t: "s", v: "<domain/>" }, bandwidth: { t: "t", v: 100 },
            "parallel.connections": { t: "i", v: 4 } }, flags],
        options: { type: "sa{sv}u", timeout: 86_400_000 } });
    expect(records[0].args).toEqual(["dconuri=qemu+ssh://root@192.0.2.2/system",
        "params={destination_xml: <document, 9 characters> (s), bandwidth: 100 (t), parallel.connections: 4 (i)}",
        "flags=LIVE|PEER2PEER|PARALLEL (131075)"]);
    expect(records[0].virsh).toEqual(["virsh", "migrate"]);
});

test("migrateToUri3 refuses POSTCOPY without calling libvirt", async () => {
    const c = new LibvirtClient({ onRecord: () => {} });
    await expect(c.migrateToUri3(dom, { destUri: "qemu+ssh://h/system", params: {}, flags: MigrateFlags.LIVE | MigrateFlags.POSTCOPY, virsh: ["virsh", "migrate"] }))
            .rejects.toThrow(/post-copy/);
    expect(fake.dbusCalls).toHaveLength(0);
});

test("a libvirt error becomes a LibvirtCallError with libvirt's message, and the record says so", async () => {
    fake.answer("MigrateToURI3", () => Promise.reject({ name: "org.libvirt.Error",
        message: "Requested operation is not valid: cannot migrate domain: VFIO device doesn't support migration" }));
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    const err = await c.migrateToUri3(dom, { destUri: "qemu+tls://h/system", params: {}, flags: 3, virsh: ["virsh", "migrate"] }).catch(e => e);
    expect(err).toBeInstanceOf(LibvirtCallError);
    expect(err).toMatchObject({ dbusName: "org.libvirt.Error", method: "org.libvirt.Domain.MigrateToURI3",
        message: "Requested operation is not valid: cannot migrate domain: VFIO device doesn't support migration" });
    expect(records[0]).toMatchObject({ outcome: "error", error: { kind: "failed", message: err.message } });
    expect(records[0].durationMs).toBeGreaterThanOrEqual(0);
});

test("a Cockpit problem (no administrative access) is kept as the problem code", async () => {
    fake.answer("GetXMLDesc", () => Promise.reject({ problem: "access-denied", message: "Not permitted to perform this action." }));
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    await expect(c.getXmlDesc(dom, 0)).rejects.toMatchObject({ problem: "access-denied" });
    expect(records[0].error).toEqual({ kind: "failed", message: "access-denied: Not permitted to perform this action." });
});

test("listDomains leaves out a domain that disappeared between the two calls, but not other failures", async () => {
    const gone = "/org/libvirt/QEMU/domain/_00000000_0000_0000_0000_000000000009";
    fake.answer("ListDomains", [[DOM_PATH, gone]])
            .answer("GetAll", call => (call.path === DOM_PATH ? props("guest1", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", true, true)
                : Promise.reject({ name: "org.libvirt.Error", message: "Domain not found: no domain with matching uuid '00000000-0000-0000-0000-000000000009'" })));
    expect((await new LibvirtClient({ onRecord: () => {} }).listDomains()).map(d => d.name)).toEqual(["guest1"]);
    fake.answer("GetAll", () => Promise.reject({ problem: "access-denied", message: "denied" }));
    await expect(new LibvirtClient({ onRecord: () => {} }).listDomains()).rejects.toMatchObject({ problem: "access-denied" });
});

test("a recorder failing after the call does not turn a done change into an error", async () => {
    fake.answer("AbortJob", []);
    const err = jest.spyOn(console, "error").mockImplementation(() => {});
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord: r => { onRecord(r); if (r.outcome !== "running") throw new Error("journal full") } });
    await expect(c.abortJob(dom)).resolves.toBeUndefined();
    expect(records[0].outcome).toBe("ok");
    expect(err).toHaveBeenCalled();
    err.mockRestore();
});

test("onDomainEvent: libvirt-dbus's Connect.DomainEvent (o, i, i) reaches the callback until unsubscribed", () => {
    const c = new LibvirtClient({ onRecord: () => {} });
    const seen: unknown[][] = [];
    const off = c.onDomainEvent((path, event, detail) => seen.push([path, event, detail]));
    fake.emit("/org/libvirt/QEMU", "org.libvirt.Connect", "DomainEvent", [DOM_PATH, 5, 3]);
    // another signal of the connection, or a malformed one, is not a domain event
    fake.emit("/org/libvirt/QEMU", "org.libvirt.Connect", "NetworkEvent", [DOM_PATH, 5, 3]);
    fake.emit("/org/libvirt/QEMU", "org.libvirt.Connect", "DomainEvent", [DOM_PATH, "5", 3]);
    off();
    fake.emit("/org/libvirt/QEMU", "org.libvirt.Connect", "DomainEvent", [DOM_PATH, 5, 1]);
    expect(seen).toEqual([[DOM_PATH, 5, 3]]);
    expect(fake.subscriptions).toBe(0);
});

test("closeWhenIdle: the channel stays open while a call is out (a migration's answer is recorded as it is), then closes", async () => {
    let answer: (v: unknown[]) => void = () => {};
    fake.answer("MigrateToURI3", () => new Promise<unknown[]>(r => { answer = r }));
    const { records, onRecord } = recorded();
    const c = new LibvirtClient({ onRecord });
    const call = c.migrateToUri3(dom, { destUri: "qemu+ssh://root@dst/system", params: {}, flags: MigrateFlags.LIVE | MigrateFlags.PEER2PEER, virsh: ["virsh"] });
    await Promise.resolve();
    c.closeWhenIdle();
    expect(fake.closed).toBe(0);
    answer([]);
    await call;
    expect(fake.closed).toBe(1);
    expect(records[0].outcome).toBe("ok");
    // idle: closed at once
    const d = new LibvirtClient({ onRecord: () => {} });
    fake.answer("GetXMLDesc", ["<domain/>"]);
    await d.getXmlDesc(dom, 0);
    d.closeWhenIdle();
    expect(fake.closed).toBe(2);
    // work the view left behind still calls: its channel is closed again once that call answers
    await d.getXmlDesc(dom, 0);
    expect(fake.opened).toHaveLength(3);
    expect(fake.closed).toBe(3);
});
