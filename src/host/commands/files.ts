/*
 * Fixed host files read with cat, ls, stat and openssl: kernel facts, libvirt's and QEMU's settings, the TLS
 * certificates and the names the server certificates are valid for, where a disk path lives.
 */
import { _ } from "../../lib/cockpit";
import { Argv, makeArgv } from "../argv";
import { hasControl, valueError } from "../values";
import { allowedWord } from "./common";

export const FIXED_FILES = ["/proc/cmdline", "/etc/os-release", "/proc/cpuinfo", "/sys/module/kvm_intel/parameters/nested"] as const;
export const FIXED_DIRS = ["/sys/class/iommu", "/sys/kernel/iommu_groups", "/sys/bus/pci/drivers", "/dev/vfio"] as const;
export const readFixedFile = (f: typeof FIXED_FILES[number]): Argv => makeArgv("cat", "--", allowedWord(f, FIXED_FILES));
export const listFixedDir = (d: typeof FIXED_DIRS[number]): Argv => makeArgv("ls", "-1", "--", allowedWord(d, FIXED_DIRS));
export const cpuVendor = (): Argv => makeArgv("grep", "-m", "1", "^vendor_id", "/proc/cpuinfo");
export const kvmDevice = (): Argv => makeArgv("ls", "-l", "--", "/dev/kvm");

export const LIBVIRT_CONF_FILES = ["/etc/libvirt/virtproxyd.conf", "/etc/libvirt/libvirtd.conf", "/etc/libvirt/qemu.conf"] as const;
export type LibvirtConfFile = typeof LIBVIRT_CONF_FILES[number];
export const readLibvirtConf = (f: LibvirtConfFile): Argv => makeArgv("cat", "--", allowedWord(f, LIBVIRT_CONF_FILES));
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
    makeArgv("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", allowedWord(f, SERVER_CERTS));

/** `stat -f -c %T -- PATH`: the file system type holding PATH; exit status 1 when PATH does not exist there. */
export function statFsType(path: string): Argv {
    if (typeof path !== "string" || !path.startsWith("/") || path.length > 4096 || hasControl(path))
        throw valueError("disk-path", "form", path, _("Disk path “$0” is not an absolute path"));
    return makeArgv("stat", "-f", "-c", "%T", "--", path);
}

/** The memory the kernel can give without swapping (/proc/meminfo's MemAvailable, in kB). */
export const memAvailable = (): Argv => makeArgv("grep", "-m", "1", "^MemAvailable:", "/proc/meminfo");
