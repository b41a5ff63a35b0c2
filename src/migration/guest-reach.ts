/*
 * Whether the guest answers ping on its VF's network, seen from one host: the route that host takes to the address,
 * then three echo requests. Asked on this host before the migration (the VM runs here, its VF in this host's bridge)
 * and on the destination after it: an answer before and silence after, both over a network the host is on, is a
 * path cut on the destination, not a guest that drops ICMP echo.
 */
import { pingAddress } from "../host/commands/network";
import { ipRouteGet } from "../host/commands/ip";
import type { HostTransport } from "../host/transport";
import { IpAddress } from "../host/values";
import { _, format } from "../lib/cockpit";
import type { Evidence, Finding } from "../checks/types";
import { parse } from "../parsers";
import { commandEvidence } from "./evidence";

export interface GuestPing {
    address: string;
    host: string;
    /** when it was asked (ms since the epoch) */
    at: number;
    /**
     * answered / silent: ping ran and had a reply or none (its exit status 0 or 1, which does not depend on the host's
     * language); local: the address is the host's own; not-run: ping could not send (no route, …), `error` says why
     */
    result: "answered" | "silent" | "local" | "not-run";
    /** the interface the host reaches it through, and the gateway when it is not on a network of the host's */
    dev: string | null;
    gateway: string | null;
    error: string;
    evidence: Evidence[];
}

export async function pingGuest(t: HostTransport, address: string): Promise<GuestPing> {
    const ip = IpAddress.of(address);
    const at = Date.now();
    const rt = await t.run(ipRouteGet(ip));
    const parsed = rt.exitStatus === 0 ? parse("ip-route-get", rt.stdout) : null;
    const route = parsed?.ok ? parsed.value : null;
    const routeEv = commandEvidence(rt, [route ? [route.type === "local" ? "local" : "", route.gateway ? `via ${route.gateway}` : "", `dev ${route.dev}`].filter(Boolean).join(" ") : rt.stderr.trim()]);
    const base = { address: ip, host: t.host, at, dev: route?.dev ?? null, gateway: route?.gateway ?? null, error: "" };
    if (route?.type === "local")
        return { ...base, result: "local", evidence: [routeEv] };
    const r = await t.run(pingAddress(ip));
    const sum = parse("ping-summary", r.stdout);
    const evidence = [routeEv, commandEvidence(r, [sum.ok ? sum.value.line : (r.stderr.trim() || r.stdout.trim().split("\n").pop() || "")])];
    if (r.exitStatus === 0 || r.exitStatus === 1)
        return { ...base, result: r.exitStatus === 0 ? "answered" : "silent", evidence };
    return { ...base, result: "not-run", error: r.stderr.trim() || r.stdout.trim(), evidence };
}

/** What a departure note keeps of a ping from this host before the call: only one over a network this host is on. */
export interface ReachBefore {
    address: string;
    answered: boolean;
    /** when it was asked: the wizard keeps it, so that its verification takes this answer and no older note's */
    at: number;
}

export const reachBefore = (p: GuestPing): ReachBefore | null =>
    (p.result === "answered" || p.result === "silent") && p.dev !== null && !p.gateway ? { address: p.address, answered: p.result === "answered", at: p.at } : null;

/** An answer older than this is not "right before" the call: the migration keeps none. */
export const REACH_FRESH_MS = 5 * 60_000;

/** The ping from this host (where the VM runs) before the migration, as the migration stage shows it. */
export function reachFinding(p: GuestPing): Finding<"guest-reach-before"> {
    const f = (verdict: Finding["verdict"], summary: string): Finding<"guest-reach-before"> =>
        ({ id: "guest-reach-before", title: _("The guest answers on its VF's network here"), verdict, summary, evidence: p.evidence, details: [] });
    switch (p.result) {
    case "answered":
        if (p.dev === null)
            return f("warn", format(_("The guest at $0 answers ping from this host, but “ip route get” could not tell which way: after the migration, the destination's silence will not be compared with it"), p.address));
        return p.gateway
            ? f("warn", format(_("The guest at $0 answers ping from this host, through the gateway $1: after the migration, only an address on a network the destination is on can show its VF's path there"), p.address, p.gateway))
            : f("pass", format(_("The guest at $0 answers ping from this host: after the migration, the destination pings it too, and silence then means its VF's path there is cut"), p.address));
    case "silent":
        return f("warn", format(_("The guest at $0 does not answer ping from this host: it may drop ICMP echo, or the address is not its own. After the migration, silence from the destination will prove nothing."), p.address));
    case "local":
        return f("warn", format(_("$0 is an address of this host, not the guest's"), p.address));
    case "not-run":
        return f("warn", format(_("Ping of $0 could not run on this host: $1"), p.address, p.error));
    }
}
