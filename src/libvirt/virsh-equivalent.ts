/*
 * The `virsh` command line that does what a libvirt-dbus call did, for the record ("the equivalent virsh
 * command"). Display only: these lines are shown and copied, never run by the plugin. Documents that virsh would
 * read from a file are named by a placeholder file name; the caller shows the document beside the line.
 */
import { AffectFlags, XmlDescFlags, JobStatsFlags } from "./constants";

const virsh = (...words: (string | number)[]): string[] => ["virsh", "-c", "qemu:///system", ...words.map(String)];

export const virshEq = {
    list: (): string[] => virsh("list", "--all"),
    domuuid: (vm: string): string[] => virsh("domuuid", "--domain", vm),
    /** the domain's name, UUID, state and persistence (libvirt-dbus reads them as the domain's properties) */
    dominfo: (vm: string): string[] => virsh("dominfo", "--domain", vm),
    dumpxml(vm: string, flags: number): string[] {
        return virsh("dumpxml", "--domain", vm,
                     ...(flags & XmlDescFlags.SECURE ? ["--security-info"] : []),
                     ...(flags & XmlDescFlags.INACTIVE ? ["--inactive"] : []),
                     ...(flags & XmlDescFlags.UPDATE_CPU ? ["--update-cpu"] : []),
                     ...(flags & XmlDescFlags.MIGRATABLE ? ["--migratable"] : []));
    },
    attachDevice(vm: string, file: string, flags: number): string[] {
        return virsh("attach-device", "--domain", vm, "--file", file,
                     ...(flags & AffectFlags.LIVE ? ["--live"] : []), ...(flags & AffectFlags.CONFIG ? ["--config"] : []));
    },
    domjobinfo(vm: string, flags: number): string[] {
        return virsh("domjobinfo", "--domain", vm, ...(flags & JobStatsFlags.COMPLETED ? ["--completed"] : []),
                     ...(flags & JobStatsFlags.KEEP_COMPLETED ? ["--keep-completed"] : []));
    },
    domjobabort: (vm: string): string[] => virsh("domjobabort", "--domain", vm),
    setMaxDowntime: (vm: string, ms: number): string[] => virsh("migrate-setmaxdowntime", "--domain", vm, "--downtime", ms),
    setSpeed: (vm: string, mibps: number): string[] => virsh("migrate-setspeed", "--domain", vm, "--bandwidth", mibps),
};
