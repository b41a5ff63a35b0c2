/*
 * Where the VM is after a migration ended, or after its job vanished: on this host as libvirt-dbus says, and on
 * the destination as `virsh domstate` there says. A VM that neither host has is a lost VM: the page says so loudly.
 */
import { virshDomState, virshDomUuid } from "../host/commands/virsh";
import type { HostTransport } from "../host/transport";
import { VmName } from "../host/values";
import type { LibvirtClient } from "../libvirt/client";
import { explainLibvirtError } from "./errors";

/** Where the VM is on this host, as libvirt says it now. */
export type VmWhere = "running-here" | "stopped-here" | "not-here" | "unknown";

export async function vmWhereHere(libvirt: LibvirtClient, vm: string): Promise<VmWhere> {
    try {
        const d = await libvirt.lookupByName(vm);
        return (await libvirt.domainProperties(d.path)).active ? "running-here" : "stopped-here";
    } catch (e) {
        return explainLibvirtError(e).kind === "domain-not-found" ? "not-here" : "unknown";
    }
}

export type DestinationWhere = "running" | "not-running" | "absent" | "unknown";

/** The VM on the destination: running, defined but not running, unknown to its libvirt, or not answered. */
export async function vmOnDestination(t: HostTransport, vm: string): Promise<DestinationWhere> {
    if (!VmName.parse(vm).ok)
        return "unknown";
    try {
        const r = await t.run(virshDomState(VmName.of(vm)));
        if (r.exitStatus === 0)
            return /^running/.test(r.stdout.trim()) ? "running" : "not-running";
        return /failed to get domain|Domain not found/i.test(r.stderr) ? "absent" : "unknown";
    } catch {
        return "unknown";
    }
}

/**
 * The destination runs this very VM: running there under its name, with the UUID it has here (a VM of the same name
 * that only shares it is not this one).
 */
export async function runsOnDestination(t: HostTransport, vm: string, uuid: string): Promise<boolean> {
    if (await vmOnDestination(t, vm) !== "running")
        return false;
    const r = await t.run(virshDomUuid(VmName.of(vm))).catch(() => null);
    return r !== null && r.exitStatus === 0 && r.stdout.trim().toLowerCase() === uuid.toLowerCase();
}
