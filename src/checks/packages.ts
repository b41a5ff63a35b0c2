import { N_, _, format } from "../lib/cockpit";
import type { HostContext, Protocol } from "./facts";
import type { CheckDef, CheckResult, Fact } from "./types";
import type { UnitState } from "../rules/services";
import { DOCS_MIGRATION_REQS, DOCS_VF_MIGRATION, commandFix, result, unknownResult } from "./helpers";
import { compareVersions } from "./versions";
import { dnfInstall, dnfUpdate } from "../host/commands/dnf-rpm";
import { type Unit, systemctlRestart } from "../host/commands/systemd";
import type { Argv } from "../host/argv";
import { serviceRule } from "../rules/services";

type InstallName = "mstflint" | "openvswitch";
import { firewallPortsCheck } from "./migration-ports";

export { PORTS_FOR } from "./migration-ports";
export { firewallPortsCheck };

function packageCheck(id: string, names: RegExp, install: InstallName, title: string, why: string): CheckDef<HostContext> {
    return {
        id,
        group: "packages",
        get title() { return _(title); },
        get description() { return format(_("The $0 package is installed."), install); },
        get why() { return _(why); },
        docs: DOCS_VF_MIGRATION,
        evaluate: ({ facts: f }) => {
            if (!f.packages.known)
                return unknownResult(id, f.packages);
            const found = Object.entries(f.packages.value).find(([n, v]) => names.test(n) && v !== null);
            return found
                ? result(id, "pass", format(_("$0 $1 is installed"), found[0], found[1] ?? ""), f.packages.evidence)
                : result(id, "fail", format(_("$0 is not installed"), install), f.packages.evidence,
                         commandFix(undefined, dnfInstall([install])));
        },
    };
}

export const mstflint = packageCheck("pkg-mstflint", /^mstflint$/, "mstflint", N_("mstflint package"),
                                     N_("mstconfig, from mstflint, reads and sets the adapter's VF migration firmware setting."));
export const openvswitch = packageCheck("pkg-openvswitch", /^openvswitch/, "openvswitch", N_("Open vSwitch package"),
                                        N_("In switchdev mode the VF's traffic goes through the representor, which Open vSwitch forwards."));

export const libvirtVersion: CheckDef<HostContext> = {
    id: "libvirt-version",
    group: "packages",
    get title() { return _("libvirt and QEMU"); },
    get description() {
        return _("libvirt binds VFIO variant drivers by itself (10.0 or later) and QEMU supports VFIO migration (8.1 or later).");
    },
    get why() { return _("With an older libvirt the VF is bound to plain vfio-pci and cannot migrate."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => {
        if (!f.libvirtVersion.known)
            return unknownResult("libvirt-version", f.libvirtVersion);
        const ev = [...f.libvirtVersion.evidence, ...f.qemuVersion.evidence];
        const lv = f.libvirtVersion.value;
        const vsLibvirt = compareVersions(lv, "10.0");
        const qemu = f.qemuVersion.known ? f.qemuVersion.value : null;
        const vsQemu = qemu === null ? 0 : compareVersions(qemu, "8.1");
        if (vsLibvirt === null || vsQemu === null)
            return result("libvirt-version", "unknown",
                          format(_("Could not tell: $0"), format(_("“$0” is not a version"), vsLibvirt === null ? lv : qemu ?? "")), ev);
        if (vsLibvirt < 0)
            return result("libvirt-version", "fail", format(_("libvirt $0 does not bind mlx5_vfio_pci by itself"), lv), ev,
                          commandFix(undefined, dnfUpdate(["libvirt"])));
        if (vsQemu < 0)
            return result("libvirt-version", "warn", format(_("QEMU $0 is older than 8.1"), qemu ?? ""), ev);
        return result("libvirt-version", "pass",
                      format(_("libvirt $0, QEMU $1"), lv, f.qemuVersion.known ? f.qemuVersion.value : _("unknown")), ev);
    },
};

/** The socket unit libvirt's remote access needs for each protocol, with RHEL 9's modular daemons. */
export const SOCKET_FOR: Record<Protocol, Unit> = {
    ssh: "virtqemud.socket",
    tls: "virtproxyd-tls.socket",
    tcp: "virtproxyd-tcp.socket",
};
/** The same with the monolithic libvirtd (a host upgraded from RHEL 8, or switched back by hand). */
export const MONOLITHIC_SOCKET_FOR: Record<Protocol, Unit> = {
    ssh: "libvirtd.socket",
    tls: "libvirtd-tls.socket",
    tcp: "libvirtd-tcp.socket",
};

/**
 * The host runs the monolithic libvirtd: its service or its socket is active. Its sockets then serve remote access;
 * starting virtproxyd's beside it would fight it for the same ports (libvirt's daemons.rst: stop and disable
 * libvirtd before switching to the modular daemons).
 */
export function libvirtMonolithic(units: Fact<Record<string, UnitState>>): boolean {
    return units.known && ["libvirtd.service", "libvirtd.socket"].some(u => units.value[u]?.activeState === "active");
}

/**
 * The commands that open (or close) the socket: a libvirtd already running does not take a socket started after it,
 * so on the monolithic daemon it is restarted after (running VMs keep running across a libvirtd restart).
 */
export function socketCommands(units: Fact<Record<string, UnitState>>, protocol: Protocol, open = true): Argv[] {
    const rule = serviceRule(socketFor(units, protocol));
    const running = units.known && units.value["libvirtd.service"]?.activeState === "active";
    return [...(open ? rule.commands() : rule.undo()), ...(running ? [systemctlRestart("libvirtd.service")] : [])];
}

/** The socket unit the destination needs for the protocol, in the daemon mode it runs. */
export function socketFor(units: Fact<Record<string, UnitState>>, protocol: Protocol): Unit {
    return (libvirtMonolithic(units) ? MONOLITHIC_SOCKET_FOR : SOCKET_FOR)[protocol];
}

function destinationOnly(id: string, ctx: HostContext, then: () => CheckResult): CheckResult {
    return ctx.role === "destination" ? then() : result(id, "pass", _("Only needed on the destination"), []);
}

export const libvirtSocketCheck: CheckDef<HostContext> = {
    id: "libvirt-socket",
    group: "packages",
    get title() { return _("libvirt socket for the protocol"); },
    get description() { return _("On the destination, the libvirt socket unit for the chosen protocol is active."); },
    get why() { return _("The source's libvirtd connects to it to start the incoming migration."); },
    docs: DOCS_MIGRATION_REQS,
    evaluate: ctx => destinationOnly("libvirt-socket", ctx, () => {
        const f = ctx.facts;
        if (!f.units.known)
            return unknownResult("libvirt-socket", f.units);
        const unit = socketFor(f.units, ctx.protocol);
        const st = f.units.value[unit];
        const rule = serviceRule(unit);
        const fix = commandFix(undefined, ...socketCommands(f.units, ctx.protocol));
        if (!st || st.activeState !== "active")
            return result("libvirt-socket", "fail", format(_("$0 is $1"), unit, st ? st.activeState : _("not found")), f.units.evidence, fix);
        if (!rule.ok(st))
            return result("libvirt-socket", "warn", format(_("$0 is active but not enabled at boot"), unit), f.units.evidence, fix);
        return result("libvirt-socket", "pass", format(_("$0 is active"), unit), f.units.evidence);
    }),
};

export const PACKAGE_CHECKS = [mstflint, openvswitch, libvirtVersion, libvirtSocketCheck, firewallPortsCheck];
