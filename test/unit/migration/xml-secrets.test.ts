/* The console password libvirt puts in a secure domain XML never reaches what the page shows or copies. */
import { INACTIVE_XML, LIVE_XML, VF_DEST } from "./fixtures";
import { SECRET_MASK, maskDomainSecrets } from "../../../src/migration/xml-secrets";
import { buildMigrationPlan, parseMigrationForm } from "../../../src/migration/plan";
import { PciAddress, VmName } from "../../../src/host/values";

/** graphics devices at the end of the domain's <devices> (not the look-alike in the metadata) */
const withGraphics = (xml: string) => xml.slice(0, xml.lastIndexOf("</devices>")) + (
    "  <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret' sharePolicy='allow-exclusive'>\n" +
    "      <listen type='address' address='127.0.0.1'/>\n    </graphics>\n" +
    "    <graphics type=\"spice\" autoport=\"yes\" passwd=\"it's&amp;x\"/>\n  ") + xml.slice(xml.lastIndexOf("</devices>"));

test("a VNC password in single quotes and a SPICE one in double quotes are both masked; the rest is untouched", () => {
    const xml = withGraphics(LIVE_XML);
    expect(xml).toContain("s3cret");
    const m = maskDomainSecrets(xml);
    expect(m.masked).toBe(2);
    expect(m.text).not.toContain("s3cret");
    expect(m.text).not.toContain("it's&amp;x");
    expect(m.text).toContain(`passwd='${SECRET_MASK}' sharePolicy='allow-exclusive'`);
    expect(m.text.replace(/passwd='\*+'/g, "")).toBe(xml.replace(/passwd=('[^']*'|"[^"]*")/g, ""));
});

test("a document without a password comes back as it was", () => {
    expect(maskDomainSecrets(LIVE_XML)).toEqual({ text: LIVE_XML, masked: 0 });
});

test("the plan's files (shown and copied) have no password; the D-Bus call keeps it", () => {
    const r = parseMigrationForm({ transport: "ssh", host: "192.0.2.2" });
    if (!r.ok) throw new Error("form");
    const p = buildMigrationPlan({
        vm: VmName.of("rhel9-vf"), liveXml: withGraphics(LIVE_XML), inactiveXml: withGraphics(INACTIVE_XML),
        destinationVf: PciAddress.of(VF_DEST), options: r.value,
    });
    expect(p.virsh.masked).toBe(4);
    for (const f of p.virsh.files)
        expect(f.content).not.toContain("s3cret");
    expect(JSON.stringify(p.virsh)).not.toContain("s3cret");
    expect(p.request.params.destination_xml.v).toContain("passwd='s3cret'");
    expect(p.request.params.persistent_xml.v).toContain("passwd='s3cret'");
});
