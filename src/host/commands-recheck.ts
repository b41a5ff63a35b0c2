/*
 * Read-only commands of the destination VF's re-check right before a migration (src/migration/destination-vf.ts):
 * the VF's sibling links through its own physfn link (so the PF need not be known beforehand), and the running VMs.
 */
import { Argv, makeArgv } from "./argv";
import { PciAddress } from "./values";

/** The VF's PF's virtfn links ("virtfn0 ../0000:c1:00.1"), reached through the VF's physfn link. */
export const vfSiblingVirtfns = (vf: PciAddress): Argv =>
    makeArgv("find", `/sys/bus/pci/devices/${PciAddress.of(vf)}/physfn/`, "-maxdepth", "1", "-name", "virtfn*", "-printf", "%f %l\\n");
/** Names of the running VMs, one a line. */
export const virshListRunning = (): Argv => makeArgv("virsh", "-c", "qemu:///system", "list", "--name");
