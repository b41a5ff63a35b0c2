/*
 * The running VMs of this host with the VFs they hold, as the wizard's first stage lists them: loading, loaded or
 * failed, read again on demand. A VM whose definition cannot be read stays in the list with its problem.
 */
import { type HostTransport, TransportError } from "../host/transport";
import type { LibvirtClient } from "../libvirt";
import type { Departure } from "../migration/departures";
import { departedVms } from "./departures";
import { explainLibvirtError } from "../migration/errors";
import { Store } from "./emitter";
import { localHost, localLibvirt } from "./hosts";
import { runningVms, type RunningVm } from "./vms";

export interface VmListState {
    status: "loading" | "loaded" | "error";
    /** sorted by name; empty while loading or after an error */
    vms: RunningVm[];
    error: { summary: string; detail: string } | null;
    /** VMs that left this host through the page and do not run here again, newest first (departed.json) */
    departed: Departure[];
    /** why departed.json could not be read (null: read, or no administrative access to read it) */
    departedError: string | null;
}

export class VmList extends Store<VmListState> {
    private generation = 0;

    constructor(private readonly libvirt: LibvirtClient, private readonly host: HostTransport | null = null) {
        super({ status: "loading", vms: [], error: null, departed: [], departedError: null });
    }

    /** Reads the list (again); a later call supersedes an earlier one still running. */
    async load(): Promise<void> {
        const gen = ++this.generation;
        this.update({ status: "loading", vms: [], error: null });
        try {
            const vms = await runningVms(this.libvirt);
            if (gen === this.generation)
                this.update({ status: "loaded", vms });
            if (this.host)
                await this.loadDeparted(gen, vms.map(v => v.name));
        } catch (e) {
            if (gen === this.generation) {
                const x = explainLibvirtError(e);
                this.update({ status: "error", error: { summary: x.summary, detail: x.detail } });
            }
        }
    }

    private async loadDeparted(gen: number, here: string[]): Promise<void> {
        try {
            const departed = await departedVms(this.host as HostTransport, here);
            if (gen === this.generation)
                this.update({ departed, departedError: null });
        } catch (e) {
            // without administrative access the file cannot be read: nothing to say
            const denied = e instanceof TransportError && e.kind === "permission-denied";
            if (gen === this.generation)
                this.update({ departed: [], departedError: denied ? null : String((e as Error).message ?? e) });
        }
    }

    /** The view opens: the list is read. */
    open(): Promise<void> {
        return this.load();
    }

    /** Drops what runs and the libvirt connection. */
    close(): void {
        this.generation++;
        this.libvirt.close();
    }
}

/** This host's VM list, on its own journaled libvirt-dbus connection. */
export const localVmList = (): VmList => new VmList(localLibvirt(), localHost());
