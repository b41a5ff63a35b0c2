/**
 * @jest-environment jsdom
 */
/* What the page keeps in the browser belongs to the host whose page saved it (Cockpit's host switcher shares one origin). */
import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { loadHostIdentity, restore, save } from "../../../src/session/saved";
import { saveDestination, savedDestination } from "../../../src/session/hosts";
import { forgetEvacuation, saveEvacuation, savedEvacuation, type EvacuationRecord } from "../../../src/session/evacuation";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit(); localStorage.clear() });
const asIs = (v: unknown) => v as { stage: string };

test("a value saved on this host's page comes back here; on another host's page it is not restored, and that host is named", () => {
    save("k", { stage: "verify" });
    expect(restore("k", asIs)).toEqual({ value: { stage: "verify" }, foreign: null });
    fake.transport.host = "rhel-dst.example.test";
    expect(restore("k", asIs)).toEqual({ value: null, foreign: "localhost" });
});

test("a value saved before values named their host counts as this host's; unreadable or refused values are nothing", () => {
    localStorage.setItem("k", JSON.stringify({ stage: "checks" }));
    expect(restore("k", asIs).value).toEqual({ stage: "checks" });
    localStorage.setItem("k", "{ not json");
    expect(restore("k", asIs)).toEqual({ value: null, foreign: null });
    save("k", { stage: "nowhere" });
    expect(restore("k", () => null)).toEqual({ value: null, foreign: null });
});

test("the destination chosen on one host's page is not offered as the destination on another host's page", () => {
    saveDestination({ host: "rhel-dst.example.test", user: "root", port: "", protocol: "ssh" });
    expect(savedDestination().host).toBe("rhel-dst.example.test");
    fake.transport.host = "rhel-dst.example.test";
    expect(savedDestination().host).toBe("");
});

describe("two machines reached under one name", () => {
    const SRC_ID = "b1b19fe18360413d8af3eacaa7372400";
    const identify = async (machineId: string, hostname: string) => {
        fake.files.set("/etc/machine-id", `${machineId}\n`);
        fake.files.set("/proc/sys/kernel/hostname", `${hostname}\n`);
        return loadHostIdentity();
    };
    afterEach(async () => {
        fake.files.clear();
        await loadHostIdentity();
    });

    test("a value saved by another machine under this page's host name is not restored, and that machine is named", async () => {
        expect(await identify(SRC_ID, "rhel-src.example.test")).toEqual({ machineId: SRC_ID, hostname: "rhel-src.example.test" });
        save("k", { stage: "verify" });
        expect(JSON.parse(localStorage.getItem("k") ?? "")).toMatchObject({ savedOn: "localhost", machineId: SRC_ID, hostname: "rhel-src.example.test" });
        expect(restore("k", asIs).value).toEqual({ stage: "verify" });
        // the name "localhost" now leads to another machine (reinstalled, or another one behind the same name)
        await identify("f5c7897bad834e0e9bcefed3af2a3e52", "rhel-new.example.test");
        expect(restore("k", asIs)).toEqual({ value: null, foreign: "rhel-src.example.test" });
    });

    test("an identity that cannot be read, or a malformed machine-id: values are matched by the host's name alone", async () => {
        save("k", { stage: "checks" });
        expect(await identify("not-an-id", "rhel-src.example.test")).toBeNull();
        expect(restore("k", asIs).value).toEqual({ stage: "checks" });
        fake.files.clear();
        expect(await loadHostIdentity()).toBeNull();
        expect(JSON.parse(localStorage.getItem("k") ?? "").machineId).toBeUndefined();
    });
});

test("an evacuation's record keeps the rows of VMs without a VF (all four VF fields null), and refuses a row half without", () => {
    const row = { vm: "g1", sourceVf: "0000:e1:00.1", sourcePort: "0000:e1:00.0", destinationVf: "0000:c1:00.1", destinationPort: "0000:c1:00.0", memoryMiB: 128 };
    const plain = { vm: "g2", sourceVf: null, sourcePort: null, destinationVf: null, destinationPort: null, memoryMiB: 128 };
    const record = (rows: unknown[]) => ({
        destination: { host: "rhel-dst.example.test", user: "root", port: "", protocol: "ssh" as const }, rows, limit: 4, atOnce: 3, bandwidth: "", startedAt: 1,
    }) as unknown as EvacuationRecord;
    saveEvacuation(record([row, plain]));
    expect(savedEvacuation()?.rows).toEqual([row, plain]);
    saveEvacuation(record([row, { ...plain, destinationVf: "0000:c1:00.2" }]));
    expect(savedEvacuation()).toBeNull();
});

test("an evacuation's record is each host's own: another host's page neither shows nor overwrites it; one kept under the old shared key is still read, and cleared", () => {
    const record = (host: string) => ({
        destination: { host, user: "root", port: "", protocol: "ssh" as const }, rows: [], limit: 4, atOnce: 3, bandwidth: "", startedAt: 1,
    }) as unknown as EvacuationRecord;
    saveEvacuation(record("rhel-dst.example.test"));
    fake.transport.host = "rhel-dst.example.test";
    expect(savedEvacuation()).toBeNull();
    saveEvacuation(record("rhel-src.example.test"));
    fake.transport.host = "localhost";
    expect(savedEvacuation()?.destination.host).toBe("rhel-dst.example.test");
    forgetEvacuation();
    expect(savedEvacuation()).toBeNull();
    // a record saved before the key named its host: read on its own host, gone once cleared
    localStorage.setItem("vf-migration:evacuation", JSON.stringify({ savedOn: "localhost", value: record("rhel-old.example.test") }));
    expect(savedEvacuation()?.destination.host).toBe("rhel-old.example.test");
    forgetEvacuation();
    expect(savedEvacuation()).toBeNull();
    fake.transport.host = "rhel-dst.example.test";
    expect(savedEvacuation()?.destination.host).toBe("rhel-src.example.test");
});
