/* The migration call: URIs, parameters, flags and the virsh line, from the VM's XML and the admin's choices. */
import { INACTIVE_XML, LIVE_XML, VF_DEST, VF_SOURCE } from "./fixtures";
import {
    DESTINATION_XML_FLAGS, MigrationForm, MigrationOptions, PERSISTENT_XML_FLAGS, PlanError, buildMigrationPlan, migrationFlags, parseMigrationForm,
} from "../../../src/migration/plan";
import { MigrateFlags } from "../../../src/libvirt";
import { PciAddress, VmName } from "../../../src/host/values";
import { hostdevInterfaces, parse } from "../../../src/parsers";

const options = (f: MigrationForm): MigrationOptions => {
    const r = parseMigrationForm(f);
    if (!r.ok) throw new Error(r.errors.map(e => e.message).join("; "));
    return r.value;
};
const plan = (f: Partial<MigrationForm> = {}, more: { inactiveXml?: string | undefined; sourceVf?: string } = {}) => buildMigrationPlan({
    vm: VmName.of("rhel9-vf"), liveXml: LIVE_XML, inactiveXml: "inactiveXml" in more ? more.inactiveXml : INACTIVE_XML,
    destinationVf: PciAddress.of(VF_DEST), ...(more.sourceVf ? { sourceVf: PciAddress.of(more.sourceVf) } : {}),
    options: options({ transport: "ssh", host: "192.0.2.2", ...f }),
});

test("GetXMLDesc flags: live migratable with secrets (9), inactive migratable with secrets (11)", () => {
    expect(DESTINATION_XML_FLAGS).toBe(9);
    expect(PERSISTENT_XML_FLAGS).toBe(11);
});

describe("destination and migration URIs", () => {
    test.each<[Partial<MigrationForm>, string]>([
        [{ transport: "ssh", host: "dest.example.com" }, "qemu+ssh://dest.example.com/system"],
        [{ transport: "ssh", host: "Dest.Example.COM", user: "root" }, "qemu+ssh://root@dest.example.com/system"],
        [{ transport: "ssh", host: "2001:db8::2", user: "admin", port: "2222" }, "qemu+ssh://admin@[2001:db8::2]:2222/system"],
        [{ transport: "ssh", host: "[2001:DB8:0:0::2]" }, "qemu+ssh://[2001:db8::2]/system"],
        [{ transport: "tls", host: "192.0.2.2" }, "qemu+tls://192.0.2.2/system"],
        [{ transport: "tls", host: "192.0.2.2", port: 16514 }, "qemu+tls://192.0.2.2:16514/system"],
        [{ transport: "tcp", host: "fe80::1" }, "qemu+tcp://[fe80::1]/system"],
    ])("%j → %s", (f, uri) => {
        expect(plan(f).destUri).toBe(uri);
    });

    test("the data network: migrate_uri tcp://addr[:port], IPv6 in brackets", () => {
        expect(plan({ migrationAddress: "198.51.100.7" }).migrateUri).toBe("tcp://198.51.100.7");
        expect(plan({ migrationAddress: "2001:db8:1::7", migrationPort: "49152" }).params.migrate_uri).toEqual({ t: "s", v: "tcp://[2001:db8:1::7]:49152" });
        expect(plan().params.migrate_uri).toBeUndefined();
    });
});

describe("refused values name their field", () => {
    const fields = (f: MigrationForm) => {
        const r = parseMigrationForm(f);
        return r.ok ? [] : r.errors.map(e => e.field);
    };
    test.each<[MigrationForm, string[]]>([
        [{ transport: "ssh", host: "dest'; rm -rf /" }, ["host"]],
        [{ transport: "ssh", host: "a\nb" }, ["host"]],
        [{ transport: "ssh", host: "" }, ["host"]],
        [{ transport: "ssh", host: "dest", user: "root@evil" }, ["ssh-user"]],
        [{ transport: "ssh", host: "dest", user: "-oProxyCommand=x" }, ["ssh-user"]],
        [{ transport: "tls", host: "dest", user: "root" }, ["ssh-user"]],
        [{ transport: "ssh", host: "dest", port: "0" }, ["port"]],
        [{ transport: "ssh", host: "dest", port: "22x" }, ["port"]],
        [{ transport: "ssh", host: "dest", port: 65536 }, ["port"]],
        [{ transport: "unix", host: "dest" }, ["transport"]],
        [{ transport: "ssh", host: "dest", migrationAddress: "tcp://x" }, ["migration-address"]],
        [{ transport: "ssh", host: "dest", migrationAddress: "192.0.2.9", migrationPort: "70000" }, ["migration-port"]],
        [{ transport: "ssh", host: "dest", migrationPort: "49152" }, ["migration-port"]],
        [{ transport: "ssh", host: "dest", bandwidth: "0" }, ["bandwidth"]],
        [{ transport: "ssh", host: "dest", bandwidth: "1e3" }, ["bandwidth"]],
        [{ transport: "ssh", host: "dest", parallelConnections: "256" }, ["parallel-connections"]],
        [{ transport: "ssh", host: "dest", parallelConnections: -1 }, ["parallel-connections"]],
        [{ transport: "ssh", host: "dest", maxDowntimeMs: "0.5" }, ["max-downtime"]],
        [{ transport: "ssh", host: "dest", persistOnDestination: false }, ["undefine-source"]],
        [{ transport: "ftp", host: "x y", port: "-1", bandwidth: "fast" }, ["transport", "host", "port", "bandwidth"]],
    ])("%j", (f, want) => {
        expect(fields(f)).toEqual(want);
    });

    test("the message shows the refused value with control characters made visible", () => {
        const r = parseMigrationForm({ transport: "ssh", host: "dest\nevil" });
        expect(!r.ok && r.errors[0].message).toContain("dest\\x0aevil");
    });
});

describe("parameters", () => {
    test("destination_xml and persistent_xml name the destination VF; everything else as in the VM's XML", () => {
        const p = plan();
        expect(p.params.destination_xml).toEqual({ t: "s", v: p.destinationXml });
        expect(p.params.persistent_xml).toEqual({ t: "s", v: p.persistentXml });
        for (const xml of [p.destinationXml, p.persistentXml as string]) {
            const r = parse("libvirt-domain-xml", xml);
            expect(r.ok && hostdevInterfaces(r.value).map(i => [i.sourcePci, i.mac, i.guestPci])).toEqual([[VF_DEST, "52:54:00:6d:90:02", "0000:07:00.0"]]);
        }
        expect(p.destinationXml.length).toBe(LIVE_XML.length);
        expect(p.sourceVf).toBe(VF_SOURCE);
    });

    test("bandwidth as ullong (t) in MiB/s, parallel.connections as int (i) only above 1", () => {
        expect(plan({ bandwidth: "100", parallelConnections: "4" }).params).toMatchObject({ bandwidth: { t: "t", v: 100 }, "parallel.connections": { t: "i", v: 4 } });
        const one = plan({ parallelConnections: 1 });
        expect(one.params["parallel.connections"]).toBeUndefined();
        expect(one.params.bandwidth).toBeUndefined();
        expect(one.flags & MigrateFlags.PARALLEL).toBe(0);
    });

    test("without persisting on the destination there is no persistent_xml, and the inactive XML is not needed", () => {
        const p = plan({ persistOnDestination: false, undefineSource: false }, { inactiveXml: undefined });
        expect(p.params.persistent_xml).toBeUndefined();
        expect(p.flags & (MigrateFlags.PERSIST_DEST | MigrateFlags.UNDEFINE_SOURCE)).toBe(0);
    });

    test("persisting needs the inactive XML, and it must hold the VF too", () => {
        expect(() => plan({}, { inactiveXml: undefined })).toThrow(expect.objectContaining({ field: "persistent_xml" }));
        const noVf = INACTIVE_XML.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>\n/, "");
        expect(() => plan({}, { inactiveXml: noVf })).toThrow(PlanError);
        expect(() => plan({}, { inactiveXml: noVf })).toThrow(/persistent definition.*no VF interface/);
    });

    test("the source VF is found in the live XML when not given; a wrong one given is refused", () => {
        expect(plan({}, { sourceVf: VF_SOURCE }).sourceVf).toBe(VF_SOURCE);
        expect(() => plan({}, { sourceVf: "0000:e1:00.7" })).toThrow(expect.objectContaining({ field: "destination_xml" }));
    });

    test("a plain live migration (no destination VF) sends the VM's definitions as they are, and refuses a VM that holds a VF", () => {
        // no VF interface, and no PCI <hostdev> either (the fixture has one)
        const strip = (xml: string) => xml.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>\n/, "").replace(/<hostdev [\s\S]*?<\/hostdev>\n?/g, "");
        const p = buildMigrationPlan({
            vm: VmName.of("rhel9-vf"), liveXml: strip(LIVE_XML), inactiveXml: strip(INACTIVE_XML), destinationVf: null,
            options: options({ transport: "ssh", host: "192.0.2.2" }),
        });
        expect([p.sourceVf, p.destinationVf]).toEqual([null, null]);
        expect(p.params.destination_xml).toEqual({ t: "s", v: strip(LIVE_XML) });
        expect(p.params.persistent_xml).toEqual({ t: "s", v: strip(INACTIVE_XML) });
        expect(() => buildMigrationPlan({
            vm: VmName.of("rhel9-vf"), liveXml: LIVE_XML, inactiveXml: INACTIVE_XML, destinationVf: null,
            options: options({ transport: "ssh", host: "192.0.2.2" }),
        })).toThrow("The VM holds a VF: its migration needs a VF on the destination");
        // a PCI device as a <hostdev>, or a VF its persistent definition still names (detached live only): refused too
        const gpu = "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x00' function='0x0'/></source></hostdev>";
        for (const [liveXml, inactiveXml] of [[strip(LIVE_XML).replace(/<\/devices>(?![\s\S]*<\/devices>)/, gpu + "</devices>"), strip(INACTIVE_XML)], [strip(LIVE_XML), INACTIVE_XML]])
            expect(() => buildMigrationPlan({
                vm: VmName.of("rhel9-vf"), liveXml, inactiveXml, destinationVf: null, options: options({ transport: "ssh", host: "192.0.2.2" }),
            })).toThrow("The VM holds a VF: its migration needs a VF on the destination");
    });

    test("the maximum downtime is kept for MigrateSetMaxDowntime, not sent as a parameter", () => {
        const p = plan({ maxDowntimeMs: "500" });
        expect(p.maxDowntimeMs).toBe(500);
        expect(Object.keys(p.params)).toEqual(["destination_xml", "persistent_xml"]);
    });
});

describe("flags", () => {
    test("default: live, peer-to-peer, abort on error, persist on the destination, undefine on the source", () => {
        const p = plan();
        expect(p.flags).toBe(MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.ABORT_ON_ERROR | MigrateFlags.PERSIST_DEST | MigrateFlags.UNDEFINE_SOURCE);
        expect(p.flagNames).toEqual(["LIVE", "PEER2PEER", "PERSIST_DEST", "UNDEFINE_SOURCE", "ABORT_ON_ERROR"]);
        expect(p.request).toEqual({ destUri: p.destUri, params: p.params, flags: p.flags, virsh: p.virsh.argv });
    });

    test("TLS encrypts the memory stream too (VIR_MIGRATE_TLS, virsh --tls); ssh and tcp do not, and the plan says so", () => {
        const tls = plan({ transport: "tls" });
        expect(tls.flags & MigrateFlags.TLS).toBe(MigrateFlags.TLS);
        expect(tls.flagNames).toContain("TLS");
        expect(tls.memoryEncrypted).toBe(true);
        expect(tls.virsh.argv).toContain("--tls");
        for (const transport of ["ssh", "tcp"]) {
            const p = plan({ transport });
            expect(p.flags & MigrateFlags.TLS).toBe(0);
            expect(p.memoryEncrypted).toBe(false);
            expect(p.virsh.argv).not.toContain("--tls");
        }
    });

    test("copying storage only when chosen", () => {
        expect(plan().flags & MigrateFlags.NON_SHARED_DISK).toBe(0);
        expect(plan({ copyStorage: true }).flags & MigrateFlags.NON_SHARED_DISK).toBe(MigrateFlags.NON_SHARED_DISK);
        expect(migrationFlags({ persistOnDestination: true, undefineSource: false, parallelConnections: 1, copyStorage: false }) & MigrateFlags.UNDEFINE_SOURCE).toBe(0);
    });
});

describe("the equivalent virsh line", () => {
    test("default plan", () => {
        expect(plan({ bandwidth: 100, migrationAddress: "192.0.2.2" }).virsh.argv).toEqual([
            "virsh", "-c", "qemu:///system", "migrate", "--live", "--p2p", "--abort-on-error", "--persistent", "--undefinesource",
            "--domain", "rhel9-vf", "--desturi", "qemu+ssh://192.0.2.2/system", "--migrateuri", "tcp://192.0.2.2",
            "--xml", "destination.xml", "--persistent-xml", "persistent.xml", "--bandwidth", "100", "--verbose"]);
    });

    test("parallel connections, storage copy, no persist; the files hold the documents sent", () => {
        const p = plan({ parallelConnections: 2, copyStorage: true, persistOnDestination: false, undefineSource: false });
        expect(p.virsh.argv).toEqual(["virsh", "-c", "qemu:///system", "migrate", "--live", "--p2p", "--abort-on-error",
            "--copy-storage-all", "--parallel", "--parallel-connections", "2", "--domain", "rhel9-vf", "--desturi",
            "qemu+ssh://192.0.2.2/system", "--xml", "destination.xml", "--verbose"]);
        expect(p.virsh.files).toEqual([{ name: "destination.xml", content: p.destinationXml }]);
        expect(p.virsh.argv).not.toContain("--postcopy");
    });

    test("a VM name with quotes, markup or a newline never gets this far: VmName refuses what libvirt refuses", () => {
        expect(VmName.parse("vm\nname").ok).toBe(false);
        expect(VmName.parse("a/b").ok).toBe(false);
        expect(VmName.parse("--xml").ok).toBe(false);
        expect(() => buildMigrationPlan({ vm: "vm\n" as VmName, liveXml: LIVE_XML, inactiveXml: INACTIVE_XML,
            destinationVf: PciAddress.of(VF_DEST), options: options({ transport: "ssh", host: "dest" }) })).toThrow(/VM name/);
        // quotes and markup are legal in libvirt names: they stay one argv word, and never enter the XML documents
        const odd = buildMigrationPlan({ vm: VmName.of("it's <b>&"), liveXml: LIVE_XML, inactiveXml: INACTIVE_XML,
            destinationVf: PciAddress.of(VF_DEST), options: options({ transport: "ssh", host: "dest" }) });
        expect(odd.virsh.argv[odd.virsh.argv.indexOf("--domain") + 1]).toBe("it's <b>&");
        expect(odd.destinationXml).toBe(LIVE_XML.replace(`bus="0xe1"\n                 slot="0x00" function="0x1"`, `bus="0x81"\n                 slot="0x00" function="0x3"`));
    });
});
