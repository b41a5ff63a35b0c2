/* devlink (iproute2): the PF's e-switch mode, its firmware versions, and the VF ports' migratable function. */
import { Argv, makeArgv } from "../argv";
import { DevlinkPort, PciAddress, devlinkDev } from "../values";
import { allowedWord } from "./common";

export const devlinkEswitchShow = (pf: PciAddress): Argv => makeArgv("devlink", "-j", "dev", "eswitch", "show", devlinkDev(pf));
/** changes: switchdev cuts every connection over that port until OVS forwards again. */
export const devlinkEswitchSet = (pf: PciAddress, mode: "switchdev" | "legacy"): Argv =>
    makeArgv("devlink", "dev", "eswitch", "set", devlinkDev(pf), "mode", allowedWord(mode, ["switchdev", "legacy"]));
export const devlinkDevInfo = (pf: PciAddress): Argv => makeArgv("devlink", "-j", "dev", "info", devlinkDev(pf));
/** All ports, or one. There is no `devlink port function show`: function attributes print here. */
export const devlinkPortShow = (port?: DevlinkPort): Argv =>
    port === undefined ? makeArgv("devlink", "-j", "port", "show") : makeArgv("devlink", "-j", "port", "show", DevlinkPort.of(port));
/** changes */
export const devlinkPortMigratable = (port: DevlinkPort, enable: boolean): Argv =>
    makeArgv("devlink", "port", "function", "set", DevlinkPort.of(port), "migratable", enable ? "enable" : "disable");
