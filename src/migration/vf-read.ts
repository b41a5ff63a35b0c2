/*
 * One VF as the re-checks before the migration call read it, on either host: its driver, its PF and its devlink port
 * (the VF's index among its PF's virtfn links, then devlink's pcivf port of that index). Shared by this host's check
 * (source-vf.ts) and the destination's (destination-vf.ts), which read the same four files and commands first.
 */
import { devlinkPortShow } from "../host/commands/devlink";
import { readSysfsLink, vfSiblingVirtfns } from "../host/commands/sysfs";
import type { CommandResult, ProbeCommand } from "../host/transport";
import { PciAddress, deviceAttrPath } from "../host/values";
import { findVfPort, parse, type DevlinkPortRecord } from "../parsers";

/** The four reads, in this order: driver link, physfn link, the PF's virtfn links, devlink's ports. */
export function vfReadCommands(vfIn: PciAddress): ProbeCommand[] {
    const a = PciAddress.of(vfIn);
    return [
        { argv: readSysfsLink(deviceAttrPath(a, "driver")) },
        { argv: readSysfsLink(deviceAttrPath(a, "physfn")) },
        { argv: vfSiblingVirtfns(a) },
        { argv: devlinkPortShow() },
    ];
}

const base = (path: string) => path.trim().replace(/\/+$/, "").split("/").pop() ?? "";

export type VfRead =
    | { kind: "unanswered" }
    | { kind: "gone" }
    /** the driver and PF are known, the devlink port is not (`ports` null: devlink not read) */
    | { kind: "no-port"; driver: string; pf: string; ports: DevlinkPortRecord[] | null }
    | { kind: "read"; driver: string; pf: string; port: DevlinkPortRecord; ports: DevlinkPortRecord[] };

/** What the four records say of the VF (pure). `driver` is "none" when the VF is bound to no driver. */
export function readVf(vf: string, r: readonly CommandResult[]): VfRead {
    const [driverRec, physfnRec, virtfnRec, portRec] = r;
    if (!driverRec || !physfnRec)
        return { kind: "unanswered" };
    if (driverRec.exitStatus !== 0 || physfnRec.exitStatus !== 0)
        return { kind: "gone" };
    const link = base(driverRec.stdout);
    const driver = link === "driver" || link === "" ? "none" : link;
    const pf = base(physfnRec.stdout);
    const virtfns = virtfnRec ? parse("virtfn-links", virtfnRec.stdout) : undefined;
    const index = virtfns?.ok ? virtfns.value.vfs.find(v => v.pci === vf)?.index : undefined;
    const parsed = portRec && portRec.exitStatus === 0 ? parse("devlink-port", portRec.stdout) : undefined;
    const ports = parsed?.ok ? parsed.value.ports : null;
    const port = index !== undefined && ports ? findVfPort(ports, pf, index) : undefined;
    return port && ports ? { kind: "read", driver, pf, port, ports } : { kind: "no-port", driver, pf, ports: index === undefined ? null : ports };
}
