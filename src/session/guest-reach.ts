/* The guest pinged from this host before its migration (src/migration/guest-reach.ts), for the migration stage. */
import { type ReachBefore, pingGuest, reachBefore, reachFinding } from "../migration/guest-reach";
import type { Finding } from "../checks/types";
import { localHost } from "./hosts";

export interface PingHere {
    address: string;
    finding: Finding<"guest-reach-before">;
    /** what the departure note keeps of it; null when it proves nothing about the VF's path */
    reach: ReachBefore | null;
}

export async function pingGuestHere(address: string): Promise<PingHere> {
    const p = await pingGuest(localHost(), address);
    return { address: p.address, finding: reachFinding(p), reach: reachBefore(p) };
}
