/*
 * The adapter port that carries VFs, as the admin chose it for a host: a dual-port ConnectX-7 shows two PFs, and the
 * checks, the preparation and the exports are about one (checks/hardware.ts primaryNic). Kept in the browser, per
 * host; a choice no longer among the host's ports is said so by the checks, and no other port is taken instead.
 */
import type { HostFacts } from "../checks/facts";
import { PciAddress } from "../host/values";
import { perHostKey } from "./saved";
import { primaryNic } from "../checks/hardware";

const key = (host: string) => perHostKey(`vf-migration:port:${host}`);

/** The port chosen for the host reached as `host`, or null (the default port). */
export function savedPort(host: string): string | null {
    try {
        const v = localStorage.getItem(key(host));
        return v !== null && PciAddress.parse(v).ok ? v : null;
    } catch {
        return null;
    }
}

export function savePort(host: string, pf: string): void {
    try {
        localStorage.setItem(key(host), PciAddress.of(pf));
    } catch {
        // storage full or refused: the choice holds for this visit only
    }
}

/** The facts, about the chosen port. */
export const withPort = (facts: HostFacts, pf: string | null): HostFacts => (pf ? { ...facts, chosenPf: pf } : facts);

export interface PortChoice {
    pci: string;
    /** its port number on its adapter, from 1 */
    port: number;
    netdev: string | null;
    /** what it runs now, when known */
    linkType: "eth" | "ib" | null;
    chosen: boolean;
}

/** The ConnectX-7 ports of the host, the one the checks are about marked. */
export function portChoices(facts: HostFacts): PortChoice[] {
    const chosen = primaryNic(facts);
    return (facts.nics.known ? facts.nics.value : []).map(n => ({
        pci: n.pci, port: n.port, netdev: n.netdev,
        linkType: n.linkType?.known && (n.linkType.value === "eth" || n.linkType.value === "ib") ? n.linkType.value : null,
        chosen: n === chosen,
    }));
}
