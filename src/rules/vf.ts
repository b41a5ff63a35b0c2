/*
 * Where a VF stands in its life on the host (PROCEDURE.md's table), declared once: the status check vf-prepared,
 * the steps' choice of VF and their VF-count guard, the destination's re-check and the exports' bash helpers
 * (vfm_vf_in_use, vfm_target_vf in src/steps/lib.sh, given VFIO_DRIVERS) all use it.
 */
/** The drivers a VM's VF is bound to while attached (libvirt binds the VFIO variant driver; plain vfio-pci by hand). */
/** mlx5's VFIO variant driver: the one through which QEMU can migrate a VF */
export const VARIANT_DRIVER = "mlx5_vfio_pci";
export const VFIO_DRIVERS = [VARIANT_DRIVER, "vfio-pci"] as const;

/**
 * The drivers a free VF may be on when libvirt is to take it for a VM (managed hostdev): unbound, on mlx5_core (libvirt
 * moves it), or already on mlx5_vfio_pci. Plain vfio-pci is refused: libvirt would keep it, and QEMU then has no
 * migration support for it.
 */
export const ATTACHABLE_DRIVERS = ["none", "mlx5_core", "mlx5_vfio_pci"] as const;
export const isVfioDriver = (driver: string): boolean => (VFIO_DRIVERS as readonly string[]).includes(driver);
export const isAttachableDriver = (driver: string): boolean => (ATTACHABLE_DRIVERS as readonly string[]).includes(driver);

export interface VfLike {
    driver: string;
    usedBy: string | null;
    port: { migratable: boolean | null } | null;
}

export type VfState = "created" | "prepared" | "attached" | "released";

/** A VF ready for libvirt to take: off every host driver, its devlink port function migratable (set only while unbound). */
export const PREPARED_VF = { driver: "none", migratable: true } as const;

export function vfState(vf: VfLike): VfState {
    if (vf.usedBy || isVfioDriver(vf.driver))
        return "attached";
    if (vf.driver === PREPARED_VF.driver && vf.port?.migratable === PREPARED_VF.migratable)
        return "prepared";
    if (vf.port?.migratable === PREPARED_VF.migratable)
        return "released";
    return "created";
}

/** A VM holds it (named by its hostdev, or bound to a VFIO driver). */
export const vfInUse = (vf: VfLike): boolean => vfState(vf) === "attached";

/** The VF to prepare: one already prepared, else the first that no VM holds. */
export function targetVfOf<V extends VfLike>(vfs: readonly V[]): V | null {
    return vfs.find(v => vfState(v) === "prepared") ?? vfs.find(v => !vfInUse(v)) ?? null;
}
