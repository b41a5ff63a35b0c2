/*
 * Read-only argv builders for the migration wizard's per-VM checks and its verification: where a disk path lives on
 * the destination, how the destination's name resolves, the speed of the link towards it, and the guest's own view
 * of its interfaces (through the QEMU guest agent).
 */
import { _ } from "../lib/cockpit";
import { Argv, makeArgv } from "./argv";
import { Host, Netdev, VmName, fail, hasControl } from "./values";

/** `stat -f -c %T -- PATH`: the file system type holding PATH; exit status 1 when PATH does not exist there. */
export function statFsType(path: string): Argv {
    if (typeof path !== "string" || !path.startsWith("/") || path.length > 4096 || hasControl(path))
        throw fail("disk-path", "form", path, _("Disk path “$0” is not an absolute path"));
    return makeArgv("stat", "-f", "-c", "%T", "--", path);
}

/** The addresses a host name resolves to (`getent ahosts`), as this host's resolver sees them. */
export const getentAhosts = (host: Host): Argv => makeArgv("getent", "ahosts", Host.of(host));

/** The link speed of an interface in Mb/s, as the kernel reports it (-1 or an error when unknown). */
export const netSpeed = (dev: Netdev): Argv => makeArgv("cat", "--", `/sys/class/net/${Netdev.of(dev)}/speed`);

/** The guest's interfaces as the QEMU guest agent reports them (fails when the VM has no agent). */
export const virshDomIfAddrAgent = (vm: VmName): Argv =>
    makeArgv("virsh", "-c", "qemu:///system", "domifaddr", "--domain", VmName.of(vm), "--source", "agent", "--full");
