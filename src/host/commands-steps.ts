/*
 * argv builders for the preparation steps (src/steps) that commands.ts and commands-system.ts do not cover:
 * packages over SSH, the firmware reset, reboot, kernel arguments removed, Open vSwitch and firewalld undo,
 * NetworkManager persistence, and the host's own record of the preparation progress (one fixed path; its content
 * goes on stdin, never in argv).
 */
import { Argv, makeArgv } from "./argv";
import { oneOf } from "./commands";
import { KERNEL_ARGS, type KernelArg, type PortSpec, type Unit, UNITS } from "./commands-system";
import { BridgeName, Netdev, PciAddress, Port } from "./values";

/* packages, when PackageKit is not at hand (the destination over SSH; the exported scripts) */
export const INSTALL_NAMES = ["mstflint", "openvswitch"] as const;
/** changes */
export const dnfInstall = (names: readonly string[]): Argv => {
    if (names.length === 0)
        throw new Error("dnfInstall: no package");
    return makeArgv("dnf", "-y", "install", ...names.map(n => oneOf(n, INSTALL_NAMES)));
};

/** changes: the fix the libvirt-version check shows */
export const dnfUpdate = (names: readonly "libvirt"[]): Argv =>
    makeArgv("dnf", "-y", "update", ...names.map(n => oneOf(n, ["libvirt"] as const)));

/* firmware reset: activates the Next Boot mstconfig values without a reboot (VFs go, the e-switch returns to legacy) */
/** changes */
export const mstfwresetReset = (pf: PciAddress): Argv => makeArgv("mstfwreset", "-d", PciAddress.of(pf), "-y", "reset");

/** changes: the host reboots */
export const systemctlReboot = (): Argv => makeArgv("systemctl", "reboot");
/** changes */
export const systemctlDisableNow = (unit: Unit): Argv => makeArgv("systemctl", "disable", "--now", "--", oneOf(unit, UNITS));

/* kernel arguments: add the IOMMU ones and drop an "=off" that would win over them; or remove ours (undo) */
export const KERNEL_ARGS_OFF = ["intel_iommu=off", "amd_iommu=off", "iommu=off"] as const;
export type KernelArgOff = typeof KERNEL_ARGS_OFF[number];
/** changes */
export function grubbyUpdateArgs(add: readonly KernelArg[], remove: readonly (KernelArg | KernelArgOff)[]): Argv {
    if (add.length === 0 && remove.length === 0)
        throw new Error("grubbyUpdateArgs: nothing to change");
    const all = [...KERNEL_ARGS, ...KERNEL_ARGS_OFF];
    return makeArgv("grubby",
                    ...(add.length ? [`--args=${add.map(a => oneOf(a, KERNEL_ARGS)).join(" ")}`] : []),
                    ...(remove.length ? [`--remove-args=${remove.map(a => oneOf(a, all)).join(" ")}`] : []),
                    "--update-kernel=ALL");
}

/* Open vSwitch undo */
/** changes */
export const ovsRemoveOtherConfig = (key: "max-idle" | "hw-offload"): Argv =>
    makeArgv("ovs-vsctl", "remove", "Open_vSwitch", ".", "other_config", oneOf(key, ["max-idle", "hw-offload"]));
/** changes; --if-exists: a second run is not an error */
export const ovsDelPort = (br: BridgeName, dev: Netdev): Argv =>
    makeArgv("ovs-vsctl", "--if-exists", "del-port", BridgeName.of(br), Netdev.of(dev));

/* firewalld undo */
function portSpec(p: PortSpec): string {
    if (typeof p === "object")
        return `${Port.of(p.from)}-${Port.of(p.to)}/tcp`;
    return `${Port.of(p)}/tcp`;
}
/** changes */
export const firewallRemovePort = (p: PortSpec, permanent: boolean): Argv =>
    makeArgv("firewall-cmd", ...(permanent ? ["--permanent"] : []), `--remove-port=${portSpec(p)}`);

/** changes: a firewalld service (e.g. libvirt-tls) that opens a migration port to every address */
export const firewallRemoveService = (service: string, permanent: boolean): Argv => {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(service))
        throw new Error("firewallRemoveService: not a service name");
    return makeArgv("firewall-cmd", ...(permanent ? ["--permanent"] : []), `--remove-service=${service}`);
};

/* NetworkManager (>= 1.46) keeps the VF count and the e-switch mode across reboots in the PF's connection profile */
/** changes; the connection profile is named after the PF's interface */
export const nmcliSriov = (conn: Netdev, totalVfs: number, mode: "switchdev" | "legacy"): Argv => {
    if (!Number.isSafeInteger(totalVfs) || totalVfs < 0 || totalVfs > 4096)
        throw new Error("nmcliSriov: VF count out of range");
    return makeArgv("nmcli", "connection", "modify", Netdev.of(conn), "sriov.total-vfs", totalVfs,
                    "sriov.eswitch-mode", oneOf(mode, ["switchdev", "legacy"]));
};

/* the preparation progress, kept on the host (a closed browser, a lost session or a reboot does not lose it) */
export const PROGRESS_DIR = "/var/lib/cockpit-vf-migration";
export const PROGRESS_FILE = `${PROGRESS_DIR}/prepare.json`;
const PROGRESS_NEW = `${PROGRESS_FILE}.new`;
/** exits non-zero, printing nothing else, unless the record is UTF-8 text (bytes that are not never reach the page) */
export const progressCheckText = (): Argv => makeArgv("iconv", "-f", "UTF-8", "-t", "UTF-8", "-o", "/dev/null", "--", PROGRESS_FILE);
/** the record, `maxBytes` of it at most (the file is the host's: a huge one must not reach the page whole) */
export const progressRead = (maxBytes: number): Argv => makeArgv("head", "-c", String(Math.trunc(maxBytes)), "--", PROGRESS_FILE);
/** the record holds tool output: root's alone (install -d also corrects the mode of a directory that exists) */
export const progressMkdir = (): Argv => makeArgv("install", "-d", "-m", "0700", "-o", "root", "-g", "root", "--", PROGRESS_DIR);
/** the record on stdin; written beside, made root's alone, then renamed over the old one (a cut write never leaves half a record) */
export const progressWriteNew = (): Argv => makeArgv("tee", "--", PROGRESS_NEW);
export const progressProtectNew = (): Argv => makeArgv("chmod", "0600", "--", PROGRESS_NEW);
export const progressCommit = (): Argv => makeArgv("mv", "-f", "--", PROGRESS_NEW, PROGRESS_FILE);
/** changes: sets aside a record the page cannot read (kept beside for the admin to look at) */
export const PROGRESS_DISCARDED = `${PROGRESS_FILE}.discarded`;
export const progressDiscard = (): Argv => makeArgv("mv", "-f", "-T", "--", PROGRESS_FILE, PROGRESS_DISCARDED);
