/* systemd (systemctl): the units the migration depends on, and the reboot. */
import { Argv, makeArgv } from "../argv";
import { allowedWord } from "./common";

export const UNITS = ["virtqemud.socket", "virtproxyd-tls.socket", "virtproxyd-tcp.socket", "libvirtd.service",
    "libvirtd.socket", "libvirtd-tls.socket", "libvirtd-tcp.socket", "openvswitch.service", "firewalld.service", "NetworkManager.service"] as const;
export type Unit = typeof UNITS[number];
export const systemctlShow = (units: readonly Unit[]): Argv =>
    makeArgv("systemctl", "show", "-p", "Id,LoadState,ActiveState,UnitFileState", "--", ...units.map(u => allowedWord(u, UNITS)));
/** changes */
export const systemctlEnableNow = (unit: Unit): Argv => makeArgv("systemctl", "enable", "--now", "--", allowedWord(unit, UNITS));
/** changes */
export const systemctlDisableNow = (unit: Unit): Argv => makeArgv("systemctl", "disable", "--now", "--", allowedWord(unit, UNITS));
/** changes */
export const systemctlRestart = (unit: Unit): Argv => makeArgv("systemctl", "restart", "--", allowedWord(unit, UNITS));
/** changes: the host reboots */
export const systemctlReboot = (): Argv => makeArgv("systemctl", "reboot");
