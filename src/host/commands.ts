/*
 * argv builders for the device and network commands the plugin runs. Every variable part is a validated value
 * (src/host/values.ts), none of which can start with '-'; where a tool accepts it, `--` also ends the options.
 * `changes` in the name's comment = the command changes the host (journaled); the others only read.
 */
import { Argv, makeArgv } from "./argv";
import {
    BridgeName, DevlinkPort, IpAddress, Netdev, PciAddress, SysfsPath, checkedPath, devlinkDev,
} from "./values";

/* devlink (iproute2) */
export const devlinkEswitchShow = (pf: PciAddress): Argv => makeArgv("devlink", "-j", "dev", "eswitch", "show", devlinkDev(pf));
/** changes: switchdev cuts every connection over that port until OVS forwards again. */
export const devlinkEswitchSet = (pf: PciAddress, mode: "switchdev" | "legacy"): Argv =>
    makeArgv("devlink", "dev", "eswitch", "set", devlinkDev(pf), "mode", oneOf(mode, ["switchdev", "legacy"]));
export const devlinkDevInfo = (pf: PciAddress): Argv => makeArgv("devlink", "-j", "dev", "info", devlinkDev(pf));
/** All ports, or one. There is no `devlink port function show`: function attributes print here. */
export const devlinkPortShow = (port?: DevlinkPort): Argv =>
    port === undefined ? makeArgv("devlink", "-j", "port", "show") : makeArgv("devlink", "-j", "port", "show", DevlinkPort.of(port));
/** changes */
export const devlinkPortMigratable = (port: DevlinkPort, enable: boolean): Argv =>
    makeArgv("devlink", "port", "function", "set", DevlinkPort.of(port), "migratable", enable ? "enable" : "disable");

/* mstflint package */
export const mstconfigQuery = (pf: PciAddress): Argv => makeArgv("mstconfig", "-d", PciAddress.of(pf), "-e", "query");
export const MSTCONFIG_KEYS = ["VF_MIGRATION_MODE", "SRIOV_EN", "NUM_OF_VFS", "LINK_TYPE_P1", "LINK_TYPE_P2"] as const;
export type MstconfigKey = typeof MSTCONFIG_KEYS[number];
/** changes (at the next firmware reset or reboot); -y answers mstconfig's y/n question. */
export function mstconfigSet(pf: PciAddress, settings: readonly { key: MstconfigKey; value: number }[]): Argv {
    if (settings.length === 0)
        throw new Error("mstconfigSet: nothing to set");
    const pairs = settings.map(({ key, value }) => {
        if (!Number.isSafeInteger(value) || value < 0 || value > 0xffff)
            throw new Error(`mstconfigSet: ${key} value out of range`);
        return `${oneOf(key, MSTCONFIG_KEYS)}=${value}`;
    });
    return makeArgv("mstconfig", "-y", "-d", PciAddress.of(pf), "set", ...pairs);
}
export const mstflintQuery = (pf: PciAddress): Argv => makeArgv("mstflint", "-d", PciAddress.of(pf), "q");

/* iproute2, ethtool, ss */
export const ethtoolInfo = (dev: Netdev): Argv => makeArgv("ethtool", "-i", Netdev.of(dev));
export const ipLinkShow = (dev?: Netdev): Argv =>
    dev === undefined ? makeArgv("ip", "-j", "-d", "link", "show") : makeArgv("ip", "-j", "-d", "link", "show", "dev", Netdev.of(dev));
/** changes */
export const ipLinkSetUp = (dev: Netdev): Argv => makeArgv("ip", "link", "set", "dev", Netdev.of(dev), "up");
export const ipRouteGet = (addr: IpAddress): Argv => makeArgv("ip", "-j", "route", "get", IpAddress.of(addr));
/** Listening TCP sockets (-l) or established ones, numeric, with owning processes. */
export const ssTcp = (listening: boolean): Argv =>
    listening ? makeArgv("ss", "-H", "-t", "-n", "-l", "-p") : makeArgv("ss", "-H", "-t", "-n", "-p", "state", "established");

/* Open vSwitch */
export const ovsShow = (): Argv => makeArgv("ovs-vsctl", "show");
export const ovsGetOtherConfig = (): Argv => makeArgv("ovs-vsctl", "get", "Open_vSwitch", ".", "other_config");
export const OVS_OTHER_CONFIG = { "hw-offload": ["true", "false"], "max-idle": ["300000"] } as const;
export type OvsOtherConfigKey = keyof typeof OVS_OTHER_CONFIG;
/** changes */
export function ovsSetOtherConfig<K extends OvsOtherConfigKey>(key: K, value: typeof OVS_OTHER_CONFIG[K][number]): Argv {
    oneOf(key, Object.keys(OVS_OTHER_CONFIG));
    oneOf(value, OVS_OTHER_CONFIG[key]);
    return makeArgv("ovs-vsctl", "set", "Open_vSwitch", ".", `other_config:${key}=${value}`);
}
export const ovsListBridges = (): Argv => makeArgv("ovs-vsctl", "list-br");
export const ovsListPorts = (br: BridgeName): Argv => makeArgv("ovs-vsctl", "list-ports", BridgeName.of(br));
export const ovsPortToBridge = (dev: Netdev): Argv => makeArgv("ovs-vsctl", "port-to-br", Netdev.of(dev));
/** changes; --may-exist: a second run is not an error */
export const ovsAddBridge = (br: BridgeName): Argv => makeArgv("ovs-vsctl", "--may-exist", "add-br", BridgeName.of(br));
/** changes */
export const ovsAddPort = (br: BridgeName, dev: Netdev): Argv => makeArgv("ovs-vsctl", "--may-exist", "add-port", BridgeName.of(br), Netdev.of(dev));

/* sysfs: read an attribute, resolve a link (driver, physfn, virtfnN, iommu_group), write one (value on stdin) */
export const readSysfs = (path: SysfsPath): Argv => makeArgv("cat", "--", checkedPath(path));
export const readSysfsLink = (path: SysfsPath): Argv => makeArgv("readlink", "-f", "--", checkedPath(path));
/**
 * changes. `tee PATH` with the value on stdin, i.e. the documented `echo VALUE | tee PATH`: tee opens the existing
 * attribute and writes the value in one write() (sysfs takes each write as a whole value, and refuses the
 * temporary-file-and-rename that Cockpit's file replace does). `dd of=` would also work but truncates unless told not
 * to, and its form is less familiar to an admin who copies the line.
 */
export const writeSysfsArgv = (path: SysfsPath): Argv => makeArgv("tee", "--", checkedPath(path));

export function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value))
        throw new Error(`unexpected value ${JSON.stringify(value)} (allowed: ${allowed.join(", ")})`);
    return value as T;
}
