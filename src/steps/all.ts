/* The preparation steps, in dependency order (each step's `after` names only steps before it). */
import type { StepDef } from "./types";
import { firmwareReset, firmwareSettings, installMstflint, installOpenvswitch, iommuKernelArgs, reboot } from "./defs-host";
import { createVfs, eswitchSwitchdev, migratableVf, pfLinkUp, unbindVf } from "./defs-sriov";
import { ovsBridgePf, ovsHwOffload, ovsMaxIdle, ovsRepresentor, ovsService } from "./defs-ovs";
import { firewallPorts, libvirtSocket, persistSriov } from "./defs-libvirt";

export const STEPS: StepDef[] = [
    installMstflint, installOpenvswitch,
    firmwareSettings, iommuKernelArgs, firmwareReset, reboot,
    pfLinkUp, eswitchSwitchdev, createVfs, unbindVf, migratableVf,
    ovsService, ovsHwOffload, ovsMaxIdle, ovsBridgePf, ovsRepresentor,
    libvirtSocket, firewallPorts, persistSriov,
];

export function stepById(id: string): StepDef | undefined {
    return STEPS.find(s => s.id === id);
}


/**
 * The steps after which the adapter's firmware query (`mstconfig -e query`, seconds on a real ConnectX-7) may answer
 * differently: mstflint installed, the flash written, the adapter reset, the host rebooted. After any other step the
 * preparation reads the host again without it, and keeps the last answer.
 */
export const FIRMWARE_STEPS: ReadonlySet<string> = new Set([installMstflint.id, firmwareSettings.id, firmwareReset.id, reboot.id]);
