import { _, format, ngettext } from "../lib/cockpit";
import type { HostContext, HostFacts } from "./facts";
import type { CheckDef, Verdict } from "./types";
import { DOCS_IOMMU, DOCS_VF_MIGRATION, commandFix, manualFix, result, unknownResult } from "./helpers";
import { fwVfMigration, primaryNic } from "./hardware";
import { iommuArgsFor, kernelArgsOff, kernelArgsSetArgv, kernelArgsState, passthroughMissing } from "../rules/kernel";

export { iommuArgsFor } from "../rules/kernel";

/** The firmware provides no IOMMU (virt-host-validate found no ACPI table) and none is active: no kernel argument helps. */
export const firmwareLacksIommu = (f: HostFacts): boolean =>
    f.hardwareIommu.known && f.hardwareIommu.value === "fail" && !(f.iommuActive.known && f.iommuActive.value);

export const FIRMWARE_IOMMU_FIX = () =>
    _("Enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the system firmware setup, then read the host again.");

export const hardwareIommu: CheckDef<HostContext> = {
    id: "iommu-hardware",
    group: "kernel",
    get title() { return _("IOMMU in CPU and firmware"); },
    get description() {
        return _("The CPU and the system firmware provide an IOMMU (Intel VT-d or AMD-Vi), as virt-host-validate reports.");
    },
    get why() { return _("A VF is handed to the VM through VFIO, which needs an IOMMU to isolate the device's memory accesses."); },
    docs: DOCS_IOMMU,
    evaluate: ({ facts: f }) => {
        const h = f.hardwareIommu;
        if (!h.known)
            return unknownResult("iommu-hardware", h);
        if (h.value === "fail")
            return result("iommu-hardware", "fail", _("No IOMMU reported by the hardware"), h.evidence,
                          manualFix(FIRMWARE_IOMMU_FIX()));
        return result("iommu-hardware", h.value === "warn" ? "warn" : "pass",
                      h.value === "warn" ? _("IOMMU present but not enabled in the kernel") : _("IOMMU present"), h.evidence);
    },
};

export const iommuKernel: CheckDef<HostContext> = {
    id: "iommu-kernel",
    group: "kernel",
    get title() { return _("IOMMU enabled in the kernel"); },
    get description() { return _("The running kernel has the IOMMU on, with the arguments RHEL documents for this CPU."); },
    get why() { return _("Without an active IOMMU, libvirt cannot bind the VF to mlx5_vfio_pci."); },
    docs: DOCS_IOMMU,
    evaluate: ({ facts: f }) => {
        if (!f.cpuVendor.known)
            return unknownResult("iommu-kernel", f.cpuVendor);
        if (!f.cmdline.known)
            return unknownResult("iommu-kernel", f.cmdline);
        if (!f.iommuActive.known)
            return unknownResult("iommu-kernel", f.iommuActive);
        // no kernel argument can turn on an IOMMU the firmware does not provide: no reboot is offered for it
        if (firmwareLacksIommu(f))
            return result("iommu-kernel", "fail", _("The system firmware provides no IOMMU: kernel arguments cannot enable it"),
                          [...f.hardwareIommu.evidence, ...f.iommuActive.evidence], manualFix(FIRMWARE_IOMMU_FIX()));
        const k = { vendor: f.cpuVendor.value, cmdline: f.cmdline.value, next: f.nextBootArgs.known ? f.nextBootArgs.value : [], active: f.iommuActive.value };
        const wanted = iommuArgsFor(k.vendor);
        const ev = [...f.cmdline.evidence, ...f.iommuActive.evidence, ...f.nextBootArgs.evidence];
        const state = kernelArgsState(k);
        if (state === "active" && passthroughMissing(k))
            return result("iommu-kernel", "warn",
                          format(_("Active, without $0: the host's own devices go through the IOMMU's translation, which costs them some throughput. The VF does not need it."), "iommu=pt"),
                          ev, k.next.includes("iommu=pt") ? manualFix(format(_("$0 is set for the next boot: it takes effect at the next reboot."), "iommu=pt"))
                              : commandFix(_("Then reboot the host when convenient."), kernelArgsSetArgv(k)));
        if (state === "active")
            return result("iommu-kernel", "pass", format(_("Active, with $0"), wanted.join(" ")), ev);
        if (state === "next-boot")
            return result("iommu-kernel", "pending-reboot", format(_("$0 is set for the next boot"), wanted.join(" ")), ev,
                          manualFix(_("Reboot the host to activate it.")));
        const off = kernelArgsOff({ ...k, next: [] });
        const missingNow = wanted.filter(a => !k.cmdline.includes(a));
        return result("iommu-kernel", "fail",
                      off.length ? format(_("The kernel was started with $0"), off.join(" "))
                          : k.active ? format(_("Missing kernel arguments: $0"), missingNow.join(" ")) : _("The IOMMU is not active"),
                      ev, commandFix(_("Then reboot the host."), kernelArgsSetArgv(k)));
    },
};

export const iommuGroups: CheckDef<HostContext> = {
    id: "iommu-groups",
    group: "kernel",
    get title() { return _("VF isolated in its IOMMU group"); },
    get description() { return _("Each VF sits alone in its IOMMU group (PCIe ACS isolates it)."); },
    get why() {
        return _("VFIO hands over a whole IOMMU group: a VF sharing its group with other devices cannot be given to a VM alone.");
    },
    docs: DOCS_IOMMU,
    evaluate: ({ facts: f }) => {
        const nic = primaryNic(f);
        if (!f.nics.known)
            return unknownResult("iommu-groups", f.nics);
        if (!nic || nic.vfs.length === 0)
            return result("iommu-groups", "unknown", _("No VF yet: checked once a VF exists"), f.nics.evidence);
        const shared = nic.vfs.filter(v => v.iommuGroupMembers.length > 1);
        const noGroup = nic.vfs.filter(v => v.iommuGroup === null);
        if (noGroup.length)
            return result("iommu-groups", "fail", format(_("VF $0 has no IOMMU group"), noGroup[0].pci), f.nics.evidence);
        if (shared.length)
            return result("iommu-groups", "fail", format(_("VF $0 shares IOMMU group $1 with $2"), shared[0].pci,
                                                         shared[0].iommuGroup ?? "", shared[0].iommuGroupMembers.filter(m => m !== shared[0].pci).join(", ")),
                          f.nics.evidence, manualFix(_("Enable ACS in the system firmware, or use a slot whose PCIe bridge supports it.")));
        return result("iommu-groups", "pass",
                      format(ngettext("$0 VF, in its own group", "$0 VFs, each in its own group", nic.vfs.length), nic.vfs.length),
                      f.nics.evidence);
    },
};

export const kvm: CheckDef<HostContext> = {
    id: "kvm",
    group: "kernel",
    get title() { return _("KVM hypervisor"); },
    get description() { return _("The host runs the KVM hypervisor (/dev/kvm)."); },
    get why() { return _("Both hosts must run KVM for a live migration."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => {
        if (!f.kvm.known)
            return unknownResult("kvm", f.kvm);
        return f.kvm.value
            ? result("kvm", "pass", _("/dev/kvm is present"), f.kvm.evidence)
            : result("kvm", "fail", _("/dev/kvm is missing"), f.kvm.evidence,
                     manualFix(_("Enable virtualization (VT-x/AMD-V) in the system firmware and load the kvm module.")));
    },
};

export const mlx5VfioPci: CheckDef<HostContext> = {
    id: "mlx5-vfio-pci",
    group: "kernel",
    get title() { return _("mlx5_vfio_pci driver"); },
    get description() {
        return _("The kernel knows the mlx5_vfio_pci VFIO variant driver (modules.alias), which libvirt binds to the VF.");
    },
    get why() { return _("Plain vfio-pci cannot migrate a ConnectX VF; only mlx5_vfio_pci carries its state across."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ({ facts: f }) => {
        if (!f.mlx5VfioPciKnown.known)
            return unknownResult("mlx5-vfio-pci", f.mlx5VfioPciKnown);
        return f.mlx5VfioPciKnown.value
            ? result("mlx5-vfio-pci", "pass", _("The kernel provides mlx5_vfio_pci"), f.mlx5VfioPciKnown.evidence)
            : result("mlx5-vfio-pci", "fail", _("This kernel has no mlx5_vfio_pci"), f.mlx5VfioPciKnown.evidence,
                     manualFix(_("Update to a RHEL 9.4 or later kernel.")));
    },
};

export const migratableSupported: CheckDef<HostContext> = {
    id: "migratable-supported",
    group: "kernel",
    get title() { return _("devlink migratable attribute"); },
    get description() {
        return _("devlink shows the migratable attribute of VF port functions (kernel, iproute2 and firmware support it).");
    },
    get why() { return _("The VF's port function must be marked migratable before the VF is attached."); },
    docs: DOCS_VF_MIGRATION,
    evaluate: ctx => {
        const f = ctx.facts;
        const nic = primaryNic(f);
        if (!f.nics.known)
            return unknownResult("migratable-supported", f.nics);
        if (!nic)
            return result("migratable-supported", "unknown", _("No ConnectX-7 found"), f.nics.evidence);
        const m = nic.migratableSupported;
        if (!m.known)
            return unknownResult("migratable-supported", m);
        if (m.value)
            return result("migratable-supported", "pass", _("devlink reports migratable"), m.evidence);
        return result("migratable-supported", "fail", _("devlink does not report migratable on the VF ports"), m.evidence,
                      manualFix(migratableCause(fwVfMigration.evaluate(ctx).verdict)));
    },
};

/**
 * Why devlink shows no `migratable`: on RHEL 9.4 and later, mostly the adapter not yet running with VF_MIGRATION_MODE
 * (mlx5's getter answers EOPNOTSUPP "Device doesn't support migration", so iproute2 prints nothing); else the
 * kernel, iproute2 or firmware version.
 */
export function migratableCause(fwVfMigrationVerdict: Verdict): string {
    if (fwVfMigrationVerdict === "fail" || fwVfMigrationVerdict === "pending-reboot")
        return format(_("The adapter does not run with VF_MIGRATION_MODE enabled yet (the check “$0”): the attribute appears once it does."),
                      fwVfMigration.title);
    if (fwVfMigrationVerdict === "unknown")
        return format(_("Check first that the adapter runs with VF_MIGRATION_MODE enabled (the check “$0” could not tell); if it does, update the kernel and iproute2 (RHEL 9.4 or later) and the adapter firmware."),
                      fwVfMigration.title);
    return _("Update the kernel and iproute2 (RHEL 9.4 or later) and the adapter firmware.");
}

export const KERNEL_CHECKS = [hardwareIommu, iommuKernel, iommuGroups, kvm, mlx5VfioPci, migratableSupported];
