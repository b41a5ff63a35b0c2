/*
 * Read-only commands of the status page's probe that no other builder covers: discovery of the ConnectX-7
 * functions, their sysfs state and the host's network. Each reads fixed paths or paths built from a validated
 * PCI address.
 */
import { Argv, makeArgv } from "./argv";
import { oneOf } from "./commands";
import { PciAddress } from "./values";

const pciDir = (pf: PciAddress) => `/sys/bus/pci/devices/${PciAddress.of(pf)}/`;

/** Mellanox functions (PFs and VFs), with numeric ids. */
export const lspciMellanox = (): Argv => makeArgv("lspci", "-D", "-nn", "-d", "15b3:");
/** Which driver each PCI function is bound to: one line per binding, …/drivers/<driver>/<address>. */
export const pciDriverBindings = (): Argv =>
    makeArgv("find", "/sys/bus/pci/drivers/", "-mindepth", "2", "-maxdepth", "2", "-name", "[0-9a-f]*:*");
/** IOMMU group membership of every device: …/iommu_groups/<group>/devices/<address>. */
export const iommuGroupMembers = (): Argv =>
    makeArgv("find", "/sys/kernel/iommu_groups/", "-mindepth", "3", "-maxdepth", "3");
/** The PF's VF links ("virtfn0 ../0000:e1:00.1") . */
export const pfVirtfns = (pf: PciAddress): Argv =>
    makeArgv("find", pciDir(pf), "-maxdepth", "1", "-name", "virtfn*", "-printf", "%f %l\\n");
/** sriov_totalvfs and sriov_numvfs as path:value lines. */
export const pfSriovCounts = (pf: PciAddress): Argv =>
    makeArgv("grep", "-H", ".", `${pciDir(pf)}sriov_totalvfs`, `${pciDir(pf)}sriov_numvfs`);
/** The PF's network interface name(s). */
export const pfNetdevs = (pf: PciAddress): Argv => makeArgv("ls", "-1", "--", `${pciDir(pf)}net`);
/** The host's name as the admin knows it (the page otherwise only knows "localhost"). */
export const hostName = (): Argv => makeArgv("hostname");
export const cpuVendor = (): Argv => makeArgv("grep", "-m", "1", "^vendor_id", "/proc/cpuinfo");
export const kvmDevice = (): Argv => makeArgv("ls", "-l", "--", "/dev/kvm");
/** The kernel arguments configured for the next boot. */
export const grubbyInfoDefault = (): Argv => makeArgv("grubby", "--info=DEFAULT");
export const virshVersion = (): Argv => makeArgv("virsh", "-c", "qemu:///system", "version");
export const firewallState = (): Argv => makeArgv("firewall-cmd", "--state");
export const ipLinkDetails = (): Argv => makeArgv("ip", "-d", "link", "show");
/** One line per address: "2: eth0    inet 192.0.2.1/24 … scope global eth0". */
export const ipAddrOneline = (): Argv => makeArgv("ip", "-o", "addr", "show");
/** Installed packages the checks look at, as "name version-release" lines (RHEL names OVS openvswitch3.x). */
export const rpmQueryChecked = (): Argv =>
    makeArgv("rpm", "-qa", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n", "mstflint", "openvswitch*", "NetworkManager",
             "libvirt-daemon*", "qemu-kvm");

/*
 * What protects the migration (read-only): where this SSH session comes from, libvirt's and QEMU's settings, the
 * TLS certificates and the names the server certificates are valid for.
 */
/** "CLIENT PORT SERVER PORT" of the SSH session this command runs in; exits 1 on a host not reached over SSH. */
export const sshConnectionEnv = (): Argv => makeArgv("printenv", "SSH_CONNECTION");
export const LIBVIRT_CONF_FILES = ["/etc/libvirt/virtproxyd.conf", "/etc/libvirt/libvirtd.conf", "/etc/libvirt/qemu.conf"] as const;
export type LibvirtConfFile = typeof LIBVIRT_CONF_FILES[number];
export const readLibvirtConf = (f: LibvirtConfFile): Argv => makeArgv("cat", "--", oneOf(f, LIBVIRT_CONF_FILES));
/** libvirt's TLS files (remote access) and QEMU's (the migration stream), at their default places. */
export const TLS_FILES = [
    "/etc/pki/CA/cacert.pem", "/etc/pki/libvirt/servercert.pem", "/etc/pki/libvirt/private/serverkey.pem",
    "/etc/pki/libvirt/clientcert.pem", "/etc/pki/libvirt/private/clientkey.pem",
    "/etc/pki/qemu/ca-cert.pem", "/etc/pki/qemu/server-cert.pem", "/etc/pki/qemu/server-key.pem",
    "/etc/pki/qemu/client-cert.pem", "/etc/pki/qemu/client-key.pem",
] as const;
/** The files of TLS_FILES that exist, one path a line (exit 2 and a message on stderr for each missing one). */
export const listTlsFiles = (): Argv => makeArgv("ls", "-1", "--", ...TLS_FILES);
export const SERVER_CERTS = ["/etc/pki/libvirt/servercert.pem", "/etc/pki/qemu/server-cert.pem"] as const;
export type ServerCert = typeof SERVER_CERTS[number];
export const certSubjectAltName = (f: ServerCert): Argv =>
    makeArgv("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", oneOf(f, SERVER_CERTS));
