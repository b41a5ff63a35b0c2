/* The other network tools: ethtool, ping, getent (the resolver) and nmcli (NetworkManager). */
import { Argv, makeArgv } from "../argv";
import { Host, IpAddress, Netdev, PciAddress } from "../values";
import { STATE_DIR } from "./state-file";

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
 * Fixed scripts; the interface and the page's folder are their arguments.
 */
/** With the profile's UUID in $u: its sriov.total-vfs in $v and sriov.eswitch-mode in $w, as `nmcli -g` prints them. */
const NM_SRIOV_OF = 'v=$(nmcli -g sriov.total-vfs connection show uuid "$u") || exit; w=$(nmcli -g sriov.eswitch-mode connection show uuid "$u") || exit; ';

const nmSavedProfile = (none: string): string => NM_ACTIVE + NM_PROFILE_OF +
    `if [ -z "$u" ]; then echo "NetworkManager has no connection active on $1: ${none}" >&2; exit 1; fi; ` +
    'case $f in /run/*|"") echo "The connection on $1 is kept in memory only (${f:-no file}): storing a setting would save it as a profile that takes the interface at boot" >&2; exit 1;; esac; ' +
    'case $u in *[!0-9a-fA-F-]*) echo "NetworkManager names the connection on $1 with an unexpected UUID: $u" >&2; exit 1;; esac; s="$2/nm-sriov-before-$u"; ';

/*
 * Stores the words after the folder in the profile. What the profile held before the page's first change is kept
 * first, for the undo, in the page's folder (root's alone): "total-vfs V" and "eswitch-mode W" as `nmcli -g` prints
 * them, both empty when it held no SR-IOV setting. Only once: running the step again keeps that first setting.
 */
const NM_STORE_SH = nmSavedProfile("nothing to store the setting in") +
    'if [ ! -e "$s" ]; then ' + NM_SRIOV_OF +
    'install -d -m 0700 -o root -g root -- "$2" || exit; rm -f -- "$s.new" || exit; ' +
    'if ! (umask 077 && printf "total-vfs %s\\neswitch-mode %s\\n" "$v" "$w" > "$s.new") || ! mv -f -T -- "$s.new" "$s"; then rm -f -- "$s.new"; exit 1; fi; fi; ' +
    'shift 2; exec nmcli connection modify uuid "$u" "$@"';

/*
 * Puts back what NM_STORE_SH kept: that count and mode (nmcli takes an enum by its number or its name; "1 (switchdev)"
 * is cut to its number), or no SR-IOV setting at all when the profile held none. Writing 0 VFs and legacy instead
 * would have NetworkManager apply them at every activation. Nothing kept: the store stopped before it changed
 * anything, and nothing changes, unless the profile holds exactly the page's setting (its third argument, the VF
 * count, and switchdev), which a page that kept nothing (an earlier version) stored: that setting is taken out.
 */
const NM_RESTORE_SH = nmSavedProfile("nothing to put back") +
    'bad() { echo "$s does not hold what this page wrote: ${k-} ${v-} / ${l-} ${w-}" >&2; exit 1; }; ' +
    'if [ ! -e "$s" ]; then ' + NM_SRIOV_OF +
    'case "$v/${w%% *}" in "$3/1"|"$3/switchdev") exec nmcli connection modify uuid "$u" remove sriov;; esac; ' +
    'echo "Nothing to put back: the connection on $1 holds ${v:-no SR-IOV setting}${v:+ VFs, e-switch mode ${w:-?}}, not what this page stores, and nothing was kept before"; exit 0; fi; ' +
    '{ read -r k v && read -r l w; } < "$s" || bad; w=${w%% *}; ' +
    '[ "$k $l" = "total-vfs eswitch-mode" ] || bad; ' +
    'case $v in "") [ -z "$w" ] || bad; set -- remove sriov;; *[!0-9]*) bad;; *) case $w in ""|*[!0-9a-z-]*) bad;; esac; set -- sriov.total-vfs "$v" sriov.eswitch-mode "$w";; esac; ' +
    'nmcli connection modify uuid "$u" "$@" || exit; exec rm -f -- "$s"';

/*
 * Reads: the profile active on each interface of a PF (its uplink, and in switchdev mode its representors), its file
 * and its SR-IOV setting: one listing, then two calls per such profile (a failed call fails the read). A fixed script; the PF's PCI address is its
 * argument. Per interface with a profile: "profile IF UUID", "file PATH", "total-vfs N" and "eswitch-mode N", each
 * value empty when there is none (nmcli prints no value for a profile without an SR-IOV setting).
 */
const NM_READ_SH = 'n=" "; for p in /sys/bus/pci/devices/"$1"/net/*; do [ -e "$p" ] && n="$n${p##*/} "; done; ' + NM_ACTIVE +
    'while IFS=: read -r u t i f; do [ "$t" != vpn ] || continue; case $n in *" $i "*) ;; *) continue;; esac; ' + NM_SRIOV_OF +
    'printf "profile %s %s\\nfile %s\\ntotal-vfs %s\\neswitch-mode %s\\n" "$i" "$u" "$f" "$v" "$w"; done <<< "$c"';

/** reads: the NetworkManager profiles active on the PF's interfaces (parser "nm-pf-profiles") */
export const nmPfProfiles = (pf: PciAddress): Argv => makeArgv("bash", "-c", NM_READ_SH, "vfm-nm-read", PciAddress.of(pf));

/** changes: the VF count and switchdev mode stored in the connection active on `dev`, what it held before kept */
export const nmcliSriov = (dev: Netdev, totalVfs: number): Argv => {
    if (!Number.isSafeInteger(totalVfs) || totalVfs < 1 || totalVfs > 4096)
        throw new Error("nmcliSriov: VF count out of range");
    return makeArgv("bash", "-c", NM_STORE_SH, "vfm-nm-sriov", Netdev.of(dev), STATE_DIR, "sriov.total-vfs", totalVfs, "sriov.eswitch-mode", "switchdev");
};

/** changes: that connection's SR-IOV setting put back as it was before nmcliSriov(dev, totalVfs) (none: taken out) */
export const nmcliSriovRestore = (dev: Netdev, totalVfs: number): Argv =>
    makeArgv("bash", "-c", NM_RESTORE_SH, "vfm-nm-sriov-undo", Netdev.of(dev), STATE_DIR, totalVfs);

/**
 * Three echo requests 0.2 s apart, each waited for 1 s at most (iputils: exit 0 with a reply, 1 without, 2 when it
 * could not send, e.g. no route). Numeric output: no reverse lookups that would stall it.
 */
export const pingAddress = (addr: IpAddress): Argv => makeArgv("ping", "-n", "-c", 3, "-i", "0.2", "-W", 1, "--", IpAddress.of(addr));
