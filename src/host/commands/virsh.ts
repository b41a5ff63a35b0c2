/*
 * virsh and libvirt's other command-line tools. virsh always talks to qemu:///system, and names the domain with
 * --domain (never a bare positional value). Documents (device XML, destination XML, CPU XML) go on stdin as
 * /dev/stdin: no temporary file on the host.
 */
import { Argv, makeArgv } from "../argv";
import { VmName } from "../values";
import { allowedWord, intIn } from "./common";

const SYSTEM = "qemu:///system";
const virsh = (...words: (string | number)[]): Argv => makeArgv("virsh", "-c", SYSTEM, ...words);

export const virshVersion = (): Argv => virsh("version");
export const virshListAll = (): Argv => virsh("list", "--all", "--name");
/** Names of the running VMs, one a line. */
export const virshListRunning = (): Argv => virsh("list", "--name");
export const virshDomState = (vm: VmName): Argv => virsh("domstate", "--domain", VmName.of(vm), "--reason");
export const virshDumpXml = (vm: VmName, opts: { inactive?: boolean; migratable?: boolean } = {}): Argv =>
    virsh("dumpxml", "--domain", VmName.of(vm), ...(opts.inactive ? ["--inactive"] : []), ...(opts.migratable ? ["--migratable"] : []));
export const virshDomJobInfo = (vm: VmName): Argv => virsh("domjobinfo", "--domain", VmName.of(vm));
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

export const virtHostValidate = (): Argv => makeArgv("virt-host-validate", "qemu");
