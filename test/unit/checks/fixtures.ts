/* A host that passes every check, built from facts; tests change one thing and assert the verdict a user sees. */
import type { CommandEvidence, Evidence, Fact } from "../../../src/checks/types";
import type { HostContext, HostFacts, NicFacts, VfFacts } from "../../../src/checks/facts";
import { TLS_FILES } from "../../../src/host/commands/files";

export function ev(argv: string[], stdout = "", exitStatus = 0): Evidence {
    const command: CommandEvidence = { host: "test", argv, stdout, stderr: "", exitStatus, durationMs: 5 };
    return { command, lines: [] };
}

export function k<T>(value: T, argv: string[] = ["true"], stdout = ""): Fact<T> {
    return { known: true, value, evidence: [ev(argv, stdout)] };
}

export function u<T>(reason: string): Fact<T> {
    return { known: false, reason, evidence: [ev(["mstconfig", "-e", "query"], "garbage")] };
}

export function vf(index: number, over: Partial<VfFacts> = {}): VfFacts {
    return {
        index,
        pci: `0000:e1:00.${index + 1}`,
        driver: "none",
        iommuGroup: String(40 + index),
        iommuGroupMembers: [`0000:e1:00.${index + 1}`],
        port: { handle: `pci/0000:e1:00.0/${index + 1}`, migratable: true, hwAddr: null, netdev: null },
        representor: `enp225s0npf0vf${index}`,
        usedBy: null,
        ...over,
    };
}

const PARAMS = {
    VF_MIGRATION_MODE: { name: "VF_MIGRATION_MODE", current: "MIGRATION_ENABLED(2)", nextBoot: "MIGRATION_ENABLED(2)" },
    SRIOV_EN: { name: "SRIOV_EN", current: "True(1)", nextBoot: "True(1)" },
    NUM_OF_VFS: { name: "NUM_OF_VFS", current: "8", nextBoot: "8" },
    LINK_TYPE_P1: { name: "LINK_TYPE_P1", current: "ETH(2)", nextBoot: "ETH(2)" },
};

export function nic(over: Partial<NicFacts> = {}): NicFacts {
    return {
        pci: "0000:e1:00.0",
        port: 1,
        deviceId: "1021",
        netdev: "enp225s0np0",
        linkUp: true,
        firmware: k({ version: "28.42.1000", psid: "MT_0000000834" }),
        params: k(structuredClone(PARAMS), ["mstconfig", "-d", "0000:e1:00.0", "-e", "query"],
                  "         VF_MIGRATION_MODE                   MIGRATION_ENABLED(2)  MIGRATION_ENABLED(2)  MIGRATION_ENABLED(2)\n"),
        eswitchMode: k("switchdev"),
        totalVfs: 8,
        numVfs: 1,
        vfs: [vf(0)],
        migratableSupported: k(true),
        ...over,
    };
}

export function facts(over: Partial<HostFacts> = {}): HostFacts {
    return {
        host: "localhost",
        hostname: "rhel-src.example.test",
        os: k({ name: "Red Hat Enterprise Linux", version: "9.6", id: "rhel" }),
        kernel: k("5.14.0-570.el9.x86_64"),
        nics: k([nic()]),
        cpuVendor: k("intel"),
        cmdline: k(["BOOT_IMAGE=(hd0,gpt2)/vmlinuz", "ro", "intel_iommu=on", "iommu=pt"]),
        nextBootArgs: k(["ro", "intel_iommu=on", "iommu=pt"]),
        iommuActive: k(true),
        hardwareIommu: k("pass"),
        kvm: k(true),
        packages: k({ mstflint: "4.28.0-1.el9", "openvswitch3.3": "3.3.0-49.el9fdp" }),
        units: k({
            "virtqemud.socket": { activeState: "active", unitFileState: "enabled" },
            "virtproxyd-tls.socket": { activeState: "active", unitFileState: "enabled" },
            "virtproxyd-tcp.socket": { activeState: "inactive", unitFileState: "disabled" },
            "openvswitch.service": { activeState: "active", unitFileState: "enabled" },
        }),
        mlx5VfioPciKnown: k(true),
        libvirtVersion: k("10.10.0"),
        qemuVersion: k("9.1.0"),
        ovs: k({ running: true, otherConfig: { "hw-offload": "true", "max-idle": "300000" }, bridges: { "br-vf": ["enp225s0np0", "enp225s0npf0vf0"] }, version: "3.3.0" }),
        managementInterfaces: k(["eno1"]),
        firewall: k({ running: true, zone: "public", zoneBy: "default" as const, ingress: null, target: "default", ports: [], services: ["ssh", "cockpit"],
                      richRules: [rule("192.0.2.1", "49152-49215")] }, ["firewall-cmd", "--list-all"]),
        sshPeer: k("192.0.2.1", ["printenv", "SSH_CONNECTION"], "192.0.2.1 40522 192.0.2.2 22\n"),
        libvirtConf: { virtproxyd: k({}), libvirtd: k({}), qemu: k({ user: "qemu" }) },
        tlsFiles: k([...TLS_FILES]),
        serverCertNames: { libvirt: k(["rhel-dst.example.test", "rhel-dst", "192.0.2.2"]), qemu: k(["rhel-dst.example.test", "rhel-dst", "192.0.2.2"]) },
        ...over,
    };
}

/** A firewalld rich rule as `firewall-cmd --list-all` prints the ones the firewall step adds. */
export function rule(peer: string, port: string): string {
    return `rule family="ipv4" source address="${peer}" port port="${port}" protocol="tcp" accept`;
}

export function ctx(f: HostFacts = facts(), role: "source" | "destination" = "source", protocol: "ssh" | "tls" | "tcp" = "ssh"): HostContext {
    return { facts: f, role, protocol };
}
