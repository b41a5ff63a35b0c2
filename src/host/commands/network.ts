/* The other network tools: ethtool, ping, getent (the resolver) and nmcli (NetworkManager). */
import { Argv, makeArgv } from "../argv";
import { Host, IpAddress, Netdev, PciAddress } from "../values";

/** The addresses a host name resolves to (`getent ahosts`), as this host's resolver sees them. */
export const getentAhosts = (host: Host): Argv => makeArgv("getent", "ahosts", Host.of(host));

/** The first NetworkManager that stores the e-switch mode (sriov.eswitch-mode). */
export const NM_SRIOV_MIN = "1.46";

/*
 * The profiles active on the host, one line each: UUID:TYPE:DEVICE:FILE (nmcli -g escapes ":" and a backslash in
 * values; a UUID, a type and an interface name have none, so `read` splits them off and leaves the file, escapes
 * kept, last). A VPN's line names the device it runs over: skipped. The first other line of a device is its profile.
 */
const NM_ACTIVE = 'c=$(nmcli -g UUID,TYPE,DEVICE,FILENAME connection show --active) || exit; ';
/** With the listing in $c: the profile of interface $1 in $u, its file in $f (both empty: none). */
const NM_PROFILE_OF = 'u=; f=; while IFS=: read -r a t i b; do if [ "$t" != vpn ] && [ "$i" = "$1" ]; then u=$a; f=$b; break; fi; done <<< "$c"; ';

/**
 * The exported script's helper (src/steps/script-lib.ts): `vfm_nm_saved_uuid DEV` prints the UUID of the profile
 * active on DEV when it is saved on disk, as the step's script finds it; fails otherwise (a subshell: exit returns).
 */
export const NM_SAVED_UUID_SH = `vfm_nm_saved_uuid() ( ${NM_ACTIVE}${NM_PROFILE_OF}case $f in /run/*|"") exit 1;; esac; printf '%s\\n' "$u" ) 2>/dev/null </dev/null`;

/*
 * NetworkManager (>= 1.46) keeps the VF count and the e-switch mode across reboots in the PF's connection profile.
 * The profile is the one active on the PF's interface, found by the device, not by a name (RHEL's are often "Wired
 * connection 1"). Only a profile stored on disk is changed. A profile kept in memory has its file under /run (or
 * none): NetworkManager makes one up, named after the interface, for a device set up outside it (a PF with an
 * address that Open vSwitch or a script set up), and an admin may add one not to be saved. `nmcli connection
 * modify` writes it to /etc and clears its "external" mark (NetworkManager 1.48: nm-settings.c,
 * nm_settings_update_connection), so NetworkManager would take the interface at once and at every boot: refused.
 * A fixed script: the interface, then the words for `nmcli connection modify`, as its arguments.
 */
const NM_MODIFY_SH = NM_ACTIVE + NM_PROFILE_OF +
    'if [ -z "$u" ]; then echo "NetworkManager has no connection active on $1: nothing to store the setting in" >&2; exit 1; fi; ' +
    'case $f in /run/*|"") echo "The connection on $1 is kept in memory only (${f:-no file}): storing a setting would save it as a profile that takes the interface at boot" >&2; exit 1;; esac; ' +
    'shift; exec nmcli connection modify uuid "$u" "$@"';

/*
 * Reads: the profile active on each interface of a PF (its uplink, and in switchdev mode its representors), its file
 * and its SR-IOV setting: one listing, then two calls per such profile (a failed call fails the read). A fixed script; the PF's PCI address is its
 * argument. Per interface with a profile: "profile IF UUID", "file PATH", "total-vfs N" and "eswitch-mode N", each
 * value empty when there is none (nmcli prints no value for a profile without an SR-IOV setting).
 */
const NM_READ_SH = 'n=" "; for p in /sys/bus/pci/devices/"$1"/net/*; do [ -e "$p" ] && n="$n${p##*/} "; done; ' + NM_ACTIVE +
    'while IFS=: read -r u t i f; do [ "$t" != vpn ] || continue; case $n in *" $i "*) ;; *) continue;; esac; ' +
    'v=$(nmcli -g sriov.total-vfs connection show uuid "$u") || exit; ' +
    'w=$(nmcli -g sriov.eswitch-mode connection show uuid "$u") || exit; ' +
    'printf "profile %s %s\\nfile %s\\ntotal-vfs %s\\neswitch-mode %s\\n" "$i" "$u" "$f" "$v" "$w"; done <<< "$c"';

/** reads: the NetworkManager profiles active on the PF's interfaces (parser "nm-pf-profiles") */
export const nmPfProfiles = (pf: PciAddress): Argv => makeArgv("bash", "-c", NM_READ_SH, "vfm-nm-read", PciAddress.of(pf));

const nmModify = (dev: Netdev, ...words: (string | number)[]): Argv =>
    makeArgv("bash", "-c", NM_MODIFY_SH, "vfm-nm-sriov", Netdev.of(dev), ...words);

/** changes: the VF count and switchdev mode stored in the connection active on `dev` */
export const nmcliSriov = (dev: Netdev, totalVfs: number): Argv => {
    if (!Number.isSafeInteger(totalVfs) || totalVfs < 1 || totalVfs > 4096)
        throw new Error("nmcliSriov: VF count out of range");
    return nmModify(dev, "sriov.total-vfs", totalVfs, "sriov.eswitch-mode", "switchdev");
};

/** changes: the SR-IOV setting taken out of that connection (NetworkManager then leaves the VFs and mode alone) */
export const nmcliSriovRemove = (dev: Netdev): Argv => nmModify(dev, "remove", "sriov");

/**
 * Three echo requests 0.2 s apart, each waited for 1 s at most (iputils: exit 0 with a reply, 1 without, 2 when it
 * could not send, e.g. no route). Numeric output: no reverse lookups that would stall it.
 */
export const pingAddress = (addr: IpAddress): Argv => makeArgv("ping", "-n", "-c", 3, "-i", "0.2", "-W", 1, "--", IpAddress.of(addr));
