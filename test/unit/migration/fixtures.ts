/*
 * Domain XML for the migration tests: the real sample in shared/formats (an excerpt: wrapped into a domain here),
 * and a full q35 domain as `virsh dumpxml --migratable` prints it for a RHEL 9 guest with a ConnectX-7 VF, with
 * look-alikes of the VF's <address> in a comment, a CDATA section and the metadata.
 */
import * as fs from "fs";
import * as path from "path";

export const FORMATS = path.resolve(__dirname, "../../../../shared/formats");
export const readFormat = (f: string): string => fs.readFileSync(path.join(FORMATS, f), "utf8");

/** The sample file inside <devices>, as it is: its second comment holds "--live --config", which XML forbids. */
export function sampleDomainAsIs(): string {
    return "<domain type='kvm'>\n  <name>instance-00000007</name>\n  <devices>\n" + readFormat("domain-hostdev-interface.xml") +
        "  </devices>\n</domain>\n";
}

/** The same with that comment's "--live --config" reworded, so that the document is well-formed. Everything else,
 * the commented-out attach-device form included, is the sample's text. */
export function sampleDomain(): string {
    const doc = sampleDomainAsIs();
    if (!doc.includes("--live --config"))
        throw new Error("sample changed: update the fixture");
    return doc.replace("--live --config", "(live, config)");
}

export const VF_SOURCE = "0000:e1:00.1";
export const VF_DEST = "0000:81:00.3";

export const LIVE_XML = `<domain type='kvm' id='7'>
  <name>rhel9-vf</name>
  <uuid>5d1c6a3e-8f0b-4c55-9a57-3c1f0e2a9b11</uuid>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://redhat.com/rhel/9.4"/>
    </libosinfo:libosinfo>
    <vfm:note xmlns:vfm="urn:example:vfm"><devices><interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/></source></interface></devices></vfm:note>
  </metadata>
  <description><![CDATA[VF was <address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/> & "more"]]></description>
  <memory unit='KiB'>4194304</memory>
  <currentMemory unit='KiB'>4194304</currentMemory>
  <vcpu placement='static'>4</vcpu>
  <resource>
    <partition>/machine</partition>
  </resource>
  <os>
    <type arch='x86_64' machine='pc-q35-rhel9.4.0'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='custom' match='exact' check='full'>
    <model fallback='forbid'>Icelake-Server</model>
    <feature policy='require' name='x2apic'/>
  </cpu>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/libexec/qemu-kvm</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='/var/lib/libvirt/images/shared/rhel9-vf.qcow2' index='1'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </disk>
    <controller type='pci' index='0' model='pcie-root'>
      <alias name='pcie.0'/>
    </controller>
    <controller type='pci' index='1' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='1' port='0x10'/>
      <alias name='pci.1'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>
    </controller>
    <interface type='network'>
      <mac address='52:54:00:3a:11:02'/>
      <source network='default' portid='0c6b2c51-8a4e-4e2c-8f0c-1c9a44c3d2e1' bridge='virbr0'/>
      <target dev='vnet3'/>
      <model type='virtio'/>
      <alias name='net0'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
    <!-- was: <interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0xe1' slot='0x00' function='0x1'/></source></interface> -->
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:02'/>
      <driver name='vfio'/>
      <source>
        <address type="pci" domain="0x0000" bus="0xe1"
                 slot="0x00" function="0x1"/>
      </source>
      <alias name='hostdev0'/>
      <address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>
    </interface>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x3b' slot='0x00' function='0x0'/>
      </source>
      <alias name='hostdev1'/>
      <address type='pci' domain='0x0000' bus='0x08' slot='0x00' function='0x0'/>
    </hostdev>
    <serial type='pty'>
      <target type='isa-serial' port='0'>
        <model name='isa-serial'/>
      </target>
    </serial>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>
    </memballoon>
  </devices>
  <seclabel type='dynamic' model='selinux' relabel='yes'/>
</domain>
`;

/** The inactive definition: no id, no aliases, no runtime-only details. */
export const INACTIVE_XML = LIVE_XML.replace(" id='7'", "").replace(/\n\s*<alias name='[^']*'\/>/g, "")
        .replace(/ portid='[^']*' bridge='virbr0'/, "").replace(/\n\s*<target dev='vnet3'\/>/, "");
