/*
 * The attach stage's job without React: what the VM holds already, the plan (a free prepared VF of this host, a MAC
 * no VM of either host uses), the attach accepted and read back, libvirt refusing it, and a MAC drawn twice.
 */
import { LibvirtCallError } from "../../../src/libvirt/client";
import { AttachJob } from "../../../src/session/attach-job";
import { facts, k, nic, vf } from "../checks/fixtures";
import { LIVE_XML, INACTIVE_XML, VF_SOURCE } from "../migration/fixtures";
import { FakeLibvirt } from "./fake-libvirt";
import { FakeHostModel, ScriptedHost } from "./fake-hosts";
import { fakeTransport } from "./fake-transport";

const VM = "guest1";
const PLAIN = `<domain type='kvm'><name>${VM}</name><devices>
<interface type='network'><mac address='52:54:00:aa:bb:cc'/></interface>
</devices></domain>`;
const DEST_VM = "<domain type='kvm'><name>db</name><devices><interface type='network'><mac address='52:54:00:01:02:03'/></interface></devices></domain>";

/** random bytes in this order, then 0xff */
const bytes = (...b: number[]) => () => b.shift() ?? 0xff;

function setup(o: { xml?: string; inactiveXml?: string; random?: () => number; destination?: boolean } = {}) {
    const libvirt = new FakeLibvirt();
    libvirt.domains.set(VM, { active: true, persistent: true, xml: o.xml ?? PLAIN, ...(o.inactiveXml ? { inactiveXml: o.inactiveXml } : {}) });
    const source = new FakeHostModel("source", new ScriptedHost("localhost", facts()));
    const destination = fakeTransport("root@dst", line => {
        if (line === "virsh -c qemu:///system list --all --name")
            return { stdout: "db\n" };
        if (line.startsWith("virsh -c qemu:///system dumpxml --domain db"))
            return { stdout: DEST_VM };
        return undefined;
    });
    const job = new AttachJob({
        libvirt: libvirt.asClient(), vm: VM, source, destination: o.destination === false ? null : destination,
        random: o.random ?? bytes(0x10, 0x20, 0x30),
    });
    return { libvirt, source, destination, job };
}

test("a VM that holds a VF already: nothing to plan, no MAC read on either host, attach does nothing", async () => {
    const s = setup({ xml: LIVE_XML, inactiveXml: INACTIVE_XML });
    expect(s.job.state.held).toBeUndefined();
    await s.job.open();
    expect(s.job.state.held).toEqual({ pci: VF_SOURCE, mac: "52:54:00:6d:90:02" });
    expect(s.destination.runs).toEqual([]);
    expect(await s.job.attach()).toBeNull();
    expect(s.libvirt.calls.filter(c => c.startsWith("AttachDevice"))).toEqual([]);
});

test("no VF yet: the first free prepared VF of this host once it is read, a MAC used by neither host, the XML and the virsh line", async () => {
    const s = setup();
    await s.job.open();
    expect(s.job.state).toMatchObject({ held: null, free: null, vf: null, mac: "52:54:00:10:20:30", macsFrom: { sourceVms: 1, destinationVms: 1 } });
    expect(s.job.plan).toBeNull();
    await s.source.refresh();
    expect(s.job.state).toMatchObject({ free: [VF_SOURCE], vf: VF_SOURCE });
    expect(s.job.plan?.xml).toContain("<mac address='52:54:00:10:20:30'/>");
    expect(s.job.plan?.xml).toContain("bus='0xe1' slot='0x00' function='0x1'");
    expect(s.job.virshLine("vf.xml")).toBe("virsh -c qemu:///system attach-device --domain guest1 --file vf.xml --live --config");
});

test("the MAC drawn first is used by a VM on the destination, the next by one here: a third one is chosen", async () => {
    const s = setup({ random: bytes(0x01, 0x02, 0x03, 0xaa, 0xbb, 0xcc, 0x04, 0x05, 0x06) });
    await s.job.open();
    expect(s.job.state.mac).toBe("52:54:00:04:05:06");
});

test("a VF in use or not prepared is not offered; the admin's choice among the free ones is kept", async () => {
    const s = setup();
    s.source.fake.facts = facts({ nics: k([nic({ vfs: [vf(0, { usedBy: "other" }), vf(1), vf(2), vf(3, { driver: "mlx5_core" })] })]) });
    await s.job.open();
    await s.source.refresh();
    expect(s.job.state.free).toEqual(["0000:e1:00.2", "0000:e1:00.3"]);
    s.job.chooseVf("0000:e1:00.3");
    await s.source.refresh();
    expect(s.job.state.vf).toBe("0000:e1:00.3");
});

test("attach accepted: AttachDevice live and persistent, then the VM read back holds the VF with the MAC chosen", async () => {
    const s = setup();
    await s.job.open();
    await s.source.refresh();
    expect(s.job.state.attachedHere).toBe(false);
    const attaching = s.job.attach();
    expect(s.job.state.attaching).toBe(true);
    expect(await attaching).toEqual({ pci: VF_SOURCE, mac: "52:54:00:10:20:30" });
    // the stage says "Attached", not "nothing to attach"
    expect(s.job.state).toMatchObject({ held: { pci: VF_SOURCE }, attaching: false, attachedHere: true, error: null });
    expect(s.libvirt.calls).toContain(`AttachDevice ${VM} 3`);
});

test("attach refused by libvirt: the error in words with libvirt's message; nothing held, and it can be tried again", async () => {
    const s = setup();
    await s.job.open();
    await s.source.refresh();
    const refuse = jest.spyOn(s.libvirt, "attachDevice").mockRejectedValueOnce(new LibvirtCallError("org.libvirt.Domain.AttachDevice",
        "Requested operation is not valid: PCI device 0000:e1:00.1 is in use by driver QEMU, domain other", "org.libvirt.Error"));
    expect(await s.job.attach()).toBeNull();
    expect(s.job.state).toMatchObject({ held: null, attaching: false });
    expect(s.job.state.error?.detail).toMatch(/is in use by driver QEMU/);
    refuse.mockRestore();
    expect(await s.job.attach()).not.toBeNull();
    expect(s.job.state.error).toBeNull();
});

test("libvirt accepts the device but the definition does not name the VF afterwards: an error, not a success", async () => {
    const s = setup();
    s.libvirt.attachIgnored = true;
    await s.job.open();
    await s.source.refresh();
    expect(await s.job.attach()).toBeNull();
    expect(s.job.state.held).toBeNull();
    expect(s.job.state.error?.detail).toMatch(/does not name 0000:e1:00.1/);
});

test("the VM is gone (undefined, or shut down): said as such, nothing planned; the destination's VMs not listed: an error", async () => {
    const gone = setup();
    gone.libvirt.domains.clear();
    await gone.job.open();
    expect(gone.job.state).toMatchObject({ held: null, gone: "not-here", error: null, mac: null });
    const stopped = setup();
    const d = stopped.libvirt.domains.get(VM);
    if (d)
        stopped.libvirt.domains.set(VM, { ...d, active: false });
    await stopped.job.open();
    expect(stopped.job.state).toMatchObject({ held: null, gone: "stopped-here", mac: null });
    expect(stopped.job.plan).toBeNull();

    const s = setup();
    s.destination.run = async () => { throw new Error("ssh: connect to host dst port 22: No route to host") };
    await s.job.open();
    expect(s.job.state).toMatchObject({ held: null, mac: null });
    expect(s.job.state.error?.detail).toMatch(/No route to host/);
});

test("close: the job stops following this host and drops its libvirt connection", async () => {
    const s = setup();
    await s.job.open();
    const close = jest.spyOn(s.libvirt, "close");
    s.job.close();
    await s.source.refresh();
    expect(s.job.state.free).toBeNull();
    expect(close).toHaveBeenCalled();
});
