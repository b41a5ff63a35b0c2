/**
 * PCI addresses as the parsers report them: "0000:e1:00.1" (lowercase, 4-digit domain).
 * Local to the parsers on purpose (src/host/values.ts has the validated type; the lead reconciles).
 */

const BDF = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

/** "e1:00.1", "0000:E1:00.1" -> "0000:e1:00.1"; undefined when not a PCI address. */
export function normalisePciAddress(s: string): string | undefined {
    const m = BDF.exec(s.trim());
    if (!m || parseInt(m[3], 16) > 0x1f)
        return undefined;
    return `${(m[1] ?? "0").padStart(4, "0")}:${m[2].padStart(2, "0")}:${m[3].padStart(2, "0")}.${m[4]}`.toLowerCase();
}

export function formatPciAddress(domain: number, bus: number, slot: number, fn: number): string {
    const hex = (n: number, w: number) => n.toString(16).padStart(w, "0");
    return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${fn}`;
}

export const PCI_LIMITS = { domain: 0xffff, bus: 0xff, slot: 0x1f, function: 7 } as const;
