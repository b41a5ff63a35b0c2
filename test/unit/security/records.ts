/*
 * A ready ConnectX-7 host's probe, record by record, in the tools' real output formats (shared/formats): the benign
 * base the hostile property test splices its values into, so that every value reaches the facts through the real
 * parsers and buildFacts.
 */
import { probePlan } from "../../../src/checks/plan";
import type { CommandEvidence } from "../../../src/checks/types";
import { PciAddress } from "../../../src/host/values";

export const PF = "0000:e1:00.0";
export const items = probePlan([PciAddress.of(PF)]);

const PORTS = {
    port: {
        [`pci/${PF}/65535`]: { type: "eth", netdev: "enp225s0np0", flavour: "physical", port: 0, splittable: false },
        [`pci/${PF}/65537`]: {
            type: "eth", netdev: "enp225s0npf0vf0", flavour: "pcivf", controller: 0, pfnum: 0, vfnum: 0, external: false, splittable: false,
            function: { hw_addr: "52:54:00:12:34:56", roce: "enable", migratable: "enable" },
        },
    },
};

export const BENIGN: Record<string, string> = {
    "lspci": `${PF} Ethernet controller [0200]: Mellanox Technologies MT2910 Family [ConnectX-7] [15b3:1021]\n` +
        "0000:e1:00.1 Ethernet controller [0200]: Mellanox Technologies ConnectX Family mlx5Gen Virtual Function [15b3:101e]\n",
    "os-release": 'NAME="Red Hat Enterprise Linux"\nVERSION="9.6 (Plow)"\nID="rhel"\nVERSION_ID="9.6"\n',
    "uname": "5.14.0-570.12.1.el9_6.x86_64\n",
    "hostname": "rhel-dst.example.test\n",
    "cmdline": "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.14.0-570.12.1.el9_6.x86_64 ro crashkernel=1G-4G:192M intel_iommu=on iommu=pt\n",
    "grubby": 'index=0\nkernel="/boot/vmlinuz-5.14.0-570.12.1.el9_6.x86_64"\nargs="ro crashkernel=1G-4G:192M intel_iommu=on iommu=pt"\n' +
        'root="/dev/mapper/rhel-root"\ntitle="Red Hat Enterprise Linux (5.14.0-570.12.1.el9_6.x86_64) 9.6 (Plow)"\n',
    "iommu-class": "dmar0\n",
    "cpu-vendor": "vendor_id\t: GenuineIntel\n",
    "virt-host-validate": "  QEMU: Checking for device assignment IOMMU support                         : PASS\n" +
        "  QEMU: Checking if IOMMU is enabled by kernel                               : PASS\n",
    "kvm": "crw-rw-rw-. 1 root kvm 10, 232 May  1 10:00 /dev/kvm\n",
    "rpm": "mstflint 4.28.0-1.el9\nopenvswitch3.3 3.3.0-49.el9fdp\nNetworkManager 1.48.10-5.el9_5\nlibvirt-daemon-kvm 11.3.0-1.el9\nqemu-kvm 9.1.0-15.el9\n",
    "units": "Id=virtqemud.socket\nActiveState=active\nUnitFileState=enabled\n\nId=virtproxyd-tls.socket\nActiveState=active\nUnitFileState=enabled\n\n" +
        "Id=openvswitch.service\nActiveState=active\nUnitFileState=enabled\n",
    "mlx5-vfio-pci": "filename: /lib/modules/5.14.0/kernel/drivers/vfio/pci/mlx5/mlx5-vfio-pci.ko.xz\n",
    "virsh-version": "Compiled against library: libvirt 11.3.0\nUsing library: libvirt 11.3.0\nUsing API: QEMU 11.3.0\nRunning hypervisor: QEMU 9.1.0\n",
    "ovs-show": "32549dde-d67b-430c-b183-980a32143c8f\n    Bridge br-vf\n        Port enp225s0npf0vf0\n            Interface enp225s0npf0vf0\n" +
        "        Port enp225s0np0\n            Interface enp225s0np0\n        Port br-vf\n            Interface br-vf\n                type: internal\n" +
        '    ovs_version: "3.3.0"\n',
    "ovs-other-config": '{hw-offload="true", max-idle="300000"}\n',
    "firewall-state": "running\n",
    "firewall": "public (active)\n  target: default\n  interfaces: eno1\n  services: cockpit ssh\n  ports: 16514/tcp 49152-49215/tcp\n\n" +
        "internal\n  target: default\n  interfaces: \n  sources: 198.51.100.0/24\n  services: ssh\n\n",
    "firewall-default-zone": "public\n",
    "ssh-connection": "192.0.2.254 51234 192.0.2.1 22\n",
    "ss": "0      0      192.0.2.1:22     192.0.2.254:51234 users:((\"sshd\",pid=1,fd=4))\n",
    "ip-addr": "2: eno1    inet 192.0.2.1/24 brd 192.0.2.255 scope global eno1\\       valid_lft forever preferred_lft forever\n",
    "ip-link": "4: enp225s0np0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq master ovs-system state UP mode DEFAULT group default qlen 1000\n" +
        "    link/ether 52:54:00:aa:bb:cc brd ff:ff:ff:ff:ff:ff promiscuity 1 minmtu 68 maxmtu 9978\n",
    "drivers": `/sys/bus/pci/drivers/mlx5_core/${PF}\n`,
    "iommu-groups": `/sys/kernel/iommu_groups/39/devices/${PF}\n/sys/kernel/iommu_groups/40/devices/0000:e1:00.1\n`,
    "devlink-ports": JSON.stringify(PORTS),
    [`${PF}/info`]: JSON.stringify({ info: { [`pci/${PF}`]: { driver: "mlx5_core", versions: { fixed: { "fw.psid": "MT_0000000834" }, running: { "fw.version": "28.42.1000" } } } } }),
    [`${PF}/eswitch`]: JSON.stringify({ dev: { [`pci/${PF}`]: { mode: "switchdev", "inline-mode": "none", "encap-mode": "basic" } } }),
    [`${PF}/sriov`]: `/sys/bus/pci/devices/${PF}/sriov_totalvfs:8\n/sys/bus/pci/devices/${PF}/sriov_numvfs:1\n`,
    [`${PF}/virtfn`]: "virtfn0 ../0000:e1:00.1\n",
    [`${PF}/net`]: "enp225s0np0\n",
    [`${PF}/mstconfig`]: "\nDevice #1:\n----------\n\nDevice type:        ConnectX7\nName:               MCX713106AC-VEA_Ax\n" +
        `Description:        NVIDIA ConnectX-7 HHHL Adapter Card\nDevice:             ${PF}\n\n` +
        "Configurations:                                     Default              Current              Next Boot\n" +
        "*       VF_MIGRATION_MODE                           DEVICE_DEFAULT(0)    MIGRATION_ENABLED(2) MIGRATION_ENABLED(2)\n" +
        "        SRIOV_EN                                    True(1)              True(1)              True(1)\n" +
        "        NUM_OF_VFS                                  8                    8                    8\n" +
        "        LINK_TYPE_P1                                ETH(2)               ETH(2)               ETH(2)\n" +
        "The '*' shows parameters with next value different from default/current value.\n",
};

export function records(stdout: Record<string, string> = BENIGN): CommandEvidence[] {
    return items.map(it => ({ host: "192.0.2.7", argv: it.argv, stdout: stdout[it.key] ?? "", stderr: "", exitStatus: 0, durationMs: 1 }));
}
