/*
 * The adapter's link, e-switch mode, VF count and one VF made ready, declared once: the status checks
 * (src/checks/sriov.ts) judge by these rules and show their commands as the fix, the steps (src/steps/defs-sriov.ts)
 * run the same commands, and the exports' bash guards and lines are rendered here (helpers of src/steps/lib.sh).
 */
import type { Argv } from "../host/argv";
import { devlinkEswitchSet, devlinkPortMigratable } from "../host/commands/devlink";
import { ipLinkSetUp } from "../host/commands/ip";
import { quoteArgv } from "../host/quote";
import { DevlinkPort, DriverName, Netdev, PciAddress, type SysfsPath, SysfsValue, deviceAttrPath, driverPath } from "../host/values";
import { PREPARED_VF } from "./vf";

/** A command, or a sysfs attribute write: what a step runs and a check's fix shows. */
export type RuleCommand = Argv | { path: SysfsPath; value: SysfsValue };

/**
 * A line of the exports' script: bash as it is, a rule's command (rendered as the command log shows it), or lines
 * run only when a bash test succeeds.
 */
export type ScriptLine = string | RuleCommand | { when: string; then: ScriptLine[] };
/** `done`: the bash test that succeeds when there is nothing to do; `run`: what does it. */
export interface RuleScript { done: string; run: ScriptLine[] }

interface NicLike { pci: string; numVfs: number | null }
interface VfLike { pci: string; driver: string; port: { handle: string; migratable: boolean | null } | null }

const w = (...words: (string | number)[]): string => quoteArgv(words.map(String));

export const numvfsPath = (pf: string): SysfsPath => deviceAttrPath(PciAddress.of(pf), "sriov_numvfs");
export const sysfsWrite = (path: SysfsPath, value: string | number): RuleCommand => ({ path, value: SysfsValue.of(String(value)) });

/* The PF's interface: administratively up (`ip link` shows UP among its flags). */

/** Up: nothing to do; null: unknown. */
export const pfLinkOk = (linkUp: boolean | null): boolean | null => linkUp;
export const pfLinkUpCommands = (dev: string): RuleCommand[] => [ipLinkSetUp(Netdev.of(dev))];
export const pfLinkUpScript = (dev: Netdev): RuleScript => ({ done: `vfm_link_up ${w(dev)}`, run: pfLinkUpCommands(dev) });

/* The e-switch: in switchdev mode, so each VF has a representor. */

export const ESWITCH_MODE = "switchdev" as const;
export const eswitchOk = (mode: string): boolean => mode === ESWITCH_MODE;

/** The kernel refuses a new VF count while VFs exist, and the firmware a mode change: their count goes to 0 first. */
const removeVfs = (nic: NicLike): RuleCommand[] => ((nic.numVfs ?? 0) > 0 ? [sysfsWrite(numvfsPath(nic.pci), 0)] : []);
/** The same in the script, where the count is read when it runs; VMs on the host would lose their VFs. */
const removeVfsScript = (pf: PciAddress, what: string): ScriptLine =>
    ({ when: `[ "$(vfm_numvfs ${w(pf)})" != 0 ]`, then: [`vfm_guard_vms ${w(what)}`, sysfsWrite(numvfsPath(pf), 0)] });

export const switchdevCommands = (nic: NicLike): RuleCommand[] =>
    [...removeVfs(nic), devlinkEswitchSet(PciAddress.of(nic.pci), ESWITCH_MODE)];

export const legacyCommands = (nic: NicLike): RuleCommand[] =>
    [...removeVfs(nic), devlinkEswitchSet(PciAddress.of(nic.pci), "legacy")];

/** The management guard first: the mode change cuts the PF's traffic until Open vSwitch forwards it. */
export const switchdevScript = (pf: PciAddress, dev: Netdev): RuleScript => ({
    done: `vfm_eswitch_is ${w(pf, ESWITCH_MODE)}`,
    run: [`vfm_guard_mgmt ${w(dev)}`, removeVfsScript(pf, "removing the VFs"), devlinkEswitchSet(pf, ESWITCH_MODE)],
});

/* The VFs: at least as many as wanted (sriov_numvfs). */

export const vfCountOk = (numVfs: number, wanted: number): boolean => numVfs >= wanted;

export const createVfsCommands = (nic: NicLike, numVfs: number): RuleCommand[] =>
    [...removeVfs(nic), sysfsWrite(numvfsPath(nic.pci), numVfs)];

export const createVfsScript = (pf: PciAddress, numVfs: number): RuleScript => ({
    done: `[ "$(vfm_numvfs ${w(pf)})" -ge ${w(numVfs)} ]`,
    run: [removeVfsScript(pf, "changing the VF count"), sysfsWrite(numvfsPath(pf), numVfs)],
});

/* One VF made ready (src/rules/vf.ts PREPARED_VF): off its host driver, then its port function migratable. */

export const vfUnbound = (vf: { driver: string }): boolean => vf.driver === PREPARED_VF.driver;
export const vfMigratable = (vf: { port: { migratable: boolean | null } | null }): boolean => vf.port?.migratable === PREPARED_VF.migratable;

/** Off its host driver (migratable can only be set then), then migratable. */
export function prepareVfCommands(vf: VfLike): RuleCommand[] {
    return [
        ...(!vfUnbound(vf) ? [sysfsWrite(driverPath(DriverName.of(vf.driver), "unbind"), vf.pci)] : []),
        ...(vf.port && !vfMigratable(vf) ? [devlinkPortMigratable(DevlinkPort.of(vf.port.handle), PREPARED_VF.migratable)] : []),
    ];
}

// The script finds the VF when it runs (src/rules/vf.ts targetVfOf, as vfm_target_vf): the facts may not name it yet.
const targetVf = (pf: PciAddress) => `i=$(vfm_target_vf ${w(pf)})`;
const noFreeVf = (pf: PciAddress) => `vfm_refuse ${w("no free VF on", pf)}`;

export const vfUnbindScript = (pf: PciAddress): RuleScript => ({
    done: `${targetVf(pf)} && [ "$(vfm_vf_driver "$(vfm_vf_pci ${w(pf)} "$i")")" = ${w(PREPARED_VF.driver)} ]`,
    run: [`${targetVf(pf)} || ${noFreeVf(pf)}`, `vfm_vf_unbind "$(vfm_vf_pci ${w(pf)} "$i")"`],
});

export const vfMigratableScript = (pf: PciAddress): RuleScript => ({
    done: `${targetVf(pf)} && vfm_vf_migratable "$(vfm_vf_port ${w(pf)} "$i")"`,
    run: [`${targetVf(pf)} || ${noFreeVf(pf)}`, `vfm_vf_set_migratable "$(vfm_vf_port ${w(pf)} "$i")"`],
});
