/*
 * What the step definitions share: their status read from the status page's own checks (one logic for "ready"),
 * the guards, the PF being prepared, and the bash forms of commands for the exports.
 */
import { _, format } from "../lib/cockpit";
import type { CheckDef, CheckResult, Evidence } from "../checks/types";
import type { HostContext, HostFacts, NicFacts, VfFacts } from "../checks/facts";
import { quoteArgv } from "../host/quote";
import type { Argv } from "../host/argv";
import { copyableLine as journalLine } from "../host/journal";
import { writeSysfsArgv } from "../host/commands/sysfs";
import { type SysfsPath, sameDevice } from "../host/values";
import { vfInUse } from "../rules/vf";
import { pfBridgeIn } from "../checks/ovs";
import type { RuleCommand } from "../rules/sriov";

/** A status page check, referenced by steps (a typo is a compile error). */
export type HostCheck = CheckDef<HostContext>;
import type { StepCommand, StepContext, StepGuard, StepImpact, StepStatus } from "./types";

export const NO_IMPACT: StepImpact = { disruptsNetwork: false, needsReboot: false, needsFirmwareReset: false, confirm: false };
export const DISRUPTIVE: StepImpact = { ...NO_IMPACT, disruptsNetwork: true, confirm: true };

/** The NIC being prepared (ctx.pf), or null. */
export function nicOf(ctx: StepContext): NicFacts | null {
    const f = ctx.facts;
    return f.nics.known ? f.nics.value.find(n => n.pci === ctx.pf) ?? null : null;
}

/** The facts as the checks see them, about the port being prepared (ctx.pf). */
export function checkContext(ctx: StepContext): HostContext {
    const facts: HostFacts = nicOf(ctx) ? { ...ctx.facts, chosenPf: ctx.pf } : ctx.facts;
    return { facts, role: ctx.role, protocol: ctx.options.protocol, numVfs: ctx.options.numVfs };
}

export function runCheck(ctx: StepContext, def: HostCheck): CheckResult {
    return def.evaluate(checkContext(ctx));
}

/**
 * The status of a step from the checks it fixes: a failing check → needed, an unknown one → unknown, pending-reboot
 * → pending (reboot or firmware reset, as `pendingNeeds` says), pass or warn → done.
 */
/** A service step: needed also when its check only warns (the service runs but does not start at boot: the service rule). */
export function fromServiceCheck(ctx: StepContext, check: HostCheck): StepStatus {
    const s = fromChecks(ctx, [check]);
    return s.state === "done" && runCheck(ctx, check).verdict === "warn" ? { ...s, state: "needed" } : s;
}

export function fromChecks(ctx: StepContext, defs: readonly HostCheck[], pendingNeeds: "reboot" | "firmware-reset" = "reboot"): StepStatus {
    const results = defs.map(def => runCheck(ctx, def));
    const evidence: Evidence[] = results.flatMap(r => r.evidence);
    const first = (v: string) => results.find(r => r.verdict === v);
    const failed = first("fail");
    if (failed)
        return { state: "needed", summary: failed.summary, evidence };
    const unknownR = first("unknown");
    if (unknownR)
        return { state: "unknown", summary: unknownR.summary, evidence };
    const pending = first("pending-reboot");
    if (pending)
        return { state: "pending", summary: pending.summary, evidence, needs: pendingNeeds };
    return { state: "done", summary: results.map(r => r.summary).join("; "), evidence };
}

export const status = {
    done: (summary: string, evidence: Evidence[] = []): StepStatus => ({ state: "done", summary, evidence }),
    needed: (summary: string, evidence: Evidence[] = []): StepStatus => ({ state: "needed", summary, evidence }),
    unknown: (summary: string, evidence: Evidence[] = []): StepStatus => ({ state: "unknown", summary, evidence }),
    na: (summary: string, evidence: Evidence[] = []): StepStatus => ({ state: "not-applicable", summary, evidence }),
};

/** A command of a step; the time limit is an option, so that `.map(run)` cannot pass an array index as one. */
export const run = (argv: Argv, o: { timeoutMs?: number } = {}): StepCommand =>
    o.timeoutMs === undefined ? { kind: "run", argv } : { kind: "run", argv, timeoutMs: o.timeoutMs };

/** A rule's command (src/rules) as a step runs it. */
export const fromRule = (c: RuleCommand, o: { timeoutMs?: number } = {}): StepCommand =>
    "path" in c ? { kind: "sysfs", path: c.path, value: c.value } : run(c, o);

/** Refuses a step that stops the PF's traffic while management traffic runs through the PF. */
export function mgmtGuard(ctx: StepContext): StepGuard | null {
    const nic = nicOf(ctx);
    return nic?.netdev ? mgmtGuardOver(ctx, [nic.netdev]) : null;
}

/** The ConnectX-7 ports on the same adapter as the prepared one (the same PCI slot), itself first. */
export function adapterPorts(ctx: StepContext): NicFacts[] {
    const nic = nicOf(ctx);
    if (!nic || !ctx.facts.nics.known)
        return nic ? [nic] : [];
    return [nic, ...ctx.facts.nics.value.filter(n => n !== nic && sameDevice(n.pci, nic.pci))];
}

/** Refuses a step that stops the traffic of these interfaces while management traffic runs through one of them. */
export function mgmtGuardOver(ctx: StepContext, netdevs: readonly string[]): StepGuard | null {
    const m = ctx.facts.managementInterfaces;
    if (netdevs.length === 0)
        return null;
    const override = _("I reach this host another way (a second interface, a serial or BMC console) and accept losing this connection");
    if (!m.known)
        return {
            reason: format(_("Could not tell whether a management connection (this web console, SSH into or from this host) runs over $0 ($1); this step stops its traffic."),
                           netdevs.join(", "), m.reason),
            override,
        };
    const over = netdevs.find(d => m.value.includes(d));
    if (!over)
        return null;
    return {
        reason: format(_("A management connection (this web console, SSH into or from this host) runs over $0, the interface this step cuts: you would lose the connection to the host until Open vSwitch forwards its traffic. Reach the host through another interface or a console first."), over),
        override,
    };
}

/**
 * A firmware reset restarts the whole adapter: its other port's traffic stops too (addresses of scope global, Open
 * vSwitch bridges), and its VFs go. Refused until the admin says that traffic may stop.
 */
export function otherPortsGuard(ctx: StepContext): StepGuard | null {
    const ovs = ctx.facts.ovs;
    const busy = adapterPorts(ctx).slice(1).filter(n => n.netdev).map(n => {
        const uses = [...(n.addresses ?? []),
            ...(ovs.known && pfBridgeIn(ctx.facts, n) ? [format(_("bridge $0"), pfBridgeIn(ctx.facts, n) as string)] : []),
            ...vfsInUse(n).map(v => v.usedBy ?? v.pci)];
        return uses.length ? `${n.netdev} (${uses.join(", ")})` : null;
    }).filter((x): x is string => x !== null);
    if (busy.length === 0)
        return null;
    return {
        reason: format(_("The adapter's other port is in use: $0. A firmware reset restarts both ports, so that traffic stops for the reset and those VFs are removed."), busy.join("; ")),
        override: _("That traffic may stop for the reset"),
    };
}

/**
 * Refuses putting the PF in a bridge while it holds addresses of scope global: Open vSwitch then takes the PF's
 * traffic, and an address left on a bridge port stops answering (storage, a second network, anything but management,
 * which mgmtGuard covers).
 */
export function pfAddressGuard(ctx: StepContext): StepGuard | null {
    const nic = nicOf(ctx);
    // once bridged, the step is done and only its undo runs, which gives the address back its traffic
    if (!nic?.netdev || pfBridge(ctx, nic) !== null)
        return null;
    if (nic.addresses === null)
        return {
            reason: format(_("Could not tell whether $0 holds an address (ip -o addr could not be read); once Open vSwitch takes the interface, such an address stops answering."), nic.netdev),
            override: _("Nothing uses this address, or I move it to the bridge myself: go on"),
        };
    if (!nic.addresses?.length)
        return null;
    return {
        reason: format(_("$0 holds $1: once Open vSwitch takes the interface, that address stops answering. Move it to the bridge's own interface first (for example with NetworkManager's ovs-interface profile), or remove it if nothing uses it."),
                       nic.netdev, nic.addresses.join(", ")),
        override: _("Nothing uses this address, or I move it to the bridge myself: go on"),
    };
}

/** Refuses a reboot or a firmware reset while VMs run. */
export function vmsGuard(ctx: StepContext, what: string): StepGuard | null {
    if (ctx.runningVms.length === 0)
        return null;
    return {
        reason: format(_("VMs run on this host ($0): $1 would stop them. Migrate them to another host or shut them down first, then come back to this step."),
                       ctx.runningVms.join(", "), what),
        vms: ctx.runningVms,
    };
}

/** VFs a running VM holds (named by its hostdev, or bound to a VFIO driver). */
export function vfsInUse(nic: NicFacts): VfFacts[] {
    return nic.vfs.filter(vfInUse);
}

/** Refuses changing the VF count while a VM uses one of them. */
export function vfCountGuard(ctx: StepContext): StepGuard | null {
    const nic = nicOf(ctx);
    if (!nic || (nic.numVfs ?? 0) === 0)
        return null;
    const used = vfsInUse(nic);
    if (used.length === 0)
        return null;
    return {
        reason: format(_("VF $0 is in use ($1): changing the number of VFs removes every VF first. Detach it from the VM or shut the VM down first."),
                       used[0].pci, used[0].usedBy ?? used[0].driver),
    };
}

export function firstGuard(...guards: (StepGuard | null)[]): StepGuard | null {
    return guards.find(g => g !== null) ?? null;
}

/**
 * Every guard that applies, as one: the admin reads all the reasons, and may go on only if each of them allows it
 * (one override never passes over a refusal the admin was not shown).
 */
export function allGuards(...guards: (StepGuard | null)[]): StepGuard | null {
    const on = guards.filter((g): g is StepGuard => g !== null);
    if (on.length <= 1)
        return on[0] ?? null;
    const vms = on.flatMap(g => g.vms ?? []);
    return {
        reason: on.map(g => g.reason).join(" "),
        ...(on.every(g => g.override) ? { override: on.map(g => g.override).join("; ") } : {}),
        ...(vms.length ? { vms: [...new Set(vms)] } : {}),
    };
}

/* bash for the exports */
export const sh = (argv: Argv): string => quoteArgv(argv);
/** The one rendering of a sysfs write, as the command log shows it and the exports run it: `echo VALUE | tee -- PATH`. */
export const sysfsLine = (path: SysfsPath, value: string): string => journalLine(writeSysfsArgv(path), `${value}\n`);
export const shSysfs = (path: SysfsPath, value: string): string => `${sysfsLine(path, value)} >/dev/null`;
export const shWord = (w: string): string => quoteArgv([w]);

export function noNic(ctx: StepContext): StepStatus | null {
    if (!ctx.facts.nics.known)
        return status.unknown(format(_("Could not tell: $0"), ctx.facts.nics.reason), ctx.facts.nics.evidence);
    return nicOf(ctx) ? null : status.unknown(_("No ConnectX-7 found"), ctx.facts.nics.evidence);
}

/** The bridge that holds the PF, if any. */
export const pfBridge = (ctx: StepContext, nic: NicFacts): string | null => pfBridgeIn(ctx.facts, nic);

/** The title of the step that puts the PF in a bridge, also named by the switchdev step's undo (one msgid). */
export const bridgePfTitle = (): string => _("Put the PF in an Open vSwitch bridge");
