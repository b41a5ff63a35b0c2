/*
 * The probe of one host: the read-only commands whose outputs the checks need, in one round trip.
 * The ConnectX-7 functions are found by the previous refresh's lspci (or by a first, short discovery probe);
 * the per-PF commands then follow. The slow one (mstconfig reads the adapter's flash, seconds) is marked: it runs in
 * a probe of its own, beside the others.
 */
import type { Argv } from "../host/argv";
import {
    cpuVendor, kvmDevice, certSubjectAltName, listTlsFiles, readLibvirtConf, listFixedDir, readFixedFile,
} from "../host/commands/files";
import { firewallDefaultZone, firewallState, firewallListAllZones } from "../host/commands/firewalld";
import { hostName, lspciMellanox, sshConnectionEnv, modinfo, unameRelease } from "../host/commands/system";
import { grubbyInfoDefault } from "../host/commands/grubby";
import { iommuGroupMembers, pciDriverBindings, pfNetdevs, pfSriovCounts, pfVirtfns } from "../host/commands/sysfs";
import { ipAddrOneline, ipLinkDetails } from "../host/commands/ip";
import { rpmQueryChecked } from "../host/commands/dnf-rpm";
import { virshVersion, virtHostValidate, virshListRunning } from "../host/commands/virsh";
import { devlinkDevInfo, devlinkEswitchShow, devlinkPortShow } from "../host/commands/devlink";
import { mstconfigQuery } from "../host/commands/mst";
import { nmPfProfiles } from "../host/commands/network";
import { ovsGetOtherConfig, ovsShow } from "../host/commands/ovs";
import { systemctlShow, UNITS } from "../host/commands/systemd";
import { type PciAddress, sameDevice } from "../host/values";
import type { Tool } from "../parsers";
import { mgmtRoutesArgv } from "../rules/mgmt";

export interface ProbeItem {
    key: string;
    argv: Argv;
    /** the parser of its output; null where the exit status alone is the answer */
    tool: Tool | null;
    /** seconds rather than milliseconds: read in a probe of its own, so the other checks need not wait for it */
    slow?: true;
}

const item = (key: string, argv: Argv, tool: Tool | null): ProbeItem => ({ key, argv, tool });

export const DISCOVERY: ProbeItem[] = [item("lspci", lspciMellanox(), "lspci")];

export function probePlan(pfs: readonly PciAddress[]): ProbeItem[] {
    const plan: ProbeItem[] = [
        ...DISCOVERY,
        item("os-release", readFixedFile("/etc/os-release"), "os-release"),
        item("uname", unameRelease(), null),
        item("hostname", hostName(), null),
        item("cmdline", readFixedFile("/proc/cmdline"), "proc-cmdline"),
        item("grubby", grubbyInfoDefault(), "grubby-info"),
        item("iommu-class", listFixedDir("/sys/class/iommu"), "name-lines"),
        item("cpu-vendor", cpuVendor(), "cpu-vendor"),
        item("virt-host-validate", virtHostValidate(), "virt-host-validate"),
        item("kvm", kvmDevice(), null),
        item("rpm", rpmQueryChecked(), null),
        item("units", systemctlShow(UNITS), "systemctl-show"),
        item("mlx5-vfio-pci", modinfo("mlx5_vfio_pci"), null),
        item("virsh-version", virshVersion(), "virsh-version"),
        item("ovs-show", ovsShow(), "ovs-vsctl-show"),
        item("ovs-other-config", ovsGetOtherConfig(), "ovs-vsctl-other-config"),
        item("firewall-state", firewallState(), null),
        item("firewall", firewallListAllZones(), "firewall-list-all-zones"),
        item("firewall-default-zone", firewallDefaultZone(), null),
        item("mgmt-routes", mgmtRoutesArgv(), "mgmt-routes"),
        item("ip-addr", ipAddrOneline(), "ip-addr"),
        item("ip-link", ipLinkDetails(), "ip-link"),
        item("drivers", pciDriverBindings(), "path-list"),
        item("iommu-groups", iommuGroupMembers(), "path-list"),
        item("devlink-ports", devlinkPortShow(), "devlink-port"),
        item("ssh-connection", sshConnectionEnv(), "ssh-connection"),
        item("virtproxyd-conf", readLibvirtConf("/etc/libvirt/virtproxyd.conf"), "libvirt-conf"),
        item("libvirtd-conf", readLibvirtConf("/etc/libvirt/libvirtd.conf"), "libvirt-conf"),
        item("qemu-conf", readLibvirtConf("/etc/libvirt/qemu.conf"), "libvirt-conf"),
        item("tls-files", listTlsFiles(), "path-list"),
        item("libvirt-cert-san", certSubjectAltName("/etc/pki/libvirt/servercert.pem"), "cert-san"),
        item("qemu-cert-san", certSubjectAltName("/etc/pki/qemu/server-cert.pem"), "cert-san"),
        // which VM holds a VF is read from these VMs' XML, in a second round when needed (holders.ts)
        item("vms", virshListRunning(), null),
    ];
    for (const pf of pfs) {
        plan.push(item(`${pf}/info`, devlinkDevInfo(pf), "devlink-dev-info"));
        plan.push(item(`${pf}/eswitch`, devlinkEswitchShow(pf), "devlink-eswitch"));
        plan.push(item(`${pf}/sriov`, pfSriovCounts(pf), "grep-values"));
        plan.push(item(`${pf}/virtfn`, pfVirtfns(pf), "virtfn-links"));
        plan.push(item(`${pf}/net`, pfNetdevs(pf), "name-lines"));
        plan.push(item(`${pf}/nm`, nmPfProfiles(pf), "nm-pf-profiles"));
    }
    for (const pf of pfs) {
        if (mstconfigPfOf(pf, pfs) === pf)
            plan.push({ ...item(`${pf}/mstconfig`, mstconfigQuery(pf), "mstconfig-query-e"), slow: true });
    }
    return plan;
}

/**
 * The PF whose `mstconfig -e query` answers for `pf`: the first port of the same adapter (same PCI slot). The ports
 * of one ConnectX-7 share one firmware configuration (per-port settings end in _P1, _P2), and two queries at once
 * contend for the device's access semaphore: one query per adapter, not per port (review R10).
 */
export function mstconfigPfOf(pf: string, pfs: readonly string[]): string {
    return pfs.find(p => sameDevice(p, pf)) ?? pf;
}
