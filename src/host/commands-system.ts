/*
 * argv builders for libvirt (virsh), systemd, firewalld, rpm, grubby, logger and fixed host files.
 * virsh always talks to qemu:///system, and names the domain with --domain (never a bare positional value).
 * Documents (device XML, destination XML, CPU XML) go on stdin as /dev/stdin: no temporary file on the host.
 */
import { Argv, makeArgv } from "./argv";
import { oneOf } from "./commands";
import { Bandwidth, Host, Port, VmName } from "./values";

const SYSTEM = "qemu:///system";
const virsh = (...words: (string | number)[]): Argv => makeArgv("virsh", "-c", SYSTEM, ...words);

export const virshListAll = (): Argv => virsh("list", "--all", "--name");
export const virshDomState = (vm: VmName): Argv => virsh("domstate", "--domain", VmName.of(vm), "--reason");
export const virshDomInfo = (vm: VmName): Argv => virsh("dominfo", "--domain", VmName.of(vm));
export const virshDumpXml = (vm: VmName, opts: { inactive?: boolean; migratable?: boolean } = {}): Argv =>
    virsh("dumpxml", "--domain", VmName.of(vm), ...(opts.inactive ? ["--inactive"] : []), ...(opts.migratable ? ["--migratable"] : []));
/** changes; the interface XML on stdin */
export const virshAttachDevice = (vm: VmName): Argv =>
    virsh("attach-device", "--domain", VmName.of(vm), "--file", "/dev/stdin", "--live", "--config");
/** changes; the interface XML on stdin */
export const virshDetachDevice = (vm: VmName): Argv =>
    virsh("detach-device", "--domain", VmName.of(vm), "--file", "/dev/stdin", "--live", "--config");
export const virshDomJobInfo = (vm: VmName): Argv => virsh("domjobinfo", "--domain", VmName.of(vm));
/** changes */
export const virshDomJobAbort = (vm: VmName): Argv => virsh("domjobabort", "--domain", VmName.of(vm));
export const virshCapabilities = (): Argv => virsh("capabilities");
export const virshDomCapabilities = (): Argv => virsh("domcapabilities");
/** The VM's CPU XML on stdin; `virttype` = the domain's type (libvirt compares against kvm by default). */
export const virshHypervisorCpuCompare = (virttype?: "kvm" | "qemu"): Argv =>
    virsh("hypervisor-cpu-compare", ...(virttype ? ["--virttype", oneOf(virttype, ["kvm", "qemu"])] : []), "--file", "/dev/stdin");
/** Only before the VF is attached (mlx5 VF migration disables dirty-rate calculation). */
export const virshDirtyRateCalc = (vm: VmName, seconds: number): Argv =>
    virsh("domdirtyrate-calc", "--domain", VmName.of(vm), "--seconds", intIn(seconds, 1, 60));
export const virshDomStatsDirtyRate = (vm: VmName): Argv => virsh("domstats", "--dirtyrate", "--", VmName.of(vm));

export interface MigrateOptions {
    vm: VmName;
    /** from src/host/uri.ts */
    destUri: string;
    /** tcp://addr[:port] from src/host/uri.ts, when the destination's own name does not reach it */
    migrateUri?: string;
    /** destination domain XML (naming the destination's VF) is sent on stdin */
    withDestinationXml: boolean;
    bandwidth?: Bandwidth;
    copyStorage?: boolean;
}

/** changes. Never --postcopy (not allowed with a Mellanox VF attached). */
export function virshMigrate(o: MigrateOptions): Argv {
    const uri = (u: string, schemes: RegExp) => {
        if (!schemes.test(u) || /[\s\u0000-\u001f]/.test(u)) // eslint-disable-line no-control-regex
            throw new Error(`not a migration URI: ${JSON.stringify(u)}`);
        return u;
    };
    return virsh("migrate", "--live", "--persistent", "--undefinesource", "--verbose",
                 "--domain", VmName.of(o.vm), "--desturi", uri(o.destUri, /^qemu\+(ssh|tls|tcp):\/\//),
                 ...(o.migrateUri ? ["--migrateuri", uri(o.migrateUri, /^tcp:\/\//)] : []),
                 ...(o.withDestinationXml ? ["--xml", "/dev/stdin"] : []),
                 ...(o.bandwidth !== undefined ? ["--bandwidth", Bandwidth.of(o.bandwidth)] : []),
                 ...(o.copyStorage ? ["--copy-storage-all"] : []));
}

/* systemd */
export const UNITS = ["virtqemud.socket", "virtproxyd-tls.socket", "virtproxyd-tcp.socket", "libvirtd.service",
    "openvswitch.service", "firewalld.service", "NetworkManager.service"] as const;
export type Unit = typeof UNITS[number];
export const systemctlShow = (units: readonly Unit[]): Argv =>
    makeArgv("systemctl", "show", "-p", "Id,LoadState,ActiveState,UnitFileState", "--", ...units.map(u => oneOf(u, UNITS)));
/** changes */
export const systemctlEnableNow = (unit: Unit): Argv => makeArgv("systemctl", "enable", "--now", "--", oneOf(unit, UNITS));
/** changes */
export const systemctlStart = (unit: Unit): Argv => makeArgv("systemctl", "start", "--", oneOf(unit, UNITS));
/** changes */
export const systemctlRestart = (unit: Unit): Argv => makeArgv("systemctl", "restart", "--", oneOf(unit, UNITS));

/* firewalld: a port or a range, TCP; runtime, or --permanent */
export type PortSpec = Port | { from: Port; to: Port };
function portSpec(p: PortSpec): string {
    if (typeof p === "object") {
        const from = Port.of(p.from), to = Port.of(p.to);
        if (from > to)
            throw new Error("port range upside down");
        return `${from}-${to}/tcp`;
    }
    return `${Port.of(p)}/tcp`;
}
export const firewallQueryPort = (p: PortSpec): Argv => makeArgv("firewall-cmd", `--query-port=${portSpec(p)}`);
export const firewallListAll = (): Argv => makeArgv("firewall-cmd", "--list-all");
/** changes */
export const firewallAddPort = (p: PortSpec, permanent: boolean): Argv =>
    makeArgv("firewall-cmd", ...(permanent ? ["--permanent"] : []), `--add-port=${portSpec(p)}`);

/* packages */
export const PACKAGES = ["mstflint", "openvswitch", "libvirt-daemon", "qemu-kvm", "iproute", "ethtool", "grubby",
    "NetworkManager"] as const;
export type PackageName = typeof PACKAGES[number];
/** `--whatprovides`: RHEL names Open vSwitch e.g. openvswitch3.3, which provides "openvswitch". */
export const rpmWhatProvides = (pkgs: readonly PackageName[]): Argv =>
    makeArgv("rpm", "-q", "--whatprovides", ...pkgs.map(p => oneOf(p, PACKAGES)));

/* kernel command line (IOMMU), then reboot */
export const KERNEL_ARGS = ["intel_iommu=on", "amd_iommu=on", "iommu=pt"] as const;
export type KernelArg = typeof KERNEL_ARGS[number];
/** changes */
export function grubbyAddArgs(args: readonly KernelArg[]): Argv {
    if (args.length === 0)
        throw new Error("grubbyAddArgs: no argument");
    return makeArgv("grubby", `--args=${args.map(a => oneOf(a, KERNEL_ARGS)).join(" ")}`, "--update-kernel=ALL");
}

/* fixed read-only facts */
export const FIXED_FILES = ["/proc/cmdline", "/etc/os-release", "/proc/cpuinfo", "/sys/module/kvm_intel/parameters/nested"] as const;
export const FIXED_DIRS = ["/sys/class/iommu", "/sys/kernel/iommu_groups", "/sys/bus/pci/drivers", "/dev/vfio"] as const;
export const readFixedFile = (f: typeof FIXED_FILES[number]): Argv => makeArgv("cat", "--", oneOf(f, FIXED_FILES));
export const listFixedDir = (d: typeof FIXED_DIRS[number]): Argv => makeArgv("ls", "-1", "--", oneOf(d, FIXED_DIRS));
export const unameRelease = (): Argv => makeArgv("uname", "-r");
export const modinfo = (module: "mlx5_vfio_pci" | "mlx5_core" | "vfio_pci"): Argv =>
    makeArgv("modinfo", "--", oneOf(module, ["mlx5_vfio_pci", "mlx5_core", "vfio_pci"]));
export const virtHostValidate = (): Argv => makeArgv("virt-host-validate", "qemu");
export const ping = (host: Host, count = 3): Argv => makeArgv("ping", "-c", intIn(count, 1, 10), "-W", "2", "--", Host.of(host));

/* the journal's syslog line */
export const LOG_TAG = "cockpit-vf-migration";
export const loggerArgv = (message: string): Argv => {
    if (message.includes("\0"))
        throw new Error("NUL in log message");
    return makeArgv("logger", "-t", LOG_TAG, "-p", "user.notice", "--", message);
};

function intIn(n: number, min: number, max: number): number {
    if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new Error(`number out of range ${min}..${max}: ${n}`);
    return n;
}
