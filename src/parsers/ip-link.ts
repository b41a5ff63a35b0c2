/**
 * `ip -d link show [dev X]` (text). Per interface: "N: name[@parent]: <FLAGS> mtu 1500 ... state UP ...", then
 * indented detail lines: "link/ether <mac> brd <mac> ... portname pf0vf0 switchid ... parentbus pci parentdev
 * 0000:01:00.0", "vf 0 link/ether ...", "altname ...", driver-specific lines. In switchdev mode the uplink and
 * VF representors share `switchid`; a representor's portname is "pf<P>vf<V>", the uplink's "p<P>".
 */
import { contentLines, fail } from "./common";

export interface IpLinkVf {
    vf: number;
    mac?: string;
    /** The rest of the line, as printed (spoof checking, link-state, trust ...). */
    details: string;
}

export interface IpLink {
    ifindex: number;
    name: string;
    /** "name@parent" (VLANs, veths). */
    parent?: string;
    flags: string[];
    /** Administratively up (UP flag). */
    up: boolean;
    /** Carrier present (LOWER_UP flag). */
    lowerUp: boolean;
    /** "state UP|DOWN|UNKNOWN|LOWERLAYERDOWN ..." */
    operState?: string;
    mtu?: number;
    master?: string;
    linkType?: string;
    mac?: string;
    portName?: string;
    switchId?: string;
    parentBus?: string;
    parentDev?: string;
    altNames: string[];
    vfs: IpLinkVf[];
    /** Other detail lines, trimmed, as printed. */
    details: string[];
}

export interface IpLinkList {
    links: IpLink[];
}

const HEAD = /^([0-9]+): ([^\s:@]+)(?:@([^\s:]+))?: <([A-Z0-9_,-]*)>(.*)$/;

function valueAfter(tokens: string[], key: string): string | undefined {
    const i = tokens.indexOf(key);
    return i >= 0 && i + 1 < tokens.length ? tokens[i + 1] : undefined;
}

export function parseIpLink(text: string): IpLinkList {
    const links: IpLink[] = [];
    for (const line of contentLines(text)) {
        const h = HEAD.exec(line.text);
        if (h) {
            const flags = h[4] === "" ? [] : h[4].split(",");
            const rest = h[5].trim().split(/\s+/);
            const link: IpLink = {
                ifindex: Number(h[1]), name: h[2], flags, up: flags.includes("UP"), lowerUp: flags.includes("LOWER_UP"),
                altNames: [], vfs: [], details: [],
            };
            if (h[3] !== undefined) link.parent = h[3];
            const mtu = valueAfter(rest, "mtu");
            if (mtu !== undefined) {
                if (!/^[0-9]+$/.test(mtu)) fail(line, `mtu "${mtu}" is not a number`);
                link.mtu = Number(mtu);
            }
            const state = valueAfter(rest, "state");
            if (state !== undefined) link.operState = state;
            const master = valueAfter(rest, "master");
            if (master !== undefined) link.master = master;
            links.push(link);
            continue;
        }
        const cur = links[links.length - 1];
        if (!cur || !/^\s/.test(line.text))
            fail(line, 'expected "N: name: <FLAGS> ..." or an indented detail line');
        const t = line.text.trim();
        const tokens = t.split(/\s+/);
        let m: RegExpExecArray | null;
        if ((m = /^link\/(\S+)(?: (\S+))?/.exec(t)) && cur.linkType === undefined) {
            cur.linkType = m[1];
            if (m[2] !== undefined && m[2] !== "brd") cur.mac = m[2].toLowerCase();
            const v = (k: string) => valueAfter(tokens, k);
            if (v("portname") !== undefined) cur.portName = v("portname");
            if (v("switchid") !== undefined) cur.switchId = v("switchid");
            if (v("parentbus") !== undefined) cur.parentBus = v("parentbus");
            if (v("parentdev") !== undefined) cur.parentDev = v("parentdev");
        } else if ((m = /^vf ([0-9]+)\s+(?:link\/\S+ (\S+)\s*)?(.*)$/.exec(t))) {
            cur.vfs.push({ vf: Number(m[1]), ...(m[2] !== undefined ? { mac: m[2].toLowerCase() } : {}), details: m[3] });
        } else if ((m = /^altname (\S+)$/.exec(t))) {
            cur.altNames.push(m[1]);
        } else {
            cur.details.push(t);
        }
    }
    return { links };
}

