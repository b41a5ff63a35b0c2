/*
 * Each rule of src/rules, on every named scenario of the simulated pair (test/simhost/scenarios), seen four ways —
 * the status check's verdict, the step's "needs to run", the check's fix against the step's commands, and the
 * exports' bash guard (the step's `done` test, run by real bash over the helpers, with the tools as stub functions
 * printing that scenario's state) — must agree.
 *
 * A scenario's host facts: test/unit/rules/sim-host.py normalizes the scenario's hw part with the simulator's own
 * hwstate and runs the simulator's fake `mstconfig -e query` on it, and prints its services layer's firewall zone as
 * its `firewall-cmd --list-all` does; those texts go through the real parsers (mapped as checks/gather.ts does), the
 * rest (CPU, kernel lines, IOMMU, the PF's link, VFs and representors, Open vSwitch, the SSH peer) is set from the
 * simulator's values on the status page's ready host (test/unit/checks/fixtures.ts).
 */
import { spawnSync } from "child_process";
import fs from "fs";
import path from "path";
import { parseMstconfigQueryE } from "../../../src/parsers/mstconfig-query-e";
import { parseFirewallListAllZones } from "../../../src/parsers/host-listings";
import { quoteArgv } from "../../../src/host/quote";
import type { HostFacts, NicFacts } from "../../../src/checks/facts";
import type { HostCheck } from "../../../src/steps/common";
import { runCheck } from "../../../src/steps/common";
import { stepById } from "../../../src/steps";
import type { StepCommand, StepContext, StepDef } from "../../../src/steps/types";
import { exportShell } from "../../../src/steps/export-shell";
import { SCRIPT_LIB } from "../../../src/steps/script-lib";
import { commandLine } from "../../../src/steps/runner";
import { FIRMWARE_RULES, fwShellSet } from "../../../src/rules/firmware";
import { OVS_SETTINGS, ovsServiceRule, ovsSettingShell } from "../../../src/rules/ovs";
import { targetVfOf, vfInUse } from "../../../src/rules/vf";
import { HOST_CHECKS } from "../../../src/checks";
import { SOCKET_FOR } from "../../../src/checks/packages";
import { serviceRule } from "../../../src/rules/services";
import { facts, k, nic, vf } from "../checks/fixtures";
import { ctxOf } from "../steps/fixtures";

const ROOT = path.join(__dirname, "..", "..", "..");
const SCENARIOS = fs.readdirSync(path.join(ROOT, "test", "simhost", "scenarios"))
        .filter(f => f.endsWith(".json") && f !== "schema.json").map(f => f.replace(/\.json$/, ""));

interface SimHost {
    cpuVendor: "intel" | "amd"; cmdline: string; bootArgs: string; iommuActive: boolean; iommuInFirmware: boolean;
    nics: {
        pf: string; netdev: string; eswitch: string; totalVfs: number; linkUp: boolean | null; mstconfigE: string;
        /** what the port runs (the simulator's is_eth) */
        linkType: "eth" | "ib";
        vfs: { driver: string; migratable: boolean; representor: string | null }[];
    }[];
    ovs: { otherConfig?: Record<string, string>; bridges?: Record<string, string[]> };
    ovsRunning: boolean;
    firewall: { running: boolean; listAll: string; richRules: string[] };
    sshPeer: string | null;
}

function simHost(scenario: string, role: string): SimHost {
    const r = spawnSync("/usr/bin/python3", [path.join(__dirname, "sim-host.py"), scenario, role], { encoding: "utf8" });
    if (r.status !== 0)
        throw new Error(r.stderr);
    return JSON.parse(r.stdout) as SimHost;
}

function factsOf(h: SimHost): HostFacts {
    const n = h.nics[0];
    const mst = parseMstconfigQueryE(n.mstconfigE);
    if (mst.kind !== "query-e")
        throw new Error(`mstconfig: ${mst.message}`);
    const params = Object.fromEntries(Object.entries(mst.params).map(([name, p]) => [name, { name, current: p.current.raw, nextBoot: p.nextBoot.raw }]));
    const pfBus = n.pf.slice(0, -1);
    const nicFacts: NicFacts = nic({
        pci: n.pf, netdev: n.netdev, linkUp: n.linkUp, totalVfs: n.totalVfs, numVfs: n.vfs.length,
        params: k(params, ["mstconfig", "-d", n.pf, "-e", "query"], n.mstconfigE),
        eswitchMode: k(n.eswitch as "legacy" | "switchdev"),
        linkType: k(n.linkType),
        vfs: n.vfs.map((v, i) => vf(i, {
            pci: `${pfBus}${i + 1}`, driver: v.driver, representor: v.representor, representorUp: repUp(h, v.representor),
            port: { handle: `pci/${n.pf}/${i + 1}`, migratable: v.migratable, hwAddr: null, netdev: v.representor },
        })),
    });
    const [zone] = parseFirewallListAllZones(h.firewall.listAll).zones;
    return facts({
        nics: k([nicFacts]),
        cpuVendor: k(h.cpuVendor),
        cmdline: k(h.cmdline.split(/\s+/)),
        nextBootArgs: k(h.bootArgs.split(/\s+/)),
        iommuActive: k(h.iommuActive),
        // virt-host-validate's answer, from the ACPI table the firmware provides or not
        hardwareIommu: k(!h.iommuInFirmware ? "fail" : h.iommuActive ? "pass" : "warn"),
        ovs: k(h.ovsRunning ? { running: true, otherConfig: h.ovs.otherConfig ?? {}, bridges: h.ovs.bridges ?? {}, version: "3.3.0" }
            : { running: false, otherConfig: {}, bridges: {}, version: null }),
        firewall: k(h.firewall.running
            ? { running: true, zone: zone.zone, zoneBy: "default" as const, ingress: null, target: zone.fields.target?.[0] ?? "default", ports: zone.fields.ports ?? [], services: zone.fields.services ?? [], richRules: zone.fields["rich rules"] ?? [] }
            : { running: false, zone: "", zoneBy: "default" as const, ingress: null, target: "default", ports: [], services: [], richRules: [] }),
        sshPeer: h.sshPeer !== null ? k(h.sshPeer) : { known: false, reason: "not reached over SSH", evidence: [] },
    });
}

/**
 * A representor's UP flag on the simulated host: the kernel creates it down, and the pair's Open vSwitch set-up
 * (test/simhost/lib/ovs-scenario) brings up each port it puts in a scenario's bridge, as the preparation does.
 */
const repUp = (h: SimHost & { downReps?: string[] }, rep: string | null): boolean | null =>
    rep === null ? null : !h.downReps?.includes(rep) && Object.values(h.ovs.bridges ?? {}).some(ports => ports.includes(rep));

/** Stub tools printing the host's state, as the helpers of lib.sh read them. */
function stubs(h: SimHost): string {
    const n = h.nics[0];
    const oc = h.ovs.otherConfig ?? {};
    const vfs = n.vfs;
    const bridges = Object.entries(h.ovs.bridges ?? {});
    const flags = n.linkUp ? "BROADCAST,MULTICAST,UP,LOWER_UP" : "BROADCAST,MULTICAST";
    const cases = (pairs: [string, string][]) => pairs.map(([pattern, body]) => `${pattern}) ${body} ;;`).join(" ");
    return [
        `mstconfig() { cat <<'EOF_MST'\n${n.mstconfigE}EOF_MST\n}`,
        `cat() { if [ "\${1:-}" = /proc/cmdline ]; then printf '%s\\n' '${h.cmdline}'; else command cat "$@"; fi; }`,
        `grubby() { printf 'args="%s"\\n' '${h.bootArgs}'; }`,
        `ls() { ${h.iommuActive ? "echo dmar0" : "return 0"}; }`,
        `vfm_iommu_in_firmware() { return ${h.iommuInFirmware ? 0 : 1}; }`,
        // ip -o link show dev DEV: the PF's netdev exists only where the hw layer makes it; representors with their flag
        `ip() { case "\${5:-}" in ${cases([
            ...(n.linkUp === null ? [] : [[quoteArgv([n.netdev]), `echo "4: ${n.netdev}: <${flags}> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\\    link/${n.linkType === "ib" ? "infiniband" : "ether"} 5c:25:73:e3:a4:c0 brd ff:ff:ff:ff:ff:ff"`] as [string, string]]),
            ...vfs.flatMap((v, i) => (v.representor ? [[quoteArgv([v.representor]), `echo "${10 + i}: ${v.representor}: <BROADCAST,MULTICAST${
                repUp(h, v.representor) ? ",UP" : ""}> mtu 1500 qdisc noop state DOWN"`] as [string, string]] : [])),
        ])} *) echo "Device $5 does not exist." >&2; return 1 ;; esac; }`,
        `ovs-vsctl() { ${h.ovsRunning ? "" : "return 1; "}case "$1" in
            port-to-br) case "$2" in ${cases(bridges.flatMap(([br, ports]) => ports.map(p => [quoteArgv([p]), `echo ${br}`] as [string, string])))} *) return 1 ;; esac ;;
            get) case "$4" in ${cases(Object.entries(oc).map(([key, v]) => [`other_config:${key}`, `echo '"${v}"'`]))} *) return 1 ;; esac ;;
        esac; }`,
        // firewalld compares rich rules in its normalised text, which the simulator stores and the page writes
        // the page names the zone it judged: the rules the simulator holds are those of its runtime default zone
        `firewall-cmd() { case "$1" in --zone=${quoteArgv([parseFirewallListAllZones(h.firewall.listAll).zones[0].zone])}) shift ;; --zone=*) return 1 ;; esac
            case "$1" in --state) ${h.firewall.running ? "return 0" : "return 252"} ;;
            --query-rich-rule=*) case "\${1#--query-rich-rule=}" in ${cases(h.firewall.richRules.map(r => [quoteArgv([r]), "return 0"]))} *) return 1 ;; esac ;;
        esac; }`,
        `vfm_numvfs() { echo ${vfs.length}; }`,
        `devlink() { echo "pci/${n.pf}: mode ${n.eswitch} inline-mode none encap-mode basic"; }`,
        `vfm_vf_pci() { echo "vf$2"; }`,
        `vfm_vf_driver() { case "$1" in ${vfs.map((v, i) => `vf${i}) echo ${v.driver} ;;`).join(" ")} *) echo none ;; esac; }`,
        `vfm_vf_port() { echo "port$2"; }`,
        `vfm_vf_rep() { case "$2" in ${cases(vfs.map((v, i) => [String(i), v.representor ? `echo ${v.representor}` : "return 0"]))} esac; }`,
        `vfm_vf_migratable() { case "$1" in ${vfs.map((v, i) => `port${i}) ${v.migratable ? "return 0" : "return 1"} ;;`).join(" ")} *) return 1 ;; esac; }`,
    ].join("\n");
}

/** Runs named bash tests after the helpers and the stubs; 0 = the test succeeds (for a guard: nothing to do). */
function shell(h: SimHost, tests: Record<string, string>): Record<string, number | string> {
    const body = Object.entries(tests).map(([name, t]) => `if ${t}; then echo "${name}=0"; else echo "${name}=1"; fi`);
    const r = spawnSync("/bin/bash", ["-c", [SCRIPT_LIB, stubs(h), "set -uo pipefail", ...body].join("\n")], { encoding: "utf8" });
    if (r.status !== 0)
        throw new Error(r.stderr);
    return Object.fromEntries(r.stdout.trim().split("\n").map(l => l.split("=")).map(([a, b]) => [a, /^\d+$/.test(b) ? Number(b) : b]));
}

const step = (id: string): StepDef => {
    const s = stepById(id);
    if (!s)
        throw new Error(id);
    return s;
};
const checkOf = (id: string): HostCheck => {
    const c = HOST_CHECKS.find(x => x.id === id);
    if (!c)
        throw new Error(id);
    return c;
};
const needed = (s: StepDef, ctx: StepContext) => s.detect(ctx).state === "needed";
const lines = (cs: readonly StepCommand[]) => cs.map(commandLine);
const fixLines = (ctx: StepContext, check: HostCheck): string[] => {
    const r = runCheck(ctx, check);
    return r.fix?.kind === "command" ? r.fix.argv.map(c => ("path" in c ? commandLine({ kind: "sysfs", ...c }) : commandLine({ kind: "run", argv: c }))) : [];
};

describe.each(SCENARIOS)("scenario %s", scenario => {
    describe.each(["source", "destination"] as const)("%s", role => {
        const h = simHost(scenario, role);
        const f = factsOf(h);

        test.each([1, 8, 16])("firmware settings, %d VF(s): check, step, fix and script agree", numVfs => {
            const ctx = ctxOf(f, role, { numVfs });
            const fw = step("firmware-settings");
            const sh = shell(h, {
                step: fw.script(ctx).done,
                ...Object.fromEntries(FIRMWARE_RULES.map(r => [r.key, fwShellSet(r, ctx.pf, numVfs, h.nics[0].netdev)])),
            });
            const verdicts = FIRMWARE_RULES.map(r => runCheck(ctx, checkOf(r.checkId)).verdict);
            for (const [i, r] of FIRMWARE_RULES.entries()) {
                // unknown (not listed: older firmware) is never run blind by the page; the script's guard does not skip it either
                expect({ key: r.key, failing: verdicts[i] === "fail" || verdicts[i] === "unknown" })
                        .toEqual({ key: r.key, failing: sh[r.key] === 1 });
            }
            const failing = FIRMWARE_RULES.filter((_r, i) => verdicts[i] === "fail");
            // a setting the step must make and mstconfig does not list: needed, and refused with the reason
            const unlisted = FIRMWARE_RULES.some((r, i) => verdicts[i] === "unknown" && !r.ethernetOnlyMayLack);
            expect(needed(fw, ctx)).toBe(failing.length > 0 || unlisted);
            if (unlisted)
                expect(fw.guard(ctx)?.reason).toMatch(/^mstconfig lists no [A-Z_]+ on this adapter: its firmware, or this host's mstflint, is too old/);
            expect(sh.step === 1).toBe(verdicts.some(v => v === "fail" || v === "unknown"));
            // the step sets exactly the failing settings, with the values the checks' fixes show
            const setPairs = (ls: string[]) => ls.flatMap(l => l.split(" ").filter(w => /^[A-Z_0-9]+=\d+$/.test(w))).sort();
            expect(setPairs(lines(fw.commands(ctx)))).toEqual(setPairs(failing.flatMap(r => fixLines(ctx, checkOf(r.checkId)))));
        });

        test("kernel arguments: check, the grubby step, the reboot, and their guards agree", () => {
            const ctx = ctxOf(f, role);
            const [args, reboot, reset] = [step("iommu-kernel-args"), step("reboot"), step("firmware-reset")];
            const sh = shell(h, { args: args.script(ctx).done, reboot: reboot.script(ctx).done, reset: reset.script(ctx).done });
            const verdict = runCheck(ctx, checkOf("iommu-kernel")).verdict;
            expect(needed(args, ctx)).toBe(verdict === "fail");
            expect(sh.args === 1).toBe(verdict === "fail");
            expect(needed(reboot, ctx)).toBe(verdict === "pending-reboot");
            expect(sh.reboot === 1).toBe(verdict === "pending-reboot");
            expect(needed(reset, ctx)).toBe(sh.reset === 1);
            // a step refused outright (no IOMMU in the firmware) runs nothing, and the check offers no command either
            const refused = args.guard(ctx) !== null;
            if (verdict === "fail")
                expect(refused ? [] : lines(args.commands(ctx))).toEqual(fixLines(ctx, checkOf("iommu-kernel")));
        });

        test.each([1, 2])("switchdev and %d VF(s): checks, steps, fixes and scripts agree", numVfs => {
            const ctx = ctxOf(f, role, { numVfs });
            const [eswitch, create] = [step("eswitch-switchdev"), step("create-vfs")];
            const sh = shell(h, { eswitch: eswitch.script(ctx).done, create: create.script(ctx).done });
            for (const [s, id, guard] of [[eswitch, "eswitch-switchdev", sh.eswitch], [create, "vf-created", sh.create]] as const) {
                const failing = runCheck(ctx, checkOf(id)).verdict === "fail";
                expect({ id, needed: needed(s, ctx), guard: guard === 1 }).toEqual({ id, needed: failing, guard: failing });
                expect(fixLines(ctx, checkOf(id))).toEqual(failing ? lines(s.commands(ctx)) : []);
            }
        });

        test("the VF to prepare and the VFs in use: the page and the script pick the same", () => {
            const nicF = f.nics.known ? f.nics.value[0] : null;
            const vfs = nicF?.vfs ?? [];
            const target = targetVfOf(vfs);
            const sh = shell(h, {
                target: `[ "$(vfm_target_vf pf || echo none)" = ${target ? target.index : "none"} ]`,
                ...Object.fromEntries(vfs.map((_v, i) => [`inUse${i}`, `vfm_vf_in_use vf${i}`])),
            });
            expect(sh.target).toBe(0);
            vfs.forEach((v, i) => expect(sh[`inUse${i}`] === 0).toBe(vfInUse(v)));
            const prepared = runCheck(ctxOf(f, role), checkOf("vf-prepared")).verdict;
            if (prepared === "fail" && target)
                expect(fixLines(ctxOf(f, role), checkOf("vf-prepared")))
                        .toEqual([...lines(step("vf-unbind").commands(ctxOf(f, role))), ...lines(step("vf-migratable").commands(ctxOf(f, role)))]);
        });

        test("the PF's link: check, step, fix and script agree", () => {
            const ctx = ctxOf(f, role);
            const s = step("pf-link-up");
            const verdict = runCheck(ctx, checkOf("pf-link-up")).verdict;
            const sh = shell(h, { link: s.script(ctx).done });
            expect(needed(s, ctx)).toBe(verdict === "fail");
            // unknown (no interface to look at) is never run blind by the page; the script's guard does not skip it either
            expect(sh.link === 1).toBe(verdict === "fail" || verdict === "unknown");
            expect(fixLines(ctx, checkOf("pf-link-up"))).toEqual(verdict === "fail" ? lines(s.commands(ctx)) : []);
        });

        test.each(["ssh", "tls", "tcp"] as const)("firewall ports over %s: check, step, fix and script agree", protocol => {
            const ctx = ctxOf(f, role, { protocol });
            const s = step("firewall-ports");
            const verdict = runCheck(ctx, checkOf("firewall-ports")).verdict;
            if (!s.roles.includes(role)) {
                expect(verdict).toBe("pass");
                return;
            }
            const sh = shell(h, { ports: s.script(ctx).done });
            // warn: open to the whole zone, so the migration works: the step has nothing to add
            expect(needed(s, ctx)).toBe(verdict === "fail");
            expect(sh.ports === 1).toBe(verdict === "fail" || verdict === "unknown");
            expect(fixLines(ctx, checkOf("firewall-ports"))).toEqual(verdict === "fail" ? lines(s.commands(ctx)) : []);
        });

        const bridgeAgrees = (host: SimHost) => {
            const ctx = ctxOf(factsOf(host), role);
            const steps = [step("ovs-bridge-pf"), step("ovs-representor")];
            const verdict = runCheck(ctx, checkOf("ovs-bridge")).verdict;
            const sh = shell(host, Object.fromEntries(steps.map(s => [s.id, s.script(ctx).done])));
            expect(steps.some(s => needed(s, ctx))).toBe(verdict === "fail");
            for (const s of steps) {
                const state = s.detect(ctx).state;
                expect({ id: s.id, state, guardFails: sh[s.id] === 1 })
                        .toEqual({ id: s.id, state, guardFails: state === "needed" || state === "unknown" });
            }
            // the fix is what the preparation would run: the commands of the steps still needed
            expect(fixLines(ctx, checkOf("ovs-bridge"))).toEqual(steps.filter(s => needed(s, ctx)).flatMap(s => lines(s.commands(ctx))));
            return verdict;
        };

        test("the Open vSwitch bridge: check, the two steps, fix and scripts agree", () => {
            bridgeAgrees(h);
        });

        // as after a reboot, or the VFs made again: the bridged representors are down (the kernel creates them so)
        test("the Open vSwitch bridge with its representors down: check, the two steps, fix and scripts agree", () => {
            const bridged = Object.values(h.ovs.bridges ?? {}).flat().filter(p => h.nics[0].vfs.some(v => v.representor === p));
            const verdict = bridgeAgrees({ ...h, downReps: bridged } as SimHost);
            // on a prepared host the VF the preparation takes is the bridged one (with no VF left to take, as on
            // dest-no-free-vf's destination, there is nothing to bring up)
            if (scenario === "ready-pair")
                expect(verdict).toBe("fail");
        });

        test("Open vSwitch settings: check, step, fix and script agree", () => {
            const ctx = ctxOf(f, role);
            const sh = shell(h, Object.fromEntries(OVS_SETTINGS.map(r => [r.key, ovsSettingShell(r)])));
            for (const r of OVS_SETTINGS) {
                const s = step(r.checkId);
                const failing = runCheck(ctx, checkOf(r.checkId)).verdict === "fail";
                expect({ key: r.key, needed: needed(s, ctx), guard: sh[r.key] === 1 }).toEqual({ key: r.key, needed: failing, guard: failing });
                expect(fixLines(ctx, checkOf(r.checkId))).toEqual(failing ? lines(s.commands(ctx)) : []);
            }
        });
    });
});

describe.each([
    ["active", "enabled"], ["active", "disabled"], ["inactive", "enabled"], ["inactive", "disabled"],
])("the Open vSwitch service %s and %s", (activeState, unitFileState) => {
    test("the step and the script's guard agree with the rule", () => {
        const f = facts({
            units: k({ "openvswitch.service": { activeState, unitFileState } }),
            ovs: activeState === "active" ? facts().ovs : k({ running: false, otherConfig: {}, bridges: {}, version: null }),
        });
        const s = step("ovs-service");
        const r = spawnSync("/bin/bash", ["-c", `systemctl() { case "$1" in is-active) [ ${activeState} = active ] ;; is-enabled) [ ${unitFileState} = enabled ] ;; esac; }
if ${ovsServiceRule.shellDone()}; then echo 0; else echo 1; fi`], { encoding: "utf8" });
        const ok = ovsServiceRule.ok({ activeState, unitFileState });
        expect(needed(s, ctxOf(f))).toBe(!ok);
        expect(r.stdout.trim()).toBe(ok ? "0" : "1");
        // the status check judges by the same rule: a pass only when nothing is to do, and its fix is the step's
        expect(runCheck(ctxOf(f), checkOf("ovs-running")).verdict === "pass").toBe(ok);
        expect(fixLines(ctxOf(f), checkOf("ovs-running"))).toEqual(ok ? [] : lines(s.commands(ctxOf(f))));
    });
});

describe.each([
    ["active", "enabled"], ["active", "disabled"], ["inactive", "enabled"], ["inactive", "disabled"],
])("the destination's libvirt socket %s and %s", (activeState, unitFileState) => {
    test.each(["ssh", "tls", "tcp"] as const)("over %s: the check, the step, its fix and the script's guard agree with the rule", protocol => {
        const unit = SOCKET_FOR[protocol];
        const rule = serviceRule(unit);
        const ctx = ctxOf(facts({ units: k({ [unit]: { activeState, unitFileState } }) }), "destination", { protocol });
        const s = step("libvirt-socket");
        const r = spawnSync("/bin/bash", ["-c", `systemctl() { case "$1" in is-active) [ ${activeState} = active ] ;; is-enabled) [ ${unitFileState} = enabled ] ;; esac; }
if ${rule.shellDone()}; then echo 0; else echo 1; fi`], { encoding: "utf8" });
        const ok = rule.ok({ activeState, unitFileState });
        expect(needed(s, ctx)).toBe(!ok);
        expect(r.stdout.trim()).toBe(ok ? "0" : "1");
        expect(runCheck(ctx, checkOf("libvirt-socket")).verdict === "pass").toBe(ok);
        expect(fixLines(ctx, checkOf("libvirt-socket"))).toEqual(ok ? [] : lines(s.commands(ctx)));
    });
});

test("a generated export script passes shellcheck", () => {
    const h = simHost("fresh-pair", "source");
    const text = exportShell([{ role: "source", ctx: ctxOf(factsOf(h)) }]);
    const r = spawnSync("shellcheck", ["-s", "bash", "-S", "warning", "-"], { input: text, encoding: "utf8" });
    if (r.error)
        throw r.error;
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
});
