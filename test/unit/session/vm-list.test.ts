/* The wizard's list of this host's running VMs, without React: loading, empty, a VM whose definition is unreadable, libvirt refusing. */
import { LibvirtCallError } from "../../../src/libvirt/client";
import { VmList, type VmListState } from "../../../src/session/vm-list";
import { LIVE_XML, VF_SOURCE } from "../migration/fixtures";
import { FakeLibvirt } from "./fake-libvirt";

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
    expect(s.list.state).toEqual({ status: "loading", vms: [], error: null });
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
    expect(s.list.state).toEqual({ status: "loaded", vms: [], error: null });
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
    expect(s.list.state).toEqual({ status: "loaded", vms: [], error: null });
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
    expect(s.list.state).toEqual({ status: "loaded", vms: [], error: null });
    const close = jest.spyOn(s.libvirt, "close");
    s.list.close();
    expect(close).toHaveBeenCalled();
});
