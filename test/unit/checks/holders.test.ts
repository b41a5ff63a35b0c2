/*
 * Which VM holds a VF, as production learns it: the probe's `virsh list --name`, then (only when a VF is on a VFIO
 * driver) each running VM's live XML. The XML here is the real `virsh dumpxml` sample of shared/formats inside a
 * domain; the guard that refuses a VF count change then names the VM, not the driver.
 */
import fs from "fs";
import path from "path";
import { runningVmNames, vfHolders, vmXmlArgvs, vmsToRead, withHolders } from "../../../src/checks/holders";
import { stepById } from "../../../src/steps";
import { facts, k, nic, vf } from "./fixtures";
import { ctxOf } from "../steps/fixtures";

const SAMPLE = fs.readFileSync(path.join(__dirname, "../../../../shared/formats/domain-hostdev-interface.xml"), "utf8");
// the sample's first <interface> (the live form, with <driver name='vfio'/> and the guest-side address)
const iface = SAMPLE.slice(SAMPLE.indexOf("<interface"), SAMPLE.indexOf("</interface>") + "</interface>".length);
const liveXml = (name: string) =>
    `<domain type='kvm' id='3'>\n  <name>${name}</name>\n  <memory unit='KiB'>196608</memory>\n  <devices>\n    ${iface}\n  </devices>\n</domain>\n`;
const VF_PCI = "0000:41:00.6"; // bus 0x41 slot 0x00 function 0x6 in the sample

const list = (stdout: string, exitStatus = 0) => ({ stdout, exitStatus });

test("running VM names come from virsh list; a listing that failed (not root, libvirt down) tells nothing", () => {
    expect(runningVmNames(list("guest1\nweb-2\n\n"))).toEqual(["guest1", "web-2"]);
    expect(runningVmNames(list("", 1))).toBeNull();
    expect(runningVmNames(undefined)).toBeNull();
    // a line that is not a VM name is dropped, never passed on to a command
    expect(runningVmNames(list("guest1\n--all\n"))).toEqual(["guest1"]);
});

test("the VMs' XML is read only when a VF is on a VFIO driver", () => {
    const free = facts({ nics: k([nic({ vfs: [vf(0, { pci: VF_PCI, driver: "none" })] })]) });
    const bound = facts({ nics: k([nic({ vfs: [vf(0, { pci: VF_PCI, driver: "mlx5_vfio_pci" })] })]) });
    expect(vmsToRead(free, ["guest1"])).toEqual([]);
    expect(vmsToRead(bound, ["guest1"])).toEqual(["guest1"]);
    expect(vmsToRead(bound, null)).toEqual([]);
    expect(vmXmlArgvs(["guest1"])).toEqual([["virsh", "-c", "qemu:///system", "dumpxml", "--domain", "guest1"]]);
});

test("the VF named in a running VM's live XML is held by that VM; an unreadable or vanished VM names nothing", () => {
    const holders = vfHolders([
        { name: "gone", result: { exitStatus: 1, stdout: "" } },
        { name: "broken", result: { exitStatus: 0, stdout: "<domain><devices>" } },
        { name: "guest1", result: { exitStatus: 0, stdout: liveXml("guest1") } },
    ]);
    expect([...holders]).toEqual([[VF_PCI, "guest1"]]);
});

test("a VF count change while a VM holds a VF is refused with the VM named", () => {
    // as gather builds it: the driver is known, the holder is not
    const f = facts({ nics: k([nic({ numVfs: 1, vfs: [vf(0, { pci: VF_PCI, driver: "mlx5_vfio_pci", usedBy: null })] })]) });
    const names = vmsToRead(f, runningVmNames(list("guest1\n")));
    const named = withHolders(f, vfHolders(names.map(name => ({ name, result: { exitStatus: 0, stdout: liveXml(name) } }))));
    const createVfs = stepById("create-vfs");
    if (!createVfs)
        throw new Error("no create-vfs step");
    const guard = createVfs.guard(ctxOf(named, "source", { numVfs: 2 }));
    expect(guard?.reason).toBe(`VF ${VF_PCI} is in use (guest1): changing the number of VFs removes every VF first. Detach it from the VM or shut the VM down first.`);
    // without the holders, the admin would only read the driver
    expect(createVfs.guard(ctxOf(f, "source", { numVfs: 2 }))?.reason).toContain("(mlx5_vfio_pci)");
});
