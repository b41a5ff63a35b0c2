/**
 * Small outputs of the status page's probe: find/grep/ls listings of sysfs, `virsh version`, `ip -o addr`,
 * `ss` connections, `systemctl show`, `firewall-cmd --list-all[-zones]`, /proc/cpuinfo's vendor line.
 */
import { type Line, contentLines, fail, failWhole, rejectControlChars, requireContent } from "./common";

/** `find …` printing one absolute path per line. */
export function parsePathList(text: string): { paths: string[] } {
    return {
        paths: contentLines(text).map(l => {
            if (!l.text.startsWith("/") || /[\u0000-\u001f]/.test(l.text)) // eslint-disable-line no-control-regex
                fail(l, "expected an absolute path");
            return l.text;
        }),
    };
}

/** `find <pf>/ -name 'virtfn*' -printf '%f %l\n'`: "virtfn0 ../0000:e1:00.1". */
export function parseVirtfnLinks(text: string): { vfs: { index: number; pci: string }[] } {
    const vfs = contentLines(text).map(l => {
        const m = /^virtfn(\d+) (?:\.\.\/)?([0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])$/.exec(l.text);
        if (!m)
            fail(l, "expected “virtfnN ../DDDD:BB:SS.F”");
        return { index: Number(m[1]), pci: m[2].toLowerCase() };
    });
    return { vfs: vfs.sort((a, b) => a.index - b.index) };
}

/** `grep -H . FILE…`: "path:value" per line. */
export function parseGrepValues(text: string): { values: Record<string, string> } {
    const values: Record<string, string> = {};
    for (const l of requireContent(text)) {
        // directories may hold colons (PCI addresses); the file name does not
        const m = /^(\/(?:.*\/)?[^/:]+):(.*)$/.exec(l.text);
        if (!m)
            fail(l, "expected “path:value”");
        values[m[1]] = m[2];
    }
    return { values };
}

/** `ls -1 DIR`: one name per line. */
export function parseNameLines(text: string): { names: string[] } {
    return {
        names: contentLines(text).map(l => {
            if (/[\s/\u0000-\u001f\u007f]/.test(l.text)) // eslint-disable-line no-control-regex
                fail(l, "expected one name per line");
            return l.text;
        }),
    };
}

export interface VirshVersion { library: string; hypervisor?: { name: string; version: string } }

/** `virsh version`: "Using library: libvirt 11.3.0" and "Running hypervisor: QEMU 10.0.2". */
export function parseVirshVersion(text: string): VirshVersion {
    let library: string | undefined;
    let hypervisor: VirshVersion["hypervisor"];
    for (const l of requireContent(text)) {
        const m = /^([A-Za-z ]+):\s+(\S+)\s+(\S+)$/.exec(l.text.trim());
        if (!m)
            fail(l, "expected “Label: name version”");
        if (m[1] === "Using library")
            library = m[3];
        else if (m[1] === "Running hypervisor")
            hypervisor = { name: m[2], version: m[3] };
    }
    if (!library)
        failWhole("no “Using library” line");
    return hypervisor ? { library, hypervisor } : { library };
}

/** `scope`: "global" for an address that carries traffic beyond the link, "link" (fe80::), "host" (lo); "" if not printed */
export interface IpAddressRecord { ifname: string; family: "inet" | "inet6"; address: string; prefix: number; scope: string }

/** `ip -o addr show`: "2: eth0    inet 192.0.2.1/24 brd … scope global eth0\       valid_lft …". */
export function parseIpAddrOneline(text: string): { addresses: IpAddressRecord[] } {
    return {
        addresses: contentLines(text).map(l => {
            const m = /^\d+:\s+(\S+?)\s+(inet6?)\s+([0-9a-fA-F:.]+)\/(\d+)\s/.exec(l.text);
            if (!m)
                fail(l, "expected “N: ifname inet ADDR/PREFIX …”");
            const scope = /\sscope (\S+)/.exec(l.text)?.[1] ?? "";
            return { ifname: m[1], family: m[2] as "inet" | "inet6", address: m[3].toLowerCase(), prefix: Number(m[4]), scope };
        }),
    };
}

export interface MgmtRoute { local: string; localPort: number; peer: string; peerPort: number; process?: string; dev: string | null }

/** src/rules/mgmt.ts vfm_mgmt_routes: "LOCAL LPORT PEER PPORT PROCESS DEV" per management connection ("-": not said). */
export function parseMgmtRoutes(text: string): { routes: MgmtRoute[] } {
    return {
        routes: contentLines(text).map(l => {
            const t = l.text.trim().split(/\s+/);
            if (t.length !== 6 || !/^[0-9a-fA-F:.]+$/.test(t[0]) || !/^[0-9a-fA-F:.]+$/.test(t[2]) || !/^\d+$/.test(t[1]) || !/^\d+$/.test(t[3]))
                fail(l, "expected “LOCAL LPORT PEER PPORT PROCESS DEV”");
            return {
                local: t[0].toLowerCase(), localPort: Number(t[1]), peer: t[2].toLowerCase(), peerPort: Number(t[3]),
                ...(t[4] !== "-" ? { process: t[4] } : {}), dev: t[5] === "-" ? null : t[5],
            };
        }),
    };
}

/** `systemctl show -p … UNIT…`: blocks of key=value separated by blank lines. */
export function parseSystemctlShow(text: string): { units: Record<string, string>[] } {
    const units: Record<string, string>[] = [];
    let cur: Record<string, string> | null = null;
    for (const raw of text.split("\n").map((t, i) => ({ no: i + 1, text: t }))) {
        if (raw.text.trim() === "") {
            cur = null;
            continue;
        }
        const i = raw.text.indexOf("=");
        // systemd property names are plain identifiers: anything else is not systemctl's output
        if (i <= 0 || !/^[A-Za-z][A-Za-z0-9]*$/.test(raw.text.slice(0, i)))
            fail(raw, "expected “Key=value”");
        if (!cur)
            units.push(cur = {});
        cur[raw.text.slice(0, i)] = raw.text.slice(i + 1);
    }
    if (units.length === 0)
        failWhole("empty output");
    return { units };
}

export interface FirewallZone { zone: string; active: boolean; fields: Record<string, string[]> }

/*
 * A zone's head line: firewalld 1.3 (RHEL 9) prints "public (active)"; later releases add the default mark first,
 * "public (default, active)" (firewall/command.py print_zone_policy_info). The order is not relied upon.
 */
const ZONE_HEAD = /^([A-Za-z0-9_+-]+)(?: \(((?:default|active)(?:, (?:default|active))?)\))?$/;

function parseZone(lines: Line[]): FirewallZone {
    const head = ZONE_HEAD.exec(lines[0].text);
    if (!head)
        fail(lines[0], "expected the zone name");
    const fields: Record<string, string[]> = {};
    let last: string | null = null;
    for (const l of lines.slice(1)) {
        if (l.text.startsWith("\t") && last !== null && (last === "rich rules" || last === "forward-ports")) {
            rejectControlChars({ no: l.no, text: l.text.slice(1) });
            fields[last].push(l.text.slice(1).trim());
            continue;
        }
        const m = /^\s+([a-z -]+):(.*)$/.exec(l.text);
        if (!m)
            fail(l, "expected “  key: values”");
        last = m[1];
        fields[m[1]] = m[2].trim() === "" ? [] : m[2].trim().split(/\s+/);
    }
    return { zone: head[1], active: (head[2] ?? "").includes("active"), fields };
}

/**
 * `firewall-cmd --list-all-zones`: per zone, "public (active)" then "  key: value …" lines, and a blank line. Rich
 * rules and forward ports follow their key one per line, each after a tab (firewalld's firewall/command.py
 * print_zone_policy_info): such a field holds one item per line, the whole line.
 */
export function parseFirewallListAllZones(text: string): { zones: FirewallZone[] } {
    const blocks: Line[][] = [];
    for (const l of requireContent(text)) {
        if (/^\S/.test(l.text))
            blocks.push([l]);
        else if (blocks.length === 0)
            fail(l, "expected the zone name");
        else
            blocks[blocks.length - 1].push(l);
    }
    return { zones: blocks.map(parseZone) };
}

/** `grep -m 1 ^vendor_id /proc/cpuinfo`. */
export function parseCpuVendor(text: string): { vendor: "intel" | "amd" | "other"; raw: string } {
    const lines = requireContent(text);
    const m = /^vendor_id\s*:\s*(\S+)$/.exec(lines[0].text);
    if (!m)
        fail(lines[0], "expected “vendor_id : …”");
    const vendor = m[1] === "GenuineIntel" ? "intel" : m[1] === "AuthenticAMD" ? "amd" : "other";
    return { vendor, raw: m[1] };
}
