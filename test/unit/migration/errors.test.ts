/* libvirt's errors, as the D-Bus call rejects with them, in plain words with what to check. */
import { readFormat } from "./fixtures";
import { explainLibvirtError } from "../../../src/migration/errors";
import { LibvirtCallError } from "../../../src/libvirt";

const libvirt = (message: string) => ({ name: "org.libvirt.Error", message });

test("the REAL samples of virsh-migrate-errors.txt, as libvirt-dbus passes them (without virsh's 'error: ')", () => {
    const lines = readFormat("virsh-migrate-errors.txt").split("\n").filter(l => l.startsWith("error: ")).map(l => l.slice(7));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const kinds = lines.map(l => explainLibvirtError(libvirt(l)).kind);
    expect(kinds).toContain("hostdev-not-migratable");
    expect(kinds.filter(k => k === "unknown")).toEqual(["unknown"]); // "Failed to save domain …" alone says nothing more
});

test("the VF without migration support (QEMU's blocker): what to check on the VF", () => {
    const e = explainLibvirtError(libvirt("Requested operation is not valid: cannot migrate domain: VFIO device doesn't support migration"));
    expect(e).toMatchObject({ kind: "vfio-migration-blocker", outcomeKnown: true,
        detail: "Requested operation is not valid: cannot migrate domain: VFIO device doesn't support migration" });
    expect(e.checks.join(" ")).toMatch(/migratable enable/);
    expect(e.checks.join(" ")).toMatch(/mlx5_vfio_pci/);
});

test("REAL (libvirt 11.3 through libvirt-dbus and Cockpit 337, test bed): peer-to-peer connection refused", () => {
    const e = explainLibvirtError({ name: "org.libvirt.Error", message: "unable to connect to server at '127.0.0.1:1': Connection refused", problem: null });
    expect(e).toMatchObject({ kind: "unreachable", outcomeKnown: true });
});

test("REAL (same): a parameter of the wrong type is libvirt's complaint about us, shown as it is", () => {
    expect(explainLibvirtError({ name: "org.libvirt.Error", message: "invalid argument: invalid type 'string' for parameter 'bandwidth', expected 'ullong'", problem: null }))
            .toMatchObject({ kind: "unknown", detail: "invalid argument: invalid type 'string' for parameter 'bandwidth', expected 'ullong'" });
});

test("destination libvirtd stopped (p2p connection refused)", () => {
    const e = explainLibvirtError(libvirt("operation failed: Failed to connect to remote libvirt URI qemu+tcp://192.0.2.2/system: unable to connect to server at '192.0.2.2:16509': Connection refused"));
    expect(e.kind).toBe("unreachable");
    expect(e.checks.join(" ")).toMatch(/socket for the chosen connection type/);
});

test("the ssh transport failing: the same, through libvirt's wording", () => {
    expect(explainLibvirtError(libvirt("operation failed: Failed to connect to remote libvirt URI qemu+ssh://192.0.2.2/system: Cannot recv data: ssh: connect to host 192.0.2.2 port 22: No route to host: Connection reset by peer")).kind)
            .toBe("unreachable");
    expect(explainLibvirtError(libvirt("Cannot recv data: Host key verification failed.: Connection reset by peer")).kind).toBe("auth");
});

test("the destination VF taken by another VM after the checks: named, with the VM", () => {
    const e = explainLibvirtError(libvirt("Requested operation is not valid: PCI device 0000:81:00.3 is in use by driver QEMU, domain other-vm"));
    expect(e).toMatchObject({ kind: "vf-in-use", summary: "The destination VF 0000:81:00.3 is in use by the VM other-vm" });
});

test("aborted by the admin", () => {
    expect(explainLibvirtError(libvirt("operation aborted: migration out: canceled by client")).kind).toBe("cancelled");
    expect(explainLibvirtError(libvirt("operation aborted: migration out job: canceled by client")).kind).toBe("cancelled");
});

test("CPU, same host, unsafe storage", () => {
    expect(explainLibvirtError(libvirt("the CPU is incompatible with host CPU: Host CPU does not provide required features: avx512f")).kind).toBe("cpu-incompatible");
    expect(explainLibvirtError(libvirt("internal error: Attempt to migrate guest to the same host 5d1c6a3e-8f0b-4c55-9a57-3c1f0e2a9b11")).kind).toBe("same-host");
    expect(explainLibvirtError(libvirt("Unsafe migration: Migration without shared storage is unsafe")).kind).toBe("unsafe-storage");
});

test("D-Bus and Cockpit cases: no admin access, no libvirt-dbus, our wait timed out, connection lost", () => {
    expect(explainLibvirtError({ problem: "access-denied", message: "Not permitted" })).toMatchObject({ kind: "no-admin", outcomeKnown: true });
    expect(explainLibvirtError({ name: "org.freedesktop.DBus.Error.ServiceUnknown", message: "The name org.libvirt was not provided by any .service files" }).kind)
            .toBe("libvirt-dbus-missing");
    expect(explainLibvirtError({ problem: "timeout", message: "timeout" })).toMatchObject({ kind: "wait-timeout", outcomeKnown: false });
    expect(explainLibvirtError({ problem: "disconnected", message: "" })).toMatchObject({ kind: "disconnected", outcomeKnown: false });
    expect(explainLibvirtError(new LibvirtCallError("org.libvirt.Domain.GetJobStats", "Domain not found: no domain with matching uuid '5d1c…'", "org.libvirt.Error")).kind)
            .toBe("domain-not-found");
});

test("an error nobody knows: 'unknown', libvirt's words kept as they are", () => {
    expect(explainLibvirtError(libvirt("something new happened"))).toEqual({
        kind: "unknown", summary: "libvirt reported an error", checks: [], detail: "something new happened", outcomeKnown: true,
    });
    expect(explainLibvirtError("plain string").detail).toBe("plain string");
});

test("REAL (libvirt 11.3, test bed): the migration stream's connection reset mid-transfer is a broken connection, not an unreachable destination", () => {
    const reset = explainLibvirtError(libvirt("operation failed: migration failed. Message from the source host: operation failed: job 'migration out' failed: Unable to read from socket: Connection reset by peer. Message from the destination host: operation failed: job 'migration in' failed: load of migration failed: Invalid argument"));
    expect(reset).toMatchObject({ kind: "connection-lost", summary: "The connection to the destination broke during the migration", outcomeKnown: true });
    // what the same cut gave through libvirt-dbus: libvirt's words for a peer connection that never opened, too
    const eof = libvirt("End of file while reading data: : Input/output error");
    expect(explainLibvirtError(eof).kind).toBe("unreachable");
    expect(explainLibvirtError(eof, { dataSent: true }).kind).toBe("connection-lost");
});
