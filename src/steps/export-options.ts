/*
 * The options as the exports use them, checked again: they may come back from a host's progress record, so the
 * bridge must be a bridge name, the VF count a whole number and the protocol one of the three.
 */
import { _, format } from "../lib/cockpit";
import { BridgeName, Netdev, PciAddress, ValueError, parseVfCount, unwrap, type VfCount } from "../host/values";
import type { Protocol } from "../checks/facts";
import type { StepContext } from "./types";
import { nicOf } from "./common";

/** No ConnectX-7 offers more VFs per PF; the firmware step asks at least 8. */
export const MAX_VFS = 1024;
const PROTOCOLS: readonly Protocol[] = ["ssh", "tls", "tcp"];

export interface CheckedOptions { bridge: BridgeName; numVfs: VfCount; protocol: Protocol; persist: boolean }

export function checkedOptions(ctx: StepContext): CheckedOptions {
    const o = ctx.options;
    if (!PROTOCOLS.includes(o.protocol))
        throw new ValueError("protocol", "form", String(o.protocol), _("The migration protocol must be ssh, tls or tcp"));
    return { bridge: BridgeName.of(o.bridge), numVfs: unwrap(parseVfCount(o.numVfs, MAX_VFS)), protocol: o.protocol, persist: o.persist === true };
}

/** The PF being prepared, for a script: missing when the host shows no ConnectX-7. */
export function scriptPf(ctx: StepContext): PciAddress {
    const pf = PciAddress.parse(ctx.pf);
    if (!pf.ok)
        throw new ValueError("pf", "missing", ctx.pf, _("No ConnectX-7 adapter was found on this host, so there is nothing to prepare on it."));
    return pf.value;
}

/** The PF's network interface, for a script: missing when sysfs showed none (or it was not read). */
export function scriptNetdev(ctx: StepContext): Netdev {
    const pf = scriptPf(ctx);
    const nic = nicOf(ctx);
    const dev = nic?.netdev ? Netdev.parse(nic.netdev) : null;
    if (!dev?.ok)
        throw new ValueError("netdev", "missing", nic?.netdev ?? "",
                             format(_("The adapter $0 shows no network interface (or it could not be read), and the steps that use it need its name."), pf));
    return dev.value;
}

/**
 * The PF's interface as a whole script names it (its first line checks the host has it). An InfiniBand port's
 * interface (IPoIB) goes at the reset that makes the port Ethernet, and the new one has another name: a script
 * naming the old one would guard and bridge an interface that no longer exists, so none is made.
 */
export function scriptAdapterNetdev(ctx: StepContext): Netdev {
    const dev = scriptNetdev(ctx);
    const type = nicOf(ctx)?.linkType;
    if (type?.known && type.value === "ib")
        throw new ValueError("netdev", "infiniband", dev,
                             format(_("The port $0 runs InfiniBand: its interface $1 is replaced by an Ethernet one, with another name, at the firmware reset that switches it. Prepare its firmware first (here or with mstconfig), then make the script again."), ctx.pf, dev));
    return dev;
}
