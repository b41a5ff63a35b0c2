/* The wizard's list of this host's running VMs, without React: loading, empty, a VM whose definition is unreadable, libvirt refusing. */
import { LibvirtCallError } from "../../../src/libvirt/client";
import { VmList, type VmListState } from "../../../src/session/vm-list";
import { LIVE_XML, VF_SOURCE } from "../migration/fixtures";
import { FakeLibvirt } from "./fake-libvirt";
import { ScriptedHost } from "./fake-hosts";
import { facts } from "../steps/fixtures";
import { departureRecorder, reachBeforeOf, recordDeparture } from "../../../src/session/departures";
import { Host, Port, SshUser } from "../../../src/host/values";
import { TransportError } from "../../../src/host/transport";

const PLAIN = "<domain type='kvm'><name>web</name><devices><interface type='network'><mac address='52:54:00:aa:bb:cc'/></interface></devices></domain>";

function setup() {
    const libvirt = new FakeLibvirt();
    const list = new VmList(libvirt.asClient());
    const seen: VmListState["status"][] = [];
    list.subscribe(s => seen.push(s.status));
    return { libvirt, list, seen };
}

test("loading, then each running VM by name with the VF it holds (MAC included)", async () => {
    const s = setup();
    s.libvirt.domains.set("web", { active: true, persistent: true, xml: PLAIN });
    s.libvirt.domains.set("rhel9-vf", { active: true, persistent: true, xml: LIVE_XML });
    const done = s.list.open();
    expect(s.list.state).toEqual({ status: "loading", vms: [], error: null, departed: [], departedError: null });
    await done;
    expect(s.seen).toEqual(["loading", "loaded"]);
    expect(s.list.state.vms).toEqual([
        { name: "rhel9-vf", vfs: [{ pci: VF_SOURCE, mac: "52:54:00:6d:90:02" }] },
        { name: "web", vfs: [] },
    ]);
});

test("no VM running: an empty list, not an error", async () => {
    const s = setup();
    await s.list.load();
    expect(s.list.state).toEqual({ status: "loaded", vms: [], error: null, departed: [], departedError: null });
});

test("a VM whose definition cannot be read stays in the list with the reason; the others are read", async () => {
    const s = setup();
    s.libvirt.domains.set("broken", { active: true, persistent: true, xml: "<domain><devices>" });
    s.libvirt.domains.set("web", { active: true, persistent: true, xml: PLAIN });
    await s.list.load();
    const [broken, web] = s.list.state.vms;
    expect(broken).toMatchObject({ name: "broken", vfs: [] });
    expect(broken.problem).toEqual(expect.any(String));
    expect(web).toEqual({ name: "web", vfs: [] });
});

test("libvirt refusing the list is an error in words, with libvirt's own message; reading again clears it", async () => {
    const s = setup();
    const refuse = jest.spyOn(s.libvirt, "listDomains").mockRejectedValueOnce(
        new LibvirtCallError("org.libvirt.Connect.ListDomains", "access denied", "org.freedesktop.DBus.Error.AccessDenied"));
    await s.list.load();
    expect(s.list.state.status).toBe("error");
    expect(s.list.state.error?.detail).toBe("access denied");
    expect(s.list.state.error?.summary).not.toBe("");
    refuse.mockRestore();
    await s.list.load();
    expect(s.list.state).toEqual({ status: "loaded", vms: [], error: null, departed: [], departedError: null });
});

test("a reload while a read runs: only the last read's answer shows; close drops the connection", async () => {
    const s = setup();
    s.libvirt.domains.set("web", { active: true, persistent: true, xml: PLAIN });
    let answerFirst = () => {};
    const slow = s.libvirt.listDomains();
    jest.spyOn(s.libvirt, "listDomains").mockReturnValueOnce(new Promise(resolve => { answerFirst = () => resolve(slow) }));
    const first = s.list.load();
    s.libvirt.domains.delete("web");
    const second = s.list.load();
    await second;
    answerFirst();
    await first;
    expect(s.list.state).toEqual({ status: "loaded", vms: [], error: null, departed: [], departedError: null });
    const close = jest.spyOn(s.libvirt, "close");
    s.list.close();
    expect(close).toHaveBeenCalled();
});

describe("VMs that left this host through the page (departed.json)", () => {
    const FILE = "/var/lib/cockpit-vf-migration/departed.json";
    const gone = (vm: string, at: number) => ({ vm, to: { host: "rhel-dst.example.test", user: "root", port: 22 }, vf: "0000:c1:00.1", at, ended: true });

    function withHost() {
        const libvirt = new FakeLibvirt();
        const host = new ScriptedHost("localhost", facts());
        return { libvirt, host, list: new VmList(libvirt.asClient(), host) };
    }

    test("a migration noted here shows as gone, newest first; a VM that runs here again is no longer listed as gone", async () => {
        const s = withHost();
        await recordDeparture(s.host, gone("web", 1000));
        await recordDeparture(s.host, gone("db", 2000));
        // web left again later: one entry, the newest
        await recordDeparture(s.host, gone("web", 3000));
        expect(JSON.parse(s.host.files.get(FILE) ?? "").departed.map((d: { vm: string }) => d.vm)).toEqual(["web", "db"]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm}@${d.at}`)).toEqual(["web@3000", "db@2000"]);
        s.libvirt.domains.set("db", { active: true, persistent: true, xml: PLAIN });
        await s.list.load();
        expect(s.list.state.departed.map(d => d.vm)).toEqual(["web"]);
    });

    test("a file the page did not write: said, with what is wrong in it; the running VMs are listed all the same", async () => {
        const s = withHost();
        s.host.files.set(FILE, JSON.stringify({ version: 1, departed: [{ ...gone("web", 1), vm: "-rf" }] }));
        s.libvirt.domains.set("db", { active: true, persistent: true, xml: PLAIN });
        await s.list.load();
        expect(s.list.state.vms.map(v => v.name)).toEqual(["db"]);
        expect(s.list.state.departedError).toBe("departed.json, entry 1: VM name “-rf” cannot start with '-'");
        // the next migration replaces it
        await recordDeparture(s.host, gone("web", 5));
        await s.list.load();
        expect(s.list.state).toMatchObject({ departedError: null, departed: [gone("web", 5)] });
    });

    test("a file of bytes that are not UTF-8: said, with iconv's words, and replaced by the next departure", async () => {
        const s = withHost();
        s.host.files.set(FILE, "{\ufffd}");
        await s.list.load();
        expect(s.list.state.departedError).toBe("/var/lib/cockpit-vf-migration/departed.json on localhost cannot be read: not UTF-8 text (iconv: illegal input sequence at position 1)");
        await recordDeparture(s.host, gone("web", 7));
        await s.list.load();
        expect(s.list.state).toMatchObject({ departedError: null, departed: [gone("web", 7)] });
    });

    test("a file that cannot be read now (the read timed out) is not replaced by the next departure", async () => {
        const s = withHost();
        await recordDeparture(s.host, gone("web", 1));
        s.host.on["vfm-state-read"] = () => { throw new TransportError("timeout", "localhost", "the read did not finish") };
        await expect(recordDeparture(s.host, gone("db", 2))).rejects.toThrow("the read did not finish");
        expect(JSON.parse(s.host.files.get(FILE) ?? "").departed.map((d: { vm: string }) => d.vm)).toEqual(["web"]);
    });

    test("without administrative access the file cannot be read: nothing is said about it", async () => {
        const s = withHost();
        s.host.on["vfm-state-read"] = () => { throw new TransportError("permission-denied", "localhost", "needs administrative access") };
        await s.list.load();
        expect(s.list.state).toMatchObject({ status: "loaded", departed: [], departedError: null });
    });

    test("noted as the call is made, in turn with the end: a page closed mid-way still leaves the VM named; a failure takes the note back", async () => {
        const s = withHost();
        const to = { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) };
        const notes = departureRecorder(s.host, to);
        // asked for one after the other without waiting, as the job does: the end is written last
        await Promise.all([notes.started("web", VF_SOURCE), notes.ended("web", VF_SOURCE), notes.started("db", null)]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ended=${d.ended}`)).toEqual(["db ended=false", "web ended=true"]);
        await notes.stayed("db");
        await s.list.load();
        expect(s.list.state.departed.map(d => d.vm)).toEqual(["web"]);
    });

    test("the guest's answer to a ping from here before the call stays with the VM through its end; only the wizard's own ping is taken back", async () => {
        const s = withHost();
        const notes = departureRecorder(s.host, { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) });
        const reach = { address: "198.51.100.11", answered: true, at: 1_700_000_000_000 };
        await notes.started("web", VF_SOURCE, reach);
        await notes.started("db", null);
        expect(await reachBeforeOf(s.host, "web", reach.at)).toEqual(reach);
        await notes.ended("web", VF_SOURCE);
        await notes.ended("db", null);
        expect(await reachBeforeOf(s.host, "web", reach.at)).toEqual(reach);
        // a second end note of the same migration (another page followed it too) keeps it
        await notes.ended("web", VF_SOURCE);
        expect(await reachBeforeOf(s.host, "web", reach.at)).toEqual(reach);
        expect(await reachBeforeOf(s.host, "db", reach.at)).toBeNull();
        // a later wizard's ping is another: the note of this one is not its answer
        expect(await reachBeforeOf(s.host, "web", reach.at + 1)).toBeNull();
        // the VM leaves again without a ping: the answer from the earlier start goes with that start's note
        await notes.started("web", VF_SOURCE);
        await notes.ended("web", VF_SOURCE);
        expect(await reachBeforeOf(s.host, "web", reach.at)).toBeNull();
    });

    test("notes asked for while one is written go together into the next write, in the order asked; a failed write fails its own notes only", async () => {
        const s = withHost();
        const to = { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) };
        const notes = departureRecorder(s.host, to);
        const ran = () => s.host.calls.map(c => c.argv[3]).filter(n => n?.startsWith("vfm-state-"));
        const first = notes.started("web", VF_SOURCE);
        // web's call has been made; while its note is written, web ends and two more start
        await new Promise(resolve => setTimeout(resolve, 0));
        const rest = [notes.ended("web", VF_SOURCE), notes.started("db", null), notes.started("mail", null), notes.stayed("mail")];
        await Promise.all([first, ...rest]);
        // the file is read once; each write after the first is one command, made only if the file is as last written
        expect(ran()).toEqual(["vfm-state-read", "vfm-state-swap", "vfm-state-swap"]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ended=${d.ended}`)).toEqual(["db ended=false", "web ended=true"]);
        // the disk is full for one write: the notes in it fail with the host's words, the next ones are written
        const before = s.host.files.get(FILE) ?? "";
        s.host.on["vfm-state-swap"] = () => {
            // the fake host has written it: as on a full disk, the file stays as it was
            s.host.files.set(FILE, before);
            delete s.host.on["vfm-state-swap"];
            return { exitStatus: 1, stderr: "cat: write error: No space left on device" };
        };
        const from = s.host.calls.length;
        const failed = notes.ended("db", null);
        await new Promise(resolve => setTimeout(resolve, 0));
        const later = notes.started("mail", null);
        await expect(failed).rejects.toThrow(/No space left on device/);
        await later;
        // after a failed write the page no longer knows the file: it reads it before the next
        expect(s.host.calls.slice(from).map(c => c.argv[3])).toEqual(["vfm-state-swap", "vfm-state-read", "vfm-state-swap"]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ended=${d.ended}`)).toEqual(["mail ended=false", "db ended=false", "web ended=true"]);
    });

    test("an end and the start it lets go, asked for in the same turn of the event loop, share one write", async () => {
        const s = withHost();
        const notes = departureRecorder(s.host, { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) });
        await notes.started("web", VF_SOURCE);
        const from = s.host.calls.length;
        const ended = notes.ended("web", VF_SOURCE);
        // the next VM's start comes after some answers already at hand (its plan read ahead)
        await Promise.resolve();
        await Promise.resolve();
        await Promise.all([ended, notes.started("db", null)]);
        expect(s.host.calls.slice(from).map(c => c.argv[3])).toEqual(["vfm-state-swap"]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ended=${d.ended}`)).toEqual(["db ended=false", "web ended=true"]);
    });

    test("warmed as a migration is about to start, the file is read then: the note itself is one command", async () => {
        const s = withHost();
        const notes = departureRecorder(s.host, { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) });
        notes.warm?.();
        await new Promise(resolve => setTimeout(resolve, 0));
        const from = s.host.calls.length;
        expect(s.host.calls.map(c => c.argv[3])).toEqual(["vfm-state-read"]);
        await notes.started("web", VF_SOURCE);
        expect(s.host.calls.slice(from).map(c => c.argv[3])).toEqual(["vfm-state-swap"]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ended=${d.ended}`)).toEqual(["web ended=false"]);
    });

    test("a file larger than the page reads (not one it wrote) is replaced by the next note, not retried", async () => {
        const s = withHost();
        s.host.files.set(FILE, JSON.stringify({ version: 1, departed: [], junk: "x".repeat(70 * 1024) }));
        const notes = departureRecorder(s.host, { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) });
        await notes.ended("web", VF_SOURCE);
        await s.list.load();
        expect(s.list.state).toMatchObject({ departedError: null, departed: [expect.objectContaining({ vm: "web", ended: true })] });
    });

    test("another page's note written meanwhile is kept: the write finds the file changed, reads it again and adds to it", async () => {
        const s = withHost();
        const to = { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) };
        const mine = departureRecorder(s.host, to);
        await mine.started("web", VF_SOURCE);
        // another page (another admin's browser) notes db meanwhile
        await departureRecorder(s.host, to).ended("db", null);
        const from = s.host.calls.length;
        await mine.ended("web", VF_SOURCE);
        // the write was refused (the file is not as this page left it), then made again after a read
        expect(s.host.calls.slice(from).map(c => c.argv[3])).toEqual(["vfm-state-swap", "vfm-state-read", "vfm-state-swap"]);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ended=${d.ended}`).sort()).toEqual(["db ended=true", "web ended=true"]);
    });

    test("a start that never made its call takes back its own note, not the note of a newer start of the same VM", async () => {
        const s = withHost();
        const to = { host: Host.of("rhel-dst.example.test"), user: SshUser.of("root"), port: Port.of(22) };
        const notes = departureRecorder(s.host, to);
        const first = notes.started("db", null);
        const firstAt = Date.now();
        await first;
        // the run was halted while that start re-checked its VF, then started again: the new start made its call
        await new Promise(resolve => setTimeout(resolve, 5));
        await notes.started("db", VF_SOURCE);
        await notes.stayed("db", firstAt);
        await s.list.load();
        expect(s.list.state.departed.map(d => `${d.vm} ${d.vf}`)).toEqual([`db ${VF_SOURCE}`]);
        // the newer start's own failure does take it back
        await notes.stayed("db", Date.now());
        await s.list.load();
        expect(s.list.state.departed).toEqual([]);
    });
});
