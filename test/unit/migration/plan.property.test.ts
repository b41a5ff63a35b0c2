/*
 * Properties over every combination of the admin's choices: the flags never hold POSTCOPY, each flag follows its
 * option, the parameters have libvirt's types, and hostile form values are refused or leave the structure intact.
 */
import fc from "fast-check";
import { INACTIVE_XML, LIVE_XML, VF_DEST } from "./fixtures";
import { MigrationForm, buildMigrationPlan, migrationFlags, parseMigrationForm } from "../../../src/migration/plan";
import { MigrateFlags } from "../../../src/libvirt";
import { PciAddress, VmName } from "../../../src/host/values";
import { inputs, property } from "../host/arbitraries";

const RUNS = 10_000;

const choices = fc.record({
    persistOnDestination: fc.boolean(),
    undefineSource: fc.boolean(),
    parallelConnections: fc.integer({ min: 1, max: 255 }),
    copyStorage: fc.boolean(),
});

property("flags: never POSTCOPY; LIVE and PEER2PEER always; each other flag exactly as chosen", choices, o => {
    const f = migrationFlags(o);
    if (f & MigrateFlags.POSTCOPY)
        throw new Error(`POSTCOPY in ${f}`);
    const want = (bit: number, on: boolean) => { if (((f & bit) !== 0) !== on) throw new Error(`flag ${bit} wrong in ${f} for ${JSON.stringify(o)}`) };
    want(MigrateFlags.LIVE, true);
    want(MigrateFlags.PEER2PEER, true);
    want(MigrateFlags.PERSIST_DEST, o.persistOnDestination);
    want(MigrateFlags.UNDEFINE_SOURCE, o.persistOnDestination && o.undefineSource);
    want(MigrateFlags.PARALLEL, o.parallelConnections > 1);
    want(MigrateFlags.NON_SHARED_DISK, o.copyStorage);
    want(MigrateFlags.TUNNELLED | MigrateFlags.OFFLINE | MigrateFlags.PAUSED | MigrateFlags.UNSAFE, false);
}, RUNS);

/** mostly valid values (so that plans get built), sometimes hostile or near-valid ones */
const mostly = <T extends string>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: inputs(valid), weight: 1 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

const form: fc.Arbitrary<MigrationForm> = fc.record({
    transport: fc.oneof({ arbitrary: fc.constantFrom("ssh", "tls", "tcp"), weight: 8 }, { arbitrary: fc.constantFrom("ssh+x", "", "SSH"), weight: 1 }),
    host: mostly(fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6())),
    user: maybe(mostly(fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/))),
    port: maybe(mostly(fc.integer({ min: 1, max: 65535 }).map(String))),
    migrationAddress: maybe(mostly(fc.oneof(fc.ipV4(), fc.ipV6()))),
    persistOnDestination: fc.boolean(),
    undefineSource: fc.boolean(),
    bandwidth: maybe(mostly(fc.integer({ min: 1, max: 1_000_000 }).map(String))),
    parallelConnections: maybe(fc.oneof(fc.integer({ min: -2, max: 300 }), mostly(fc.integer({ min: 1, max: 8 }).map(String)))),
    copyStorage: fc.boolean(),
});

let planned = 0;
property("whole plans from generated forms: refused with named fields, or well-typed and POSTCOPY-free", form, f => {
    const r = parseMigrationForm(f);
    if (!r.ok) {
        if (r.errors.length === 0 || r.errors.some(e => !e.field || !e.message))
            throw new Error("a refusal without a field or a message");
        return;
    }
    const p = buildMigrationPlan({ vm: VmName.of("vm"), liveXml: LIVE_XML, inactiveXml: INACTIVE_XML, destinationVf: PciAddress.of(VF_DEST), options: r.value });
    if (p.flags & MigrateFlags.POSTCOPY || p.virsh.argv.includes("--postcopy"))
        throw new Error("post-copy in a plan");
    const types: Record<string, string> = { destination_xml: "s", persistent_xml: "s", migrate_uri: "s", bandwidth: "t", "parallel.connections": "i" };
    for (const [k, v] of Object.entries(p.params))
        if (types[k] !== v.t)
            throw new Error(`parameter ${k} has type ${v.t}`);
    const url = new URL(p.destUri);
    if (url.protocol !== `qemu+${r.value.transport}:` || url.pathname !== "/system" || url.search !== "" || url.hash !== "")
        throw new Error(`URI structure: ${p.destUri}`);
    if (p.migrateUri !== undefined && (new URL(p.migrateUri).protocol !== "tcp:" || /[\s'"<>]/.test(p.migrateUri)))
        throw new Error(`migration URI: ${p.migrateUri}`);
    planned++;
}, 2_000);

test("the generated forms were not all refused: plans were built and checked", () => {
    expect(planned).toBeGreaterThan(100);
});
