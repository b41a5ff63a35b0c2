/*
 * Maintenance of this host: the VMs that block its reboot or firmware reset move to the peer (the evacuation), the
 * preparation goes on with the reboot or reset and the rest, and the VMs come back from the peer's page. Each phase
 * starts when the admin says so (the evacuation's and the reboot's own confirmations). The run is kept in the
 * browser, on this host's key (saved.ts): a page that closes, or this host's reboot, resumes it where it was.
 */
import { isBusy, leftHere, type EvacuationState } from "./evacuation-run";
import { isPlain } from "./evacuation";
import { type DestinationInput, sameDestination } from "./hosts";
import { perHostKey, restore, save } from "./saved";

/** evacuate: the VMs are moving off; prepare: the preparation goes on (reboot or reset first); then they come back */
export type MaintenancePhase = "evacuate" | "prepare" | "return" | "done";

export interface MaintenanceRecord {
    peer: DestinationInput;
    /** the VMs that blocked the reboot or reset (those still to move, when the preparation asked again) */
    vms: string[];
    /** the admin's last move: "prepare" once the evacuation was done and the preparation asked to go on */
    phase: "evacuate" | "prepare";
    /** the VMs the evacuations moved, and whether some of them held no VF (they come back the same way) */
    moved: string[];
    plain: boolean;
    /** when the admin last asked to move VMs: an evacuation started before is not this maintenance's */
    startedAt: number;
}

const maintenanceKey = (): string => perHostKey("vf-migration:maintenance");

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(x => typeof x === "string");

function accept(v: unknown): MaintenanceRecord | null {
    const x = v as Partial<MaintenanceRecord> | null;
    if (!x || typeof x !== "object" || !x.peer || typeof x.peer.host !== "string" || !strings(x.vms) || !strings(x.moved) ||
        (x.phase !== "evacuate" && x.phase !== "prepare") || typeof x.plain !== "boolean" || typeof x.startedAt !== "number")
        return null;
    return x as MaintenanceRecord;
}

export const savedMaintenance = (): MaintenanceRecord | null => restore(maintenanceKey(), accept).value;
export const saveMaintenance = (r: MaintenanceRecord): void => save(maintenanceKey(), r);
export const forgetMaintenance = (): void => localStorage.removeItem(maintenanceKey());

export const newMaintenance = (peer: DestinationInput, vms: readonly string[], now: number): MaintenanceRecord =>
    ({ peer, vms: [...vms], phase: "evacuate", moved: [], plain: false, startedAt: now });

/** Back to moving VMs: those that still block the reboot or reset (one that failed to move, one started since). */
export const moveMore = (m: MaintenanceRecord, vms: readonly string[], now: number): MaintenanceRecord =>
    ({ ...m, phase: "evacuate", vms: [...vms], startedAt: now });

export interface EvacuationOutcome {
    moved: string[];
    /** some moved VM held no VF */
    plain: boolean;
    /** VMs of the maintenance that still run here (not moved, failed, cancelled or left out of the plan) */
    left: string[];
}

/** The evacuation kept in the browser, as far as this maintenance asks: when it started, and toward where. */
export interface KeptEvacuation {
    startedAt: number;
    destination: DestinationInput;
}

/**
 * What the evacuation did for this maintenance, once nothing of it runs or waits; null while it does, or when the
 * evacuation kept in the browser is not this maintenance's: started before it (of the same VMs perhaps, brought back
 * since), or toward another host.
 */
export function evacuationOutcome(m: MaintenanceRecord, s: EvacuationState | null, kept: KeptEvacuation | null): EvacuationOutcome | null {
    if (!s || !kept || kept.startedAt < m.startedAt || !sameDestination(kept.destination, m.peer) ||
        s.phase === "attaching" || s.rows.some(r => isBusy(r.status) || r.status === "waiting"))
        return null;
    const ours = s.rows.filter(r => m.vms.includes(r.row.vm));
    if (ours.length === 0)
        return null;
    const moved = ours.filter(r => leftHere(r.status));
    return {
        moved: moved.map(r => r.row.vm),
        plain: moved.some(r => isPlain(r.row)),
        left: m.vms.filter(vm => !moved.some(r => r.row.vm === vm)),
    };
}

/**
 * No evacuation is kept (its report cleared, or the VMs moved or shut down another way): the maintenance goes on
 * once none of its VMs runs here, with the VMs its evacuations moved. Null while one still runs here, or unread.
 */
export function outcomeWithoutEvacuation(m: MaintenanceRecord, runningHere: readonly string[] | null): EvacuationOutcome | null {
    if (runningHere === null || m.vms.some(vm => runningHere.includes(vm)))
        return null;
    return { moved: m.moved, plain: m.plain, left: [] };
}

/** The record with what an evacuation moved noted, kept when its report is cleared; null when it adds nothing. */
export function noteMoved(m: MaintenanceRecord, o: EvacuationOutcome): MaintenanceRecord | null {
    const moved = [...new Set([...m.moved, ...o.moved])];
    const plain = m.plain || o.plain;
    return moved.length === m.moved.length && plain === m.plain ? null : { ...m, moved, plain };
}

/** The record once the admin asks the preparation to go on after the evacuation. */
export const afterEvacuation = (m: MaintenanceRecord, o: EvacuationOutcome): MaintenanceRecord =>
    ({ ...(noteMoved(m, o) ?? m), phase: "prepare" });

/**
 * Where the maintenance is, read from the hosts: after the evacuation, "return" once this host is prepared, and
 * "done" once every VM it moved runs here again (`runningHere`: this host's running VMs, null when unread).
 */
export function maintenancePhase(m: MaintenanceRecord, hostReady: boolean, runningHere: readonly string[] | null): MaintenancePhase {
    if (m.phase === "evacuate")
        return "evacuate";
    if (!hostReady)
        return "prepare";
    // nothing moved (the VMs were shut down instead): nothing to bring back
    return m.moved.length === 0 || (runningHere !== null && m.moved.every(vm => runningHere.includes(vm))) ? "done" : "return";
}

/** The VMs moved off that do not run here again yet. */
export const notBack = (m: MaintenanceRecord, runningHere: readonly string[] | null): string[] =>
    m.moved.filter(vm => !(runningHere ?? []).includes(vm));
