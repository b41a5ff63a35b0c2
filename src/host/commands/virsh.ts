/*
 * virsh and libvirt's other command-line tools. virsh always talks to qemu:///system, and names the domain with
 * --domain (never a bare positional value). Documents (device XML, destination XML, CPU XML) go on stdin as
 * /dev/stdin: no temporary file on the host.
 */
import { Argv, makeArgv } from "../argv";
import { Bandwidth, VmName } from "../values";
import { allowedWord, intIn } from "./common";

const SYSTEM = "qemu:///system";
const virsh = (...words: (string | number)[]): Argv => makeArgv("virsh", "-c", SYSTEM, ...words);

export const virshVersion = (): Argv => virsh("version");
export const virshListAll = (): Argv => virsh("list", "--all", "--name");
/** Names of the running VMs, one a line. */
export const virshListRunning = (): Argv => virsh("list", "--name");
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
    virsh("hypervisor-cpu-compare", ...(virttype ? ["--virttype", allowedWord(virttype, ["kvm", "qemu"])] : []), "--file", "/dev/stdin");
/** Only before the VF is attached (mlx5 VF migration disables dirty-rate calculation). */
export const virshDirtyRateCalc = (vm: VmName, seconds: number): Argv =>
    virsh("domdirtyrate-calc", "--domain", VmName.of(vm), "--seconds", intIn(seconds, 1, 60));
export const virshDomStatsDirtyRate = (vm: VmName): Argv => virsh("domstats", "--dirtyrate", "--", VmName.of(vm));
/** The guest's interfaces as the QEMU guest agent reports them (fails when the VM has no agent). */
export const virshDomIfAddrAgent = (vm: VmName): Argv =>
    virsh("domifaddr", "--domain", VmName.of(vm), "--source", "agent", "--full");

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

export const virtHostValidate = (): Argv => makeArgv("virt-host-validate", "qemu");
