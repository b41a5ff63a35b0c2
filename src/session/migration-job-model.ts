/*
 * What a migration job (migration-job.ts) is made of and tells: its phases, state, events and input, the gate of
 * the VF re-checks before the call, the poll intervals, and how a failed or vanished migration is said.
 */
import { _, format } from "../lib/cockpit";
import type { PciAddress } from "../host/values";
import type { HostTransport } from "../host/transport";
import type { LibvirtClient } from "../libvirt/client";
import type { VfRecheck } from "../migration/destination-vf";
import { vlanMismatch } from "../migration/vf-vlan";
import { explainLibvirtError, type ExplainedError } from "../migration/errors";
import type { MigrationForm, MigrationPlan } from "../migration/plan";
import type { ProgressState } from "../migration/progress";
import type { VmWhere } from "../migration/vm-where";
import type { DepartureRecorder } from "./departures";

/** The plan and the documents it was built from (shown as a diff). */
export interface PlanSource {
    plan: MigrationPlan;
    liveXml: string;
    inactiveXml?: string;
}

export type MigratePhase =
    | { kind: "loading" }
    | { kind: "blocked"; message: string; details: string[] }
    | { kind: "absent" }
    | { kind: "ready" }
    | { kind: "rechecking" }
    | { kind: "refused"; check: VfRecheck }
    | { kind: "running"; attached: boolean }
    | { kind: "failed"; error: ExplainedError; where: VmWhere }
    | { kind: "done" };

/** How a running migration ended. */
export type MigrationEnd =
    | { kind: "completed"; attached: boolean }
    | { kind: "failed" | "cancelled"; error: ExplainedError; where: VmWhere }
    /** the job is gone, and so is the VM: from this host and from the destination */
    | { kind: "vanished"; error: ExplainedError; where: VmWhere };

export interface MigrationJobState {
    phase: MigratePhase;
    source: PlanSource | null;
    vfCheck: VfRecheck | null;
    /** this host's VF (the VM's), checked with the destination's */
    sourceVfCheck: VfRecheck | null;
    progress: ProgressState;
    /** what happened along the way (the maximum pause set, or not) */
    notes: string[];
    /** something runs on a host: the wizard disables Back meanwhile */
    busy: boolean;
    /**
     * this page's MigrateToURI3 has not answered yet: it holds one of libvirt-dbus's threads, also for the moment
     * after libvirt's event said the migration completed
     */
    callPending: boolean;
}

export type MigrationJobEvent =
    | { kind: "phase"; phase: MigratePhase }
    | { kind: "progress"; progress: ProgressState }
    | { kind: "note"; note: string }
    | { kind: "end"; end: MigrationEnd }
    /** libvirt's migration completed: the VM runs on the destination; "end" follows once its departure is noted */
    | { kind: "left" }
    /** anything else of the state changed (plan, VF check, busy) */
    | { kind: "state" };

/** How long the end waits for its note on this host before it is shown anyway. */
export const NOTE_WAIT_MS = 10000;

export interface Timers {
    set(fn: () => void, ms: number): unknown;
    clear(handle: unknown): void;
}

export const realTimers: Timers = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: h => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface MigrationJobInput {
    libvirt: LibvirtClient;
    vm: string;
    /** the migration form (host, user, transport and the chosen options); null when no destination is chosen */
    form: MigrationForm | null;
    /** the destination, reached over SSH: the VF re-check, and where the VM is after a vanished job */
    destination: HostTransport | null;
    destinationVf: string | null;
    sourceVf: string | null;
    /** a plain live migration of a VM that holds no VF (an evacuation's): no VF to move, none to check */
    plain?: boolean;
    timers?: Timers;
    /** notes on this host where the VM goes, as the call is made and at its end (departed.json; a failed write shows in the command log) */
    departures?: DepartureRecorder;
    /** the destination VF's re-check (src/migration/destination-vf.ts by default) */
    recheckVf?: (t: HostTransport, vf: PciAddress) => Promise<VfRecheck>;
    /** this host, for the check of its VF (none: not checked) */
    local?: HostTransport;
    /** this host's VF check (src/migration/source-vf.ts by default) */
    recheckSourceVf?: (t: HostTransport, vf: PciAddress, vm: string) => Promise<VfRecheck>;
}

/** What decides the call: this host's VF unless it passed, then the destination's, then the VLAN of both representors. */
export const vfGate = (source: VfRecheck | null, destination: VfRecheck): VfRecheck =>
    (source && source.verdict !== "pass" ? source
        : destination.verdict === "pass" ? vlanMismatch(source, destination) ?? destination : destination);

export const POLL_MS = 1000;
/**
 * Near the end (less than END_MS of data left to send, or the VM already gone from this host), a job followed after
 * the page opened again (no call of ours) is asked every FAST_POLL_MS: its end is seen only so.
 */
export const FAST_POLL_MS = 100;
export const END_MS = 2000;
/**
 * Near the end of a migration of our own call, GetJobStats is not asked for this long: the call's answer or libvirt's
 * "stopped, migrated" event ends it. Once QEMU has sent the last bytes, libvirt stops the source QEMU with the VM's lock
 * held (1.2–2.2 s measured on the pair); libvirt-dbus looks the VM up by UUID for each call, and libvirtd's lookup
 * waits for that lock while holding its list of VMs, which another migration's last step (removing its VM from that
 * list) must then wait for: its answer came up to a second late (docs/performance.md, "Evacuation", session 37).
 * After this long a poll comes again, in case the estimate of the end was wrong.
 */
export const QUIET_END_MS = 10_000;
/**
 * What start() reads (the plan, both VFs), read ahead by an evacuation (or by the wizard, without the destination's
 * VF), serves a start() this many ms later at most; an older read is made again. A VF another VM takes meanwhile
 * libvirt refuses; a change the re-check alone sees (the representor, the VLAN, `migratable`) made in that window
 * goes unseen.
 */
export const AHEAD_MS = 5000;
/**
 * While the admin reads an evacuation's confirmation or the wizard's plan, the reads begun ahead are made again once
 * this old, so that a start finds them younger than AHEAD_MS after the VM's lookup (up to 0.7 s measured); for at
 * most WARM_FOR_MS.
 */
export const WARM_REFRESH_MS = 3500;
export const WARM_FOR_MS = 120_000;

/**
 * `read` now, then every WARM_REFRESH_MS until WARM_FOR_MS have passed since the first: what keeps start()'s reads
 * younger than AHEAD_MS while the admin reads the plan (the wizard) or the confirmation (an evacuation). The
 * returned function stops it.
 */
export function keepWarm(read: () => void, now: () => number = Date.now): () => void {
    const since = now();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = () => {
        read();
        timer = now() - since < WARM_FOR_MS ? setTimeout(tick, WARM_REFRESH_MS) : null;
    };
    tick();
    return () => {
        if (timer !== null)
            clearTimeout(timer);
        timer = null;
    };
}

export const cancelledError = (detail: string): ExplainedError => ({ ...explainLibvirtError({ message: "canceled by client" }), detail });

/**
 * A failed MigrateToURI3 in words. libvirt words a cancelled peer-to-peer migration in several ways (the
 * destination's connection closing among them): the admin's confirmed abort, with the VM still running here,
 * is what tells it.
 */
export function failedCallEnd(e: unknown, aborted: boolean, where: VmWhere, dataSent = false): MigrationEnd {
    const x = explainLibvirtError(e, { dataSent });
    const error = aborted && where === "running-here" && x.kind !== "cancelled" ? cancelledError(x.detail) : x;
    return { kind: error.kind === "cancelled" ? "cancelled" : "failed", error, where };
}

/** Nothing on either host: said as an error of its own, never as a success. */
export function vanishedError(vm: string, destination: string): ExplainedError {
    return {
        kind: "unknown", outcomeKnown: false,
        summary: format(
            _("$0 is on neither host: its migration job ended, libvirt here no longer runs it, and the destination does not run it"), vm),
        checks: [
            _("virsh list --all on this host and on the destination"),
            _("The system logs of both hosts (journalctl -u virtqemud -u libvirtd)"),
        ],
        detail: format(_("The destination ($0) does not run $1"), destination, vm),
    };
}
