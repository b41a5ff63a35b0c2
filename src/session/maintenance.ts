/*
 * Maintenance of this host: the VMs that block its reboot or firmware reset move to the peer (the evacuation), the
 * preparation goes on with the reboot or reset and the rest, and the VMs come back from the peer's page. Each phase
 * starts when the admin says so (the evacuation's and the reboot's own confirmations). The run is kept in the
 * browser, on this host's key (saved.ts): a page that closes, or this host's reboot, resumes it where it was.
 */
import { isBusy, type EvacuationState } from "./evacuation-run";
import { isPlain } from "./evacuation";
import type { DestinationInput } from "./hosts";
import { restore, save } from "./saved";

/** evacuate: the VMs are moving off; prepare: the preparation goes on (reboot or reset first); then they come back */
export type MaintenancePhase = "evacuate" | "prepare" | "return" | "done";

export interface MaintenanceRecord {
    peer: DestinationInput;
    /** the VMs that blocked the reboot or reset */
    vms: string[];
    /** the admin's last move: "prepare" once the evacuation was done and the preparation asked to go on */
    phase: "evacuate" | "prepare";
    /** the VMs the evacuation moved, and whether some of them held no VF (they come back the same way) */
    moved: string[];
    plain: boolean;
    startedAt: number;
}

export const MAINTENANCE_KEY = "vf-migration:maintenance";

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(x => typeof x === "string");

function accept(v: unknown): MaintenanceRecord | null {
    const x = v as Partial<MaintenanceRecord> | null;
    if (!x || typeof x !== "object" || !x.peer || typeof x.peer.host !== "string" || !strings(x.vms) || !strings(x.moved) ||
        (x.phase !== "evacuate" && x.phase !== "prepare") || typeof x.plain !== "boolean" || typeof x.startedAt !== "number")
        return null;
    return x as MaintenanceRecord;
}

export const savedMaintenance = (): MaintenanceRecord | null => restore(MAINTENANCE_KEY, accept).value;
export const saveMaintenance = (r: MaintenanceRecord): void => save(MAINTENANCE_KEY, r);
export const forgetMaintenance = (): void => localStorage.removeItem(MAINTENANCE_KEY);

export const newMaintenance = (peer: DestinationInput, vms: readonly string[], now: number): MaintenanceRecord =>
    ({ peer, vms: [...vms], phase: "evacuate", moved: [], plain: false, startedAt: now });

export interface EvacuationOutcome {
    moved: string[];
    /** some moved VM held no VF */
    plain: boolean;
    /** VMs of the maintenance that still run here (not moved, failed, cancelled or left out of the plan) */
    left: string[];
}

/**
 * What the evacuation did for this maintenance, once nothing of it runs or waits; null while it does, or when the
 * run kept in the browser (started at `startedAt`) is not this maintenance's: an earlier evacuation, of the same VMs
 * perhaps, that brought them back since.
 */
export function evacuationOutcome(m: MaintenanceRecord, s: EvacuationState | null, startedAt: number | null): EvacuationOutcome | null {
    if (!s || startedAt === null || startedAt < m.startedAt || s.phase === "attaching" || s.rows.some(r => isBusy(r.status) || r.status === "waiting"))
        return null;
    const ours = s.rows.filter(r => m.vms.includes(r.row.vm));
    if (ours.length === 0)
        return null;
    const moved = ours.filter(r => r.status === "moved" || r.status === "not-here");
    return {
        moved: moved.map(r => r.row.vm),
        plain: moved.some(r => isPlain(r.row)),
        left: m.vms.filter(vm => !moved.some(r => r.row.vm === vm)),
    };
}

/** The record once the admin asks the preparation to go on after the evacuation. */
export const afterEvacuation = (m: MaintenanceRecord, o: EvacuationOutcome): MaintenanceRecord =>
    ({ ...m, phase: "prepare", moved: o.moved, plain: o.plain });

/**
 * Where the maintenance is, read from the hosts: after the evacuation, "return" once this host is prepared, and
 * "done" once every VM it moved runs here again (`runningHere`: this host's running VMs, null when unread).
 */
export function maintenancePhase(m: MaintenanceRecord, hostReady: boolean, runningHere: readonly string[] | null): MaintenancePhase {
    if (m.phase === "evacuate")
        return "evacuate";
    if (!hostReady)
        return "prepare";
    return runningHere !== null && m.moved.every(vm => runningHere.includes(vm)) ? "done" : "return";
}

/** The VMs moved off that do not run here again yet. */
export const notBack = (m: MaintenanceRecord, runningHere: readonly string[] | null): string[] =>
    m.moved.filter(vm => !(runningHere ?? []).includes(vm));
