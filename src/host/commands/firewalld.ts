/*
 * firewalld (firewall-cmd): its state, its zones, and rich rules that let one peer reach one TCP port or range, and
 * nothing else (the migration ports are opened to the source's address only). The rule text is firewalld's
 * normalised form (rich.py Rich_Rule.__str__), so `--list-all` prints it back unchanged and `--query-rich-rule`
 * finds it.
 */
import { Argv, makeArgv } from "../argv";
import { IpAddress, Port, isIPv6 } from "../values";

export type PortSpec = Port | { from: Port; to: Port };

/** "49152" or "49152-49215" */
function portText(p: PortSpec): string {
    if (typeof p === "object") {
        const from = Port.of(p.from), to = Port.of(p.to);
        if (from > to)
            throw new Error("port range upside down");
        return `${from}-${to}`;
    }
    return String(Port.of(p));
}
const perm = (permanent: boolean) => (permanent ? ["--permanent"] : []);

/** A firewalld zone name as firewall-cmd prints it (letters, digits, "_", "-", "+"). */
export function isZoneName(zone: string): boolean {
    return /^[A-Za-z0-9_+-]{1,32}$/.test(zone);
}
/**
 * Rules go to the zone the page read and judged, never to whatever the default zone is when they run; null (the
 * zones could not be read) leaves the choice to firewalld: its default zone.
 */
function zoneArg(zone: string | null): string[] {
    if (zone === null)
        return [];
    if (!isZoneName(zone))
        throw new Error("firewall-cmd: not a zone name");
    return [`--zone=${zone}`];
}

export const firewallState = (): Argv => makeArgv("firewall-cmd", "--state");
export const firewallListAllZones = (): Argv => makeArgv("firewall-cmd", "--list-all-zones");
export const firewallDefaultZone = (): Argv => makeArgv("firewall-cmd", "--get-default-zone");

/** `rule family="ipv4" source address="192.0.2.1" port port="49152-49215" protocol="tcp" accept` */
export function peerPortRule(peer: IpAddress, port: PortSpec): string {
    const a = IpAddress.of(peer);
    return `rule family="${isIPv6(a) ? "ipv6" : "ipv4"}" source address="${a}" port port="${portText(port)}" protocol="tcp" accept`;
}
/** changes */
export const firewallAddRichRule = (zone: string | null, peer: IpAddress, port: PortSpec, permanent: boolean): Argv =>
    makeArgv("firewall-cmd", ...perm(permanent), ...zoneArg(zone), `--add-rich-rule=${peerPortRule(peer, port)}`);
/** changes */
export const firewallRemoveRichRule = (zone: string | null, peer: IpAddress, port: PortSpec, permanent: boolean): Argv =>
    makeArgv("firewall-cmd", ...perm(permanent), ...zoneArg(zone), `--remove-rich-rule=${peerPortRule(peer, port)}`);
/** exit 0 and "yes" when the rule is in the zone's runtime configuration, 1 and "no" when not */
export const firewallQueryRichRule = (zone: string | null, peer: IpAddress, port: PortSpec): Argv =>
    makeArgv("firewall-cmd", ...zoneArg(zone), `--query-rich-rule=${peerPortRule(peer, port)}`);
/** changes: a firewalld service (e.g. libvirt-tls) that opens a migration port to every address */
export const firewallRemoveService = (zone: string | null, service: string, permanent: boolean): Argv => {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(service))
        throw new Error("firewallRemoveService: not a service name");
    return makeArgv("firewall-cmd", ...perm(permanent), ...zoneArg(zone), `--remove-service=${service}`);
};
/** changes: a port opened to every address (`--add-port`), which the page replaces with a rule for the peer only */
export const firewallRemovePort = (zone: string | null, p: PortSpec, permanent: boolean): Argv =>
    makeArgv("firewall-cmd", ...perm(permanent), ...zoneArg(zone), `--remove-port=${portText(p)}/tcp`);
