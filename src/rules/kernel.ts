/*
 * The kernel's IOMMU arguments, declared once: the status check iommu-kernel, the grubby step and its undo, and the
 * exports' bash guards are derived from here. An "=off" left on the line wins over what is added, so it goes too.
 */
import type { Argv } from "../host/argv";
import { type KernelArg, KERNEL_ARGS_OFF, type KernelArgOff, grubbyUpdateArgs } from "../host/commands/grubby";
import { quoteArgv } from "../host/quote";

export type CpuVendor = "intel" | "amd" | "other";

/** The kernel arguments RHEL documents for the host's CPU vendor. */
export function iommuArgsFor(vendor: CpuVendor): KernelArg[] {
    return vendor === "intel" ? ["intel_iommu=on", "iommu=pt"] : ["iommu=pt"];
}

export interface KernelArgsFacts {
    vendor: CpuVendor;
    /** the running kernel's command line */
    cmdline: readonly string[];
    /** the default boot entry's arguments (grubby), [] if unread */
    next: readonly string[];
    /** /sys/class/iommu has an entry */
    active: boolean;
}

/**
 * What VFIO needs of a running kernel whose IOMMU is active: Intel's switched on. iommu=pt only spares the host's own
 * devices the IOMMU's translation (AMD's IOMMU is on by default): set with the rest, but its absence is a warning.
 */
export function iommuArgsNeeded(vendor: CpuVendor): KernelArg[] {
    return vendor === "intel" ? ["intel_iommu=on"] : [];
}

/** Running with the IOMMU active, without iommu=pt. */
export const passthroughMissing = (f: KernelArgsFacts): boolean => f.active && !f.cmdline.includes("iommu=pt");

export type KernelArgsState = "active" | "next-boot" | "missing";

const offIn = (args: readonly string[]): KernelArgOff[] => KERNEL_ARGS_OFF.filter(a => args.includes(a));

/** active: running with what VFIO needs; next-boot: set, with no "=off", for the next boot; missing: to set. */
export function kernelArgsState(f: KernelArgsFacts): KernelArgsState {
    const wanted = iommuArgsFor(f.vendor);
    if (f.active && iommuArgsNeeded(f.vendor).every(a => f.cmdline.includes(a)))
        return "active";
    if (wanted.every(a => f.next.includes(a)) && offIn(f.next).length === 0)
        return "next-boot";
    return "missing";
}

/** The "=off" arguments seen on the running or the next kernel line. */
export function kernelArgsOff(f: KernelArgsFacts): KernelArgOff[] {
    return offIn([...f.cmdline, ...f.next]);
}

/** The step's command (and the check's fix): add the wanted arguments, drop any "=off". */
export function kernelArgsSetArgv(f: KernelArgsFacts): Argv {
    return grubbyUpdateArgs(iommuArgsFor(f.vendor), kernelArgsOff(f));
}

/** The undo: remove the arguments again. */
export function kernelArgsUndoArgv(vendor: CpuVendor): Argv {
    return grubbyUpdateArgs([], iommuArgsFor(vendor));
}

/** The script's command: the vendor is known when it is made, the "=off" arguments are not, so all are removed. */
export function kernelArgsScriptArgv(vendor: CpuVendor): Argv {
    return grubbyUpdateArgs(iommuArgsFor(vendor), [...KERNEL_ARGS_OFF]);
}

/** The bash tests (helpers of src/steps/lib.sh) of kernelArgsState, for the exports. */
export function kernelArgsShell(vendor: CpuVendor): { active: string; nextBoot: string; rebootPending: string } {
    const wanted = quoteArgv(iommuArgsFor(vendor));
    const needed = iommuArgsNeeded(vendor);
    const active = `{ vfm_iommu_active && vfm_args_have "$(cat /proc/cmdline)"${needed.length ? ` ${quoteArgv(needed)}` : ""}; }`;
    const nextBoot = `vfm_args_ok "$(vfm_next_args)" ${wanted}`;
    // set for the next boot and not active: a reboot activates them, unless the firmware has no IOMMU to activate
    return { active, nextBoot, rebootPending: `{ ! ${active} && ${nextBoot} && vfm_iommu_in_firmware; }` };
}
