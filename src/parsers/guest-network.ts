/**
 * What the guest's network answers: the addresses `virsh domifaddr --full` prints per interface, and the summary
 * line of iputils' `ping`.
 */
import { contentLines, fail, failWhole, isObject, jsonString, parseJson, tokens } from "./common";

export interface GuestAddress {
    iface: string;
    mac: string;
    family: "ipv4" | "ipv6";
    address: string;
    prefix: number;
}

/*
 * libvirt tools/virsh-domain-monitor.c, cmdDomIfAddr: a header, a dashed line, then per address
 * " NAME MAC    ipv4|ipv6 ADDRESS/PREFIX" (with --full the name and MAC on every line; the MAC empty when the agent
 * gives none), or "N/A" three times for an interface without address. No real capture of it is in ../shared/formats.
 */
export function parseDomIfAddr(text: string): { addresses: GuestAddress[] } {
    const lines = contentLines(text);
    // the header is translated in the admin's language: what comes before the dashed line
    const dash = lines.findIndex(l => /^\s*-{10,}\s*$/.test(l.text));
    if (dash < 0)
        failWhole("no dashed line under the header");
    const addresses: GuestAddress[] = [];
    for (const l of lines.slice(dash + 1)) {
        const t = tokens(l.text);
        // an interface the agent reports without a hardware address (libvirt prints it empty): no MAC to match
        if (t.length === 3 && (t[1] === "ipv4" || t[1] === "ipv6"))
            continue;
        if (t.length !== 4)
            fail(l, "expected “NAME MAC ipv4|ipv6 ADDRESS/PREFIX”");
        const [iface, mac, family, cidr] = t;
        if (family === "N/A")
            continue;
        const m = /^([0-9a-fA-F.:]+)\/(\d{1,3})$/.exec(cidr);
        if ((family !== "ipv4" && family !== "ipv6") || !m || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac))
            fail(l, "expected “NAME MAC ipv4|ipv6 ADDRESS/PREFIX”");
        addresses.push({ iface, mac: mac.toLowerCase(), family, address: m[1], prefix: Number(m[2]) });
    }
    return { addresses };
}

/** iputils ping's "3 packets transmitted, 3 received, …" line (also "+N errors", "+N duplicates" inside it). */
export function parsePingSummary(text: string): { transmitted: number; received: number; line: string } {
    const m = /^(\d+) packets transmitted, (\d+) received\b.*$/m.exec(text);
    if (!m)
        failWhole("no “N packets transmitted, N received” line");
    return { transmitted: Number(m[1]), received: Number(m[2]), line: m[0].trim() };
}

/**
 * `ip -j route get ADDR`: the interface the host would send on, the gateway when not on a network of its own, and the
 * route's type ("local" for one of the host's own addresses; absent, i.e. unicast, otherwise).
 */
export function parseRouteGet(text: string): { dev: string; gateway: string | null; type: string | null } {
    const v = parseJson(text);
    const first = Array.isArray(v) ? v[0] : undefined;
    if (!isObject(first))
        failWhole("expected a JSON list of routes");
    return {
        dev: jsonString(first.dev, "[0].dev"),
        gateway: first.gateway === undefined ? null : jsonString(first.gateway, "[0].gateway"),
        type: first.type === undefined ? null : jsonString(first.type, "[0].type"),
    };
}
