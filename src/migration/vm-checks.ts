/*
 * The per-VM checks before anything changes: no vIOMMU, storage the destination sees, the VM's CPU accepted by the
 * destination, a free prepared VF there, the 4-VFs-per-port limit, and the dirty-page rate against the link (only
 * measurable while no VF is attached). Each runs on its own and reports with its evidence.
 */
import { _, format } from "../lib/cockpit";
import type { Evidence, Finding } from "../checks/types";
import type { HostFacts, NicFacts, VfFacts } from "../checks/facts";
import { vfState } from "../checks/sriov";
import { primaryNic } from "../checks/hardware";
import { ipRouteGet } from "../host/commands/ip";
import { virshDomJobInfo, virshHypervisorCpuCompare } from "../host/commands/virsh";
import { measureDirtyRate } from "./dirty-rate";
import { getentAhosts } from "../host/commands/network";
import { netSpeed } from "../host/commands/sysfs";
import { statFsType } from "../host/commands/files";
import type { HostTransport } from "../host/transport";
import { IpAddress, Netdev, VmName } from "../host/values";
import { ListDomainsFlags, virshEq, type DomainRef, type LibvirtClient } from "../libvirt";
import type { MigrationOptions } from "./plan";
import { checkConcurrentVfs, checkConvergence, checkMemory, checkStorage, checkViommu, estimateMigration, type DestinationPath } from "./prechecks";
import { memAvailable } from "../host/commands/files";
import { parse } from "../parsers";
import { hostdevInterfaces, parseDomainXml, vfAddresses, type DomainXml } from "../parsers/libvirt-domain-xml";
import { firstChild, parseXml, textOf } from "../parsers/xml";
import { commandEvidence, failedFinding, libvirtEvidence } from "./evidence";
import { carriesVlan } from "../rules/ovs";
import { repVlanOf, repVlanOrUnbridged, vlanMatchText, vlanPick, vlanRefusal, type RepVlan } from "./vf-vlan";

export const VM_CHECKS = ["viommu", "storage", "cpu", "destination-vf", "vlan", "memory", "concurrent-vfs", "convergence"] as const;
export type VmCheckId = typeof VM_CHECKS[number];

export const VM_CHECK_TITLES: Record<VmCheckId, () => string> = {
    viommu: () => _("No virtual IOMMU in the VM"),
    storage: () => _("Disks on storage the destination sees"),
    cpu: () => _("The VM's CPU is accepted by the destination"),
    "destination-vf": () => _("A free prepared VF on the destination"),
    vlan: () => _("The destination VF carries the VM's VLAN"),
    memory: () => _("Memory on the destination for the VM's pinned RAM"),
    "concurrent-vfs": () => _("At most 4 VFs of one port migrating"),
    convergence: () => _("Dirty-page rate against the link"),
};

export interface VmCheckInput {
    libvirt: LibvirtClient;
    local: HostTransport;
    ssh: HostTransport;
    vm: string;
    options: MigrationOptions;
    source: HostFacts;
    destination: HostFacts;
    /** the destination VF picked earlier, kept while it is still free */
    preferredVf: string | null;
}

export interface VmCheck extends Finding<VmCheckId> { pickedVf?: string }

/** The host's ConnectX-7 ports, the one chosen for VFs first: a VF is picked there before any other port. */
export function nicsOf(f: HostFacts | null): NicFacts[] {
    if (!f?.nics.known)
        return [];
    const chosen = primaryNic(f);
    return chosen ? [chosen, ...f.nics.value.filter(n => n !== chosen)] : f.nics.value;
}

/** The VF with this PCI address and the adapter (PF) it belongs to. */
export function findVf(f: HostFacts | null, pci: string): { nic: NicFacts; vf: VfFacts } | null {
    for (const nic of nicsOf(f))
        for (const vf of nic.vfs)
            if (vf.pci === pci)
                return { nic, vf };
    return null;
}

const check = (id: VmCheckId, r: Omit<VmCheck, "id" | "title">): VmCheck => ({ id, title: VM_CHECK_TITLES[id](), ...r });

async function readDomain(libvirt: LibvirtClient, vm: string): Promise<{ dom: DomainRef; xml: string; d: DomainXml; ev: Evidence }> {
    const dom = await libvirt.lookupByName(vm);
    const t0 = Date.now();
    const xml = await libvirt.getXmlDesc(dom, 0);
    const ev = libvirtEvidence("GetXMLDesc", virshEq.dumpxml(vm, 0), xml, Date.now() - t0);
    return { dom, xml, d: parseDomainXml(xml), ev };
}

async function storage(i: VmCheckInput, d: DomainXml): Promise<VmCheck> {
    const answers: Record<string, DestinationPath> = {};
    const evidence: Evidence[] = [];
    for (const disk of d.disks) {
        const path = disk.type === "network" ? undefined : disk.sourceFile ?? disk.sourceDev;
        if (path === undefined || path in answers)
            continue;
        const r = await i.ssh.run(statFsType(path));
        evidence.push(commandEvidence(r, [r.stdout.trim() || r.stderr.trim()]));
        answers[path] = r.exitStatus === 0 ? { exists: true, fsType: r.stdout.trim() } : { exists: false };
    }
    const res = checkStorage(d.disks, answers, i.options.copyStorage);
    if (d.disks.length === 0)
        return check("storage", { verdict: "pass", summary: _("The VM has no disk"), details: [], evidence });
    return check("storage", { ...res, evidence });
}

async function cpu(i: VmCheckInput, xml: string, d: DomainXml, ev: Evidence): Promise<VmCheck> {
    const virttype = d.type === "qemu" ? "qemu" : "kvm";
    const r = await i.ssh.run(virshHypervisorCpuCompare(virttype), { input: xml, superuser: true });
    const out = (r.stdout + "\n" + r.stderr).trim();
    const line = out.split("\n").find(l => l.trim() !== "") ?? "";
    const evidence = [commandEvidence(r, [line]), ev];
    const model = d.cpu?.model ?? d.cpu?.mode ?? _("the default model");
    if (r.exitStatus === 0 && /superset|identical/i.test(out))
        return check("cpu", { verdict: "pass", summary: format(_("The destination can run the VM's CPU ($0)"), model), details: [line], evidence });
    if (/incompatible/i.test(out))
        return check("cpu", {
            verdict: "fail", details: [line], evidence,
            summary: format(_("The destination's CPU cannot run the VM's CPU ($0): change the VM's CPU model to one both hosts have"), model),
        });
    return check("cpu", { verdict: "unknown", summary: format(_("The destination did not say whether it can run the VM's CPU: $0"), line), details: [], evidence });
}

/** The representor of the VF the VM holds here and its port's VLAN, when read (d: its XML; null when not read). */
function sourceVlan(i: VmCheckInput, d: DomainXml | null): RepVlan | null {
    const own = d ? vfAddresses(d)[0] : undefined;
    const rep = own ? findVf(i.source, own)?.vf.representor : null;
    const vlan = repVlanOf(i.source, rep);
    return rep && vlan ? { rep, vlan } : null;
}

/**
 * The destination VF the VM will get: the one picked before while it is still free and not read to be in another
 * VLAN, else the one the evacuation plan would give (src/migration/vf-vlan.ts vlanPick), else still the one picked
 * before (none carries the VLAN: the fix shown stays the same).
 */
function pickDestinationVf(i: VmCheckInput, here: RepVlan | null) {
    const free = nicsOf(i.destination).flatMap(n => n.vfs).filter(v => vfState(v) === "prepared");
    const there = (v: VfFacts) => repVlanOrUnbridged(i.destination, v.representor);
    const carries = (v: VfFacts) => { const t = there(v); return !here || !t || carriesVlan(here.vlan, t) };
    const kept = free.find(v => v.pci === i.preferredVf);
    if (kept && carries(kept))
        return kept;
    const picked = free.length ? free[vlanPick(free, here?.vlan, there)] : undefined;
    return kept && picked && !carries(picked) ? kept : picked;
}

function destinationVf(i: VmCheckInput, picked: VfFacts | undefined): VmCheck {
    const evidence = i.destination.nics.evidence;
    const all = nicsOf(i.destination).flatMap(n => n.vfs);
    const details = all.map(v => `${v.pci}: ${v.usedBy ? format(_("in use by VM $0"), v.usedBy) : vfState(v) === "prepared" ? _("free and prepared") : format(_("driver $0"), v.driver)}`);
    if (!picked)
        return check("destination-vf", {
            verdict: "fail", details, evidence,
            summary: all.length === 0 ? _("The destination has no VF: host preparation creates one")
                : _("No VF of the destination is free and prepared (off its host driver, port function migratable): host preparation prepares one"),
        });
    return check("destination-vf", { verdict: "pass", summary: format(_("VF $0 of the destination will receive the VM"), picked.pci), details, evidence, pickedVf: picked.pci });
}

/**
 * The VLAN of the VF the VM holds here (its representor's Open vSwitch port) against that of the destination VF it
 * gets; a VM without a VF yet is compared once it has one, right before the migration call, as every VM is again.
 */
function vlan(i: VmCheckInput, d: DomainXml, here: RepVlan | null, picked: VfFacts | undefined): VmCheck {
    const evidence = [...i.source.ovs.evidence, ...i.destination.ovs.evidence];
    const own = vfAddresses(d)[0];
    if (!own)
        return check("vlan", { verdict: "pass", details: [], evidence: [], summary: _("The VM holds no VF yet: the one attached to it is compared right before the migration") });
    if (!picked)
        return check("vlan", { verdict: "unknown", details: [], evidence, summary: _("No destination VF to compare with: see the check above") });
    const there = repVlanOrUnbridged(i.destination, picked.representor);
    const unknown = (summary: string) => check("vlan", { verdict: "unknown", details: [], evidence, summary });
    if (!here)
        return unknown(format(_("The VLAN of this host's VF $0 was not read: it is compared right before the migration"), own));
    if (!picked.representor || there === undefined)
        return unknown(format(_("The VLAN of the destination VF $0 was not read: it is compared right before the migration"), picked.pci));
    if (there === null)
        return unknown(format(_("The destination VF's representor $0 is in no bridge yet: its VLAN is compared right before the migration"), picked.representor));
    const b = { rep: picked.representor, vlan: there };
    const refused = vlanRefusal(here, b);
    return check("vlan", { verdict: refused ? "fail" : "pass", details: [], evidence, summary: refused ?? vlanMatchText(here, b) });
}

async function concurrent(i: VmCheckInput, d: DomainXml, picked: VfFacts | undefined): Promise<VmCheck> {
    const own = vfAddresses(d)[0];
    const candidate = own ?? nicsOf(i.source).flatMap(n => n.vfs).find(v => vfState(v) === "prepared")?.pci;
    const pf = candidate ? findVf(i.source, candidate)?.nic.pci : nicsOf(i.source)[0]?.pci;
    if (!pf)
        return check("concurrent-vfs", { verdict: "unknown", summary: _("No VF of this host's adapter was found"), details: [], evidence: i.source.nics.evidence });
    const migrating: string[] = [];
    const evidence: Evidence[] = [];
    for (const dom of await i.libvirt.listDomains(ListDomainsFlags.ACTIVE)) {
        const vfs = vfAddresses(parseDomainXml(await i.libvirt.getXmlDesc(dom, 0)));
        if (vfs.length === 0)
            continue;
        const t0 = Date.now();
        const job = await i.libvirt.getJobStats(dom);
        const moving = (job.type === "bounded" || job.type === "unbounded") && (job.operation === 4 || job.operation === 5);
        evidence.push(libvirtEvidence("GetJobStats", virshEq.domjobinfo(dom.name, 0), `${dom.name}: ${job.type}${moving ? " (migration)" : ""}`, Date.now() - t0));
        if (moving)
            migrating.push(...vfs.map(v => findVf(i.source, v)?.nic.pci).filter((p): p is string => !!p));
    }
    // the destination: VMs holding one of its VFs that are migrating in (at most one `virsh domjobinfo` each)
    const destPf = picked ? findVf(i.destination, picked.pci)?.nic.pci : undefined;
    const incoming: string[] = [];
    const holders = [...new Set(nicsOf(i.destination).flatMap(n => n.vfs).map(v => v.usedBy).filter((n): n is string => !!n && VmName.parse(n).ok))];
    for (const name of holders) {
        const r = await i.ssh.run(virshDomJobInfo(VmName.of(name)));
        const p = parse("virsh-domjobinfo", r.stdout);
        const moving = p.ok && (p.value.jobType === "Bounded" || p.value.jobType === "Unbounded") && p.value.operation === "Incoming migration";
        evidence.push(commandEvidence(r, r.stdout.split("\n").filter(l => /^(Job type|Operation):/.test(l))));
        if (moving)
            incoming.push(...nicsOf(i.destination).flatMap(n => n.vfs.filter(v => v.usedBy === name).map(() => n.pci)));
    }
    const src = checkConcurrentVfs(migrating, pf);
    if (!destPf)
        return check("concurrent-vfs", { ...src, evidence });
    const dst = checkConcurrentVfs(incoming, destPf);
    const bad = [src, dst].find(r => r.verdict !== "pass");
    return check("concurrent-vfs", { ...(bad ?? src), details: [...src.details, ...dst.details], evidence });
}

/** The VM's memory in MiB, from <memory unit='…'> of its XML. */
export function memoryMiB(xml: string): number | null {
    const el = firstChild(parseXml(xml), "memory");
    const n = el ? Number(textOf(el).trim()) : NaN;
    if (!el || !Number.isFinite(n))
        return null;
    const unit = (el.attrs.unit ?? "KiB").toLowerCase();
    const factor: Record<string, number> = { b: 1 / 1048576, bytes: 1 / 1048576, k: 1 / 1024, kib: 1 / 1024, m: 1, mib: 1, g: 1024, gib: 1024, kb: 1000 / 1048576, mb: 1e6 / 1048576, gb: 1e9 / 1048576 };
    return factor[unit] !== undefined ? n * factor[unit] : null;
}

/** MemAvailable of a host in MiB (null: not read), with the command as evidence. */
export async function readAvailableMemory(t: HostTransport): Promise<{ mib: number | null; evidence: Evidence }> {
    const r = await t.run(memAvailable());
    const p = parse("meminfo-available", r.stdout);
    return { mib: r.exitStatus === 0 && p.ok ? p.value : null, evidence: commandEvidence(r, [r.stdout.trim() || r.stderr.trim()]) };
}

async function memory(i: VmCheckInput, xml: string, ev: Evidence): Promise<VmCheck> {
    const have = await readAvailableMemory(i.ssh);
    return check("memory", { ...checkMemory(memoryMiB(xml), have.mib), evidence: [have.evidence, ev] });
}

/** The link towards the destination (migration address, else its name): route, then the interface's speed. */
async function linkSpeed(i: VmCheckInput, evidence: Evidence[]): Promise<{ dev: string; mbps: number } | null> {
    const target = i.options.migrationAddress ?? i.options.host;
    let ip = IpAddress.parse(target).ok ? IpAddress.of(target) : null;
    if (!ip) {
        const r = await i.local.run(getentAhosts(i.options.host));
        const first = r.stdout.split("\n")[0]?.split(/\s+/)[0] ?? "";
        evidence.push(commandEvidence(r, [r.stdout.split("\n")[0] ?? ""]));
        ip = IpAddress.parse(first).ok ? IpAddress.of(first) : null;
    }
    if (!ip)
        return null;
    const route = await i.local.run(ipRouteGet(ip));
    const parsed = route.exitStatus === 0 ? parse("ip-route-get", route.stdout) : null;
    const dev = parsed?.ok ? parsed.value.dev : undefined;
    evidence.push(commandEvidence(route, dev ? [`dev ${dev}`] : []));
    if (!dev || !Netdev.parse(dev).ok)
        return null;
    const speed = await i.local.run(netSpeed(Netdev.of(dev)));
    evidence.push(commandEvidence(speed, [speed.stdout.trim()]));
    const mbps = Number(speed.stdout.trim());
    return speed.exitStatus === 0 && mbps > 0 ? { dev, mbps } : null;
}

async function convergence(i: VmCheckInput, xml: string, d: DomainXml): Promise<VmCheck> {
    const attached = hostdevInterfaces(d).find(x => x.sourcePci);
    if (attached)
        return check("convergence", {
            verdict: "warn", details: [], evidence: [],
            summary: format(_("Not measured: VF $0 is already attached, and the dirty-page rate cannot be measured while it is. The migration time cannot be estimated."), attached.sourcePci ?? ""),
        });
    const linkEvidence: Evidence[] = [];
    const checksAt = Date.now();
    const [m, link] = await Promise.all([measureDirtyRate(i.local, VmName.of(i.vm)), linkSpeed(i, linkEvidence)]);
    const evidence = [...m.evidence, ...linkEvidence];
    const rate = m.rate;
    if (rate === undefined)
        return check("convergence", { verdict: "unknown", summary: m.error ?? _("libvirt gave no dirty-page rate"), details: [], evidence });
    const ram = memoryMiB(xml);
    const measured = m.ahead
        ? format(_("dirty-page rate $0 MiB/s, measured over $1 s before the VF is attached, begun when the VM was chosen, $2 s before these checks"),
                 rate, m.period, Math.max(0, Math.round((checksAt - m.startedAt) / 1000)))
        : format(_("dirty-page rate $0 MiB/s, measured over $1 s before the VF is attached"), rate, m.period);
    if (!link || ram === null)
        return check("convergence", { verdict: "unknown", summary: format(_("The link speed towards the destination is unknown: no estimate ($0)"), measured), details: [measured], evidence });
    const est = estimateMigration({
        dirtyRateMiBps: rate, linkMbps: link.mbps, ramMiB: ram,
        ...(i.options.bandwidth !== undefined ? { bandwidthMiBps: i.options.bandwidth } : {}),
        ...(i.options.maxDowntimeMs !== undefined ? { maxDowntimeMs: i.options.maxDowntimeMs } : {}),
    });
    const r = checkConvergence(est);
    return check("convergence", {
        ...r, evidence,
        details: [measured, format(_("link $0: $1 Mb/s; VM memory $2 MiB"), link.dev, link.mbps, Math.round(ram)), ...r.details],
    });
}

/** Runs every per-VM check; each result is reported as soon as it is known. */
export async function runVmChecks(i: VmCheckInput, report: (c: VmCheck) => void): Promise<void> {
    const guard = (id: VmCheckId, p: () => Promise<VmCheck>, ev: Evidence[] = []) =>
        p().then(report, (e: unknown) => report(failedFinding(id, VM_CHECK_TITLES[id](), e, ev)));
    // at once, then again if the VLAN of the VF the VM holds here (read with its XML) changes the pick
    const first = destinationVf(i, pickDestinationVf(i, null));
    report(first);
    let dom: Awaited<ReturnType<typeof readDomain>>;
    try {
        dom = await readDomain(i.libvirt, i.vm);
    } catch (e) {
        for (const id of VM_CHECKS.filter(c => c !== "destination-vf"))
            report(failedFinding(id, VM_CHECK_TITLES[id](), e));
        return;
    }
    const here = sourceVlan(i, dom.d);
    const picked = pickDestinationVf(i, here);
    if (picked?.pci !== first.pickedVf)
        report(destinationVf(i, picked));
    report(vlan(i, dom.d, here, picked));
    report(check("viommu", { ...checkViommu(dom.d), evidence: [dom.ev] }));
    await Promise.all([
        guard("storage", () => storage(i, dom.d), [dom.ev]),
        guard("cpu", () => cpu(i, dom.xml, dom.d, dom.ev), [dom.ev]),
        guard("memory", () => memory(i, dom.xml, dom.ev), [dom.ev]),
        guard("concurrent-vfs", () => concurrent(i, dom.d, picked)),
        guard("convergence", () => convergence(i, dom.xml, dom.d), [dom.ev]),
    ]);
}
