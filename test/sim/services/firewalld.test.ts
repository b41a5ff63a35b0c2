/*
 * The firewalld stand-in: firewall-cmd and org.fedoraproject.FirewallD1 show one zone state; runtime and permanent
 * configuration behave as on RHEL (a --permanent change shows after --reload; a runtime one is gone after it).
 */
import { Host, waitFor } from "./host";

const FW = "org.fedoraproject.FirewallD1";
const PATH = "/org/fedoraproject/FirewallD1";

describe("firewalld stand-in", () => {
    let host: Host;

    beforeAll(async () => {
        host = new Host({
            services: {
                firewall: {
                    default_zone: "public",
                    zones: { public: { interfaces: ["eth0"], services: ["cockpit", "dhcpv6-client", "ssh"] }, internal: { services: ["ssh"] } },
                },
            },
        });
        await host.start();
    });

    afterAll(async () => {
        await host.stop();
    });

    const runtimePorts = () => host.busctl(["call", FW, PATH, `${FW}.zone`, "getPorts", "s", "public"]);

    test("firewall-cmd --list-all prints the default zone as firewalld 1.3 does", () => {
        expect(host.ok(["firewall-cmd", "--state"])).toBe("running\n");
        expect(host.ok(["firewall-cmd", "--get-default-zone"])).toBe("public\n");
        expect(host.ok(["firewall-cmd", "--list-all"])).toBe([
            "public (active)", "  target: default", "  icmp-block-inversion: no", "  interfaces: eth0",
            "  sources: ", "  services: cockpit dhcpv6-client ssh", "  ports: ", "  protocols: ", "  forward: yes",
            "  masquerade: no", "  forward-ports: ", "  source-ports: ", "  icmp-blocks: ", "  rich rules: ", "",
        ].join("\n"));
    });

    test("a port added with firewall-cmd shows in the D-Bus getPorts of the zone", async () => {
        expect(runtimePorts()).toEqual([[]]);
        const signals = await host.monitor(FW);
        expect(host.run(["firewall-cmd", "--add-port=16509/tcp"])).toMatchObject({ status: 0, stdout: "success\n" });
        expect(runtimePorts()).toEqual([[["16509", "tcp"]]]);
        await waitFor("PortAdded", () => signals().includes("zone.PortAdded ('public', '16509', 'tcp', 0)"));
        expect(host.run(["firewall-cmd", "--add-port=16509/tcp"])).toEqual({
            status: 0, stdout: "success\n", stderr: "Warning: ALREADY_ENABLED: '16509:tcp' already in 'public'\n",
        });
        expect(host.run(["firewall-cmd", "--query-port=16509/tcp"])).toMatchObject({ status: 0, stdout: "yes\n" });
        expect(host.run(["firewall-cmd", "--query-port=16514/tcp"])).toMatchObject({ status: 1, stdout: "no\n" });
    });

    test("permanent changes go to the config zone and reach the runtime on --reload", () => {
        for (const opt of ["--add-port=16514/tcp", "--add-port=49152-49215/tcp", "--add-service=ssh"])
            host.run(["firewall-cmd", "--permanent", opt]);
        expect(host.ok(["firewall-cmd", "--permanent", "--list-ports"])).toBe("16514/tcp 49152-49215/tcp\n");
        const zone = host.busctl(["call", FW, `${PATH}/config`, `${FW}.config`, "getZoneByName", "s", "public"]) as string[];
        expect(host.busctl(["call", FW, zone[0], `${FW}.config.zone`, "getPorts"]))
                .toEqual([[["16514", "tcp"], ["49152-49215", "tcp"]]]);
        expect(host.ok(["firewall-cmd", "--list-ports"])).toBe("16509/tcp\n");

        expect(host.ok(["firewall-cmd", "--reload"])).toBe("success\n");
        expect(runtimePorts()).toEqual([[["16514", "tcp"], ["49152-49215", "tcp"]]]);
    });

    test("adding services over D-Bus, and firewalld's errors", () => {
        expect(host.busctl(["call", FW, PATH, `${FW}.zone`, "addService", "ssi", "public", "libvirt-tls", "0"]))
                .toEqual(["public"]);
        expect(host.ok(["firewall-cmd", "--list-services"])).toBe("cockpit dhcpv6-client libvirt-tls ssh\n");
        expect(host.run(["firewall-cmd", "--add-port=99999/tcp"])).toMatchObject({
            status: 102, stderr: "Error: INVALID_PORT: 99999\n",
        });
        expect(host.run(["firewall-cmd", "--zone=nope", "--list-ports"])).toMatchObject({
            status: 112, stderr: "Error: INVALID_ZONE: nope\n",
        });
    });

    test("rich rules: added in firewalld's normalised text, listed after a tab in --list-all, queried, removed; firewalld's errors", () => {
        const rule = 'rule family="ipv4" source address="192.0.2.1" port port="49152-49215" protocol="tcp" accept';
        expect(host.run(["firewall-cmd", `--add-rich-rule=rule   family="ipv4" source address="192.0.2.1" port port="49152-49215" protocol="tcp" accept`]))
                .toMatchObject({ status: 0, stdout: "success\n" });
        expect(host.run(["firewall-cmd", `--add-rich-rule=${rule}`])).toEqual({
            status: 0, stdout: "success\n", stderr: `Warning: ALREADY_ENABLED: '${rule}' already in 'public'\n`,
        });
        expect(host.ok(["firewall-cmd", "--list-all"])).toMatch(new RegExp(`\n {2}rich rules: \n\t${rule.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n$`));
        expect(host.ok(["firewall-cmd", "--list-rich-rules"])).toBe(`${rule}\n`);
        expect(host.run(["firewall-cmd", `--query-rich-rule=${rule}`])).toMatchObject({ status: 0, stdout: "yes\n" });
        expect(host.run(["firewall-cmd", "--permanent", `--query-rich-rule=${rule}`])).toMatchObject({ status: 1, stdout: "no\n" });
        expect(host.run(["firewall-cmd", "--add-rich-rule=rule source address=\"192.0.2.1\" accept"])).toMatchObject({
            status: 207, stderr: "Error: MISSING_FAMILY\n",
        });
        expect(host.run(["firewall-cmd", "--add-rich-rule=rule family=\"ipv6\" source address=\"192.0.2.1\" accept"])).toMatchObject({
            status: 105, stderr: "Error: INVALID_ADDR: 192.0.2.1\n",
        });
        expect(host.run(["firewall-cmd", `--remove-rich-rule=${rule}`])).toMatchObject({ status: 0, stdout: "success\n" });
        expect(host.run(["firewall-cmd", `--query-rich-rule=${rule}`])).toMatchObject({ status: 1, stdout: "no\n" });
    });

    test("--change-interface moves an interface to another zone; --list-all-zones prints every zone and a blank line after each, as 1.3.4 does", () => {
        expect(host.run(["firewall-cmd", "--zone=internal", "--change-interface=eth0"])).toMatchObject({ status: 0, stdout: "success\n" });
        // already in that zone: firewalld returns it unchanged (core/fw_zone.py change_zone_of_interface), no warning
        expect(host.run(["firewall-cmd", "--zone=internal", "--change-interface=eth0"])).toEqual({ status: 0, stdout: "success\n", stderr: "" });
        const all = host.ok(["firewall-cmd", "--list-all-zones"]);
        expect(all.split("\n").filter(l => /^\S/.test(l))).toEqual(["internal (active)", "public"]);
        expect(all).toMatch(/^internal \(active\)\n {2}target: default\n {2}icmp-block-inversion: no\n {2}interfaces: eth0\n/);
        expect(all).toMatch(/\n {2}rich rules: \n\npublic\n/);
        expect(all.endsWith("\n\n")).toBe(true);
        expect(host.run(["firewall-cmd", "--zone=nosuch", "--change-interface=eth0"])).toMatchObject({ status: 112 });
        expect(host.run(["firewall-cmd", "--zone=public", "--change-interface=eth0"])).toMatchObject({ status: 0 });
    });

    test("with firewalld.service stopped, firewalld is off the bus", async () => {
        host.ok(["systemctl", "stop", "firewalld"]);
        await waitFor("firewalld to leave the bus", () => host.run(["firewall-cmd", "--state"]).status === 252);
        expect(host.run(["firewall-cmd", "--state"])).toMatchObject({ stdout: "", stderr: "not running\n" });
        host.ok(["systemctl", "start", "firewalld"]);
        await waitFor("firewalld back", () => host.run(["firewall-cmd", "--state"]).status === 0);
    });
});
