/*
 * One firewalld rich rule as `firewall-cmd --list-all` prints it (firewalld's own normalised form, rich.py
 * Rich_Rule.__str__): `rule [priority="N"] [family="ipv4|ipv6"] [source [NOT] address="A"] [destination …]
 * [port port="P[-Q]" protocol="tcp"] [log …] [audit …] accept|reject|drop|mark …`. Only what decides whether the
 * rule lets a peer reach a port is read; a rule with other elements (service, forward-port, masquerade …) is
 * reported as `other`.
 */

export interface RichRule {
    family: "ipv4" | "ipv6" | null;
    /** source address (or network "A/N"), null when the rule has no source */
    source: { address: string; invert: boolean } | null;
    hasDestination: boolean;
    port: { from: number; to: number; protocol: string } | null;
    action: "accept" | "reject" | "drop" | "other";
    /** an element this reader does not look at (service, forward-port, icmp, masquerade …) */
    other: boolean;
}

/** The words of a rule: bare words and key="value" pairs, in order. */
function tokens(text: string): { key: string; value?: string }[] | null {
    const out: { key: string; value?: string }[] = [];
    const re = /\s*([A-Za-z-]+)(?:="([^"]*)"|=([^\s"]+))?/y;
    let i = 0;
    while (i < text.length) {
        if (/^\s*$/.test(text.slice(i)))
            break;
        re.lastIndex = i;
        const m = re.exec(text);
        if (!m)
            return null;
        out.push(m[2] !== undefined || m[3] !== undefined ? { key: m[1], value: m[2] ?? m[3] } : { key: m[1] });
        i = re.lastIndex;
    }
    return out;
}

/** The rule's meaning, or null when the text is not a rich rule. */
export function parseRichRule(text: string): RichRule | null {
    const t = tokens(text);
    if (!t || t.length === 0 || t[0].key !== "rule" || t[0].value !== undefined)
        return null;
    const r: RichRule = { family: null, source: null, hasDestination: false, port: null, action: "other", other: false };
    for (let i = 1; i < t.length; i++) {
        const { key, value } = t[i];
        const next = t[i + 1];
        if (key === "family" && (value === "ipv4" || value === "ipv6")) {
            r.family = value;
        } else if (key === "priority" && value !== undefined) {
            // order only
        } else if (key === "source" || key === "destination") {
            let invert = false;
            if (next?.key === "NOT") {
                invert = true;
                i++;
            }
            const what = t[i + 1];
            if (!what?.value)
                return null;
            i++;
            if (key === "destination")
                r.hasDestination = true;
            else if (what.key === "address")
                r.source = { address: what.value, invert };
            else
                r.other = true; // mac=, ipset=
        } else if (key === "port") {
            const p = t[i + 1], proto = t[i + 2];
            const m = p?.key === "port" && p.value ? /^(\d+)(?:-(\d+))?$/.exec(p.value) : null;
            if (!m || proto?.key !== "protocol" || !proto.value)
                return null;
            r.port = { from: Number(m[1]), to: Number(m[2] ?? m[1]), protocol: proto.value };
            i += 2;
        } else if (key === "accept" || key === "reject" || key === "drop") {
            r.action = key;
        } else if (key === "log" || key === "audit" || key === "nflog" || key === "limit" || key === "burst" ||
                   key === "prefix" || key === "level" || key === "type" || key === "group" || key === "queue-size") {
            // logging and limits do not change who may connect
        } else {
            r.other = true;
        }
    }
    return r;
}
