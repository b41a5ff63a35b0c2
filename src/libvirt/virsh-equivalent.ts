/*
 * The `virsh` command line that does what a libvirt-dbus call did, for the record ("the equivalent virsh
 * command"): the call's flags as virsh's options, the line itself from src/host/commands/virsh.ts. Display only:
 * these lines are shown and copied, never run by the plugin. Documents that virsh would read from a file are named
 * by a placeholder file name; the caller shows the document beside the line.
 */
import { virshShown } from "../host/commands/virsh";
import { AffectFlags, XmlDescFlags, JobStatsFlags } from "./constants";

const has = (flags: number, flag: number): boolean => (flags & flag) !== 0;

export const virshEq = {
    list: virshShown.list,
    domuuid: virshShown.domuuid,
    dominfo: virshShown.dominfo,
    dumpxml: (vm: string, flags: number): string[] => virshShown.dumpxml(vm, {
        securityInfo: has(flags, XmlDescFlags.SECURE), inactive: has(flags, XmlDescFlags.INACTIVE),
        updateCpu: has(flags, XmlDescFlags.UPDATE_CPU), migratable: has(flags, XmlDescFlags.MIGRATABLE),
    }),
    attachDevice: (vm: string, file: string, flags: number): string[] =>
        virshShown.attachDevice(vm, file, { live: has(flags, AffectFlags.LIVE), config: has(flags, AffectFlags.CONFIG) }),
    domjobinfo: (vm: string, flags: number): string[] => virshShown.domjobinfo(vm, {
        completed: has(flags, JobStatsFlags.COMPLETED), keepCompleted: has(flags, JobStatsFlags.KEEP_COMPLETED),
    }),
    domjobabort: virshShown.domjobabort,
    setMaxDowntime: virshShown.setMaxDowntime,
    setSpeed: virshShown.setSpeed,
};
