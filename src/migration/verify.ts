/*
 * After the migration: where the VM runs and is defined, which VF each host's definition names, the VF drivers on
 * both hosts, the guest's own interfaces (only through the QEMU guest agent; said plainly when there is none), and
 * whether the guest answers ping from the destination on its VF's address (the agent's, or the one the admin gives).
 */
import { _, format } from "../lib/cockpit";
import type { Evidence, Finding } from "../checks/types";
import { readSysfsLink } from "../host/commands/sysfs";
import { virshDomState, virshDumpXml, virshDomIfAddrAgent } from "../host/commands/virsh";
import type { HostTransport } from "../host/transport";
import { PciAddress, VmName, deviceAttrPath } from "../host/values";
import { virshEq, type LibvirtClient } from "../libvirt";
import { buildMigrationPlan, type MigrationOptions, type MigrationPlan } from "./plan";
import { hostdevInterfaces, parseDomainXml } from "../parsers/libvirt-domain-xml";
import { parse } from "../parsers";
import { commandEvidence, failedFinding, libvirtEvidence } from "./evidence";
import { type GuestPing, pingGuest, type ReachBefore } from "./guest-reach";

export const VERIFY_CHECKS = ["destination-running", "source-gone", "destination-xml", "destination-vf-driver", "source-vf-released", "guest-interface", "guest-network"] as const;
export type VerifyCheckId = typeof VERIFY_CHECKS[number];

export const VERIFY_TITLES: Record<VerifyCheckId, () => string> = {
    "destination-running": () => _("The VM runs on the destination"),
    "source-gone": () => _("The VM has left this host"),
    "destination-xml": () => _("The destination's definitions name the destination VF"),
    "destination-vf-driver": () => _("The destination VF is on mlx5_vfio_pci"),
    "source-vf-released": () => _("This host's VF is released"),
    "guest-interface": () => _("The guest sees the VF's interface"),
    "guest-network": () => _("The guest answers on its VF's network"),
};

/** Checks of the guest's own side: what the page cannot see or tell apart is a warning; only a "fail" counts against the migration. */
export const GUEST_SIDE: readonly VerifyCheckId[] = ["guest-interface", "guest-network"];

export interface VerifyInput {
    libvirt: LibvirtClient;
    local: HostTransport;
    ssh: HostTransport;
    vm: string;
    options: MigrationOptions;
    destinationVf: string;
    sourceVf: string | null;
    /** the guest's address on its VF's network, as the admin gave it (else the one pinged before, else the agent's) */
    guestAddress?: string | null;
    /** the guest pinged from this host right before the migration call, as its departure note keeps it (throws: unreadable) */
    reachBefore?: () => Promise<ReachBefore | null>;
}

export type VerifyCheck = Finding<VerifyCheckId>;

const mk = (id: VerifyCheckId, verdict: VerifyCheck["verdict"], summary: string, evidence: Evidence[], details: string[] = []): VerifyCheck =>
    ({ id, title: VERIFY_TITLES[id](), verdict, summary, evidence, details });

async function destinationRunning(i: VerifyInput): Promise<VerifyCheck> {
    const r = await i.ssh.run(virshDomState(VmName.of(i.vm)));
    const state = r.stdout.trim();
    const ev = [commandEvidence(r, [state || r.stderr.trim()])];
    if (r.exitStatus === 0 && /^running/.test(state))
        return mk("destination-running", "pass", format(_("$0 on $1: $2"), i.vm, i.ssh.host, state), ev);
    return mk("destination-running", "fail", r.exitStatus === 0 ? format(_("$0 on the destination is $1"), i.vm, state)
        : format(_("The destination does not know $0: $1"), i.vm, r.stderr.trim()), ev);
}

/* libvirt says the migration completed (the source's "Stopped Migrated" event) before it removes the source's
 * definition, as its migration call returns, up to about a second later: a definition still here, shut off, is looked
 * at again for a while before it counts. */
export const UNDEFINE_WAIT = { tries: 5, ms: 400 };

async function sourceGone(i: VerifyInput): Promise<VerifyCheck> {
    const t0 = Date.now();
    let doms = await i.libvirt.listDomains(0);
    let here = doms.find(d => d.name === i.vm);
    for (let n = 1; here && !here.active && i.options.undefineSource && n < UNDEFINE_WAIT.tries; n++) {
        await new Promise(resolve => setTimeout(resolve, UNDEFINE_WAIT.ms));
        doms = await i.libvirt.listDomains(0);
        here = doms.find(d => d.name === i.vm);
    }
    const listing = doms.map(d => `${d.name}: ${d.active ? "running" : "shut off"}`).join("\n");
    const ev = [libvirtEvidence("ListDomains", virshEq.list(), listing, Date.now() - t0, here ? [listing.split("\n").find(l => l.startsWith(`${i.vm}:`)) ?? ""] : [])];
    if (here?.active)
        return mk("source-gone", "fail", format(_("$0 still runs on this host"), i.vm), ev);
    if (i.options.undefineSource)
        return here ? mk("source-gone", "fail", format(_("$0 is still defined on this host, though removing its definition was chosen"), i.vm), ev)
            : mk("source-gone", "pass", format(_("$0 is no longer defined on this host, as chosen"), i.vm), ev);
    return mk("source-gone", "pass", here ? format(_("$0 no longer runs here; its definition stays on this host (shut off), as chosen"), i.vm)
        : format(_("$0 is no longer defined on this host"), i.vm), ev);
}

async function destinationXml(i: VerifyInput): Promise<VerifyCheck> {
    const vm = VmName.of(i.vm);
    const runs = [await i.ssh.run(virshDumpXml(vm)), ...(i.options.persistOnDestination ? [await i.ssh.run(virshDumpXml(vm, { inactive: true }))] : [])];
    const details: string[] = [];
    let ok = true;
    const ev: Evidence[] = [];
    runs.forEach((r, n) => {
        const what = n === 0 ? _("running definition") : _("persistent definition");
        const vfs = r.exitStatus === 0 ? hostdevInterfaces(parseDomainXml(r.stdout)) : [];
        const names = vfs.map(v => `${v.sourcePci ?? "?"} (MAC ${v.mac ?? "?"})`).join(", ") || _("no VF interface");
        details.push(`${what}: ${names}`);
        ev.push(commandEvidence(r, r.stdout.split("\n").filter(l => /<interface type='hostdev'|<mac address|<address type='pci' domain='0x0000' bus/.test(l)).map(l => l.trim())));
        if (r.exitStatus !== 0 || vfs.length !== 1 || vfs[0].sourcePci !== i.destinationVf)
            ok = false;
    });
    return ok ? mk("destination-xml", "pass", format(_("Both name VF $0"), i.destinationVf), ev, details)
        : mk("destination-xml", "fail", format(_("The destination's definitions do not name VF $0 alone"), i.destinationVf), ev, details);
}

/** The driver a PCI device is bound to (readlink -f of its driver link); null when none. */
async function driverOf(t: HostTransport, pci: string): Promise<{ driver: string | null; ev: Evidence }> {
    const r = await t.run(readSysfsLink(deviceAttrPath(PciAddress.of(pci), "driver")));
    const target = r.stdout.trim();
    const driver = r.exitStatus === 0 && /\/drivers\/[^/]+$/.test(target) ? target.split("/").pop() ?? null : null;
    return { driver, ev: commandEvidence(r, [target || r.stderr.trim()]) };
}

async function destinationVfDriver(i: VerifyInput): Promise<VerifyCheck> {
    const { driver, ev } = await driverOf(i.ssh, i.destinationVf);
    return driver === "mlx5_vfio_pci"
        ? mk("destination-vf-driver", "pass", format(_("$0 is bound to mlx5_vfio_pci"), i.destinationVf), [ev])
        : mk("destination-vf-driver", "fail", format(_("$0 is bound to $1, not mlx5_vfio_pci"), i.destinationVf, driver ?? _("no driver")), [ev]);
}

async function sourceVfReleased(i: VerifyInput): Promise<VerifyCheck> {
    if (!i.sourceVf)
        return mk("source-vf-released", "unknown", _("The wizard does not know which VF the VM held on this host"), []);
    const { driver, ev } = await driverOf(i.local, i.sourceVf);
    return driver === "mlx5_vfio_pci"
        ? mk("source-vf-released", "fail", format(_("$0 is still bound to mlx5_vfio_pci: a VM on this host may still hold it"), i.sourceVf), [ev])
        : mk("source-vf-released", "pass", format(_("$0 is back on $1"), i.sourceVf, driver ?? _("no driver")), [ev]);
}

/** The guest agent's view: the check, and the addresses it reports on the VF's MAC (null: its list not understood). */
async function guestInterface(i: VerifyInput, mac: string | null): Promise<{ check: VerifyCheck; addresses: string[] | null }> {
    const r = await i.ssh.run(virshDomIfAddrAgent(VmName.of(i.vm)));
    const ev = [commandEvidence(r, [r.exitStatus === 0 ? r.stdout.split("\n").find(l => mac && l.toLowerCase().includes(mac)) ?? "" : r.stderr.trim()])];
    if (r.exitStatus !== 0) {
        const noAgent = /agent/i.test(r.stderr);
        return {
            check: mk("guest-interface", "warn", noAgent
                ? format(_("Not checked: the VM has no QEMU guest agent that answers, so this page cannot look inside it. In the VM, “ip link” should list an interface with MAC $0."), mac ?? "?")
                : format(_("Not checked: $0"), r.stderr.trim()), ev),
            addresses: [],
        };
    }
    // addresses are a help for the next check: output not understood leaves none, the MAC still decides this one
    const listed = parse("virsh-domifaddr", r.stdout);
    const onMac = mac && listed.ok ? listed.value.addresses.filter(a => a.mac === mac) : [];
    // a link-local IPv6 address needs the interface it is on to be pinged; the host's side has another one
    const addresses = onMac.filter(a => !/^fe80:/i.test(a.address) && !a.address.startsWith("169.254."))
        .sort((a, b) => (a.family === b.family ? 0 : a.family === "ipv4" ? -1 : 1)).map(a => a.address);
    return {
        check: mac && r.stdout.toLowerCase().includes(mac)
            ? mk("guest-interface", "pass", format(_("The guest agent reports an interface with MAC $0"), mac), ev)
            : mk("guest-interface", "fail", format(_("The guest agent reports no interface with MAC $0"), mac ?? "?"), ev),
        addresses: listed.ok ? addresses : null,
    };
}

/** Silence where the guest answered before is asked again this many times, this far apart, before it fails. */
export const SILENCE_RETRY = { tries: 2, ms: 2000 };

/* From the destination, the host the guest now runs on: a reply shows the destination's side of the VF's path works
 * (its bridge, the representor, the VF), not the uplink beyond it. Silence alone is only a warning: many guests drop
 * ICMP echo (Windows' firewall does by default). What decides is the answer from before: when the guest answered this
 * host's ping on the same address right before the call (the departure note), silence now, over an interface of the
 * destination's own network, is a cut path. */
async function guestNetwork(i: VerifyInput, agent: string[] | null, noted: Promise<{ reach: ReachBefore | null; error: string | null }>): Promise<VerifyCheck> {
    const { reach: before, error: unread } = await noted;
    const given = i.guestAddress?.trim() || null;
    const addr = given ?? before?.address ?? agent?.[0] ?? null;
    if (!addr)
        return mk("guest-network", "warn", agent === null
            ? _("Not checked: the guest agent's list of addresses was not understood. Give the guest's address on its VF's network below to ping it from the destination.")
            : _("Not checked: no address of the guest on its VF's network is known (no guest agent reports one). Give it below to ping the guest from the destination."), []);
    let p = await pingGuest(i.ssh, addr);
    const earlier = before?.address === p.address ? before : null;
    // the guest's path may still be settling right after the switch-over (its VF's link, the bridge learning its MAC)
    const cutIfSilent = (q: GuestPing) => !!earlier?.answered && q.result === "silent" && q.dev !== null && !q.gateway;
    for (let n = 0; cutIfSilent(p) && n < SILENCE_RETRY.tries; n++) {
        await new Promise(resolve => setTimeout(resolve, SILENCE_RETRY.ms));
        p = await pingGuest(i.ssh, addr);
    }
    const details = [
        given ? _("The address was given on this page") : earlier ? _("The address was given before the migration") : _("The address is the one the guest agent reports on the VF's MAC"),
        ...(earlier ? [earlier.answered ? _("Before the migration, it answered ping from this host") : _("Before the migration, it did not answer ping from this host either")] : []),
        ...(unread ? [format(_("The answer from before the migration could not be read: $0"), unread)] : []),
    ];
    const host = p.host;
    if (p.result === "local")
        return mk("guest-network", "warn", format(_("Not checked: $0 is an address of $1 itself, not the guest's"), addr, host), p.evidence, details);
    if (p.result === "answered")
        return mk("guest-network", "pass", format(_("The guest at $0 answers ping from $1"), addr, host), p.evidence, details);
    if (p.result === "not-run")
        return mk("guest-network", "warn", format(_("Not checked: ping of $0 could not run on $1: $2"), addr, host, p.error), p.evidence, details);
    if (p.gateway)
        return mk("guest-network", "warn", format(_("Not checked: the guest at $0 does not answer ping from $1, which reaches it only through the gateway $2 ($3); give an address on a network the destination is on"),
                                                  addr, host, p.gateway, p.dev ?? "?"), p.evidence, details);
    const over = p.dev ? format(_("The guest at $0 does not answer ping from $1 over $2."), addr, host, p.dev) : format(_("The guest at $0 does not answer ping from $1."), addr, host);
    const where = _("check that the destination VF's representor is up and in the VM's bridge, with the VM's VLAN.");
    if (cutIfSilent(p))
        return mk("guest-network", "fail", `${over} ${_("It answered this host's ping right before the migration: its VF's path on the destination is cut:")} ${where}`, p.evidence, details);
    const tail = earlier?.answered
        ? `${_("It answered this host's ping before the migration, but the destination's route to it could not be read:")} ${where}`
        : earlier ? _("It did not answer before the migration either: it may drop ICMP echo.")
        : `${_("If it answers ICMP echo, its VF's path on the destination is cut:")} ${where}`;
    return mk("guest-network", "warn", `${over} ${tail}`, p.evidence, details);
}

/** Runs the verification; each result is reported as soon as it is known. */
export async function runVerify(i: VerifyInput, report: (c: VerifyCheck) => void): Promise<void> {
    const guard = (id: VerifyCheckId, p: () => Promise<VerifyCheck>) =>
        p().then(report, (e: unknown) => report(failedFinding(id, VERIFY_TITLES[id](), e)));
    let mac: string | null = null;
    // read beside the others: the departure note is on this host
    const noted = (i.reachBefore?.() ?? Promise.resolve(null))
        .then(reach => ({ reach, error: null }), (e: unknown) => ({ reach: null, error: e instanceof Error ? e.message : String(e) }));
    await Promise.all([
        guard("destination-running", () => destinationRunning(i)),
        guard("source-gone", () => sourceGone(i)),
        guard("destination-xml", async () => {
            const c = await destinationXml(i);
            mac = /MAC ([0-9a-f:]{17})/.exec(c.details.join(" "))?.[1] ?? null;
            return c;
        }),
        guard("destination-vf-driver", () => destinationVfDriver(i)),
        guard("source-vf-released", () => sourceVfReleased(i)),
    ]);
    let addresses: string[] | null = [];
    await guard("guest-interface", async () => {
        const g = await guestInterface(i, mac);
        addresses = g.addresses;
        return g.check;
    });
    await guard("guest-network", () => guestNetwork(i, addresses, noted));
}

/** The `virsh migrate` line that does what the wizard did, rebuilt from the destination's definitions. */
export async function recordPlan(i: VerifyInput): Promise<MigrationPlan> {
    const vm = VmName.of(i.vm);
    const live = await i.ssh.run(virshDumpXml(vm, { migratable: true }));
    const config = i.options.persistOnDestination ? await i.ssh.run(virshDumpXml(vm, { inactive: true, migratable: true })) : null;
    if (live.exitStatus !== 0)
        throw new Error(live.stderr.trim());
    const vf = PciAddress.of(i.destinationVf);
    return buildMigrationPlan({
        vm, liveXml: live.stdout, ...(config?.exitStatus === 0 ? { inactiveXml: config.stdout } : {}),
        sourceVf: vf, destinationVf: vf, options: i.options,
    });
}
