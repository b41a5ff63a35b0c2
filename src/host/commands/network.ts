/* The other network tools: ethtool, ping, getent (the resolver) and nmcli (NetworkManager). */
import { Argv, makeArgv } from "../argv";
import { Host, Netdev } from "../values";
import { allowedWord } from "./common";

/** The addresses a host name resolves to (`getent ahosts`), as this host's resolver sees them. */
export const getentAhosts = (host: Host): Argv => makeArgv("getent", "ahosts", Host.of(host));

/*
 * NetworkManager (>= 1.46) keeps the VF count and the e-switch mode across reboots in the PF's connection profile.
 * The profile is the one active on the PF's interface, found by the device, not by a name (RHEL's are often "Wired
 * connection 1"): its UUID, which `nmcli -g` prints with nothing to escape. A fixed script, the interface and the
 * values passed as its arguments.
 */
const NM_SRIOV_SH = 'u=$(nmcli -g GENERAL.CON-UUID device show "$1") || exit; ' +
    'if [ -z "$u" ]; then echo "NetworkManager has no connection active on $1: nothing to store the setting in" >&2; exit 1; fi; ' +
    'exec nmcli connection modify "$u" sriov.total-vfs "$2" sriov.eswitch-mode "$3"';

/** changes: the VF count and e-switch mode stored in the connection active on `dev` */
export const nmcliSriov = (dev: Netdev, totalVfs: number, mode: "switchdev" | "legacy"): Argv => {
    if (!Number.isSafeInteger(totalVfs) || totalVfs < 0 || totalVfs > 4096)
        throw new Error("nmcliSriov: VF count out of range");
    return makeArgv("bash", "-c", NM_SRIOV_SH, "vfm-nm-sriov", Netdev.of(dev), totalVfs, allowedWord(mode, ["switchdev", "legacy"]));
};
