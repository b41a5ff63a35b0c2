/* The probe of one host for views that hold a transport: the session's model of that host, read when they open. */
import { type HostTransport } from "../../session/input";
import { modelOf } from "../../session/hosts";
import type { HostState } from "../../session/host-model";
import { useHostModel } from "../useHostModel";

export type HostProbeState = Pick<HostState, "facts" | "vms" | "busy" | "error" | "roundTrips" | "refreshedAt">;

/** Probes a host and keeps its facts (see session/host-model.ts). */
export function useHostProbe(transport: HostTransport | null, superuser: boolean): HostProbeState & { refresh: () => void } {
    return useHostModel(transport ? modelOf(transport) : null, superuser);
}
