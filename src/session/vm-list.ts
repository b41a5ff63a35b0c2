/*
 * The running VMs of this host with the VFs they hold, as the wizard's first stage lists them: loading, loaded or
 * failed, read again on demand. A VM whose definition cannot be read stays in the list with its problem.
 */
import type { LibvirtClient } from "../libvirt";
import { explainLibvirtError } from "../migration/errors";
import { Store } from "./emitter";
import { localLibvirt } from "./hosts";
import { runningVms, type RunningVm } from "./vms";

export interface VmListState {
    status: "loading" | "loaded" | "error";
    /** sorted by name; empty while loading or after an error */
    vms: RunningVm[];
    error: { summary: string; detail: string } | null;
}

export class VmList extends Store<VmListState> {
    private generation = 0;

    constructor(private readonly libvirt: LibvirtClient) {
        super({ status: "loading", vms: [], error: null });
    }

    /** Reads the list (again); a later call supersedes an earlier one still running. */
    async load(): Promise<void> {
        const gen = ++this.generation;
        this.update({ status: "loading", vms: [], error: null });
        try {
            const vms = await runningVms(this.libvirt);
            if (gen === this.generation)
                this.update({ status: "loaded", vms });
        } catch (e) {
            if (gen === this.generation) {
                const x = explainLibvirtError(e);
                this.update({ status: "error", error: { summary: x.summary, detail: x.detail } });
            }
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
export const localVmList = (): VmList => new VmList(localLibvirt());
