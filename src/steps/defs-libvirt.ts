/* The destination's libvirt socket and firewall ports for the protocol; persistence of the VFs and switchdev. */
import { _, format } from "../lib/cockpit";
import { PORTS_FOR, SOCKET_FOR } from "../checks/packages";
import { compareVersions } from "../checks/versions";
import { oneOf } from "../host/commands";
import { type PortSpec, UNITS, firewallAddPort, systemctlEnableNow } from "../host/commands-system";
import { firewallRemovePort, nmcliSriov, systemctlDisableNow } from "../host/commands-steps";
import { Netdev, Port } from "../host/values";
import type { StepCommand, StepContext, StepDef } from "./types";
import { NO_IMPACT, fromChecks, nicOf, run, runCheck, sh, shWord, status } from "./common";
import { checkedOptions, scriptNetdev } from "./export-options";

const socketUnit = (ctx: StepContext) => oneOf(SOCKET_FOR[ctx.options.protocol], UNITS);

export const libvirtSocket: StepDef = {
    id: "libvirt-socket",
    title: _("Open libvirt's socket for the protocol"),
    changes: _("Enables and starts the libvirt socket unit the source connects to for the chosen protocol."),
    checks: ["libvirt-socket"],
    roles: ["destination"],
    after: [],
    impact: NO_IMPACT,
    detect: ctx => {
        const s = fromChecks(ctx, ["libvirt-socket"]);
        // the check warns when the socket is active but not enabled at boot: this step enables it too
        return s.state === "done" && runCheck(ctx, "libvirt-socket").verdict === "warn" ? { ...s, state: "needed" } : s;
    },
    guard: () => null,
    commands: ctx => [run(systemctlEnableNow(socketUnit(ctx)))],
    undo: ctx => [run(systemctlDisableNow(socketUnit(ctx)))],
    script: ctx => ({
        done: `systemctl is-active --quiet ${socketUnit(ctx)} && systemctl is-enabled --quiet ${socketUnit(ctx)}`,
        run: [sh(systemctlEnableNow(socketUnit(ctx)))],
    }),
};

/** "16514/tcp" → 16514, "49152-49215/tcp" → the range. */
function portSpec(p: string): PortSpec {
    const m = /^(\d+)(?:-(\d+))?\/tcp$/.exec(p);
    if (!m)
        throw new Error(`unexpected port ${p}`);
    return m[2] ? { from: Port.of(Number(m[1])), to: Port.of(Number(m[2])) } : Port.of(Number(m[1]));
}

/** The ports the check finds closed (all of the protocol's when it cannot tell). */
function missingPorts(ctx: StepContext): string[] {
    const f = ctx.facts.firewall;
    const all = PORTS_FOR[ctx.options.protocol];
    if (!f.known || !f.value.running)
        return all;
    const r = runCheck(ctx, "firewall-ports");
    return r.verdict === "fail" ? all.filter(p => r.summary.includes(p)) : [];
}

const addPorts = (ports: string[]): StepCommand[] =>
    ports.flatMap(p => [run(firewallAddPort(portSpec(p), false)), run(firewallAddPort(portSpec(p), true))]);

export const firewallPorts: StepDef = {
    id: "firewall-ports",
    title: _("Open the migration ports in the firewall"),
    changes: _("Opens libvirt's port for the protocol and QEMU's migration ports 49152-49215 in the destination's firewall, now and permanently."),
    checks: ["firewall-ports"],
    roles: ["destination"],
    after: [],
    impact: NO_IMPACT,
    detect: ctx => fromChecks(ctx, ["firewall-ports"]),
    guard: () => null,
    commands: ctx => addPorts(missingPorts(ctx)),
    // never closes 22: the admin's own SSH may need it
    undo: ctx => PORTS_FOR[ctx.options.protocol].filter(p => p !== "22/tcp")
            .flatMap(p => [run(firewallRemovePort(portSpec(p), false)), run(firewallRemovePort(portSpec(p), true))]),
    undoNote: _("Closes the ports even if they were open before; SSH's port 22 stays open."),
    script: ctx => {
        const ports = PORTS_FOR[ctx.options.protocol];
        return {
            done: `! firewall-cmd --state >/dev/null 2>&1 || { ${ports.map(p => `firewall-cmd --query-port=${p} >/dev/null`).join(" && ")}; }`,
            run: addPorts(ports).map(c => sh((c as { argv: Parameters<typeof sh>[0] }).argv)),
        };
    },
};

/** NetworkManager's version from the packages fact, if installed. */
function nmVersion(ctx: StepContext): string | null {
    const p = ctx.facts.packages;
    if (!p.known)
        return null;
    return Object.entries(p.value).find(([n]) => n === "NetworkManager")?.[1] ?? null;
}

export const NM_SRIOV_MIN = "1.46";

export const persistSriov: StepDef = {
    id: "persist-sriov",
    doneWhenRecorded: true,
    title: _("Keep the VFs and switchdev mode across reboots"),
    changes: _("Stores the VF count and the switchdev mode in the PF's NetworkManager connection (sriov.total-vfs, sriov.eswitch-mode), which NetworkManager applies at boot."),
    checks: [],
    roles: ["source", "destination"],
    after: ["create-vfs", "eswitch-switchdev"],
    impact: NO_IMPACT,
    detect: ctx => {
        if (!ctx.options.persist)
            return status.na(_("Not chosen: VFs and switchdev mode are lost at the next reboot, and this page sets them again"));
        const v = nmVersion(ctx);
        if (v === null)
            return status.na(_("NetworkManager is not installed: set the VF count and the e-switch mode at boot another way, e.g. a systemd unit that runs “devlink dev eswitch set” and writes sriov_numvfs"));
        if (compareVersions(v, NM_SRIOV_MIN) < 0)
            return status.na(format(_("NetworkManager $0 cannot store the e-switch mode (1.46 or later can): use a systemd unit that runs “devlink dev eswitch set” and writes sriov_numvfs at boot"), v));
        // the status page does not read connection profiles: the command is harmless to run again
        return status.needed(format(_("Stores $0 VFs and switchdev in NetworkManager $1's profile"), ctx.options.numVfs, v));
    },
    guard: () => null,
    commands: ctx => {
        const dev = nicOf(ctx)?.netdev;
        return dev ? [run(nmcliSriov(Netdev.of(dev), ctx.options.numVfs, "switchdev"))] : [];
    },
    undo: ctx => {
        const dev = nicOf(ctx)?.netdev;
        return dev ? [run(nmcliSriov(Netdev.of(dev), 0, "legacy"))] : null;
    },
    script: ctx => {
        const [dev, n] = [scriptNetdev(ctx), checkedOptions(ctx).numVfs];
        return {
            done: `[ "$(nmcli -g sriov.total-vfs,sriov.eswitch-mode connection show ${shWord(dev)} 2>/dev/null | tr '\\n' ' ')" = ${shWord(`${n} switchdev `)} ]`,
            run: [sh(nmcliSriov(dev, n, "switchdev"))],
        };
    },
};
