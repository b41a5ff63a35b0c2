/*
 * The review's proofs of concept (E1, E2), kept as regression tests: a hostile destination's hostname and
 * interface name reach the exports only as a quoted word or a comment-safe remnant, and the injected line never runs.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import path from "path";
import { parse } from "yaml";
import { buildFacts } from "../../../src/checks/gather";
import { probePlan } from "../../../src/checks/plan";
import type { CommandEvidence } from "../../../src/checks/types";
import { PciAddress } from "../../../src/host/values";
import { exportAnsible, exportShell } from "../../../src/steps";
import { ctxOf, fresh, freshNic, k } from "../steps/fixtures";

let dir = "";
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "vfm-inject-")) });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("E1: a hostile hostname", () => {
    test("in the facts directly: the script's comment keeps only safe characters and the injected command never runs", () => {
        const marker = path.join(dir, "e1-marker");
        const evil = `rhel-dst\ntouch ${marker} #`;
        const script = exportShell([{ role: "source", ctx: ctxOf(fresh()) },
            { role: "destination", ctx: ctxOf(fresh({ hostname: evil }), "destination") }]);
        const f = path.join(dir, "prepare.sh");
        writeFileSync(f, script);
        const r = spawnSync("/bin/bash", [f, "nosuchrole"], { encoding: "utf8" });
        expect(r.status).toBe(2);
        expect(existsSync(marker)).toBe(false);
        expect(script).toContain(`# destination: rhel-dsttouch${marker.replace(/[^A-Za-z0-9._:-]/g, "")}, PF 0000:e1:00.0`);
    });

    test("in the playbook: no injected play, and the comment is one line", () => {
        const evil = "x\n- hosts: all\n  become: true\n  tasks:\n  - shell: id\n- name: y\u2028- hosts: all\r{{ lookup('pipe', 'id') }}";
        const yml = exportAnsible([{ role: "destination", ctx: ctxOf(fresh({ hostname: evil }), "destination") }]);
        expect(yml).not.toContain("\n- hosts: all\n");
        const plays = parse(yml, { customTags: [{ tag: "!unsafe", resolve: (s: string) => s }] }) as { hosts: string }[];
        expect(plays.map(p => p.hosts)).toEqual(["vf_migration_destinations"]);
        expect(yml).toContain("  # from x-hosts:allbecome:truetasks:-shell:id-name:y-hosts:alllookuppipeid, PF 0000:e1:00.0, 1 VF(s)");
    });
});

describe("E1 end to end: `hostname` printing a command, through buildFacts", () => {
    const PF = "0000:e1:00.0";
    const items = probePlan([PciAddress.of(PF)]);
    const records = items.map((it): CommandEvidence => ({
        host: "h", argv: it.argv, durationMs: 1, stderr: "", exitStatus: 0,
        stdout: it.key === "hostname" ? "dst\nid -u >/tmp/x #\n" : "",
    }));

    test("the hostname is refused (null), its raw text kept as evidence; the script's comment names the address instead", () => {
        const facts = buildFacts({ host: "192.0.2.7", items, records });
        expect(facts.hostname).toBeNull();
        expect(facts.hostnameRefused?.evidence.command.stdout).toBe("dst\nid -u >/tmp/x #\n");
        expect(facts.hostnameRefused?.reason).toMatch(/^Host “dst\\x0aid -u >\/tmp\/x #” is not a host name/);
        const script = exportShell([{ role: "destination", ctx: ctxOf({ ...fresh(), host: facts.host, hostname: facts.hostname }, "destination") }]);
        expect(script).not.toContain("id -u >/tmp/x");
        expect(script).toContain("# destination: 192.0.2.7, PF 0000:e1:00.0, 1 VF(s), bridge br-vf, protocol ssh\n");
    });

    test("a valid hostname is kept", () => {
        const ok = records.map(r => (r.argv[0] === "hostname" ? { ...r, stdout: "rhel-dst.example.test\n" } : r));
        expect(buildFacts({ host: "192.0.2.7", items, records: ok }).hostname).toBe("rhel-dst.example.test");
    });
});

describe("E2: a hostile interface name (valid for Linux: 15 bytes, no '/' or space)", () => {
    const dev = "$(touch${IFS}x)";
    const hosts = [{ role: "destination" as const, ctx: ctxOf(fresh({ nics: k([freshNic({ netdev: dev })]) }), "destination", { persist: true }) }];

    test("every use in the script is the quoted word, never the bare text", () => {
        const script = exportShell(hosts);
        const quoted = "'$(touch${IFS}x)'";
        expect(script).toContain(`vfm_link_up ${quoted}`);
        expect(script).toContain(`vfm_guard_mgmt ${quoted}`);
        expect(script.split(quoted).join("").includes(dev)).toBe(false);
    });

    test("in the playbook too, inside shell blocks Ansible does not template", () => {
        const yml = exportAnsible(hosts);
        expect(yml.split("'$(touch${IFS}x)'").join("").includes(dev)).toBe(false);
        expect(yml.match(/ansible\.builtin\.shell: !unsafe \|/g)?.length).toBe(yml.match(/ansible\.builtin\.shell:/g)?.length);
    });

    test("running the script's steps with stub tools: the name reaches them as one argument, nothing is created", () => {
        const cwd = mkdtempSync(path.join(dir, "run-"));
        const script = exportShell(hosts);
        // every tool a stub that fails (so each step runs) except those a guard needs to pass
        const stubs = ["ip", "devlink", "mstconfig", "grubby", "rpm", "systemctl", "ovs-vsctl", "nmcli", "firewall-cmd", "dnf",
            "mstfwreset", "virsh", "ss", "tee", "cat", "readlink"].map(t => `${t}() { printf '%s\\n' "${t} $*" >>calls; return 1; }`).join("\n");
        const body = script.replace("set -euo pipefail\n", `set -uo pipefail\n${stubs}\n`).replace(/\nvfm_refuse\(\) \{[^\n]*\n/, "\nvfm_refuse() { :; }\n");
        writeFileSync(path.join(cwd, "p.sh"), body);
        spawnSync("/bin/bash", ["p.sh", "destination"], { cwd, encoding: "utf8" });
        expect(existsSync(path.join(cwd, "x"))).toBe(false);
        const calls = spawnSync("/bin/cat", [path.join(cwd, "calls")], { encoding: "utf8" }).stdout;
        expect(calls).toContain("ip -o link show dev $(touch${IFS}x)");
    });
});
