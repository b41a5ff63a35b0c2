/*
 * The attach stage's job: which VF the VM holds now; when it holds none, the plan (a free prepared VF of this
 * host, a MAC no VM of either host uses, the interface XML and the virsh line that does the same), then the
 * attach, read back afterwards. The free VFs come from this host's model as it is read.
 */
import { _ } from "../lib/cockpit";
import type { HostTransport } from "../host/transport";
import { quoteArgv } from "../host/quote";
import type { Mac } from "../host/values";
import type { LibvirtClient } from "../libvirt";
import { vfState } from "../checks/sriov";
import { explainLibvirtError } from "../migration/errors";
import { attachVf, attachVirshLine, heldVfs, vfInterfaceXml, type HeldVf } from "../migration/attach-vf";
import { macsInUse, uniqueMac } from "../migration/mac";
import { vmWhereHere } from "../migration/vm-where";
import { nicsOf } from "../migration/vm-checks";
import { Store, type Unsubscribe } from "./emitter";
import type { HostModel } from "./host-model";
import { destinationOrNull, localLibvirt, localModel, type DestinationInput } from "./hosts";

export interface AttachError { summary: string; detail: string; checks: string[] }

export interface AttachState {
    /** the VF interface the VM holds live; null: none (one is to be attached); undefined: not read yet */
    held: HeldVf | null | undefined;
    /** this host's free and prepared VFs; null until its facts are read */
    free: string[] | null;
    /** the VF chosen to attach */
    vf: string | null;
    /** a MAC no VM of either host uses, and how many VMs were looked at on each */
    mac: Mac | null;
    macsFrom: { sourceVms: number; destinationVms: number } | null;
    attaching: boolean;
    /** `held` is the VF this job attached (not one the VM held already) */
    attachedHere: boolean;
    error: AttachError | null;
    /** the VM does not run on this host any more (shut down, or gone from libvirt here): nothing to attach to */
    gone: "stopped-here" | "not-here" | null;
}

export interface AttachPlan {
    vf: string;
    mac: Mac;
    /** the hostdev interface to attach */
    xml: string;
}

export interface AttachJobOptions {
    libvirt: LibvirtClient;
    vm: string;
    /** this host: its free prepared VFs */
    source: HostModel;
    /** where the VM goes: its VMs' MACs are avoided too; null = not chosen (no MAC can be picked) */
    destination: HostTransport | null;
    /** random bytes for the MAC (tests) */
    random?: () => number;
}

const freeVfs = (m: HostModel): string[] | null =>
    (m.state.facts ? nicsOf(m.state.facts).flatMap(n => n.vfs).filter(v => vfState(v) === "prepared").map(v => v.pci) : null);

export class AttachJob extends Store<AttachState> {
    private off: Unsubscribe | null = null;
    private generation = 0;

    constructor(private readonly o: AttachJobOptions) {
        super({ held: undefined, free: null, vf: null, mac: null, macsFrom: null, attaching: false, attachedHere: false, error: null, gone: null });
    }

    get vm(): string {
        return this.o.vm;
    }

    /** What will be attached, once a VF and a MAC are chosen. */
    get plan(): AttachPlan | null {
        const { vf, mac } = this.state;
        return vf && mac ? { vf, mac, xml: vfInterfaceXml(mac, vf) } : null;
    }

    /** The virsh line that does the same, the interface XML saved as `file`. */
    virshLine(file: string): string {
        return quoteArgv(attachVirshLine(this.o.vm, file));
    }

    /** Follows this host's VFs and reads what the VM holds; when none, the MACs in use on both hosts. */
    async open(): Promise<void> {
        this.off?.();
        this.off = this.o.source.subscribe(() => this.sourceChanged());
        this.sourceChanged();
        const gen = ++this.generation;
        this.update({ error: null, gone: null });
        const where = await vmWhereHere(this.o.libvirt, this.o.vm);
        if (gen !== this.generation)
            return;
        if (where === "stopped-here" || where === "not-here") {
            this.update({ held: null, gone: where });
            return;
        }
        let held: HeldVf | null;
        try {
            held = (await heldVfs(this.o.libvirt, this.o.vm)).live[0] ?? null;
        } catch (e) {
            if (gen === this.generation)
                this.update({ error: explainLibvirtError(e) });
            return;
        }
        if (gen !== this.generation)
            return;
        this.update({ held });
        if (held === null)
            await this.pickMac(gen);
    }

    private async pickMac(gen: number): Promise<void> {
        if (!this.o.destination)
            return;
        try {
            const m = await macsInUse(this.o.libvirt, this.o.destination);
            if (gen === this.generation)
                this.update({ mac: uniqueMac(m.macs, this.o.random), macsFrom: { sourceVms: m.sourceVms, destinationVms: m.destinationVms } });
        } catch (e) {
            if (gen === this.generation)
                this.update({ error: { summary: _("The MAC addresses of the VMs could not be read"), detail: e instanceof Error ? e.message : String(e), checks: [] } });
        }
    }

    private sourceChanged(): void {
        const free = freeVfs(this.o.source);
        if (JSON.stringify(free) === JSON.stringify(this.state.free))
            return;
        const vf = this.state.vf ?? free?.[0] ?? null;
        this.update({ free, vf });
    }

    chooseVf(pci: string): void {
        if (!this.state.attaching)
            this.update({ vf: pci });
    }

    /** Attaches the planned VF live and persistently; resolves with what the VM holds afterwards, else null. */
    async attach(): Promise<HeldVf | null> {
        const plan = this.plan;
        if (!plan || this.state.attaching || this.state.held)
            return null;
        const gen = this.generation;
        this.update({ attaching: true, error: null });
        try {
            const held = await attachVf(this.o.libvirt, this.o.vm, plan.xml, plan.vf);
            if (gen === this.generation)
                this.update({ held, attaching: false, attachedHere: held !== null });
            return held;
        } catch (e) {
            if (gen === this.generation)
                this.update({ error: explainLibvirtError(e), attaching: false });
            return null;
        }
    }

    /** Stops following this host and drops the libvirt connection (an attach already asked for goes on in libvirt). */
    close(): void {
        this.generation++;
        this.off?.();
        this.off = null;
        this.o.libvirt.close();
    }
}

/** The attach job of this host's VM `vm`, avoiding the MACs of the destination `d`. */
export function localAttachJob(vm: string, d: DestinationInput | null): AttachJob {
    return new AttachJob({ libvirt: localLibvirt(), vm, source: localModel(), destination: destinationOrNull(d)?.transport ?? null });
}
