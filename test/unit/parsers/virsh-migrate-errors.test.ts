import { afterCommand, readSample, section } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "virsh-migrate-errors.txt";
const DOC = readSample(FILE);

describe("virsh-migrate-errors on the REAL samples of virsh-migrate-errors.txt", () => {
    test("older libvirt: non-USB host devices", () => {
        expect(parsed("virsh-migrate-errors", afterCommand(FILE, "virsh migrate apguest --live qemu+ssh://root@target.lan/system"))).toEqual({
            kind: "hostdev-not-migratable", message: "domain has assigned non-USB host devices",
            lines: ["Requested operation is not valid: domain has assigned non-USB host devices"],
        });
    });

    test("virsh save with a PCI device: the cause on the second line is found", () => {
        const v = parsed("virsh-migrate-errors", section(FILE, "## REAL (same message from virsh save"));
        expect(v.kind).toBe("hostdev-not-migratable");
        expect(v.lines).toHaveLength(2);
    });

    test("newer libvirt: cannot migrate a domain with <hostdev ...", () => {
        expect(parsed("virsh-migrate-errors", section(FILE, "## REAL (newer libvirt, PCI hostdev"))).toMatchObject({
            kind: "hostdev-not-migratable", message: "cannot migrate a domain with <hostdev mode='subsystem' type='pci'",
        });
    });
});

describe("virsh-migrate-errors on the source strings quoted in virsh-migrate-errors.txt", () => {
    test("VF on plain vfio-pci: QEMU's blocker through libvirt's blocked-reasons message", () => {
        const line = DOC.split("\n").find(l => l.includes("error: Requested operation is not valid: cannot migrate domain: VFIO"))?.replace(/^#\s+/, "") as string;
        expect(parsed("virsh-migrate-errors", line)).toEqual({
            kind: "vfio-migration-blocker", message: "cannot migrate domain: VFIO device doesn't support migration",
            blockers: ["VFIO device doesn't support migration"], lines: [line.slice("error: ".length)],
        });
    });

    test.each([
        ["cannot migrate a domain with <interface type='%1$s'>", "hostdev", "Operation not supported: ", "hostdev-not-migratable"],
        ["cannot migrate domain with %1$d snapshots", "2", "Requested operation is not valid: ", "snapshots"],
        ["domain has active block job", "", "Requested operation is not valid: ", "block-job"],
        ["domain has 'invtsc' CPU feature but TSC frequency is not specified", "", "Requested operation is not valid: ", "invtsc"],
        ["Migration without shared storage is unsafe", "", "Unsafe migration: ", "unsafe-storage"],
        ["Migration may lead to data corruption if disks use cache other than none or directsync", "", "Unsafe migration: ", "unsafe-cache"],
    ])("%s", (format, fill, prefix, kind) => {
        expect(DOC).toContain(format);
        const message = format.replace(/%1\$[sd]/, fill);
        expect(parsed("virsh-migrate-errors", `error: ${prefix}${message}\n`)).toMatchObject({ kind, message });
    });

    test("several blockers joined by '; '", () => {
        const v = parsed("virsh-migrate-errors", "error: Requested operation is not valid: cannot migrate domain: VFIO device doesn't support migration; non-migratable device: 0000:00:1f.0\n");
        expect(v.blockers).toEqual(["VFIO device doesn't support migration", "non-migratable device: 0000:00:1f.0"]);
    });

    test("wording from memory in the file (same host, CPU), classified but to be verified on a host", () => {
        expect(parsed("virsh-migrate-errors", "error: internal error: Attempt to migrate guest to the same host 0a1b2c3d-0000-0000-0000-000000000000\n").kind).toBe("same-host");
        expect(parsed("virsh-migrate-errors", "error: operation failed: the CPU is incompatible with host CPU: Host CPU does not provide required features: avx512f\n").kind).toBe("cpu-incompatible");
    });
});

describe("virsh-migrate-errors edge cases (libvirt/ssh message texts, not captured in the samples)", () => {
    test.each([
        ["error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: connect to host dest port 22: Connection refused", "unreachable"],
        ["error: failed to connect to the hypervisor\nerror: Cannot recv data: root@dest: Permission denied (publickey,gssapi-keyex).", "auth"],
        ["error: internal error: Unable to find an unused port in range 'migration' (49152-49215)", "port-in-use"],
        ["error: operation failed: domain 'vm1' already exists with uuid 0a1b2c3d-0000-0000-0000-000000000000", "domain-exists"],
        ["error: Requested operation is not valid: post-copy migration is not supported with VFIO devices", "postcopy-not-allowed"],
    ])("%s", (text, kind) => {
        expect(parsed("virsh-migrate-errors", text).kind).toBe(kind);
    });

    test("unknown errors, lines without error:, empty output", () => {
        expect(parseError("virsh-migrate-errors", "error: something nobody has seen\n")).toMatchObject({ line: 1, message: "unknown migration error" });
        expect(parseError("virsh-migrate-errors", "Migration: [ 50 %]\n")).toMatchObject({ line: 1 });
        expect(parseError("virsh-migrate-errors", "").line).toBe(0);
    });
});
