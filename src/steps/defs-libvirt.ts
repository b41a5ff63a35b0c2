/* The destination's libvirt socket and firewall ports for the protocol; persistence of the VFs and switchdev. */
import { _, format } from "../lib/cockpit";
import * as packageChecks from "../checks/packages";
import { socketCommands, socketFor } from "../checks/packages";
import { PORTS_FOR, SSH_FIREWALL_PORT, firewallPortsCheck, migrationPortReach, openToPeer, portSpecOf } from "../checks/migration-ports";
import { serviceRule } from "../rules/services";
import { compareVersions } from "../checks/versions";
import { NM_SRIOV_MIN, nmcliSriov, nmcliSriovRestore } from "../host/commands/network";
import { firewallQueryRichRule, firewallRemoveRichRule } from "../host/commands/firewalld";
import { IpAddress, Netdev } from "../host/values";
import type { NmProfile } from "../parsers";
import type { HostFacts } from "../checks/facts";
import type { StepCommand, StepContext, StepDef } from "./types";
import { NO_IMPACT, fromChecks, fromServiceCheck, nicOf, run, sh, shWord, status } from "./common";
import { checkedOptions, scriptNetdev } from "./export-options";

const socketRule = (ctx: StepContext) => serviceRule(socketFor(ctx.facts.units, ctx.options.protocol));

export const libvirtSocket: StepDef = {
    id: "libvirt-socket",
    get title() { return _("Open libvirt's socket for the protocol"); },
    get changes() { return _("Enables and starts the libvirt socket unit the source connects to for the chosen protocol."); },
    checks: [packageChecks.libvirtSocketCheck],
    roles: ["destination"],
    after: [],
    impact: NO_IMPACT,
    detect: ctx => fromServiceCheck(ctx, packageChecks.libvirtSocketCheck),
    guard: () => null,
    commands: ctx => socketCommands(ctx.facts.units, ctx.options.protocol).map(a => run(a, { timeoutMs: 120_000 })),
    undo: ctx => socketCommands(ctx.facts.units, ctx.options.protocol, false).map(a => run(a, { timeoutMs: 120_000 })),
    script: ctx => ({
        done: socketRule(ctx).shellDone(),
        run: socketCommands(ctx.facts.units, ctx.options.protocol).map(sh),
    }),
};

/** The source's address as the destination sees it (the page's SSH session comes from the source). */
function peerOf(ctx: StepContext): IpAddress | null {
    const p = ctx.facts.sshPeer;
    const a = p.known ? IpAddress.parse(p.value) : null;
    return a?.ok ? a.value : null;
}

/** The migration ports no rule opens to the source yet (all of them when the firewall's state is unknown). */
function missingPorts(ctx: StepContext, peer: string): string[] {
    const f = ctx.facts.firewall;
    if (!f.known)
        return PORTS_FOR[ctx.options.protocol].filter(p => p !== SSH_FIREWALL_PORT);
    if (!f.value.running)
        return [];
    return migrationPortReach(f.value, ctx.options.protocol, peer).filter(r => r.reach === "closed").map(r => r.port);
}

const migrationPorts = (ctx: StepContext) => PORTS_FOR[ctx.options.protocol].filter(p => p !== SSH_FIREWALL_PORT);

/** The zone the source's connections arrive in (null when the zones could not be read: firewalld's default). */
function zoneOf(ctx: StepContext): string | null {
    const f = ctx.facts.firewall;
    return f.known && f.value.running ? f.value.zone : null;
}

const addRules = (zone: string | null, peer: IpAddress, ports: string[]): StepCommand[] => openToPeer(zone, peer, ports).map(a => run(a));

export const firewallPorts: StepDef = {
    id: "firewall-ports",
    get title() { return _("Open the migration ports to the source"); },
    get changes() {
        return _("Lets the source's address, and no other, reach libvirt's port for the protocol and QEMU's migration ports 49152-49215 through the destination's firewall (firewalld rich rules), now and permanently.");
    },
    checks: [firewallPortsCheck],
    roles: ["destination"],
    after: [],
    impact: NO_IMPACT,
    detect: ctx => fromChecks(ctx, [firewallPortsCheck]),
    guard: () => null,
    commands: ctx => {
        const peer = peerOf(ctx);
        return peer === null ? [] : addRules(zoneOf(ctx), peer, missingPorts(ctx, peer));
    },
    undo: ctx => {
        const peer = peerOf(ctx);
        return peer === null ? null : migrationPorts(ctx).flatMap(p =>
            [run(firewallRemoveRichRule(zoneOf(ctx), peer, portSpecOf(p), false)), run(firewallRemoveRichRule(zoneOf(ctx), peer, portSpecOf(p), true))]);
    },
    get undoNote() { return _("Removes the rules for the source; ports the zone opened to everyone stay as they were."); },
    script: ctx => {
        const peer = peerOf(ctx);
        if (peer === null)
            return { done: "false", run: [`echo ${shWord(_("The source's address was not known when this script was made: open the migration ports to it by hand"))} >&2`, "false"] };
        const ports = migrationPorts(ctx);
        return {
            done: `! firewall-cmd --state >/dev/null 2>&1 || { ${ports.map(p => `${sh(firewallQueryRichRule(zoneOf(ctx), peer, portSpecOf(p)))} >/dev/null`).join(" && ")}; }`,
            run: addRules(zoneOf(ctx), peer, ports).map(c => sh((c as { argv: Parameters<typeof sh>[0] }).argv)),
        };
    },
};

/** NetworkManager's version from the packages fact, if installed ("" when rpm printed none: installed all the same). */
const nmVersion = (p: HostFacts["packages"]): string | null =>
    p.known ? Object.entries(p.value).find(([n]) => n === "NetworkManager")?.[1] ?? null : null;

/** The profile NetworkManager would read at boot: one saved on disk (kept in memory: its file under /run, or none). */
const savedProfile = (p: NmProfile): boolean => p.file !== "" && !p.file.startsWith("/run/");

/**
 * Why the step cannot store the setting on this PF's profile, or null (the refusals of its script, said before it
 * runs). Such a step stays undone and the preparation goes on without it: the run ends saying why.
 */
function persistRefusal(netdev: string, p: NmProfile | null): string | null {
    if (!p)
        return keepOtherwise(format(_("NetworkManager has no connection active on $0: there is no profile to store the setting in."), netdev));
    if (!savedProfile(p))
        return keepOtherwise(format(_("The connection on $0 is kept in memory only ($1), as NetworkManager makes one for an interface set up outside it: storing the setting would save it as a profile that takes the interface at boot."),
                                    netdev, p.file || _("no file")));
    return null;
}

/** why NetworkManager cannot keep the setting, and the other way */
const keepOtherwise = (why: string): string =>
    `${why} ${_("Keep the VFs and switchdev mode another way (a systemd unit that runs “devlink dev eswitch set” and writes sriov_numvfs at boot), or leave this option off.")}`;

/** sriov.eswitch-mode as nmcli numbers it, by the name nmcli gives it */
const modeName = (m: number | null): string => (m === 1 ? "switchdev" : m === 0 ? "legacy" : m === -1 ? "preserve" : "?");

export const persistSriov: StepDef = {
    id: "persist-sriov",
    get title() { return _("Keep the VFs and switchdev mode across reboots"); },
    get changes() {
        return _("Stores the VF count and the switchdev mode in the NetworkManager connection active on the PF (sriov.total-vfs, sriov.eswitch-mode), which NetworkManager applies at boot. What the connection held before is kept in /var/lib/cockpit-vf-migration, and the undo puts it back.");
    },
    checks: [],
    roles: ["source", "destination"],
    after: ["create-vfs", "eswitch-switchdev"],
    impact: NO_IMPACT,
    detect: ctx => {
        if (!ctx.options.persist)
            return status.na(_("Not chosen: VFs and switchdev mode are lost at the next reboot, and this page sets them again"));
        const pk = ctx.facts.packages;
        if (!pk.known)
            return status.unknown(format(_("Could not tell: $0"), pk.reason), pk.evidence);
        const v = nmVersion(pk);
        if (v === null)
            return status.na(keepOtherwise(_("NetworkManager is not installed.")));
        const vs = compareVersions(v, NM_SRIOV_MIN);
        if (vs === null)
            return status.unknown(v ? format(_("Could not tell: $0"), format(_("“$0” is not a version"), v)) : _("Could not tell: rpm printed no version for NetworkManager"), pk.evidence);
        if (vs < 0)
            return status.na(keepOtherwise(format(_("NetworkManager $0 cannot store the e-switch mode (1.46 or later can)."), v)));
        const nic = nicOf(ctx);
        const n = ctx.options.numVfs;
        if (!nic?.netdev)
            return status.unknown(_("The adapter has no network interface"), ctx.facts.nics.evidence);
        const nm = nic.nm;
        if (!nm)
            return status.needed(format(_("Stores $0 VFs and switchdev in NetworkManager $1's profile"), n, v));
        if (!nm.known)
            return status.unknown(format(_("Could not tell: $0"), nm.reason), nm.evidence);
        const p = nm.value;
        const refused = persistRefusal(nic.netdev, p);
        if (refused || !p)
            return status.unknown(refused ?? "", nm.evidence);
        if (p.totalVfs === n && p.eswitchMode === 1)
            return status.done(format(_("The profile on $0 stores $1 VFs and switchdev"), nic.netdev, n), nm.evidence);
        const now = p.totalVfs === null ? _("no SR-IOV setting") : format(_("$0 VFs, e-switch mode $1"), p.totalVfs, modeName(p.eswitchMode));
        return status.needed(format(_("Stores $0 VFs and switchdev in the profile on $1 (it holds $2)"), n, nic.netdev, now), nm.evidence);
    },
    guard: () => null,
    commands: ctx => {
        const dev = nicOf(ctx)?.netdev;
        return dev ? [run(nmcliSriov(Netdev.of(dev), ctx.options.numVfs))] : [];
    },
    undo: ctx => {
        const dev = nicOf(ctx)?.netdev;
        return dev ? [run(nmcliSriovRestore(Netdev.of(dev), ctx.options.numVfs))] : null;
    },
    script: ctx => {
        const [dev, n] = [scriptNetdev(ctx), checkedOptions(ctx).numVfs];
        return {
            done: `vfm_nm_sriov_is ${shWord(dev)} ${shWord(String(n))}`,
            run: [sh(nmcliSriov(dev, n))],
            // as the page's detect: older NetworkManager has no sriov.eswitch-mode, and nmcli would fail; no profile
            // saved on disk on the PF: nothing NetworkManager reads at boot to store it in (the page leaves it undone)
            skip: { test: `{ vfm_nm_cannot_store || ! vfm_nm_saved_uuid ${shWord(dev)} >/dev/null; }`,
                    why: `NetworkManager is not installed, rpm prints no version for it, it is older than ${NM_SRIOV_MIN}, not running, or has no profile saved on disk on the PF: use a systemd unit that runs "devlink dev eswitch set" and writes sriov_numvfs at boot` },
        };
    },
};
