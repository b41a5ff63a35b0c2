/*
 * The adapter's commands for switchdev, the VF count and one VF made ready, declared once: the steps
 * (src/steps/defs-sriov.ts) run them and the status checks (src/checks/sriov.ts) show them as their fix.
 */
import type { Argv } from "../host/argv";
import { devlinkEswitchSet, devlinkPortMigratable } from "../host/commands/devlink";
import { DevlinkPort, DriverName, PciAddress, type SysfsPath, SysfsValue, deviceAttrPath, driverPath } from "../host/values";

/** A command, or a sysfs attribute write: what a step runs and a check's fix shows. */
export type RuleCommand = Argv | { path: SysfsPath; value: SysfsValue };

interface NicLike { pci: string; numVfs: number | null }
interface VfLike { pci: string; driver: string; port: { handle: string; migratable: boolean | null } | null }

export const numvfsPath = (pf: string): SysfsPath => deviceAttrPath(PciAddress.of(pf), "sriov_numvfs");
export const sysfsWrite = (path: SysfsPath, value: string | number): RuleCommand => ({ path, value: SysfsValue.of(String(value)) });

/** The kernel refuses a new VF count while VFs exist, and the firmware a mode change: their count goes to 0 first. */
const removeVfs = (nic: NicLike): RuleCommand[] => ((nic.numVfs ?? 0) > 0 ? [sysfsWrite(numvfsPath(nic.pci), 0)] : []);

export const switchdevCommands = (nic: NicLike): RuleCommand[] =>
    [...removeVfs(nic), devlinkEswitchSet(PciAddress.of(nic.pci), "switchdev")];

export const legacyCommands = (nic: NicLike): RuleCommand[] =>
    [...removeVfs(nic), devlinkEswitchSet(PciAddress.of(nic.pci), "legacy")];

export const createVfsCommands = (nic: NicLike, numVfs: number): RuleCommand[] =>
    [...removeVfs(nic), sysfsWrite(numvfsPath(nic.pci), numVfs)];

/** Off its host driver (migratable can only be set then), then migratable. */
export function prepareVfCommands(vf: VfLike): RuleCommand[] {
    return [
        ...(vf.driver !== "none" ? [sysfsWrite(driverPath(DriverName.of(vf.driver), "unbind"), vf.pci)] : []),
        ...(vf.port && !vf.port.migratable ? [devlinkPortMigratable(DevlinkPort.of(vf.port.handle), true)] : []),
    ];
}
