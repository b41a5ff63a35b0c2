/*
 * virsh and libvirt's other command-line tools. virsh always talks to qemu:///system, and names the domain with
 * --domain (never a bare positional value). Documents (device XML, destination XML, CPU XML) go on stdin as
 * /dev/stdin: no temporary file on the host.
 *
 * `virshShown` builds the lines the page only shows and copies: the virsh command that does what a libvirt-dbus
 * call did (src/libvirt/virsh-equivalent.ts maps the call's flags to these options). They are plain words, not an
 * Argv, so no transport runs them; the domain is named as libvirt named it.
 */
import { Argv, makeArgv } from "../argv";
import { VmName } from "../values";
import { allowedWord, intIn } from "./common";

const SYSTEM = "qemu:///system";
/** The one spelling of a virsh command line, run or shown. */
const words = (...w: (string | number)[]): string[] => ["virsh", "-c", SYSTEM, ...w.map(String)];
const virsh = (...w: (string | number)[]): Argv => makeArgv(...words(...w));

export interface DumpXmlOptions { securityInfo?: boolean; inactive?: boolean; updateCpu?: boolean; migratable?: boolean }
const dumpXmlWords = (vm: string, o: DumpXmlOptions): string[] => ["dumpxml", "--domain", vm,
    ...(o.securityInfo ? ["--security-info"] : []), ...(o.inactive ? ["--inactive"] : []),
    ...(o.updateCpu ? ["--update-cpu"] : []), ...(o.migratable ? ["--migratable"] : [])];

export interface DomJobInfoOptions { completed?: boolean; keepCompleted?: boolean }
const domJobInfoWords = (vm: string, o: DomJobInfoOptions): string[] => ["domjobinfo", "--domain", vm,
    ...(o.completed ? ["--completed"] : []), ...(o.keepCompleted ? ["--keep-completed"] : [])];

export const virshVersion = (): Argv => virsh("version");
export const virshListAll = (): Argv => virsh("list", "--all", "--name");
/** Names of the running VMs, one a line. */
export const virshListRunning = (): Argv => virsh("list", "--name");
export const virshDomState = (vm: VmName): Argv => virsh("domstate", "--domain", VmName.of(vm), "--reason");
export const virshDomUuid = (vm: VmName): Argv => virsh("domuuid", "--domain", VmName.of(vm));
export const virshDumpXml = (vm: VmName, opts: Pick<DumpXmlOptions, "inactive" | "migratable"> = {}): Argv =>
    virsh(...dumpXmlWords(VmName.of(vm), opts));
export const virshDomJobInfo = (vm: VmName): Argv => virsh(...domJobInfoWords(VmName.of(vm), {}));
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

/** Display only (see above): the virsh lines of libvirt-dbus calls. */
export const virshShown = {
    list: (): string[] => words("list", "--all"),
    domuuid: (vm: string): string[] => words("domuuid", "--domain", vm),
    /** the domain's name, UUID, state and persistence (libvirt-dbus reads them as the domain's properties) */
    dominfo: (vm: string): string[] => words("dominfo", "--domain", vm),
    dumpxml: (vm: string, o: DumpXmlOptions = {}): string[] => words(...dumpXmlWords(vm, o)),
    /** the device XML read from `file` (the caller shows the document beside the line) */
    attachDevice: (vm: string, file: string, o: { live?: boolean; config?: boolean } = {}): string[] =>
        words("attach-device", "--domain", vm, "--file", file, ...(o.live ? ["--live"] : []), ...(o.config ? ["--config"] : [])),
    domjobinfo: (vm: string, o: DomJobInfoOptions = {}): string[] => words(...domJobInfoWords(vm, o)),
    domjobabort: (vm: string): string[] => words("domjobabort", "--domain", vm),
    setMaxDowntime: (vm: string, ms: number): string[] => words("migrate-setmaxdowntime", "--domain", vm, "--downtime", ms),
    setSpeed: (vm: string, mibps: number): string[] => words("migrate-setspeed", "--domain", vm, "--bandwidth", mibps),
    /** MigrateToURI3 with these flags and parameters; the XML documents read from the files named (shown beside) */
    migrate: (vm: string, o: MigrateWords): string[] => words("migrate", "--live", "--p2p", "--abort-on-error",
        ...(o.persistent ? ["--persistent"] : []), ...(o.undefineSource ? ["--undefinesource"] : []),
        ...(o.copyStorageAll ? ["--copy-storage-all"] : []),
        ...(o.parallelConnections !== undefined ? ["--parallel", "--parallel-connections", o.parallelConnections] : []),
        ...(o.tls ? ["--tls"] : []),
        "--domain", vm, "--desturi", o.destUri, ...(o.migrateUri !== undefined ? ["--migrateuri", o.migrateUri] : []),
        "--xml", o.xmlFile, ...(o.persistentXmlFile !== undefined ? ["--persistent-xml", o.persistentXmlFile] : []),
        ...(o.bandwidth !== undefined ? ["--bandwidth", o.bandwidth] : []), "--verbose"),
};

export interface MigrateWords {
    destUri: string;
    migrateUri?: string;
    xmlFile: string;
    persistentXmlFile?: string;
    persistent?: boolean;
    undefineSource?: boolean;
    copyStorageAll?: boolean;
    parallelConnections?: number;
    tls?: boolean;
    /** MiB/s */
    bandwidth?: number;
}

export const virtHostValidate = (): Argv => makeArgv("virt-host-validate", "qemu");
