/*
 * libvirt's numeric flags and enums as libvirt-dbus passes them through unchanged (libvirt-domain.h).
 * Only the ones this plugin uses; names as in libvirt without the VIR_ prefix.
 */
import { VIRSH_JOB_TYPES, VirshJobType } from "../parsers/virsh-domjobinfo";

/** virDomainXMLFlags, for Domain.GetXMLDesc */
export const XmlDescFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;

/** virDomainDeviceModifyFlags, for Domain.AttachDevice */
export const AffectFlags = { LIVE: 1, CONFIG: 2 } as const;

/** virConnectListAllDomainsFlags, for Connect.ListDomains (0 = all) */
export const ListDomainsFlags = { ACTIVE: 1, INACTIVE: 2, PERSISTENT: 4, TRANSIENT: 8, RUNNING: 16 } as const;

/** virDomainMigrateFlags */
export const MigrateFlags = {
    LIVE: 1,
    PEER2PEER: 2,
    TUNNELLED: 4,
    PERSIST_DEST: 8,
    UNDEFINE_SOURCE: 16,
    PAUSED: 32,
    NON_SHARED_DISK: 64,
    NON_SHARED_INC: 128,
    CHANGE_PROTECTION: 256,
    UNSAFE: 512,
    OFFLINE: 1024,
    COMPRESSED: 2048,
    ABORT_ON_ERROR: 4096,
    AUTO_CONVERGE: 8192,
    RDMA_PIN_ALL: 16384,
    /** Never with a Mellanox VF attached (QEMU refuses post-copy with VFIO devices). */
    POSTCOPY: 32768,
    TLS: 65536,
    PARALLEL: 131072,
} as const;
/** Names of the bits set in `flags`, in libvirt's order; unknown bits as a hex number. */
export function migrateFlagNames(flags: number): string[] {
    const out: string[] = [];
    let rest = flags;
    for (const [name, bit] of Object.entries(MigrateFlags))
        if (flags & bit) {
            out.push(name);
            rest &= ~bit;
        }
    if (rest)
        out.push("0x" + rest.toString(16));
    return out;
}

/** virDomainEventType and virDomainEventStoppedDetailType, as Connect.DomainEvent passes them */
export const DomainEventType = { STOPPED: 5 } as const;
export const StoppedDetail = { MIGRATED: 3 } as const;

/** virDomainGetJobStatsFlags */
export const JobStatsFlags = { COMPLETED: 1, KEEP_COMPLETED: 2 } as const;

/** virDomainJobType by number: virsh's names in lower case ("none", "bounded", …, "cancelled") */
export type JobType = Lowercase<VirshJobType>;
export const JOB_TYPES: readonly JobType[] = VIRSH_JOB_TYPES.map(t => t.toLowerCase() as JobType);
