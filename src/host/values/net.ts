/* Network values: host names and addresses, SSH user, TCP port, MAC address, netdev and OVS bridge names. */
import { _ } from "../../lib/cockpit";
import { Brand, Result, asString, err, valueError, hasControl, hasLoneSurrogate, ok, parseInteger, utf8Length, valueType } from "./common";

export type IPv4 = Brand<string, "IPv4">;
export type IPv6 = Brand<string, "IPv6">;
export type IpAddress = IPv4 | IPv6;
/** An RFC 1123 host name (lowercase), an IPv4 address or an IPv6 address (stored without brackets). */
export type Host = Brand<string, "Host">;
export type SshUser = Brand<string, "SshUser">;
export type Port = Brand<number, "Port">;
export type Mac = Brand<string, "Mac">;
export type Netdev = Brand<string, "Netdev">;
export type BridgeName = Brand<string, "BridgeName">;

function parseIPv4(s: string): string | null {
    const parts = s.split(".");
    if (parts.length !== 4 || !parts.every(p => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255))
        return null;
    return s;
}

/**
 * RFC 4291 text forms in; out in the one form URLs serialise (WHATWG): lowercase hex groups without leading
 * zeros, the first longest run of 2+ zero groups as "::", no dotted tail. No zone index ("%eth0").
 */
function parseIPv6(s: string): string | null {
    let hex = s;
    if (s.includes(".")) {
        const cut = s.lastIndexOf(":");
        const v4 = parseIPv4(s.slice(cut + 1));
        if (cut < 0 || v4 === null)
            return null;
        const b = v4.split(".").map(Number);
        hex = s.slice(0, cut + 1) + ((b[0] << 8) | b[1]).toString(16) + ":" + ((b[2] << 8) | b[3]).toString(16);
    }
    const halves = hex.split("::");
    if (halves.length > 2)
        return null;
    const groups = (h: string) => (h === "" ? [] : h.split(":"));
    const [left, right] = [groups(halves[0]), halves.length === 2 ? groups(halves[1]) : []];
    const all = [...left, ...right];
    if (!all.every(g => /^[0-9a-fA-F]{1,4}$/.test(g)))
        return null;
    if (halves.length === 2 ? all.length > 7 : all.length !== 8)
        return null;
    const words = [...left, ...Array(8 - all.length).fill("0"), ...right].map(g => parseInt(g, 16));
    let best = -1, bestLen = 1;
    for (let i = 0; i < 8;) {
        let j = i;
        while (j < 8 && words[j] === 0)
            j++;
        if (j - i > bestLen) {
            best = i; bestLen = j - i;
        }
        i = j === i ? i + 1 : j;
    }
    const h = (ws: number[]) => ws.map(w => w.toString(16)).join(":");
    return best < 0 ? h(words) : `${h(words.slice(0, best))}::${h(words.slice(best + bestLen))}`;
}

const hostLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const IpAddress = valueType<IpAddress>(input => {
    const s = asString("ip-address", input);
    if (!s.ok)
        return s;
    const v = s.value.startsWith("[") && s.value.endsWith("]") ? s.value.slice(1, -1) : s.value;
    const v4 = parseIPv4(v);
    if (v4 !== null)
        return ok(v4 as IpAddress);
    const v6 = parseIPv6(v);
    if (v6 !== null)
        return ok(v6 as IpAddress);
    return err(valueError("ip-address", "form", input, _("Address “$0” is not an IPv4 address (192.0.2.1) or an IPv6 address (2001:db8::1)")));
});

export const isIPv6 = (h: Host | IpAddress): boolean => h.includes(":");

export const Host = valueType<Host>(input => {
    const s = asString("host", input);
    if (!s.ok)
        return s;
    const ip = IpAddress.parse(s.value);
    if (ip.ok)
        return ok(ip.value as string as Host);
    const name = s.value.toLowerCase();
    const labels = name.split(".");
    if (name.length > 253 || !labels.every(l => hostLabel.test(l)))
        return err(valueError("host", "form", input,
                        _("Host “$0” is not a host name (letters, digits and '-' in dot-separated parts of at most 63 characters), an IPv4 or an IPv6 address")));
    if (/^[0-9]+$/.test(labels[labels.length - 1]))
        return err(valueError("host", "numeric", input, _("Host “$0” looks like an incomplete IPv4 address")));
    return ok(name as Host);
});

/** Host as it appears in a URI or in `[host]:port` forms: IPv6 in brackets. */
export const hostForUri = (h: Host | IpAddress): string => (isIPv6(h) ? `[${h}]` : h);

export const SshUser = valueType<SshUser>(input => {
    const s = asString("ssh-user", input);
    if (!s.ok)
        return s;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(s.value))
        return err(valueError("ssh-user", "form", input,
                        _("User name “$0” must start with a letter or '_' and contain only letters, digits, '_', '.' and '-' (at most 32)")));
    return ok(s.value as SshUser);
});

export const Port = valueType<Port>(input => {
    const n = parseInteger("port", input, 1, 65535, _("Port number"));
    return n.ok ? ok(n.value as Port) : n;
});

export const Mac = valueType<Mac>(input => {
    const s = asString("mac", input);
    if (!s.ok)
        return s;
    if (!/^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/.test(s.value))
        return err(valueError("mac", "form", input, _("MAC address “$0” is not of the form 52:54:00:12:34:56")));
    const mac = s.value.toLowerCase().replace(/-/g, ":");
    if (parseInt(mac.slice(0, 2), 16) & 1)
        return err(valueError("mac", "unicast", input, _("MAC address “$0” is a multicast address; a network interface needs a unicast one")));
    if (mac === "00:00:00:00:00:00")
        return err(valueError("mac", "zero", input, _("MAC address “$0” is all zeros")));
    return ok(mac as Mac);
});

/** Linux dev_valid_name(): 1–15 bytes, not "." or "..", no '/', ':' or white space; we also refuse control
 * characters and a leading '-' (it would read as an option). */
function netdevRule(field: string, label: string, input: unknown): Result<string> {
    const s = asString(field, input);
    if (!s.ok)
        return s;
    const v = s.value;
    if (v.length === 0 || utf8Length(v) > 15)
        return err(valueError(field, "length", input, _("$1 “$0” must be 1 to 15 bytes long"), label));
    if (v === "." || v === "..")
        return err(valueError(field, "dots", input, _("$1 “$0” cannot be '.' or '..'"), label));
    if (/[/:\s]/.test(v) || hasControl(v) || hasLoneSurrogate(v))
        return err(valueError(field, "characters", input, _("$1 “$0” cannot contain '/', ':', spaces or control characters"), label));
    if (v.startsWith("-"))
        return err(valueError(field, "dash", input, _("$1 “$0” cannot start with '-'"), label));
    return ok(v);
}

export const Netdev = valueType<Netdev>(input => netdevRule("netdev", _("Network interface name"), input) as Result<Netdev>);

/** An OVS bridge is also a kernel netdev (its internal port), so the netdev rules apply. */
export const BridgeName = valueType<BridgeName>(input => netdevRule("bridge", _("Bridge name"), input) as Result<BridgeName>);
