/* What protects the migration: TCP refused without a login, TLS files and names, the migration ports opened to the
 * source only. Each test changes one fact of a ready host and asserts the verdict and what the admin reads. */
import { libvirtTcpAuth, tlsCertificates } from "../../../src/checks/migration-security";
import { firewallPortsCheck } from "../../../src/checks/migration-ports";
import type { HostFacts } from "../../../src/checks/facts";
import { ctx, facts, k, rule } from "./fixtures";

const DEST = "rhel-dst.example.test";
// a destination's facts carry its label, as the SSH transport names it
const dest = (over: Partial<HostFacts> = {}) => facts({ host: `root@${DEST}`, ...over });
const conf = (virtproxyd: Record<string, string | number>, libvirtd: Record<string, string | number> = {}) =>
    ({ virtproxyd: k(virtproxyd), libvirtd: k(libvirtd), qemu: k({}) });

describe("TCP: libvirt's TCP listener must ask for a login", () => {
    test("auth_tcp = \"none\" in virtproxyd.conf: refused, with the reason and the fix", () => {
        const r = libvirtTcpAuth.evaluate(ctx(dest({ libvirtConf: conf({ auth_tcp: "none" }) }), "destination", "tcp"));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("/etc/libvirt/virtproxyd.conf sets auth_tcp = \"none\"");
        expect(r.fix).toEqual({ kind: "manual", text: expect.stringContaining("auth_tcp = \"sasl\" in /etc/libvirt/virtproxyd.conf") });
    });

    test("not set (as shipped): libvirt's default, SASL: passes and says it is the default", () => {
        const r = libvirtTcpAuth.evaluate(ctx(dest(), "destination", "tcp"));
        expect(r.verdict).toBe("pass");
        expect(r.summary).toContain("default, \"sasl\"");
    });

    test("the monolithic libvirtd serves TCP when it runs: its file counts, not virtproxyd's", () => {
        const f = dest({
            libvirtConf: conf({}, { auth_tcp: "none" }),
            units: k({ "libvirtd.service": { activeState: "active", unitFileState: "enabled" } }),
        });
        expect(libvirtTcpAuth.evaluate(ctx(f, "destination", "tcp")).summary).toBe("/etc/libvirt/libvirtd.conf sets auth_tcp = \"none\"");
    });

    test("an unreadable file is unknown, never a pass; SSH and TLS do not depend on it", () => {
        const f = dest({ libvirtConf: { virtproxyd: { known: false, reason: "line 3 was not understood", evidence: [] }, libvirtd: k({}), qemu: k({}) } });
        expect(libvirtTcpAuth.evaluate(ctx(f, "destination", "tcp")).verdict).toBe("unknown");
        expect(libvirtTcpAuth.evaluate(ctx(dest({ libvirtConf: conf({ auth_tcp: "none" }) }), "destination", "ssh")).verdict).toBe("pass");
    });
});

describe("TLS: the certificates libvirt and QEMU read", () => {
    test("all in place and naming the destination: passes", () => {
        expect(tlsCertificates.evaluate(ctx(dest(), "destination", "tls")).verdict).toBe("pass");
    });

    test("a missing QEMU key on the destination: fails and names the file", () => {
        const f = dest({ tlsFiles: k(["/etc/pki/CA/cacert.pem", "/etc/pki/libvirt/servercert.pem", "/etc/pki/libvirt/private/serverkey.pem",
            "/etc/pki/qemu/ca-cert.pem", "/etc/pki/qemu/server-cert.pem"]) });
        const r = tlsCertificates.evaluate(ctx(f, "destination", "tls"));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("Missing: /etc/pki/qemu/server-key.pem");
    });

    test("the source needs the client files, not the server ones", () => {
        const client = ["/etc/pki/CA/cacert.pem", "/etc/pki/libvirt/clientcert.pem", "/etc/pki/libvirt/private/clientkey.pem",
            "/etc/pki/qemu/ca-cert.pem", "/etc/pki/qemu/client-cert.pem", "/etc/pki/qemu/client-key.pem"];
        expect(tlsCertificates.evaluate(ctx(facts({ tlsFiles: k(client) }), "source", "tls")).verdict).toBe("pass");
        expect(tlsCertificates.evaluate(ctx(dest({ tlsFiles: k(client) }), "destination", "tls")).verdict).toBe("fail");
    });

    test("a server certificate issued for another name: fails with the names it has", () => {
        const f = dest({ serverCertNames: { libvirt: k(["rhel-dst.example.test"]), qemu: k(["other.example.test", "192.0.2.9"]) } });
        const r = tlsCertificates.evaluate(ctx(f, "destination", "tls"));
        expect(r.verdict).toBe("fail");
        expect(r.summary).toBe("/etc/pki/qemu/server-cert.pem is not valid for “rhel-dst.example.test” (its names: other.example.test, 192.0.2.9)");
    });

    test("reached by address: the certificate's IP entry counts", () => {
        const f = facts({ host: "root@192.0.2.2", serverCertNames: { libvirt: k(["rhel-dst", "192.0.2.2"]), qemu: k(["192.0.2.2"]) } });
        expect(tlsCertificates.evaluate(ctx(f, "destination", "tls")).verdict).toBe("pass");
        const v6 = facts({ host: "admin@[2001:db8::2]:2222", serverCertNames: { libvirt: k(["2001:db8::2"]), qemu: k(["2001:db8::2"]) } });
        expect(tlsCertificates.evaluate(ctx(v6, "destination", "tls")).verdict).toBe("pass");
    });

    test("QEMU told not to check the client's certificate: warns", () => {
        const f = dest({ libvirtConf: { virtproxyd: k({}), libvirtd: k({}), qemu: k({ migrate_tls_x509_verify: 0 }) } });
        const r = tlsCertificates.evaluate(ctx(f, "destination", "tls"));
        expect(r.verdict).toBe("warn");
        expect(r.summary).toContain("migrate_tls_x509_verify = 0");
    });
});

describe("the migration ports, open to the source's address only", () => {
    const fw = (ports: string[], richRules: string[], services = ["ssh"]) => k({ running: true, zone: "public", zoneBy: "default" as const, ingress: null, target: "default", ports, services, richRules });

    test("rules for the source's address: passes and says so", () => {
        const f = dest({ firewall: fw([], [rule("192.0.2.1", "16514"), rule("192.0.2.1", "49152-49215")]) });
        const r = firewallPortsCheck.evaluate(ctx(f, "destination", "tls"));
        expect(r).toEqual(expect.objectContaining({ verdict: "pass", summary: "Zone public (the default zone) accepts 16514/tcp, 49152-49215/tcp from 192.0.2.1 only" }));
    });

    test("a rule for another address, or one that excludes the source, does not count: fails with the rules to add", () => {
        for (const rules of [[rule("192.0.2.99", "49152-49215")], [rule("192.0.2.1", "49152-49215").replace("source address", "source NOT address")]]) {
            const r = firewallPortsCheck.evaluate(ctx(dest({ firewall: fw([], rules) }), "destination", "ssh"));
            expect(r.verdict).toBe("fail");
            expect(r.summary).toBe("Zone public (the default zone) does not let 192.0.2.1 reach 49152-49215/tcp");
            expect(r.fix).toEqual(expect.objectContaining({ argv: [
                ["firewall-cmd", "--zone=public", `--add-rich-rule=${rule("192.0.2.1", "49152-49215")}`],
                ["firewall-cmd", "--permanent", "--zone=public", `--add-rich-rule=${rule("192.0.2.1", "49152-49215")}`]] }));
        }
    });

    test("the zone is named with why it counts; the rules go to that zone, not to the default one", () => {
        const f = dest({ firewall: k({ running: true, zone: "internal", zoneBy: "interface" as const, ingress: "eno1", target: "default", ports: [], services: ["ssh"], richRules: [] }) });
        const r = firewallPortsCheck.evaluate(ctx(f, "destination", "ssh"));
        expect(r.summary).toBe("Zone internal (of eno1, where the source's connection arrives) does not let 192.0.2.1 reach 49152-49215/tcp");
        expect(r.fix?.kind === "command" && r.fix.argv[0]).toEqual(["firewall-cmd", "--zone=internal", `--add-rich-rule=${rule("192.0.2.1", "49152-49215")}`]);
        const bySource = dest({ firewall: k({ running: true, zone: "trusted", zoneBy: "source" as const, ingress: "eno1", target: "default", ports: [], services: [], richRules: [rule("192.0.2.1", "49152-49215")] }) });
        expect(firewallPortsCheck.evaluate(ctx(bySource, "destination", "ssh")).summary).toBe("Zone trusted (bound to the source's address) accepts 49152-49215/tcp from 192.0.2.1 only");
    });

    test("a zone whose target is ACCEPT lets everyone in: a warning, and no fix that could not narrow it", () => {
        const f = dest({ firewall: k({ running: true, zone: "trusted", zoneBy: "interface" as const, ingress: "eno1", target: "ACCEPT", ports: [], services: [], richRules: [] }) });
        const r = firewallPortsCheck.evaluate(ctx(f, "destination", "tls"));
        expect(r.fix).toBeUndefined();
        expect(r).toEqual(expect.objectContaining({ verdict: "warn",
            summary: "Zone trusted (of eno1, where the source's connection arrives) accepts every connection (target ACCEPT): 16514/tcp, 49152-49215/tcp are open to every address, not only to the source" }));
    });

    test("a rule for the source's network counts", () => {
        const f = dest({ firewall: fw([], ['rule family="ipv4" source address="192.0.2.0/24" port port="49152-49215" protocol="tcp" accept']) });
        expect(firewallPortsCheck.evaluate(ctx(f, "destination", "ssh")).verdict).toBe("pass");
    });

    test("open to every address (a port or the libvirt service): works, but warns, with the commands that narrow it", () => {
        const f = dest({ firewall: fw(["49152-49215/tcp"], [rule("192.0.2.1", "49152-49215")], ["ssh", "libvirt-tls"]) });
        const r = firewallPortsCheck.evaluate(ctx(f, "destination", "tls"));
        expect(r.verdict).toBe("warn");
        expect(r.summary).toBe("Zone public (the default zone) accepts 16514/tcp, 49152-49215/tcp from every address, not only from the source");
        const argv = r.fix?.kind === "command" ? r.fix.argv : [];
        expect(argv).toContainEqual(["firewall-cmd", "--zone=public", "--remove-port=49152-49215/tcp"]);
        expect(argv).toContainEqual(["firewall-cmd", "--permanent", "--zone=public", "--remove-service=libvirt-tls"]);
        expect(argv).toContainEqual(["firewall-cmd", "--permanent", "--zone=public", `--add-rich-rule=${rule("192.0.2.1", "16514")}`]);
    });

    test("the source's address unknown: the verdict is unknown, not a rule for a guessed address", () => {
        const f = dest({ sshPeer: { known: false, reason: "printenv failed", evidence: [] }, firewall: fw([], []) });
        expect(firewallPortsCheck.evaluate(ctx(f, "destination", "ssh")).verdict).toBe("unknown");
    });
});
