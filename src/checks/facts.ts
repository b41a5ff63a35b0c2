/*
 * What the status page knows about one host, read in one probe round trip (see gather.ts) and parsed.
 * Every field is a Fact: known with the output that established it, or unknown with the reason and raw output.
 */
import type { Evidence, Fact } from "./types";
import type { UnitState } from "../rules/services";
import type { PortVlan } from "../rules/ovs";
import type { NmProfile } from "../parsers";

export type VfDriver = "mlx5_core" | "mlx5_vfio_pci" | "vfio-pci" | "pci-stub" | "none" | string;

export interface FirmwareParam {
    name: string;
    /** Raw values as mstconfig prints them, e.g. "MIGRATION_ENABLED(2)". */
    current: string;
    nextBoot: string;
}

export interface VfFacts {
    index: number;
    pci: string;
    driver: VfDriver;
    iommuGroup: string | null;
    /** Devices sharing the VF's IOMMU group (the VF itself included). */
    iommuGroupMembers: string[];
    /** The devlink port of this VF (found by flavour pcivf + vfnum), with its function attributes. */
    port: { handle: string; migratable: boolean | null; hwAddr: string | null; netdev: string | null } | null;
    representor: string | null;
    /**
     * The representor is administratively up (ip link's UP flag); null when it has none or ip did not list it. The
     * kernel creates representors down, and Open vSwitch does not bring a port up: a VF whose representor is down
     * passes no traffic.
     */
    representorUp?: boolean | null;
    /** Name of the running VM whose <interface type='hostdev'> names this VF. */
    usedBy: string | null;
}

export interface NicFacts {
    pci: string;
    /**
     * Which port of its adapter this PF is, from 1 (LINK_TYPE_P<port> in mstconfig): its rank among the ConnectX-7
     * PFs of its PCI slot, by function number.
     */
    port: number;
    deviceId: string;
    netdev: string | null;
    /** the PF interface's addresses of scope global ("192.0.2.5/24"): traffic a bridge would take from it; null: not read */
    addresses?: string[] | null;
    linkUp: boolean | null;
    /** the PF interface's MTU (ip link): the largest frame the port carries out (absent: not read) */
    mtu?: Fact<number>;
    firmware: Fact<{ version: string; psid: string | null }>;
    params: Fact<Record<string, FirmwareParam>>;
    eswitchMode: Fact<"legacy" | "switchdev" | string>;
    totalVfs: number | null;
    numVfs: number | null;
    vfs: VfFacts[];
    /**
     * What the port runs now, "eth" or "ib": devlink's uplink (flavour physical) port type, else (legacy mode) the PF
     * interface's link type in ip link (absent: not read).
     */
    linkType?: Fact<string>;
    /** `migratable` is printed by this kernel + iproute2 + firmware (RHEL backports: judge the capability). */
    migratableSupported: Fact<boolean>;
    /** the NetworkManager profile active on the PF interface (null: none); absent: not read */
    nm?: Fact<NmProfile | null>;
}

/** systemd's view of a unit, as the service rule judges it */
export type { UnitState } from "../rules/services";

export interface OvsFacts {
    running: boolean;
    otherConfig: Record<string, string>;
    /** bridge name → port names */
    bridges: Record<string, string[]>;
    /** port name → its VLAN (tag, trunks), for the ports of `bridges` whose VLAN reads as one */
    vlans?: Record<string, PortVlan>;
    version: string | null;
}

export interface HostFacts {
    host: string;
    /** what `hostname` prints, when it answered with a valid host name (RFC 1123) or address */
    hostname: string | null;
    /** why `hostname`'s answer was not taken, with its raw output */
    hostnameRefused?: { reason: string; evidence: Evidence };
    os: Fact<{ name: string; version: string; id: string }>;
    kernel: Fact<string>;
    nics: Fact<NicFacts[]>;
    /** the PF the admin chose to carry VFs (session/ports.ts): not read from the host; absent: checks/hardware.ts primaryNic's default */
    chosenPf?: string;
    cpuVendor: Fact<"intel" | "amd" | "other">;
    /** Kernel arguments of the running kernel (/proc/cmdline). */
    cmdline: Fact<string[]>;
    /** Arguments configured for the next boot (grubby --info=DEFAULT). */
    nextBootArgs: Fact<string[]>;
    /** The IOMMU is active: /sys/class/iommu has an entry. */
    iommuActive: Fact<boolean>;
    hardwareIommu: Fact<"pass" | "warn" | "fail">;
    kvm: Fact<boolean>;
    packages: Fact<Record<string, string | null>>;
    units: Fact<Record<string, UnitState>>;
    mlx5VfioPciKnown: Fact<boolean>;
    libvirtVersion: Fact<string>;
    qemuVersion: Fact<string>;
    ovs: Fact<OvsFacts>;
    /** Interfaces that carry the host's management connections (src/rules/mgmt.ts): Cockpit, SSH into and from it. */
    managementInterfaces: Fact<string[]>;
    firewall: Fact<FirewallFacts>;
    /**
     * The address the page's SSH session comes from, as this host sees it (SSH_CONNECTION's first field): on the
     * destination, the source's address. Unknown on the host the page runs on.
     */
    sshPeer: Fact<string>;
    /** libvirt's configuration files as set (a missing file is known and empty: libvirt's defaults apply) */
    libvirtConf: Record<"virtproxyd" | "libvirtd" | "qemu", Fact<Record<string, string | number | string[]>>>;
    /** which of libvirt's and QEMU's default TLS files exist */
    tlsFiles: Fact<string[]>;
    /** the DNS names and IP addresses the server certificates are valid for (subjectAltName) */
    serverCertNames: Record<"libvirt" | "qemu", Fact<string[]>>;
}

export interface FirewallFacts {
    running: boolean;
    /**
     * The zone that receives the source's connections, as firewalld dispatches them: a zone bound to the source's
     * address, else the zone of the interface the source's SSH connection arrives on, else the default zone.
     */
    zone: string;
    zoneBy: "source" | "interface" | "default";
    /** the interface the source's SSH connection arrives on (the one holding the address it connects to) */
    ingress: string | null;
    /** what the zone does with what no rule or port accepts: "default", "ACCEPT" (everything gets in), "DROP"… */
    target: string;
    ports: string[];
    services: string[];
    /** firewalld's normalised text of each rich rule of the zone */
    richRules: string[];
}

export type Protocol = "ssh" | "tls" | "tcp";
export type Role = "source" | "destination";

/** What a host check sees: the host's facts, its role in the migration and the chosen protocol. */
export interface HostContext {
    facts: HostFacts;
    role: Role;
    protocol: Protocol;
    /** the VFs the preparation creates on the PF (its firmware must allow as many); 1 when not given */
    numVfs?: number;
}
