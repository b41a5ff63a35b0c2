/*
 * Who may reach the destination's migration ports: the source's address only (a firewalld rich rule), every
 * address the zone accepts (a port or service opened zone-wide: it works, but anyone on the network can connect to
 * libvirt's listener and to QEMU's incoming migration socket), or nobody.
 */
import { _, format } from "../lib/cockpit";
import { parseRichRule } from "../parsers";
import { IpAddress, Port } from "../host/values";
import type { Argv } from "../host/argv";
import {
    type PortSpec, firewallAddRichRule, firewallRemovePort, firewallRemoveService,
} from "../host/commands/firewalld";
import type { FirewallFacts, HostContext, Protocol } from "./facts";
import type { CheckDef } from "./types";
import { DOCS_MIGRATION_REQS, commandFix, result, unknownResult } from "./helpers";

/** The ports the destination must accept, per protocol: libvirt's own, then QEMU's migration data. */
export const PORTS_FOR: Record<Protocol, string[]> = {
    ssh: ["22/tcp", "49152-49215/tcp"],
    tls: ["16514/tcp", "49152-49215/tcp"],
    tcp: ["16509/tcp", "49152-49215/tcp"],
};

/** The admin's own SSH port: open to everyone the admin connects from, never narrowed by this page. */
export const SSH_FIREWALL_PORT = "22/tcp";

const SERVICE_PORTS: Record<string, string[]> = {
    ssh: ["22/tcp"],
    "libvirt-tls": ["16514/tcp"],
    libvirt: ["16509/tcp"],
};

export type PortReach = "peer" | "zone" | "closed";

/** "49152-49215/tcp" → { from, to } */
export function portRange(p: string): { from: number; to: number } {
    const m = /^(\d+)(?:-(\d+))?\/tcp$/.exec(p);
    if (!m)
        throw new Error(`unexpected port ${p}`);
    return { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
}

/** The zone's port and service entries that open `port` to every address. */
function zoneWideEntries(port: string, fw: FirewallFacts): { ports: string[]; services: string[] } {
    const want = portRange(port);
    return {
        ports: fw.ports.filter(p => {
            const m = /^(\d+)(?:-(\d+))?\/tcp$/.exec(p);
            return !!m && Number(m[1]) <= want.to && Number(m[2] ?? m[1]) >= want.from;
        }),
        services: fw.services.filter(s => (SERVICE_PORTS[s] ?? []).includes(port)),
    };
}

function openZoneWide(port: string, fw: FirewallFacts): boolean {
    if (fw.target === "ACCEPT")
        return true;
    const e = zoneWideEntries(port, fw);
    return e.ports.length + e.services.length > 0;
}

function ipv4Number(a: string): number | null {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
    return m ? m.slice(1).reduce((n, x) => n * 256 + Number(x), 0) : null;
}

/** The rule's source is the peer itself, or an IPv4 network that holds it. */
function sourceHolds(source: string, peer: string): boolean {
    const [addr, bits] = source.split("/");
    const a = IpAddress.parse(addr);
    if (!a.ok)
        return false;
    if (bits === undefined)
        return a.value === peer;
    const n = Number(bits), x = ipv4Number(a.value), y = ipv4Number(peer);
    if (x === null || y === null || !/^\d+$/.test(bits) || n > 32)
        return false;
    const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
    return ((x & mask) >>> 0) === ((y & mask) >>> 0);
}

/** A rich rule that accepts `port` from `peer` (and says nothing else that would narrow it). */
export function ruleLetsPeerIn(text: string, peer: string, port: string): boolean {
    const r = parseRichRule(text);
    const want = portRange(port);
    return !!r && r.action === "accept" && !r.other && !r.hasDestination && !!r.source && !r.source.invert &&
        r.port !== null && r.port.protocol === "tcp" && r.port.from <= want.from && r.port.to >= want.to &&
        (r.family === null || r.family === (peer.includes(":") ? "ipv6" : "ipv4")) && sourceHolds(r.source.address, peer);
}

/** Each migration port (not SSH's) and who reaches it; zone-wide wins over a rule, since everyone then gets in. */
export function migrationPortReach(fw: FirewallFacts, protocol: Protocol, peer: string | null): { port: string; reach: PortReach }[] {
    return PORTS_FOR[protocol].filter(p => p !== SSH_FIREWALL_PORT).map(port => ({
        port,
        reach: openZoneWide(port, fw) ? "zone"
            : peer !== null && fw.richRules.some(r => ruleLetsPeerIn(r, peer, port)) ? "peer" : "closed",
    }));
}

/**
 * The zone firewalld hands the source's connections to: a zone whose sources hold the source's address wins over
 * interfaces; else the zone that lists the interface they arrive on; else the default zone, which takes every
 * interface no zone lists (firewalld's dispatch: zone sources first, then interfaces, then the default).
 */
export function zoneOfPeer<Z extends { zone: string; fields: Record<string, string[]> }>(
    zones: readonly Z[], defaultZone: string, peer: string | null, ingress: string | null,
): { zone: Z; by: FirewallFacts["zoneBy"] } | null {
    const bySource = peer === null ? undefined : zones.find(z => (z.fields.sources ?? []).some(s => sourceHolds(s, peer)));
    if (bySource)
        return { zone: bySource, by: "source" };
    const byInterface = ingress === null ? undefined : zones.find(z => (z.fields.interfaces ?? []).includes(ingress));
    if (byInterface)
        return { zone: byInterface, by: "interface" };
    const byDefault = zones.find(z => z.zone === defaultZone);
    return byDefault ? { zone: byDefault, by: "default" } : null;
}

/** "Zone internal (eno1's)" and the like: which zone, and why it is the one that counts. */
export function zoneLabel(fw: FirewallFacts): string {
    if (fw.zoneBy === "source")
        return format(_("Zone $0 (bound to the source's address)"), fw.zone);
    if (fw.zoneBy === "interface" && fw.ingress !== null)
        return format(_("Zone $0 (of $1, where the source's connection arrives)"), fw.zone, fw.ingress);
    return format(_("Zone $0 (the default zone)"), fw.zone);
}

/**
 * The commands that open `ports` to `peer` alone in `zone`: first for now, then for after a reload (the check's fix
 * and the preparation step both run these, in this order).
 */
export function openToPeer(zone: string | null, peer: IpAddress, ports: string[]): Argv[] {
    return [...ports.map(p => firewallAddRichRule(zone, peer, portSpecOf(p), false)),
        ...ports.map(p => firewallAddRichRule(zone, peer, portSpecOf(p), true))];
}

/** "49152-49215/tcp" as the argv builders take it */
export function portSpecOf(p: string): PortSpec {
    const { from, to } = portRange(p);
    return from === to ? Port.of(from) : { from: Port.of(from), to: Port.of(to) };
}

export const firewallPortsCheck: CheckDef<HostContext> = {
    id: "firewall-ports",
    group: "packages",
    get title() { return _("Firewall ports on the destination"); },
    get description() {
        return _("The destination's firewall lets the source, and only the source, reach libvirt's port for the protocol and QEMU's migration ports 49152-49215.");
    },
    get why() {
        return _("A closed port makes the migration fail after the VM's memory started to move; a port open to every address lets anyone on the network connect to libvirt and to the incoming VM.");
    },
    docs: DOCS_MIGRATION_REQS,
    evaluate: ctx => {
        const id = "firewall-ports";
        if (ctx.role !== "destination")
            return result(id, "pass", _("Only needed on the destination"), []);
        const f = ctx.facts;
        if (!f.firewall.known)
            return unknownResult(id, f.firewall);
        const fw = f.firewall.value;
        if (!fw.running)
            return result(id, "pass", _("firewalld is not running: no port is filtered by it"), f.firewall.evidence);
        const parsedPeer = f.sshPeer.known ? IpAddress.parse(f.sshPeer.value) : null;
        const peer = parsedPeer?.ok ? parsedPeer.value as string : null;
        const reach = migrationPortReach(fw, ctx.protocol, peer);
        const ev = [...f.firewall.evidence, ...f.sshPeer.evidence];
        const closed = reach.filter(r => r.reach === "closed").map(r => r.port);
        const wide = reach.filter(r => r.reach === "zone").map(r => r.port);
        if (closed.length > 0 && peer === null)
            return unknownResult(id, f.sshPeer.known ? { known: false, reason: _("the source's address is not an IP address"), evidence: ev } : { ...f.sshPeer, evidence: ev });
        if (peer !== null && closed.length > 0)
            return result(id, "fail", format(_("$0 does not let $1 reach $2"), zoneLabel(fw), peer, closed.join(", ")), ev,
                          commandFix(_("The first commands open the ports to the source now, the others keep them after a reload."),
                                     ...openToPeer(fw.zone, IpAddress.of(peer), closed)));
        if (wide.length > 0 && fw.target === "ACCEPT")
            return result(id, "warn", format(_("$0 accepts every connection (target ACCEPT): $1 are open to every address, not only to the source"), zoneLabel(fw), wide.join(", ")), ev);
        if (wide.length > 0) {
            const entries = wide.map(p => zoneWideEntries(p, fw));
            const close = (permanent: boolean) => [
                ...[...new Set(entries.flatMap(e => e.ports))].map(p => firewallRemovePort(fw.zone, portSpecOf(p), permanent)),
                ...[...new Set(entries.flatMap(e => e.services))].map(s => firewallRemoveService(fw.zone, s, permanent)),
            ];
            return result(id, "warn", format(_("$0 accepts $1 from every address, not only from the source"), zoneLabel(fw), wide.join(", ")), ev,
                          peer === null ? undefined
                              : commandFix(_("Opens the ports to the source only, then closes them to everyone else (now and permanently). Check first that nothing else needs them open."),
                                           ...openToPeer(fw.zone, IpAddress.of(peer), wide),
                                           ...close(false), ...close(true)));
        }
        return result(id, "pass", format(_("$0 accepts $1 from $2 only"), zoneLabel(fw), reach.map(r => r.port).join(", "), peer ?? ""), ev);
    },
};
