/* Open vSwitch (ovs-vsctl): the bridge, its ports, and the Open_vSwitch table's other_config. */
import { Argv, makeArgv } from "../argv";
import { BridgeName, Netdev } from "../values";
import { allowedWord, intIn } from "./common";

export const ovsShow = (): Argv => makeArgv("ovs-vsctl", "show");
export const ovsGetOtherConfig = (): Argv => makeArgv("ovs-vsctl", "get", "Open_vSwitch", ".", "other_config");
export const OVS_OTHER_CONFIG = { "hw-offload": ["true", "false"], "max-idle": ["300000"] } as const;
export type OvsOtherConfigKey = keyof typeof OVS_OTHER_CONFIG;
/** changes */
export function ovsSetOtherConfig<K extends OvsOtherConfigKey>(key: K, value: typeof OVS_OTHER_CONFIG[K][number]): Argv {
    allowedWord(key, Object.keys(OVS_OTHER_CONFIG));
    allowedWord(value, OVS_OTHER_CONFIG[key]);
    return makeArgv("ovs-vsctl", "set", "Open_vSwitch", ".", `other_config:${key}=${value}`);
}
/** changes */
export const ovsRemoveOtherConfig = (key: OvsOtherConfigKey): Argv =>
    makeArgv("ovs-vsctl", "remove", "Open_vSwitch", ".", "other_config", allowedWord(key, Object.keys(OVS_OTHER_CONFIG)));
/** changes; --may-exist: a second run is not an error */
export const ovsAddBridge = (br: BridgeName): Argv => makeArgv("ovs-vsctl", "--may-exist", "add-br", BridgeName.of(br));
/** changes */
export const ovsAddPort = (br: BridgeName, dev: Netdev): Argv =>
    makeArgv("ovs-vsctl", "--may-exist", "add-port", BridgeName.of(br), Netdev.of(dev));
/** changes; --if-exists: a second run is not an error */
export const ovsDelPort = (br: BridgeName, dev: Netdev): Argv =>
    makeArgv("ovs-vsctl", "--if-exists", "del-port", BridgeName.of(br), Netdev.of(dev));
/** changes: the port's VLAN made `tag` / `trunks` (0–4095); both columns cleared first, so a second run is harmless */
export function ovsSetPortVlan(dev: Netdev, tag: number | null, trunks: readonly number[]): Argv {
    const set = [...(tag === null ? [] : [`tag=${intIn(tag, 0, 4095)}`]), ...(trunks.length ? [`trunks=${trunks.map(t => intIn(t, 0, 4095)).join(",")}`] : [])];
    return makeArgv("ovs-vsctl", "clear", "port", Netdev.of(dev), "tag", "trunks", ...(set.length ? ["--", "set", "port", Netdev.of(dev), ...set] : []));
}
