/* The guest pinged from this host before its migration (src/migration/guest-reach.ts), for the migration stage. */
import { REACH_FRESH_MS, type ReachBefore, pingGuest, reachBefore, reachFinding } from "../migration/guest-reach";
import type { Finding } from "../checks/types";
import { localHost } from "./hosts";

export { REACH_FRESH_MS };

export interface PingHere {
    address: string;
    /** when it was asked */
    at: number;
    finding: Finding<"guest-reach-before">;
    /** what the departure note keeps of it; null when it proves nothing about the VF's path */
    reach: ReachBefore | null;
}

export async function pingGuestHere(address: string): Promise<PingHere> {
    const p = await pingGuest(localHost(), address);
    return { address: p.address, at: p.at, finding: reachFinding(p), reach: reachBefore(p) };
}

/** The answer a migration started now keeps: none when it is minutes old (not "right before" the call any more). */
export const reachToKeep = (r: ReachBefore | null, now = Date.now()): ReachBefore | null =>
    (r && now - r.at < REACH_FRESH_MS ? r : null);
