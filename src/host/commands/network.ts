/* The other network tools: ethtool, ping, getent (the resolver) and nmcli (NetworkManager). */
import { Argv, makeArgv } from "../argv";
import { Host, Netdev } from "../values";
import { allowedWord } from "./common";

/** The addresses a host name resolves to (`getent ahosts`), as this host's resolver sees them. */
export const getentAhosts = (host: Host): Argv => makeArgv("getent", "ahosts", Host.of(host));

/* NetworkManager (>= 1.46) keeps the VF count and the e-switch mode across reboots in the PF's connection profile */
/** changes; the connection profile is named after the PF's interface */
export const nmcliSriov = (conn: Netdev, totalVfs: number, mode: "switchdev" | "legacy"): Argv => {
    if (!Number.isSafeInteger(totalVfs) || totalVfs < 0 || totalVfs > 4096)
        throw new Error("nmcliSriov: VF count out of range");
    return makeArgv("nmcli", "connection", "modify", Netdev.of(conn), "sriov.total-vfs", totalVfs,
                    "sriov.eswitch-mode", allowedWord(mode, ["switchdev", "legacy"]));
};
