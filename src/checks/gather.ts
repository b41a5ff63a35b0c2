/*
 * Turns the probe's records into HostFacts. Pure: the same records always give the same facts.
 * A command that did not run, failed, or printed what its parser did not expect makes its facts unknown,
 * with the reason and the raw output as evidence.
 */
import { bridgePortsOf, portVlanOf } from "../rules/ovs";
import { _, format } from "../lib/cockpit";
import { findPhysicalPort, findVfPort, parse, type Tool, type ToolValues } from "../parsers";
import { IpAddress } from "../host/values";
import type { DevlinkPortRecord, IpLink, NmProfile } from "../parsers";
import { type ProbeItem, mstconfigPfOf } from "./plan";
import { DevlinkPort as PortHandle, DriverName, Host, HostText, Netdev, PciAddress, Word, sameDevice } from "../host/values";
import { checkedFact, firstRefusal, knownChecked, refusal, validOnly, validOrNull } from "./gather-checked";
import type { HostFacts, NicFacts, VfFacts } from "./facts";
import { type CommandEvidence, type Evidence, type Fact, known, unknown } from "./types";
import { stillReading } from "./reading";
import { zoneOfPeer } from "./migration-ports";
import { isZoneName } from "../host/commands/firewalld";

export const CX7_DEVICE_ID = "1021";

export interface ProbeOutcome {
    host: string;
    items: readonly ProbeItem[];
    /** in plan order; shorter than items when the probe stopped early */
    records: readonly CommandEvidence[];
    /** why the records stop early */
    problem?: string;
    /** the keys of commands whose answer has not come yet (their facts are stillReading) */
    reading?: readonly string[];
}

type Records = Map<string, CommandEvidence>;

function evidence(c: CommandEvidence, lines: string[] = []): Evidence {
    return { command: c, lines };
}

function firstLine(s: string): string {
    return s.split("\n").find(l => l.trim() !== "")?.trim() ?? "";
}

/** `bash -c SCRIPT NAME ARG…`: a fixed script, named in messages by its name (its text is in the evidence). */
const isScript = (argv: readonly string[]) => argv.length >= 4 && (argv[0] === "bash" || argv[0] === "sh") && argv[1] === "-c";
const labelOf = (argv: readonly string[]) => (isScript(argv) ? argv[3] : argv[0]);

class Reader {
    readonly recs: Records = new Map();

    constructor(readonly outcome: ProbeOutcome) {
        outcome.items.forEach((it, i) => {
            const r = outcome.records[i];
            if (r)
                this.recs.set(it.key, r);
        });
    }

    /** The command's record, or the reason it is missing. */
    record(key: string): CommandEvidence | string {
        return this.recs.get(key) ??
            format(_("the probe stopped before this command ($0)"), this.outcome.problem ?? _("no output"));
    }

    /** Parsed output of a command that exited 0 (or with a status in `okStatus`). A fixed script is named by its name. */
    parsed<T extends Tool, R>(key: string, tool: T, map: (v: ToolValues[T], c: CommandEvidence) => R,
                              lines?: (v: ToolValues[T]) => string[], okStatus: number[] = [0]): Fact<R> {
        if (this.outcome.reading?.includes(key))
            return stillReading();
        const c = this.record(key);
        if (typeof c === "string")
            return unknown(c);
        if (c.stoppedAfterS !== undefined)
            return unknown(format(_("“$0” did not finish within $1 seconds and was stopped"), labelOf(c.argv), c.stoppedAfterS), evidence(c));
        if (c.exitStatus === null || !okStatus.includes(c.exitStatus))
            return unknown(format(_("“$0” failed: $1"), isScript(c.argv) ? labelOf(c.argv) : c.argv.join(" "),
                                  firstLine(c.stderr) || format(_("exit status $0"), c.exitStatus ?? "?")), evidence(c));
        // a cut output may parse, but what is missing could change the verdict
        if (c.truncated?.stdout)
            return unknown(c.outputLimit
                ? format(_("the output of “$0” was longer than the $1 MiB read and was cut"), labelOf(c.argv), Math.round(c.outputLimit / 1048576 * 10) / 10)
                : format(_("the output of “$0” was cut"), labelOf(c.argv)), evidence(c));
        const p = parse(tool, c.stdout);
        if (!p.ok)
            return unknown(p.error.line
                ? format(_("line $0 of “$1” was not understood: $2"), p.error.line, labelOf(c.argv), p.error.text)
                : format(_("the output of “$0” was not understood ($1)"), labelOf(c.argv), p.error.message), evidence(c));
        const v = p.value as ToolValues[T];
        return known(map(v, c), evidence(c, lines ? lines(v) : []));
    }

    /** The exit status alone answers: 0 → yes. */
    succeeded(key: string): Fact<boolean> {
        const c = this.record(key);
        if (typeof c === "string")
            return unknown(c);
        if (c.exitStatus === 127 || c.exitStatus === null)
            return unknown(format(_("“$0” could not run"), c.argv[0]), evidence(c));
        return known(c.exitStatus === 0, evidence(c, [firstLine(c.stdout) || firstLine(c.stderr)]));
    }
}

/** The ConnectX-7 PFs an lspci record lists (its VFs are 15b3:101e and are not PFs). */
export function discoveredPfs(lspci: CommandEvidence | undefined): string[] {
    if (!lspci || lspci.exitStatus !== 0)
        return [];
    const p = parse("lspci", lspci.stdout);
    return p.ok ? validOnly(PciAddress, p.value.devices.filter(d => d.vendorId === "15b3" && d.deviceId === CX7_DEVICE_ID).map(d => d.address)) : [];
}

function drivers(r: Reader): Map<string, string> {
    const f = r.parsed("drivers", "path-list", v => v.paths);
    const out = new Map<string, string>();
    if (f.known)
        for (const p of f.value) {
            const m = /\/drivers\/([^/]+)\/([^/]+)$/.exec(p);
            const [pci, driver] = m ? [validOrNull(PciAddress, m[2]), validOrNull(DriverName, m[1])] : [null, null];
            if (pci && driver)
                out.set(pci, driver);
        }
    return out;
}

function iommuGroups(r: Reader): Map<string, string[]> {
    const f = r.parsed("iommu-groups", "path-list", v => v.paths);
    const byGroup = new Map<string, string[]>();
    if (f.known)
        for (const p of f.value) {
            const m = /iommu_groups\/([0-9]{1,9})\/devices\/([^/]+)$/.exec(p);
            const pci = m && validOrNull(PciAddress, m[2]);
            if (m && pci)
                byGroup.set(m[1], [...(byGroup.get(m[1]) ?? []), pci]);
        }
    return byGroup;
}

/**
 * The PF's own netdev: the one its devlink uplink port (flavour physical) names, else the one ip link shows with
 * this PF as parent and a port name p<N> (phys_port_name; a representor's is pf<P>vf<V>). Otherwise (neither in
 * legacy mode on RHEL kernels; an InfiniBand uplink names an ibdev, its IPoIB interface being in the folder) the
 * first name in the PF's net/ folder that is no VF's representor: the folder holds every representor too, and an
 * admin's rename can sort one first (review R3). The lock-out guards watch this interface, so it is never left out.
 */
function pfNetdev(r: Reader, pf: string, ports: readonly DevlinkPortRecord[], uplinks: ReadonlyMap<string, string>): string | null {
    const physical = findPhysicalPort(ports, pf);
    if (physical?.netdev !== undefined)
        return validOrNull(Netdev, physical.netdev);
    const named = uplinks.get(pf);
    if (named !== undefined)
        return validOrNull(Netdev, named);
    const names = r.parsed(`${pf}/net`, "name-lines", v => v.names);
    const representors = new Set(ports.map(p => p.netdev));
    const own = names.known ? names.value.filter(n => !representors.has(n)) : [];
    return own.length ? validOrNull(Netdev, own[0]) : null;
}

function nicFacts(r: Reader, pf: string, ctx: {
    pfs: string[]; drivers: Map<string, string>; groups: Map<string, string[]>; ports: Fact<DevlinkPortRecord[]>; links: Map<string, boolean>;
    /** ip link's link type of each interface ("ether", "infiniband"), with the evidence */
    linkTypes: Fact<Map<string, string>>;
    /** ip link's MTU of each interface, with the evidence */
    mtus: Fact<Map<string, number>>;
    /** PF address → the interface ip link shows with it as parent and a port name p<N> */
    uplinks: ReadonlyMap<string, string>;
}): NicFacts {
    const sriov = r.parsed(`${pf}/sriov`, "grep-values", v => v.values);
    const count = (attr: string) => {
        if (!sriov.known)
            return null;
        const e = Object.entries(sriov.value).find(([k]) => k.endsWith(`/${attr}`));
        return e && /^\d+$/.test(e[1].trim()) ? Number(e[1]) : null;
    };
    const virtfns = r.parsed(`${pf}/virtfn`, "virtfn-links", v => v.vfs);
    const ports = ctx.ports.known ? ctx.ports.value : [];
    const netdev = pfNetdev(r, pf, ports, ctx.uplinks);
    const vfs: VfFacts[] = (virtfns.known ? virtfns.value : []).flatMap(({ index, pci: raw }) => {
        const pci = validOrNull(PciAddress, raw);
        if (!pci)
            return [];
        const group = [...ctx.groups].find(([, members]) => members.includes(pci));
        const port = findVfPort(ports, pf, index);
        const handle = port && validOrNull(PortHandle, port.handle);
        const rep = port?.netdev !== undefined ? validOrNull(Netdev, port.netdev) : null;
        const hwAddr = port?.function?.hwAddr;
        return [{
            index,
            pci,
            driver: ctx.drivers.get(pci) ?? "none",
            iommuGroup: group ? group[0] : null,
            iommuGroupMembers: group ? group[1] : [],
            port: handle ? {
                handle, migratable: port?.function?.migratable ?? null, netdev: rep,
                hwAddr: hwAddr && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(hwAddr) ? hwAddr.toLowerCase() : null,
            } : null,
            representor: handle ? rep : null,
            representorUp: handle && rep && ctx.links.has(rep) ? ctx.links.get(rep) ?? null : null,
            usedBy: null,
        }];
    });
    const eswitch = checkedFact(r.parsed(`${pf}/eswitch`, "devlink-eswitch", v => v.devices.find(d => d.handle === `pci/${pf}`)?.mode ?? "unknown"),
                                v => refusal(Word, v));
    const info = r.parsed(`${pf}/info`, "devlink-dev-info", v => v.devices.find(d => d.handle === `pci/${pf}`),
                          v => { const d = v.devices[0]; return d ? [`fw.version ${d.fwVersionRunning ?? "?"}`, `fw.psid ${d.psid ?? "?"}`] : [] });
    const firmware: NicFacts["firmware"] = !info.known ? info
        : info.value?.fwVersionRunning
            ? knownChecked({ version: info.value.fwVersionRunning, psid: info.value.psid ?? null },
                           firstRefusal([[Word, info.value.fwVersionRunning], ...(info.value.psid ? [[Word, info.value.psid] as [typeof Word, string]] : [])]),
                           ...info.evidence)
            : unknown(_("devlink dev info shows no running firmware version"), ...info.evidence);
    // one query per adapter: the second port reads the first one's (plan.ts mstconfigPfOf)
    const mst = r.parsed(`${mstconfigPfOf(pf, ctx.pfs)}/mstconfig`, "mstconfig-query-e", v => v);
    const params: NicFacts["params"] = !mst.known ? mst
        : mst.value.kind === "error"
            ? unknown(format(_("mstconfig: $0"), mst.value.message), ...mst.evidence)
            : knownChecked(Object.fromEntries(Object.entries(mst.value.params).map(([name, p]) =>
                [name, { name, current: p.current.raw, nextBoot: p.nextBoot.raw }])),
                           firstRefusal(Object.entries(mst.value.params).flatMap(([name, p]) =>
                               [[Word, name], [HostText, p.current.raw], [HostText, p.nextBoot.raw]] as [typeof Word, string][])),
                           ...mst.evidence);
    const vfPorts = ports.filter(p => p.flavour === "pcivf" && p.dev.handle === `pci/${pf}`);
    const migratableSupported: Fact<boolean> = !ctx.ports.known ? ctx.ports
        : vfPorts.length === 0 ? unknown(_("no VF port to look at yet"), ...ctx.ports.evidence)
            : known(vfPorts.some(p => p.function?.migratable !== undefined), ...ctx.ports.evidence);
    // devlink lists the uplink port in switchdev mode only (RHEL kernels): in legacy mode, the PF interface's link type
    const uplink = findPhysicalPort(ports, pf);
    const ipType = netdev && ctx.linkTypes.known ? ctx.linkTypes.value.get(netdev) : undefined;
    const linkType: Fact<string> = ctx.ports.known && uplink?.type ? known(uplink.type, ...ctx.ports.evidence)
        : ipType === "ether" || ipType === "infiniband" ? known(ipType === "ether" ? "eth" : "ib", ...ctx.linkTypes.evidence)
            : unknown(_("Neither devlink nor ip link shows what the adapter's port runs"), ...ctx.ports.evidence, ...ctx.linkTypes.evidence);
    // the profile on the PF's own interface (its representors may have none, or NetworkManager's own)
    const nmRec = r.recs.get(`${pf}/nm`);
    // nmcli's exit status 8 (src/nmcli/nmcli.h NMC_RESULT_ERROR_NM_NOT_RUNNING)
    const nm: Fact<NmProfile | null> = nmRec?.exitStatus === 8
        ? unknown(_("NetworkManager is not running"), evidence(nmRec))
        : checkedFact(r.parsed(`${pf}/nm`, "nm-pf-profiles", v => v.profiles.find(p => p.dev === netdev) ?? null),
                      p => (p ? firstRefusal([[Word, p.uuid], [HostText, p.file]]) : null));
    const pfMtu = netdev && ctx.mtus.known ? ctx.mtus.value.get(netdev) : undefined;
    const mtu: Fact<number> = pfMtu !== undefined ? known(pfMtu, ...ctx.mtus.evidence)
        : unknown(_("ip link does not show the PF interface's MTU"), ...ctx.mtus.evidence);
    return {
        pci: pf,
        // the functions of one slot are its ports in order (function 0: port 1), as LINK_TYPE_P1/P2 number them
        port: 1 + ctx.pfs.filter(p => p < pf && sameDevice(p, pf)).length,
        deviceId: CX7_DEVICE_ID,
        netdev,
        mtu,
        linkUp: netdev && ctx.links.has(netdev) ? ctx.links.get(netdev) ?? null : null,
        addresses: netdev ? globalAddresses(r, netdev) : null,
        firmware,
        params,
        eswitchMode: eswitch,
        totalVfs: count("sriov_totalvfs"),
        numVfs: count("sriov_numvfs"),
        vfs,
        migratableSupported,
        linkType,
        nm,
    };
}

/** An interface's addresses of scope global, as "ADDR/PREFIX"; null when `ip -o addr` could not be read. */
function globalAddresses(r: Reader, ifname: string): string[] | null {
    const addrs = r.parsed("ip-addr", "ip-addr", v => v.addresses);
    return addrs.known ? addrs.value.filter(a => a.ifname === ifname && a.scope === "global")
            .map(a => `${a.address}/${a.prefix}`).filter(a => HostText.parse(a).ok) : null;
}

function nicsEvidence(r: Reader, pfs: string[]): Evidence[] {
    const keys = ["lspci", "drivers", "iommu-groups", "ip-link", "devlink-ports", ...pfs.flatMap(pf => [`${pf}/sriov`, `${pf}/virtfn`, `${pf}/net`])];
    return keys.map(k => r.recs.get(k)).filter((c): c is CommandEvidence => !!c).map(c => evidence(c));
}

/**
 * The interfaces that carry the host's management connections (src/rules/mgmt.ts): the one the kernel routes each
 * through (vfm_mgmt_routes), else the one that holds its local address.
 */
function managementInterfaces(r: Reader): Fact<string[]> {
    const routes = r.parsed("mgmt-routes", "mgmt-routes", v => v.routes);
    const addrs = r.parsed("ip-addr", "ip-addr", v => v.addresses);
    if (!routes.known)
        return routes;
    const unrouted = routes.value.some(c => c.dev === null);
    if (unrouted && !addrs.known)
        return addrs;
    const ifaces = new Set<string>();
    for (const c of routes.value) {
        const dev = c.dev ?? (addrs.known ? addrs.value.find(a => a.address === c.local)?.ifname : undefined);
        if (dev && dev !== "lo" && Netdev.parse(dev).ok)
            ifaces.add(dev);
    }
    // each line is a management connection and its route: all shown, not behind "Full output"
    const shown = routes.evidence.map(e => evidence(e.command, e.command.stdout.split("\n").filter(l => l.trim() !== "")));
    return known([...ifaces], ...shown, ...(unrouted ? addrs.evidence : []));
}

/** firewalld's zones, and the one that receives the source's connections (checks/migration-ports zoneOfPeer). */
function firewallFacts(r: Reader): HostFacts["firewall"] {
    const state = r.record("firewall-state");
    if (typeof state === "string")
        return unknown(state);
    // firewall-cmd --state exits non-zero when firewalld is not running (and 127 when it is not installed)
    if (state.exitStatus !== 0)
        return known({ running: false, zone: "", zoneBy: "default", ingress: null, target: "default", ports: [], services: [], richRules: [] }, evidence(state));
    const zones = r.parsed("firewall", "firewall-list-all-zones", v => v.zones);
    if (!zones.known)
        return zones;
    const def = r.record("firewall-default-zone");
    if (typeof def === "string")
        return unknown(def);
    const defaultZone = def.stdout.trim();
    if (def.exitStatus !== 0 || !isZoneName(defaultZone))
        return unknown(_("firewall-cmd did not name its default zone"), evidence(def));
    // the source connects to one of this host's addresses: the interface that holds it is where its traffic arrives
    const ssh = r.parsed("ssh-connection", "ssh-connection", v => v);
    const addrs = r.parsed("ip-addr", "ip-addr", v => v.addresses);
    const peer = ssh.known && IpAddress.parse(ssh.value.client).ok ? ssh.value.client : null;
    const ingressName = ssh.known && addrs.known ? addrs.value.find(a => a.address === ssh.value.server)?.ifname : undefined;
    const ingress = ingressName !== undefined && Netdev.parse(ingressName).ok ? ingressName : null;
    const pick = zoneOfPeer(zones.value, defaultZone, peer, ingress);
    const ev = [evidence(state), ...zones.evidence, evidence(def)];
    if (pick === null)
        return unknown(format(_("firewall-cmd lists no zone $0, its default zone"), defaultZone), ...ev);
    const z = pick.zone;
    return knownChecked({ running: true, zone: z.zone, zoneBy: pick.by, ingress, target: validOrNull(Word, z.fields.target?.[0] ?? "") ?? "default", ports: validOnly(Word, z.fields.ports ?? []),
                          services: validOnly(Word, z.fields.services ?? []), richRules: validOnly(HostText, z.fields["rich rules"] ?? []) },
                        refusal(Word, z.zone), ...ev);
}

/** `hostname`'s answer as a Host (RFC 1123 name or address), or null with the raw text kept only as evidence. */
function hostName(c: CommandEvidence | string): { hostname: string | null; refused?: HostFacts["hostnameRefused"] } {
    if (typeof c === "string" || c.exitStatus !== 0 || !c.stdout.trim())
        return { hostname: null };
    const h = Host.parse(c.stdout.trim());
    return h.ok ? { hostname: h.value } : { hostname: null, refused: { reason: h.error.message, evidence: evidence(c) } };
}

export function buildFacts(outcome: ProbeOutcome): HostFacts {
    const r = new Reader(outcome);
    const lspci = r.parsed("lspci", "lspci", v => v.devices);
    const pfs = lspci.known ? validOnly(PciAddress, lspci.value.filter(d => d.vendorId === "15b3" && d.deviceId === CX7_DEVICE_ID).map(d => d.address)) : [];
    const ports = r.parsed("devlink-ports", "devlink-port", v => v.ports);
    const linkFact = r.parsed("ip-link", "ip-link", v => v.links);
    const links = new Map(linkFact.known ? linkFact.value.filter(l => Netdev.parse(l.name).ok).map(l => [l.name, l.up] as const) : []);
    // one attribute of ip link's interfaces, by name, for those that show it
    const perLink = <T>(pick: (l: IpLink) => T | undefined): Fact<Map<string, T>> =>
        (linkFact.known ? known(new Map(linkFact.value.flatMap(l => {
            const v = pick(l);
            return v !== undefined ? [[l.name, v] as const] : [];
        })), ...linkFact.evidence) : linkFact);
    const uplinks = new Map(linkFact.known ? linkFact.value.flatMap(l =>
        (l.parentDev && /^p\d+$/.test(l.portName ?? "") ? [[l.parentDev.toLowerCase(), l.name] as const] : [])) : []);
    const ctx = { pfs, drivers: drivers(r), groups: iommuGroups(r), ports, links, linkTypes: perLink(l => l.linkType), mtus: perLink(l => l.mtu), uplinks };
    const nics: Fact<NicFacts[]> = !lspci.known ? lspci
        : known(pfs.map(pf => nicFacts(r, pf, ctx)), ...nicsEvidence(r, pfs));

    const rpm = r.record("rpm");
    const packages: HostFacts["packages"] = typeof rpm === "string" ? unknown(rpm)
        : rpm.exitStatus === 127 ? unknown(_("rpm could not run"), evidence(rpm))
            : known(Object.fromEntries(rpm.stdout.split("\n").filter(l => l.trim()).map(l => {
                const [name, version] = l.trim().split(/\s+/, 2);
                return [name, version ?? ""];
            }).filter(([name, version]) => Word.parse(name).ok && (version === "" || Word.parse(version).ok))), evidence(rpm));

    const unitOk = (u: { Id?: string; ActiveState?: string; UnitFileState?: string }) =>
        Word.parse(u.Id).ok && [u.ActiveState, u.UnitFileState].every(x => x === undefined || x === "" || Word.parse(x).ok);
    const units = r.parsed("units", "systemctl-show", v => Object.fromEntries(v.units.filter(unitOk).map(u =>
        [u.Id, { activeState: u.ActiveState ?? "unknown", unitFileState: u.UnitFileState ?? "" }])),
                           v => v.units.map(u => `${u.Id}: ${u.ActiveState} ${u.UnitFileState}`));

    const validate = r.parsed("virt-host-validate", "virt-host-validate", v => v.checks.filter(c => /IOMMU/i.test(c.what)),
                              v => v.checks.filter(c => /IOMMU/i.test(c.what)).map(c => `${c.what}: ${c.result}${c.hint ? ` (${c.hint})` : ""}`),
                              // it exits 1 when any of its checks warns or fails: the lines still say which
                              [0, 1]);
    const hardwareIommu: HostFacts["hardwareIommu"] = !validate.known ? validate
        : validate.value.length === 0 ? unknown(_("virt-host-validate printed no IOMMU check"), ...validate.evidence)
            // "for device assignment IOMMU support" reads the firmware's ACPI table (DMAR, IVRS): a WARN there, not a
            // FAIL, is how a host without VT-d / AMD-Vi in its firmware shows (libvirt's virt-host-validate-common.c)
            : known(validate.value.some(c => c.result !== "PASS" && /assignment IOMMU support/i.test(c.what) &&
                                        /No ACPI (DMAR|IVRS) table/i.test(c.hint ?? "")) ? "fail"
                : validate.value.some(c => c.result !== "PASS") ? "warn" : "pass", ...validate.evidence);

    const version = r.parsed("virsh-version", "virsh-version", v => v);
    const ovsShow = r.parsed("ovs-show", "ovs-vsctl-show", v => v);
    const ovsOther = r.parsed("ovs-other-config", "ovs-vsctl-other-config", v => v);
    const bridges = ovsShow.known ? bridgePortsOf(ovsShow.value) : {};
    const ovs: HostFacts["ovs"] = !ovsShow.known
        ? (ovsShow.evidence[0]?.command.exitStatus === 1
            ? known({ running: false, otherConfig: {}, bridges: {}, version: null }, ...ovsShow.evidence) : ovsShow)
        : known({
            running: true,
            otherConfig: ovsOther.known && ovsOther.value.kind === "map"
                ? Object.fromEntries(Object.entries(ovsOther.value.entries).filter(([k, v]) => Word.parse(k).ok && HostText.parse(v).ok)) : {},
            bridges,
            vlans: Object.fromEntries(Object.values(bridges).flat()
                .flatMap(p => { const v = portVlanOf(ovsShow.value, p); return v ? [[p, v]] : [] })),
            version: validOrNull(Word, ovsShow.value.ovsVersion),
        }, ...ovsShow.evidence, ...ovsOther.evidence);

    const firewall = firewallFacts(r);

    const uname = r.record("uname");
    const named = hostName(r.record("hostname"));
    return {
        host: outcome.host,
        hostname: named.hostname,
        ...(named.refused ? { hostnameRefused: named.refused } : {}),
        os: checkedFact(r.parsed("os-release", "os-release", v => ({ name: v.name ?? "", version: v.versionId ?? "", id: v.id ?? "" })),
                        v => firstRefusal([[HostText, v.name], [HostText, v.version], [HostText, v.id]])),
        kernel: typeof uname === "string" ? unknown(uname)
            : uname.exitStatus === 0 ? knownChecked(uname.stdout.trim(), refusal(Word, uname.stdout.trim()), evidence(uname))
                : unknown(_("uname failed"), evidence(uname)),
        nics,
        cpuVendor: r.parsed("cpu-vendor", "cpu-vendor", v => v.vendor, v => [`vendor_id: ${v.raw}`]),
        cmdline: checkedFact(r.parsed("cmdline", "proc-cmdline", v => v.args), args => firstRefusal(args.map(a => [HostText, a]))),
        nextBootArgs: checkedFact(r.parsed("grubby", "grubby-info", v => v.entries[0]?.cmdline.args ?? [],
                                           v => v.entries.slice(0, 1).map(e => `args="${e.cmdline.args.join(" ")}"`)),
                                  args => firstRefusal(args.map(a => [HostText, a]))),
        iommuActive: r.parsed("iommu-class", "name-lines", v => v.names.length > 0, v => v.names),
        hardwareIommu,
        kvm: r.succeeded("kvm"),
        packages,
        units,
        mlx5VfioPciKnown: r.succeeded("mlx5-vfio-pci"),
        libvirtVersion: !version.known ? version : knownChecked(version.value.library, refusal(Word, version.value.library), ...version.evidence),
        qemuVersion: !version.known ? version
            : version.value.hypervisor
                ? knownChecked(version.value.hypervisor.version, refusal(Word, version.value.hypervisor.version), ...version.evidence)
                : unknown(_("virsh version names no hypervisor"), ...version.evidence),
        ovs,
        managementInterfaces: managementInterfaces(r),
        firewall,
        ...securityFacts(r),
    };
}

/** A file `cat` could not find: libvirt then runs with its defaults, which is a known state. */
function confFile(r: Reader, key: string): HostFacts["libvirtConf"]["qemu"] {
    const c = r.record(key);
    if (typeof c !== "string" && c.exitStatus === 1 && /No such file or directory/.test(c.stderr))
        return known({}, evidence(c, [firstLine(c.stderr)]));
    return r.parsed(key, "libvirt-conf", v => ({ ...v.settings }),
                    v => Object.entries(v.settings).map(([k, x]) => `${k} = ${JSON.stringify(x)}`));
}

function securityFacts(r: Reader): Pick<HostFacts, "sshPeer" | "libvirtConf" | "tlsFiles" | "serverCertNames"> {
    const ssh = r.parsed("ssh-connection", "ssh-connection", v => v.client, v => [`SSH_CONNECTION=${v.client} ${v.clientPort} ${v.server} ${v.serverPort}`]);
    const peer = IpAddress.parse(ssh.known ? ssh.value : "");
    const sshPeer: HostFacts["sshPeer"] = !ssh.known ? ssh
        : peer.ok ? known(peer.value as string, ...ssh.evidence) : unknown(peer.error.message, ...ssh.evidence);
    const names = (key: string): Fact<string[]> => {
        const c = r.record(key);
        // openssl names the missing file on stderr: the certificate is not there
        if (typeof c !== "string" && c.exitStatus !== 0 && /No such file|Could not open|Could not read/i.test(c.stderr))
            return unknown(_("the certificate file is missing or unreadable"), evidence(c, [firstLine(c.stderr)]));
        return r.parsed(key, "cert-san", v => v.names.map(n => n.value), v => v.names.map(n => `${n.kind}:${n.value}`));
    };
    return {
        sshPeer,
        libvirtConf: { virtproxyd: confFile(r, "virtproxyd-conf"), libvirtd: confFile(r, "libvirtd-conf"), qemu: confFile(r, "qemu-conf") },
        // ls exits 2 when some of the files are missing: the ones it lists exist
        tlsFiles: r.parsed("tls-files", "path-list", v => v.paths, v => v.paths, [0, 2]),
        serverCertNames: { libvirt: names("libvirt-cert-san"), qemu: names("qemu-cert-san") },
    };
}

