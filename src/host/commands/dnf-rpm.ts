/* Packages through rpm (what is installed) and dnf (when PackageKit is not at hand: the destination over SSH). */
import { Argv, makeArgv } from "../argv";
import { allowedWord } from "./common";

/** Installed packages the checks look at, as "name version-release" lines (RHEL names OVS openvswitch3.x). */
export const rpmQueryChecked = (): Argv =>
    makeArgv("rpm", "-qa", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n", "mstflint", "openvswitch*", "NetworkManager",
             "libvirt-daemon*", "qemu-kvm");

export const INSTALL_NAMES = ["mstflint", "openvswitch"] as const;
/**
 * What dnf is asked for. Open vSwitch by a file it provides: RHEL's Fast Datapath repository names the package after
 * its version (openvswitch3.3), and dnf installs the package that provides a path it is given.
 */
const DNF_SPEC: Record<typeof INSTALL_NAMES[number], string> = { mstflint: "mstflint", openvswitch: "/usr/bin/ovs-vsctl" };
export const dnfSpec = (name: typeof INSTALL_NAMES[number]): string => DNF_SPEC[name];
/** changes */
export const dnfInstall = (names: readonly string[]): Argv => {
    if (names.length === 0)
        throw new Error("dnfInstall: no package");
    return makeArgv("dnf", "-y", "install", ...names.map(n => DNF_SPEC[allowedWord(n, INSTALL_NAMES)]));
};
/** changes: the fix the libvirt-version check shows */
export const dnfUpdate = (names: readonly "libvirt"[]): Argv =>
    makeArgv("dnf", "-y", "update", ...names.map(n => allowedWord(n, ["libvirt"] as const)));
