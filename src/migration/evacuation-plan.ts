/*
 * The plan of a host's evacuation, from what was read on both hosts: which destination VF each VM gets, in which
 * order, how many move at once, and why the plan is refused when the destination cannot take them all. Pure: the
 * session model (src/session/evacuation.ts) reads the hosts and runs it.
 */
import { _, format } from "../lib/cockpit";
import type { HostFacts } from "../checks/facts";
import { vfInUse, vfState } from "../rules/vf";
import { representorDown } from "../rules/ovs";
import { repVlanOf, repVlanOrUnbridged, vlanPick, vlanRefusal } from "./vf-vlan";
import { pfBridgeIn } from "../checks/ovs";
import { findVf, nicsOf } from "./vm-checks";
import { representorDownText, representorUnbridgedText } from "./destination-vf";
import { MAX_VFS_MIGRATING_PER_PF } from "./prechecks";
import { LIBVIRT_DBUS_DEFAULT_THREADS } from "../parsers/libvirt-dbus-threads";

/** the most migrations of one port at once (PROCEDURE.md); the admin may lower it */
export const VF_MIGRATIONS_PER_PORT = MAX_VFS_MIGRATING_PER_PF;

export interface EvacueeVm {
    name: string;
    /** the VFs the VM holds now (host PCI addresses) */
    vfs: string[];
    /** host PCI devices it holds otherwise (<hostdev>): no live migration moves them */
    otherPci?: string[];
    /** the VM's memory (MiB), from its XML; null when not read */
    memoryMiB: number | null;
    /** its XML could not be read */
    problem?: string;
}

/** A VM that holds no VF moves by plain live migration: its four VF fields are null, and no port's limit counts it. */
export interface EvacuationRow {
    vm: string;
    sourceVf: string | null;
    /** the PF (PCI address) of each VF: the per-port limit counts on both hosts */
    sourcePort: string | null;
    destinationVf: string | null;
    destinationPort: string | null;
    memoryMiB: number | null;
}

export const isPlain = (r: EvacuationRow): boolean => r.sourceVf === null;

export interface EvacuationPlanInput {
    vms: readonly EvacueeVm[];
    source: HostFacts;
    destination: HostFacts;
    /** MemAvailable of the destination (MiB); null when it could not be read */
    destinationAvailableMiB: number | null;
    /** migrations of one port at once, 1–4 */
    limit: number;
    /** libvirt-dbus's worker threads on this host (its --threads); null when it was not read */
    libvirtDbusThreads: number | null;
    /** the VMs that hold no VF move too, by plain live migration */
    plainToo?: boolean;
}

export interface EvacuationPlan {
    /** the VMs that move, in this order */
    rows: EvacuationRow[];
    /** running VMs the plan does not move, each with why */
    left: { vm: string; reason: string }[];
    /** why the plan cannot run as it stands; empty when it can */
    refusals: string[];
    /** what the admin should know (memory not read) */
    notes: string[];
    /**
     * VFs of the destination that no VM holds and that are not prepared, when preparing them would give every VM
     * one (the VFs the VMs of an earlier evacuation left go back to mlx5_core): the page offers to prepare them
     */
    toPrepare: string[];
    limit: number;
    /**
     * migrations at once, whatever their port: libvirt-dbus runs each call in one of its worker threads and
     * MigrateToURI3 holds its thread until the migration ends, so one thread is kept for progress and cancel
     */
    atOnce: number;
}

export function clampLimit(n: number): number {
    return Number.isInteger(n) ? Math.min(VF_MIGRATIONS_PER_PORT, Math.max(1, n)) : VF_MIGRATIONS_PER_PORT;
}


export function planEvacuation(i: EvacuationPlanInput): EvacuationPlan {
    const limit = clampLimit(i.limit);
    const left: EvacuationPlan["left"] = [];
    const refusals: string[] = [];
    const notes: string[] = [];
    const movers: { vm: EvacueeVm; sourceVf: string; sourcePort: string; sourceRep: string | null }[] = [];
    const plain: EvacueeVm[] = [];
    for (const vm of i.vms) {
        if (vm.problem) {
            left.push({ vm: vm.name, reason: format(_("Its definition could not be read: $0"), vm.problem) });
            continue;
        }
        if (vm.otherPci?.length) {
            left.push({ vm: vm.name, reason: format(_("It holds host PCI devices ($0) that a live migration cannot move"), vm.otherPci.join(", ")) });
            continue;
        }
        if (vm.vfs.length === 0) {
            if (i.plainToo)
                plain.push(vm);
            else
                left.push({ vm: vm.name, reason: _("It holds no VF: choose to move the VMs without a VF too, by plain live migration") });
            continue;
        }
        if (vm.vfs.length > 1) {
            left.push({ vm: vm.name, reason: format(_("It holds $0 VFs; this page moves VMs that hold one"), vm.vfs.length) });
            continue;
        }
        const found = findVf(i.source, vm.vfs[0]);
        if (!found) {
            left.push({ vm: vm.name, reason: format(_("Its VF $0 is not a VF of this host's ConnectX-7"), vm.vfs[0]) });
            continue;
        }
        movers.push({ vm, sourceVf: vm.vfs[0], sourcePort: found.nic.pci, sourceRep: found.vf.representor });
    }

    const free = nicsOf(i.destination).flatMap(nic => nic.vfs.filter(v => vfState(v) === "prepared").map(v => ({ nic, vf: v })));
    const preparable = nicsOf(i.destination).flatMap(nic => nic.vfs.filter(v => !vfInUse(v) && vfState(v) !== "prepared" && v.port));
    const missing = movers.length - free.length;
    const toPrepare = missing > 0 && preparable.length >= missing ? preparable.slice(0, missing).map(v => v.pci) : [];
    if (missing > 0)
        refusals.push(toPrepare.length > 0
            ? format(_("The destination has $0 free prepared VFs for $1 VMs: $2 more can be prepared there"), free.length, movers.length, toPrepare.length)
            : format(_("The destination has $0 free prepared VFs for $1 VMs: create more VFs on it (Host status)"), free.length, movers.length));
    // each VM takes the first free VF whose representor is read to carry its VLAN, else one whose VLAN is not read
    // (its re-check before the call reads it), else the first free one (refused below)
    const unused = [...free];
    const given = movers.slice(0, free.length).map(m => {
        const n = vlanPick(unused, repVlanOf(i.source, m.sourceRep), f => repVlanOrUnbridged(i.destination, f.vf.representor));
        return { m, f: unused.splice(n, 1)[0] };
    });
    const rows: EvacuationRow[] = [
        ...given.map(({ m, f }) => ({
            vm: m.vm.name, sourceVf: m.sourceVf, sourcePort: m.sourcePort,
            destinationVf: f.vf.pci, destinationPort: f.nic.pci, memoryMiB: m.vm.memoryMiB,
        })),
        ...plain.map(vm => ({ vm: vm.name, sourceVf: null, sourcePort: null, destinationVf: null, destinationPort: null, memoryMiB: vm.memoryMiB })),
    ];

    const needMiB = [...movers.map(m => m.vm), ...plain].reduce((sum, vm) => sum + (vm.memoryMiB ?? 0), 0);
    if (i.destinationAvailableMiB === null)
        notes.push(_("The destination's free memory could not be read: the plan does not know whether it can pin the guests' memory"));
    else if (needMiB > i.destinationAvailableMiB)
        refusals.push(format(plain.length
            ? _("The VMs need $0 MiB of memory (pinned for those with a VF); the destination has $1 MiB available")
            : _("The VMs need $0 MiB of memory, pinned for their VFs; the destination has $1 MiB available"),
                             Math.round(needMiB), Math.round(i.destinationAvailableMiB)));

    for (const port of new Set(rows.flatMap(r => (r.sourcePort === null ? [] : [r.sourcePort])))) {
        const here = pfBridgeIn(i.source, nicsOf(i.source).find(n => n.pci === port));
        const there = new Set(rows.filter(r => r.sourcePort === port && r.destinationPort !== null)
            .map(r => pfBridgeIn(i.destination, nicsOf(i.destination).find(n => n.pci === r.destinationPort))));
        for (const b of there)
            if (here !== null && b !== here)
                refusals.push(format(_("The VMs' network is bridge $0 on this host; the destination's port is in $1"),
                                     here, b ?? _("no bridge")));
    }
    // each VM's traffic leaves through its VF's representor: in the PF's bridge, and up (the kernel creates it down)
    for (const r of rows) {
        const nic = nicsOf(i.destination).find(n => n.pci === r.destinationPort);
        const vf = nic?.vfs.find(v => v.pci === r.destinationVf);
        const bridge = pfBridgeIn(i.destination, nic);
        if (!vf?.representor || bridge === null || !i.destination.ovs.known)
            continue;
        const ports = i.destination.ovs.value.bridges[bridge] ?? [];
        if (!ports.includes(vf.representor)) {
            refusals.push(representorUnbridgedText(vf.pci, vf.representor, bridge));
            continue;
        }
        if (representorDown(ports, vf))
            refusals.push(representorDownText(vf.pci, vf.representor));
        // and in the VLAN the VM's traffic leaves in here (both read; each VM's re-check before its call reads them again)
        const here = movers.find(m => m.vm.name === r.vm)?.sourceRep;
        const refused = vlanRefusal({ rep: here, vlan: repVlanOf(i.source, here) }, { rep: vf.representor, vlan: repVlanOf(i.destination, vf.representor) });
        if (refused)
            refusals.push(format(_("$0: $1"), r.vm, refused));
    }
    const threads = i.libvirtDbusThreads ?? LIBVIRT_DBUS_DEFAULT_THREADS;
    const atOnce = Math.max(1, threads - 1);
    if (i.libvirtDbusThreads === null)
        notes.push(format(_("libvirt-dbus does not run yet on this host: its default of $0 calls at once is assumed"), threads));
    return { rows, left, refusals, notes, toPrepare, limit, atOnce };
}

/**
 * Rows that may start now: the first waiting ones whose ports, on both hosts, have fewer than `limit` running,
 * with no more than `atOnce` running in all.
 */
export function nextToStart(rows: readonly EvacuationRow[], running: readonly EvacuationRow[], waiting: readonly EvacuationRow[],
    limit: number, atOnce: number = Infinity): EvacuationRow[] {
    const count = new Map<string, number>();
    const add = (k: string | null) => { if (k !== null) count.set(k, (count.get(k) ?? 0) + 1) };
    // a VM without a VF uses no port: only the count at once holds it
    const key = (side: "s" | "d", port: string | null) => (port === null ? null : `${side}:${port}`);
    const full = (k: string | null) => k !== null && (count.get(k) ?? 0) >= limit;
    for (const r of running) {
        add(key("s", r.sourcePort));
        add(key("d", r.destinationPort));
    }
    const out: EvacuationRow[] = [];
    for (const r of rows.filter(x => waiting.includes(x))) {
        if (running.length + out.length >= atOnce)
            break;
        if (full(key("s", r.sourcePort)) || full(key("d", r.destinationPort)))
            continue;
        add(key("s", r.sourcePort));
        add(key("d", r.destinationPort));
        out.push(r);
    }
    return out;
}

/**
 * What a plain live migration needs of both hosts: libvirt answering, and reachable by the peer's. A VF's checks (the
 * adapter, the IOMMU, switchdev, Open vSwitch) do not apply to it: a host that is not ready for VFs (before its
 * preparation's reboot, for instance) can still be emptied of VMs without a VF.
 */
export const PLAIN_MIGRATION_CHECKS: readonly string[] = ["kvm", "libvirt-answers", "libvirt-socket", "libvirt-tcp-auth", "tls-certificates", "firewall-ports"];

/** Of the checks that fail on either host, those that stop this plan: all of them once a VF moves, else the plain ones. */
export function blockingFailures<F extends { id: string }>(failing: readonly F[], rows: readonly EvacuationRow[]): F[] {
    return rows.some(r => !isPlain(r)) ? [...failing] : failing.filter(f => PLAIN_MIGRATION_CHECKS.includes(f.id));
}
