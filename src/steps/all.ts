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

