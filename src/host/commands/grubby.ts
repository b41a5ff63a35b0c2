/* grubby: the kernel arguments of every installed kernel (the IOMMU ones), effective at the next boot. */
import { Argv, makeArgv } from "../argv";
import { allowedWord } from "./common";

export const KERNEL_ARGS = ["intel_iommu=on", "amd_iommu=on", "iommu=pt"] as const;
export type KernelArg = typeof KERNEL_ARGS[number];
/** An "=off" that would win over ours: removed when ours are added. */
export const KERNEL_ARGS_OFF = ["intel_iommu=off", "amd_iommu=off", "iommu=off"] as const;
export type KernelArgOff = typeof KERNEL_ARGS_OFF[number];

/** The kernel arguments configured for the next boot. */
export const grubbyInfoDefault = (): Argv => makeArgv("grubby", "--info=DEFAULT");
/** changes: add the IOMMU arguments and drop an "=off"; or remove ours (undo) */
export function grubbyUpdateArgs(add: readonly KernelArg[], remove: readonly (KernelArg | KernelArgOff)[]): Argv {
    if (add.length === 0 && remove.length === 0)
        throw new Error("grubbyUpdateArgs: nothing to change");
    const all = [...KERNEL_ARGS, ...KERNEL_ARGS_OFF];
    return makeArgv("grubby",
                    ...(add.length ? [`--args=${add.map(a => allowedWord(a, KERNEL_ARGS)).join(" ")}`] : []),
                    ...(remove.length ? [`--remove-args=${remove.map(a => allowedWord(a, all)).join(" ")}`] : []),
                    "--update-kernel=ALL");
}
