/**
 * `dmesg` lines (possibly filtered by grep) about the IOMMU: "[    0.207585] DMAR: IOMMU enabled",
 * "ACPI: DMAR ..." (the firmware table), "AMD-Vi: ...", "iommu: Default domain type: Passthrough ...",
 * "Kernel command line: ...". Any dmesg line is understood; lines without a timestamp (dmesg -t) too.
 * dmesg rotates: absence here proves nothing — prefer /sys/class/iommu.
 */
import { linesOf } from "./common";

export interface IommuDmesg {
    /** "ACPI: DMAR" table seen (Intel VT-d described by firmware). */
    dmarTable: boolean;
    /** "DMAR: IOMMU enabled". */
    intelIommuEnabled: boolean;
    /** Any "AMD-Vi:" line. */
    amdVi: boolean;
    /** "iommu: Default domain type: Passthrough". */
    passthrough: boolean;
    /** Kernel command line as logged at boot, if present. */
    cmdline?: string;
    /** Matching lines, without timestamps. */
    evidence: string[];
}

export function parseIommuDmesg(text: string): IommuDmesg {
    const out: IommuDmesg = { dmarTable: false, intelIommuEnabled: false, amdVi: false, passthrough: false, evidence: [] };
    for (const line of linesOf(text)) {
        const msg = line.text.replace(/^\[\s*[0-9]+\.[0-9]+\]\s?/, "");
        let hit = true;
        const cmd = /^Kernel command line: (.*)$/.exec(msg);
        if (cmd) out.cmdline = cmd[1];
        else if (/^ACPI: DMAR\b/.test(msg)) out.dmarTable = true;
        else if (/^DMAR: IOMMU enabled$/.test(msg)) out.intelIommuEnabled = true;
        else if (/^AMD-Vi: /.test(msg)) out.amdVi = true;
        else if (/^iommu: Default domain type: Passthrough/.test(msg)) out.passthrough = true;
        else hit = false;
        if (hit) out.evidence.push(msg);
    }
    return out;
}
