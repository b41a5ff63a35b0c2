/* The outputs the migration-security checks read: libvirt's configuration files, SSH_CONNECTION, a certificate's
 * subjectAltName, and firewalld's zone listing with its rich rules. */
import * as fs from "fs";
import * as path from "path";
import { parsed, parseError } from "./expect-parse";
import { parseRichRule } from "../../../src/parsers";

const SIM_CONF = path.resolve(__dirname, "../../simhost/conf");

describe("libvirt configuration files", () => {
    test("the file as RHEL ships it (every setting commented out) sets nothing: libvirt's defaults apply", () => {
        expect(parsed("libvirt-conf", fs.readFileSync(path.join(SIM_CONF, "virtproxyd.conf"), "utf8")).settings).toEqual({});
    });

    test("strings, integers, lists over several lines, comments after a value and inside a string", () => {
        expect(parsed("libvirt-conf", [
            'auth_tcp = "none"   # no login', "migrate_tls_x509_verify = 0", 'cgroup_controllers = [ "cpu",', '   "memory" ]',
            'log_outputs="3:file:/var/log/a#b.log"', "", "#auth_tls = \"sasl\""].join("\n")).settings).toEqual({
            auth_tcp: "none", migrate_tls_x509_verify: 0, cgroup_controllers: ["cpu", "memory"], log_outputs: "3:file:/var/log/a#b.log",
        });
    });

    test("what is not libvirt's syntax is an error naming the line", () => {
        expect(parseError("libvirt-conf", 'auth_tcp = "sasl"\nauth_tcp none\n')).toEqual(expect.objectContaining({ line: 2, text: "auth_tcp none" }));
        expect(parseError("libvirt-conf", "auth_tcp = none\n").line).toBe(1);
        expect(parseError("libvirt-conf", 'x = [ "a",\n').message).toMatch(/not closed/);
    });
});

test("SSH_CONNECTION: the client's address is the first field", () => {
    expect(parsed("ssh-connection", "192.0.2.1 40522 192.0.2.2 22\n")).toEqual({ client: "192.0.2.1", clientPort: 40522, server: "192.0.2.2", serverPort: 22 });
    expect(parsed("ssh-connection", "2001:db8::1 40522 2001:db8::2 22\n").client).toBe("2001:db8::1");
    expect(parseError("ssh-connection", "192.0.2.1 40522\n").line).toBe(1);
    expect(parseError("ssh-connection", "$(reboot) 1 192.0.2.2 22\n").line).toBe(1);
});

describe("openssl x509 -noout -ext subjectAltName", () => {
    test("OpenSSL 3's layout (as the simulated hosts' certificates print it)", () => {
        expect(parsed("cert-san", "X509v3 Subject Alternative Name: \n    DNS:rhel-dst.example.test, DNS:rhel-dst, IP Address:192.0.2.2\n").names).toEqual([
            { kind: "DNS", value: "rhel-dst.example.test" }, { kind: "DNS", value: "rhel-dst" }, { kind: "IP", value: "192.0.2.2" }]);
    });

    test("a certificate without extensions, or without a subjectAltName, has no names", () => {
        expect(parsed("cert-san", "").names).toEqual([]);
        expect(parsed("cert-san", "No extensions in certificate\n").names).toEqual([]);
    });
});

describe("firewall-cmd --list-all-zones with rich rules", () => {
    // firewall/command.py print_zone_policy_info: "  rich rules: " then "\n\t" before each rule
    const LIST = "public (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n  sources: \n" +
        "  services: cockpit dhcpv6-client ssh\n  ports: \n  protocols: \n  forward: yes\n  masquerade: no\n  forward-ports: \n" +
        "  source-ports: \n  icmp-blocks: \n  rich rules: \n" +
        '\trule family="ipv4" source address="192.0.2.1" port port="16514" protocol="tcp" accept\n' +
        '\trule family="ipv6" source address="2001:db8::1" port port="49152-49215" protocol="tcp" accept\n';

    test("each rule is one item of “rich rules”, as firewalld printed it", () => {
        const [z] = parsed("firewall-list-all-zones", LIST).zones;
        expect(z.fields["rich rules"]).toEqual([
            'rule family="ipv4" source address="192.0.2.1" port port="16514" protocol="tcp" accept',
            'rule family="ipv6" source address="2001:db8::1" port port="49152-49215" protocol="tcp" accept']);
        expect(z.fields.ports).toEqual([]);
    });

    test("every zone is read; the default mark of later firewalld releases (“(default, active)”) is accepted in either order", () => {
        const two = LIST + "\nblock (default)\n  target: %%REJECT%%\n  interfaces: \n\ninternal (active, default)\n  interfaces: eno1\n";
        const zones = parsed("firewall-list-all-zones", two.replace("public (active)", "public (default, active)")).zones;
        expect(zones.map(z => [z.zone, z.active])).toEqual([["public", true], ["block", false], ["internal", true]]);
        expect(zones[2].fields.interfaces).toEqual(["eno1"]);
        expect(parseError("firewall-list-all-zones", "public (enabled)\n  ports: \n").line).toBe(1);
    });

    test("a tab line after another key is not taken as a rule", () => {
        expect(parseError("firewall-list-all-zones", "public (active)\n  ports: \n\tsomething\n").line).toBe(3);
    });
});

describe("a rich rule's meaning", () => {
    test("the rule the page adds", () => {
        expect(parseRichRule('rule family="ipv4" source address="192.0.2.1" port port="49152-49215" protocol="tcp" accept')).toEqual({
            family: "ipv4", source: { address: "192.0.2.1", invert: false }, hasDestination: false,
            port: { from: 49152, to: 49215, protocol: "tcp" }, action: "accept", other: false });
    });

    test("NOT, a priority, logging, other elements and other actions are read for what they are", () => {
        expect(parseRichRule('rule family="ipv4" source NOT address="192.0.2.1" port port="22" protocol="tcp" accept')?.source).toEqual({ address: "192.0.2.1", invert: true });
        expect(parseRichRule('rule priority="-10" family="ipv4" source address="192.0.2.0/24" port port="16509" protocol="tcp" log prefix="lv" level="info" accept'))
            .toEqual(expect.objectContaining({ source: { address: "192.0.2.0/24", invert: false }, action: "accept", other: false }));
        expect(parseRichRule('rule family="ipv4" source address="192.0.2.1" service name="libvirt" accept')?.other).toBe(true);
        expect(parseRichRule('rule family="ipv4" source address="192.0.2.1" port port="16509" protocol="tcp" reject')?.action).toBe("reject");
        expect(parseRichRule("not a rule")).toBeNull();
        expect(parseRichRule('rule port port="x" protocol="tcp" accept')).toBeNull();
    });
});
