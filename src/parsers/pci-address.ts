/**
 * PCI addresses as the parsers report them: "0000:e1:00.1" (lowercase, 4-digit domain). Validating an address
 * typed or found elsewhere is src/host/values/pci.ts's PciAddress.
 */

export function formatPciAddress(domain: number, bus: number, slot: number, fn: number): string {
    const hex = (n: number, w: number) => n.toString(16).padStart(w, "0");
    return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${fn}`;
}

export const PCI_LIMITS = { domain: 0xffff, bus: 0xff, slot: 0x1f, function: 7 } as const;
