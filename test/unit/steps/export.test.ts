/* The "Automation script" exports: valid bash and YAML, every step guarded by its done-test, one play per group.
 * The helpers' reading of real tool output is checked by running them in bash with the tools as stub functions. */
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { exportAnsible, exportShell, stepById } from "../../../src/steps";
import { SCRIPT_LIB } from "../../../src/steps/script-lib";
import { kernelArgsShell } from "../../../src/rules/kernel";
import { quoteArgv } from "../../../src/host/quote";
import { buildFacts } from "../../../src/checks/gather";
import { ipAddrOneline } from "../../../src/host/commands/ip";
import { MGMT_ROUTES_SH, mgmtRoutesArgv } from "../../../src/rules/mgmt";
import { nmcliSriov, nmcliSriovRestore } from "../../../src/host/commands/network";
import { STATE_DIR } from "../../../src/host/commands/state-file";
import { Netdev } from "../../../src/host/values";
import { ctxOf, fresh, freshNic, k } from "./fixtures";

const hosts = [
    { role: "source" as const, ctx: ctxOf(fresh()) },
    { role: "destination" as const, ctx: ctxOf(fresh({ hostname: "rhel-dst.example.test" }), "destination", { protocol: "tls" }) },
];

function bash(script: string): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync("/bin/bash", ["-c", script], { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `mstconfig -e query` lines in the real column layout (shared/formats/mstconfig-query-e.txt). */
const MST = `Configurations:                                     Default              Current              Next Boot
*       VF_MIGRATION_MODE                           DEVICE_DEFAULT(0)    DEVICE_DEFAULT(0)    MIGRATION_ENABLED(2)
        SRIOV_EN                                    True(1)              True(1)              True(1)
        NUM_OF_VFS                                  8                    8                    8
        LINK_TYPE_P1                                ETH(2)               ETH(2)               ETH(2)
The '*' shows parameters with next value different from default/current value.`;

/** `devlink port show` (shared/formats/devlink-port-show.txt's layout, mlx5 numbering on a second PF). */
const PORTS = `pci/0000:e1:00.0/65535: type eth netdev enp225s0np0 flavour physical port 0 splittable false
pci/0000:e1:00.0/65537: type eth netdev enp225s0npf0vf0 flavour pcivf controller 0 pfnum 0 vfnum 0 external false splittable false
  function:
    hw_addr 00:00:00:00:00:00 roce enable migratable disable
pci/0000:e1:00.0/65538: type eth netdev enp225s0npf0vf1 flavour pcivf controller 0 pfnum 0 vfnum 1 external false splittable false`;

describe("the shell export", () => {
    const script = exportShell(hosts);

    test("is bash with set -euo pipefail, one function per host, each step behind its done-test, titles as comments", () => {
        expect(script.startsWith("#!/bin/bash\n")).toBe(true);
        expect(script).toContain("\nset -euo pipefail\n");
        expect(bash(`set -n\n${script}`).status).toBe(0);
        expect(script).toContain("prepare_source() {");
        expect(script).toContain("prepare_destination() {");
        expect(script).toContain("# 8. Switch the e-switch to switchdev mode");
        expect(script).toMatch(/if vfm_eswitch_is 0000:e1:00.0 switchdev; then vfm_say 'ok {6}Switch the e-switch to switchdev mode'; else\n {8}vfm_say 'run {5}Switch/);
        // the destination's protocol: the TLS socket and port
        expect(script).toContain("systemctl enable --now -- virtproxyd-tls.socket");
        expect(script).toContain("firewall-cmd --permanent --zone=public '--add-rich-rule=rule family=\"ipv4\" source address=\"192.0.2.1\" port port=\"16514\" protocol=\"tcp\" accept'");
        // a reboot: stop and say so, with the exit status the header documents
        expect(script).toMatch(/REBOOT NEEDED: .*\n {8}exit 3\n/);
        expect(script).toContain("# Exit status: 0 the host is prepared; 3 a reboot is needed");
    });

    test("on a host without the adapter port it was made for, the script changes nothing and says why (R12)", () => {
        expect(script).toContain("prepare_source() {\n    vfm_guard_adapter 0000:e1:00.0 enp225s0np0\n");
        // the same script on another machine: this one has no /sys/bus/pci/devices/0000:e1:00.0
        const r = bash(`${SCRIPT_LIB}\nvfm_guard_adapter 0000:e1:00.0 enp225s0np0\necho went on`);
        expect(r).toEqual({ status: 4, stdout: "", stderr: "REFUSED: this script was made for the ConnectX-7 port 0000:e1:00.0 (enp225s0np0), which this host does not have: make it from this host's own page, or edit the PF address and interface in it.\n" });
    });

    test("without an argument, a one-host script prepares that host; two hosts need the role", () => {
        const one = exportShell([hosts[1]]);
        expect(one).toContain('case "${1:-destination}" in');
        expect(script).toContain('case "${1:-}" in');
    });

    test("the helpers read mstconfig's Current and Next Boot columns as the checks do", () => {
        const run = (test: string) => bash(`${SCRIPT_LIB}\nmstconfig() { cat <<'EOF'\n${MST}\nEOF\n}\n${test}`);
        expect(run("vfm_fw_is 0000:e1:00.0 VF_MIGRATION_MODE 3 2 MIGRATION_ENABLED").status).toBe(0);
        expect(run("vfm_fw_is 0000:e1:00.0 VF_MIGRATION_MODE 2 2 MIGRATION_ENABLED").status).toBe(1);
        expect(run("vfm_fw_is 0000:e1:00.0 SRIOV_EN 2 1 True").status).toBe(0);
        expect(run("vfm_fw_at_least 0000:e1:00.0 NUM_OF_VFS 3 8").status).toBe(0);
        expect(run("vfm_fw_at_least 0000:e1:00.0 NUM_OF_VFS 3 16").status).toBe(1);
        expect(run("vfm_fw_read x; vfm_fw_value VF_MIGRATION_MODE 2").stdout).toBe("DEVICE_DEFAULT(0)\n");
    });

    test("an Ethernet-only model (no LINK_TYPE_P1 listed): the link type counts as set when the port runs Ethernet, as the check says (R9)", () => {
        const noLinkType = MST.split("\n").filter(l => !l.includes("LINK_TYPE_P1")).join("\n");
        const run = (mst: string, ports: string, link: string) => bash(`${SCRIPT_LIB}\nmstconfig() { cat <<'EOF'\n${mst}\nEOF\n}\n` +
            `devlink() { cat <<'EOF'\n${ports}\nEOF\n}\nip() { echo "4: enp225s0np0: <UP> mtu 1500 state UP\\    link/${link} e0:9d:73:12:67:44"; }\n` +
            "vfm_fw_eth_only 0000:e1:00.0 LINK_TYPE_P1 enp225s0np0").status;
        // switchdev: devlink's uplink port says what runs
        expect(run(noLinkType, PORTS, "ether")).toBe(0);
        expect(run(noLinkType, PORTS.replace("type eth netdev enp225s0np0", "type ib ibdev mlx5_0"), "ether")).toBe(1);
        // legacy mode (no uplink port listed): the PF interface's link type
        expect(run(noLinkType, "", "ether")).toBe(0);
        expect(run(noLinkType, "", "infiniband")).toBe(1);
        // listed: its value decides (vfm_fw_is), never this
        expect(run(MST, PORTS, "ether")).toBe(1);
    });

    test("the firmware step on a model without LINK_TYPE_P1: refused in the page's words where the port runs InfiniBand, the rest set where it runs Ethernet", () => {
        const step = stepById("firmware-settings")!.script(ctxOf(fresh()));
        // VF_MIGRATION_MODE not set yet, even for the next boot: the script must not set it before refusing
        const noLinkType = MST.split("\n").filter(l => !l.includes("LINK_TYPE_P1")).join("\n")
                .replace(/DEVICE_DEFAULT\(0\) {4}MIGRATION_ENABLED\(2\)/, "DEVICE_DEFAULT(0)    DEVICE_DEFAULT(0)   ");
        expect(noLinkType).toMatch(/VF_MIGRATION_MODE +DEVICE_DEFAULT\(0\) +DEVICE_DEFAULT\(0\) +DEVICE_DEFAULT\(0\)/);
        const run = (ports: string) => bash(`${SCRIPT_LIB}\nmstconfig() { case "$*" in *" set "*) echo "mstconfig $*" ;; *) cat <<'EOF'\n${noLinkType}\nEOF\n;; esac; }\n` +
            `devlink() { cat <<'EOF'\n${ports}\nEOF\n}\nip() { return 1; }\n${step.run.join("\n")}\necho went-on`);
        const ib = run(PORTS.replace("type eth netdev enp225s0np0", "type ib ibdev mlx5_0"));
        expect(ib.status).toBe(4);
        expect(ib.stderr).toBe("REFUSED: mstconfig lists no LINK_TYPE_P1, and the adapter's port runs InfiniBand: this model cannot be switched to Ethernet here\n");
        expect(ib.stdout).not.toContain("set");
        expect(run(PORTS)).toEqual({ status: 0, stdout: "mstconfig -y -d 0000:e1:00.0 set VF_MIGRATION_MODE=2\nwent-on\n", stderr: "" });
    });

    test("the firmware step where mstconfig lists no VF_MIGRATION_MODE (an old firmware): refused in the page's words before anything is set", () => {
        const step = stepById("firmware-settings")!.script(ctxOf(fresh()));
        const old = MST.split("\n").filter(l => !l.includes("VF_MIGRATION_MODE")).join("\n").replace(/True\(1\)/g, "False(0)");
        const r = bash(`${SCRIPT_LIB}\nmstconfig() { case "$*" in *" set "*) echo "mstconfig $*" ;; *) cat <<'EOF'\n${old}\nEOF\n;; esac; }\n` +
            `devlink() { cat <<'EOF'\n${PORTS}\nEOF\n}\nip() { return 1; }\n${step.run.join("\n")}\necho went-on`);
        expect(r).toEqual({ status: 4, stdout: "",
            stderr: "REFUSED: mstconfig lists no VF_MIGRATION_MODE on this adapter: its firmware, or this host's mstflint, is too old to set it. Update the older of the two first.\n" });
    });

    test("NetworkManager persistence goes to the connection active on the PF, whatever its name (R11); none active, or one NetworkManager made up: said, nothing changed; undo puts back what it held", () => {
        const UUID = "7b3e4f1c-9a22-4d0e-8c55-1f0a2b3c4d5e";
        // nmcli as NetworkManager answers `-g UUID,TYPE,DEVICE,FILENAME connection show --active`: one line per active
        // connection, "UUID:TYPE:DEVICE:FILE" (FILE under /run for one NetworkManager made up for an interface set up
        // outside it, empty for none, ":" escaped); a VPN's names the device it runs over, and nmcli lists VPNs first
        // (a program on PATH, not a function: the script execs it). The profile's SR-IOV setting as `-g` prints it.
        const ACTIVE = "-g UUID,TYPE,DEVICE,FILENAME connection show --active";
        const VPN = "5e6f7a8b-0000-4000-8000-0000000000aa:vpn:enp225s0np0:/etc/NetworkManager/system-connections/office.nmconnection";
        // the page's folder: a temporary one in its argument's place (the scripts take it as their second argument)
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "vfm-state-"));
        const kept = path.join(folder, "state", `nm-sriov-before-${UUID}`);
        const run = (argv: readonly string[], uuid: string, file: string, before: [string, string] = ["", ""]) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vfm-nmcli-"));
            fs.writeFileSync(path.join(dir, "nmcli"), `#!/bin/bash\ncase "$*" in "${ACTIVE}") ` +
                `echo '${VPN}'; echo "0c1d2e3f-0000-4000-8000-000000000001:802-3-ethernet:eno1:/etc/NetworkManager/system-connections/eno1.nmconnection"; ` +
                `${uuid ? `echo '${uuid}:802-3-ethernet:enp225s0np0:${file}'` : "true"} ;; "connection modify "*) echo "nmcli $*" ;; ` +
                `"-g sriov.total-vfs connection show uuid ${UUID}") echo "${before[0]}" ;; "-g sriov.eswitch-mode connection show uuid ${UUID}") echo "${before[1]}" ;; ` +
                "*) exit 10 ;; esac\n", { mode: 0o755 });
            expect(argv[5]).toBe(STATE_DIR);
            try {
                return bash(`PATH=${quoteArgv([dir])}:"$PATH"\n${quoteArgv([...argv.slice(0, 5), path.join(folder, "state"), ...argv.slice(6)])}`);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        };
        const set = nmcliSriov(Netdev.of("enp225s0np0"), 4);
        const undo = nmcliSriovRestore(Netdev.of("enp225s0np0"), 4);
        const FILE = "/etc/NetworkManager/system-connections/Wired connection 1.nmconnection";
        // the profile held 8 VFs in legacy mode: kept, root's alone, then the page's setting stored
        expect(run(set, UUID, FILE, ["8", "0"])).toEqual({ status: 0, stderr: "",
            stdout: `nmcli connection modify uuid ${UUID} sriov.total-vfs 4 sriov.eswitch-mode switchdev\n` });
        expect(fs.readFileSync(kept, "utf8")).toBe("total-vfs 8\neswitch-mode 0\n");
        expect(fs.statSync(kept).mode & 0o777).toBe(0o600);
        expect(fs.statSync(path.dirname(kept)).mode & 0o777).toBe(0o700);
        // run again (the page's own setting read now): what it held first stays
        expect(run(set, UUID, FILE, ["4", "1"]).status).toBe(0);
        expect(fs.readFileSync(kept, "utf8")).toBe("total-vfs 8\neswitch-mode 0\n");
        // the undo puts those back and forgets them; with nothing kept, it takes the setting out
        expect(run(undo, UUID, FILE)).toEqual({ status: 0, stderr: "", stdout: `nmcli connection modify uuid ${UUID} sriov.total-vfs 8 sriov.eswitch-mode 0\n` });
        expect(fs.existsSync(kept)).toBe(false);
        // nothing kept: the step stopped before it changed anything, and the undo changes nothing either; unless the
        // profile holds the page's own setting (stored by a page that kept nothing), which it takes out
        expect(run(undo, UUID, FILE, ["8", "0"])).toEqual({ status: 0, stderr: "",
            stdout: "Nothing to put back: the connection on enp225s0np0 holds 8 VFs, e-switch mode 0, not what this page stores, and nothing was kept before\n" });
        expect(run(undo, UUID, FILE, ["4", "1 (switchdev)"]).stdout).toBe(`nmcli connection modify uuid ${UUID} remove sriov\n`);
        // a profile without an SR-IOV setting before (nmcli prints nothing): the undo takes the setting out
        expect(run(set, UUID, FILE).status).toBe(0);
        expect(fs.readFileSync(kept, "utf8")).toBe("total-vfs \neswitch-mode \n");
        expect(run(undo, UUID, FILE).stdout).toBe(`nmcli connection modify uuid ${UUID} remove sriov\n`);
        // the mode as nmcli may print an enum ("1 (switchdev)") goes back as its number; a file it did not write is refused
        fs.writeFileSync(kept, "total-vfs 2\neswitch-mode 1 (switchdev)\n");
        expect(run(undo, UUID, FILE).stdout).toBe(`nmcli connection modify uuid ${UUID} sriov.total-vfs 2 sriov.eswitch-mode 1\n`);
        fs.writeFileSync(kept, "total-vfs 2; reboot\neswitch-mode 1\n");
        expect(run(undo, UUID, FILE)).toEqual({ status: 1, stdout: "", stderr: `${kept} does not hold what this page wrote: total-vfs 2; reboot / eswitch-mode 1\n` });
        fs.writeFileSync(kept, "total-vfs 2\n");
        expect(run(undo, UUID, FILE)).toEqual({ status: 1, stdout: "", stderr: `${kept} does not hold what this page wrote: total-vfs 2 /  \n` });
        fs.writeFileSync(kept, "total-vfs \neswitch-mode 1\n");
        expect(run(undo, UUID, FILE).status).toBe(1);
        fs.rmSync(kept);

        expect(run(set, "", FILE)).toEqual({ status: 1, stdout: "",
            stderr: "NetworkManager has no connection active on enp225s0np0: nothing to store the setting in\n" });
        // a profile in memory: NetworkManager's own for an interface set up outside it (its file under /run), or none
        const made = run(set, UUID, "/run/NetworkManager/system-connections/enp225s0np0.nmconnection");
        expect([made.status, made.stdout]).toEqual([1, ""]);
        expect(made.stderr).toBe("The connection on enp225s0np0 is kept in memory only (/run/NetworkManager/system-connections/enp225s0np0.nmconnection): " +
            "storing a setting would save it as a profile that takes the interface at boot\n");
        expect(run(set, UUID, "").stderr).toContain("is kept in memory only (no file)");
        expect(fs.existsSync(kept)).toBe(false);
        // nmcli -g escapes a colon in a file name; the profile is still found by its UUID
        expect(run(set, UUID, "/etc/NetworkManager/system-connections/pf\\:1.nmconnection").stdout).toContain("sriov.total-vfs 4");
        fs.rmSync(folder, { recursive: true, force: true });

        // the script's done-test reads the same connection, saved on disk; the mode by name or number, as nmcli may print an enum
        const done = (total: string, mode: string, file = FILE, dev = "enp225s0np0") => bash(`${SCRIPT_LIB}\nnmcli() { case "$*" in ` +
            `"${ACTIVE}") echo '${VPN}'; echo '${UUID}:802-3-ethernet:${dev}:${file}' ;; "-g sriov.total-vfs connection show uuid ${UUID}") echo "${total}" ;; ` +
            `"-g sriov.eswitch-mode connection show uuid ${UUID}") echo "${mode}" ;; *) return 10 ;; esac; }\nvfm_nm_sriov_is enp225s0np0 4`).status;
        expect(["switchdev", "1", "1 (switchdev)"].map(m => done("4", m))).toEqual([0, 0, 0]);
        expect([done("2", "switchdev"), done("4", "legacy"), done("4", "-1"), done("4", "1", FILE, "eno1"),
                done("4", "1", "/run/NetworkManager/system-connections/enp225s0np0.nmconnection"), done("4", "1", "")]).toEqual([1, 1, 1, 1, 1, 1]);
    });

    test("the NetworkManager step is left out, saying why, where NetworkManager is older than 1.46 or has no profile saved on the PF (as the page's step), in the script and the playbook", () => {
        const persisting = [{ role: "source" as const, ctx: ctxOf(fresh(), "source", { persist: true }) }];
        const script = exportShell(persisting);
        const lines = script.split("\n");
        const start = lines.findIndex(l => /^ {4}# \d+\. Keep the VFs and switchdev mode across reboots$/.test(l));
        const end = lines.findIndex((l, i) => i > start && l === "    fi");
        expect(start).toBeGreaterThan(0);
        // the page's folder, where the step keeps what the profile held: a temporary one in its place
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "vfm-state-"));
        const block = lines.slice(start, end + 1).join("\n").replaceAll(STATE_DIR, folder);
        // rpm and nmcli as stand-ins (nmcli a program on PATH: the step execs it); nmcli logs what it is asked to change
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vfm-nm-old-"));
        const run = (version: string, file = "/etc/NetworkManager/system-connections/a.nmconnection") => {
            fs.writeFileSync(path.join(dir, "nmcli"), `#!/bin/bash
case "$*" in "-g UUID,TYPE,DEVICE,FILENAME connection show --active") echo "7b3e4f1c-9a22-4d0e-8c55-1f0a2b3c4d5e:802-3-ethernet:enp225s0np0:${file}" ;;
  "connection modify "*) echo "CHANGED nmcli $*" ;; "-g sriov."*) echo ;; *) exit 10 ;; esac\n`, { mode: 0o755 });
            return bash(`PATH=${quoteArgv([dir])}:"$PATH"\n${SCRIPT_LIB}
rpm() { [ "$*" = "-q --qf %{VERSION} NetworkManager" ] || return 1; case "${version}" in "") return 1;; none) return 0;; *) printf %s "${version}";; esac; }
${block}`);
        };
        const why = "NetworkManager is not installed, rpm prints no version for it, it is older than 1.46, not running, or has no profile saved on disk on the PF";
        // older, not installed (rpm -q fails), installed with no version printed (the page: "could not tell"), the profile
        // NetworkManager made up in memory: skipped, nothing changed
        for (const r of [run("1.42.2"), run(""), run("none"), run("1.46.0", "/run/NetworkManager/system-connections/enp225s0np0.nmconnection")]) {
            expect(r.status).toBe(0);
            expect(r.stdout).toContain(`skipped Keep the VFs and switchdev mode across reboots: ${why}`);
            expect(r.stdout).not.toContain("CHANGED");
        }
        const recent = run("1.46.0");
        expect(recent.stdout).toContain("CHANGED nmcli connection modify uuid 7b3e4f1c-9a22-4d0e-8c55-1f0a2b3c4d5e sriov.total-vfs 1 sriov.eswitch-mode switchdev");
        // the playbook's task leaves first, with the same words
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(folder, { recursive: true, force: true });
        expect(exportAnsible(persisting)).toMatch(/if \{ vfm_nm_cannot_store \|\| ! vfm_nm_saved_uuid enp225s0np0 >\/dev\/null; \}; then echo 'skipped: NetworkManager is not installed, rpm prints no version for it, it is older than 1\.46, not running, or has no profile saved on disk on the PF[^']*'; exit 0; fi/);
    });

    test("the representor's done-test reads the VF the preparation takes, not any VF's (R8), as the page's check", () => {
        // VF 0 held by a VM (on mlx5_vfio_pci), its representor in br-vf; VF 1 free and prepared
        const run = (bridged: string, down = "") => bash(`${SCRIPT_LIB}
vfm_numvfs() { echo 2; }
vfm_vf_pci() { echo "vf$2"; }
vfm_vf_driver() { case "$1" in vf0) echo mlx5_vfio_pci ;; *) echo none ;; esac; }
vfm_vf_in_use() { [ "$1" = vf0 ]; }
vfm_vf_port() { echo "port$2"; }
vfm_vf_migratable() { return 0; }
vfm_vf_rep() { echo "enp225s0npf0vf$2"; }
vfm_link_up() { [ "$1" != "${down}" ]; }
ovs-vsctl() { case "$2" in enp225s0np0 ${bridged}) echo br-vf ;; *) return 1 ;; esac; }
vfm_rep_bridged 0000:e1:00.0 enp225s0np0`).status;
        expect(run("")).toBe(1);
        expect(run("| enp225s0npf0vf0")).toBe(1);
        expect(run("| enp225s0npf0vf1")).toBe(0);
        // bridged but down, as the kernel creates it
        expect(run("| enp225s0npf0vf1", "enp225s0npf0vf1")).toBe(1);
    });

    test("the helpers find the VF's devlink port by flavour and vfnum, and its representor", () => {
        const run = (test: string) => bash(`${SCRIPT_LIB}\ndevlink() { cat <<'EOF'\n${PORTS}\nEOF\n}\n${test}`);
        expect(run("vfm_vf_port 0000:e1:00.0 0").stdout).toBe("pci/0000:e1:00.0/65537\n");
        expect(run("vfm_vf_port 0000:e1:00.0 1").stdout).toBe("pci/0000:e1:00.0/65538\n");
        expect(run("vfm_vf_rep 0000:e1:00.0 1").stdout).toBe("enp225s0npf0vf1\n");
        expect(run("vfm_vf_port 0000:c1:00.0 0").stdout).toBe("");
    });

    test("no IOMMU in the firmware (no DMAR or IVRS table): the kernel-argument step refuses (exit 4) instead of asking for a reboot", () => {
        const step = stepById("iommu-kernel-args")!.script(ctxOf(fresh()));
        const acpi = (tables: string) => `vfm_iommu_in_firmware() { case " ${tables} " in *" DMAR "*|*" IVRS "*) return 0;; esac; return 1; }`;
        // this machine's own IOMMU state is out of the test: not active, no argument for the next boot
        const run = (tables: string) => bash(`${SCRIPT_LIB}\n${acpi(tables)}\nvfm_iommu_active() { return 1; }\ngrubby() { echo "grubby $*"; }\n` +
            `if ${step.done}; then :; else\n${step.run.join("\n")}\nfi\necho went-on`);
        // the arguments are not set: without firmware support, refused before grubby; with it, grubby runs
        const none = run("APIC DSDT");
        expect(none.status).toBe(4);
        expect(none.stderr).toMatch(/^REFUSED: the system firmware provides no IOMMU \(no ACPI DMAR or IVRS table\)/);
        expect(none.stdout).not.toContain("grubby");
        expect(run("APIC DMAR").stdout).toMatch(/^grubby --args=intel_iommu=on iommu=pt --remove-args=.* --update-kernel=ALL\nwent-on\n$/);
    });

    test("the script's \"IOMMU active\" test asks of the running kernel what the page does: intel_iommu=on on Intel, nothing on AMD", () => {
        const active = (vendor: "intel" | "amd", cmdline: string) =>
            bash(`${SCRIPT_LIB}\nvfm_iommu_active() { return 0; }\ncat() { echo ${quoteArgv([cmdline])}; }\n${kernelArgsShell(vendor).active}`).status;
        expect(active("amd", "ro")).toBe(0);
        expect(active("intel", "ro intel_iommu=on")).toBe(0);
        expect(active("intel", "ro iommu=pt")).toBe(1);
    });

    test("kernel arguments: wanted ones present and no =off", () => {
        const lib = (t: string) => bash(`${SCRIPT_LIB}\n${t}`).status;
        expect(lib('vfm_args_ok "ro intel_iommu=on iommu=pt quiet" intel_iommu=on iommu=pt')).toBe(0);
        expect(lib('vfm_args_ok "ro amd_iommu=pt" iommu=pt')).toBe(1);
        expect(lib('vfm_args_ok "ro iommu=pt amd_iommu=off" iommu=pt')).toBe(1);
    });

    test("management traffic over the PF: a disruptive step refuses (exit 4) unless VFM_ALLOW_MGMT_OVER_PF=1", () => {
        const stubs = `ip() { [ "$5" = enp225s0np0 ] && echo '2: enp225s0np0    inet 192.0.2.1/24 brd 192.0.2.255 scope global enp225s0np0'; }
ss() { echo '0      0      192.0.2.1:22     192.0.2.254:51234'; }`;
        const r = bash(`${SCRIPT_LIB}\n${stubs}\nvfm_guard_mgmt enp225s0np0; echo went-on`);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/^REFUSED: management traffic \(SSH or the web console\) runs over enp225s0np0/);
        expect(bash(`${SCRIPT_LIB}\n${stubs}\nVFM_ALLOW_MGMT_OVER_PF=1 vfm_guard_mgmt enp225s0np0; echo went-on`).stdout).toBe("went-on\n");
        expect(bash(`${SCRIPT_LIB}\n${stubs}\nvfm_guard_mgmt eno1; echo went-on`).stdout).toBe("went-on\n");
    });

    // one rule (src/rules/mgmt.ts vfm_mgmt_routes): the status page reads what it prints, the script's guard calls it
    test.each([
        ["0 0 192.0.2.1:22 192.0.2.254:51234 users:((\"sshd\",pid=812,fd=4))", true],
        ["0 0 192.0.2.1:2222 192.0.2.254:51234 users:((\"sshd-session\",pid=812,fd=4))", true],
        ["0 0 [::ffff:192.0.2.1]:9090 [::ffff:192.0.2.9]:50122 users:((\"cockpit-tls\",pid=77,fd=9))", true],
        ["0 0 192.0.2.1:41000 192.0.2.2:22 users:((\"ssh\",pid=90,fd=3))", true],
        ["0 0 192.0.2.1:49152 192.0.2.2:38000 users:((\"qemu-kvm\",pid=90,fd=3))", false],
        ["0 0 10.0.0.1:22 10.0.0.9:51234 users:((\"sshd\",pid=812,fd=4))", false],
        // a link-local address names its interface
        ["0 0 [fe80::1]%enp225s0np0:22 [fe80::9]%enp225s0np0:51234 users:((\"sshd\",pid=812,fd=4))", true],
        ["0 0 [fe80::1]%eno1:22 [fe80::9]%eno1:51234 users:((\"sshd\",pid=812,fd=4))", false],
        // any user names its own processes: a space in the name does not shift the fields
        ["0 0 192.0.2.1:22 192.0.2.254:51234 users:((\"my sshd\",pid=812,fd=4))", true],
    ])("%s: the script's guard and the page agree (%s)", (line, over) => {
        const addrs = "2: enp225s0np0    inet 192.0.2.1/24 brd 192.0.2.255 scope global enp225s0np0\\       valid_lft forever\n" +
            "2: enp225s0np0    inet6 fe80::1/64 scope link \\       valid_lft forever preferred_lft forever\n" +
            "3: eno1    inet 10.0.0.1/24 scope global eno1\\       valid_lft forever\n";
        // ip route get does not answer here: the local address decides, as where ip has no route to give
        const stubs = `ip() { [ "$1 $2" = "-o addr" ] && [ "$5" = enp225s0np0 ] && printf '%s\\n' '2: enp225s0np0    inet 192.0.2.1/24 brd 192.0.2.255 scope global enp225s0np0' '2: enp225s0np0    inet6 fe80::1/64 scope link'; }
ss() { [ "$4" = -p ] && cat <<'EOF'\n${line}\nEOF\n}`;
        const routes = bash(`${SCRIPT_LIB}\n${stubs}\nvfm_mgmt_routes`);
        expect(routes.status).toBe(0);
        const ran = (argv: readonly string[], stdout: string) => ({ host: "localhost", argv, exitStatus: 0, stdout, stderr: "", durationMs: 3 });
        const page = buildFacts({ host: "localhost", items: [
            { key: "mgmt-routes", argv: mgmtRoutesArgv(), tool: "mgmt-routes" }, { key: "ip-addr", argv: ipAddrOneline(), tool: "ip-addr" },
        ], records: [ran(mgmtRoutesArgv(), routes.stdout), ran(ipAddrOneline(), addrs)] });
        expect(page.managementInterfaces.known && page.managementInterfaces.value.includes("enp225s0np0")).toBe(over);
        expect(bash(`${SCRIPT_LIB}\n${stubs}\nvfm_guard_mgmt enp225s0np0; echo went-on`).status).toBe(over ? 4 : 0);
    });

    test("ss failing: the page cannot tell, and the script's guard refuses rather than going on", () => {
        const stubs = "ss() { echo 'ss: netlink error' >&2; return 1; }\nip() { return 0; }";
        const routes = bash(`${SCRIPT_LIB}\n${stubs}\nvfm_mgmt_routes`);
        expect(routes.status).toBe(1);
        const page = buildFacts({ host: "localhost", items: [{ key: "mgmt-routes", argv: mgmtRoutesArgv(), tool: "mgmt-routes" }],
                                  records: [{ host: "localhost", argv: mgmtRoutesArgv(), exitStatus: 1, stdout: "", stderr: "ss: netlink error\n", durationMs: 3 }] });
        expect(page.managementInterfaces.known).toBe(false);
        const r = bash(`${SCRIPT_LIB}\n${stubs}\nvfm_guard_mgmt enp225s0np0; echo went-on`);
        expect(r.status).toBe(4);
        // ss's own error, then the refusal
        expect(r.stderr).toMatch(/^ss: netlink error\nREFUSED: could not tell whether management traffic \(SSH or the web console\) runs over enp225s0np0 \(ss failed\)/);
    });
});

// review W1: the kernel's route decides, on both sides, from one function (src/rules/mgmt.ts vfm_mgmt_routes)
describe("management connections routed through an interface", () => {
    // SSH to 192.0.2.10, an address on lo, answered over the PF; Cockpit from eno1; a web client (not management)
    const stubs = `ss() { [ "$4" = -p ] && printf '%s\\n' '0 0 192.0.2.10:22 203.0.113.7:51234 users:(("sshd",pid=812,fd=4))' \\
    '0 0 [::ffff:10.0.0.2]:9090 [::ffff:10.0.0.9]:50122 users:(("cockpit-tls",pid=77,fd=9))' '0 0 10.0.0.2:443 10.0.0.7:40000'; }
ip() { case "$*" in
    "-o route get 203.0.113.7 from 192.0.2.10") echo '203.0.113.7 from 192.0.2.10 via 198.51.100.1 dev enp193s0np0 uid 0 \\    cache' ;;
    "-o route get 10.0.0.9 from 10.0.0.2") echo '10.0.0.9 from 10.0.0.2 dev eno1 uid 0 \\    cache' ;;
    "-o route get 10.0.0.7 from 10.0.0.2") echo 'a web client is not management: never asked' >&2; return 1 ;;
    -o\\ addr\\ show\\ dev\\ *) return 0 ;;
    *) return 1 ;;
esac; }`;

    test("the page's probe and the script's guard name the same interfaces", () => {
        const routes = bash(`${SCRIPT_LIB}\n${stubs}\nvfm_mgmt_routes`);
        expect(routes).toMatchObject({ status: 0, stderr: "" });
        expect(routes.stdout).toBe("192.0.2.10 22 203.0.113.7 51234 sshd enp193s0np0\n10.0.0.2 9090 10.0.0.9 50122 cockpit-tls eno1\n");
        const page = buildFacts({ host: "localhost", items: [{ key: "mgmt-routes", argv: mgmtRoutesArgv(), tool: "mgmt-routes" }],
                                  records: [{ host: "localhost", argv: mgmtRoutesArgv(), exitStatus: 0, stdout: routes.stdout, stderr: "", durationMs: 3 }] });
        expect(page.managementInterfaces).toEqual(expect.objectContaining({ known: true, value: ["enp193s0np0", "eno1"] }));
        for (const dev of ["enp193s0np0", "eno1", "enp225s0np0"])
            expect({ dev, over: bash(`${SCRIPT_LIB}\n${stubs}\nvfm_guard_mgmt ${dev}`).status === 4 })
                    .toEqual({ dev, over: page.managementInterfaces.known && page.managementInterfaces.value.includes(dev) });
    });

    test("the probe's argv is a fixed bash program (no value from a host in it), which shellcheck accepts", () => {
        const argv = mgmtRoutesArgv();
        expect(argv.slice(0, 2)).toEqual(["bash", "-c"]);
        expect(argv[2]).toBe(`${MGMT_ROUTES_SH}\nvfm_mgmt_routes`);
        const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: argv[2], encoding: "utf8" });
        expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: "" });
    });
});

interface Task { name: string; "ansible.builtin.shell"?: string; changed_when?: unknown; when?: string; [k: string]: unknown }
interface Play { name: string; hosts: string; become: boolean; tasks: Task[] }

describe("the Ansible export", () => {
    // parsed by PyYAML, the parser Ansible itself uses (Ansible's !unsafe tag read as the plain text it holds)
    const load = "import json, sys, yaml\nclass L(yaml.SafeLoader): pass\n" +
        "L.add_constructor('!unsafe', lambda l, n: l.construct_scalar(n))\nprint(json.dumps(yaml.load(sys.stdin, Loader=L)))";
    const parsed = spawnSync("/usr/bin/python3", ["-c", load],
                             { input: exportAnsible(hosts), encoding: "utf8" });
    const plays = JSON.parse(parsed.stdout) as Play[];

    test("one play per host group, become root, no fact gathering", () => {
        expect(plays.map(p => [p.hosts, p.become])).toEqual([["vf_migration_sources", true], ["vf_migration_destinations", true]]);
        expect(plays[1].tasks.map(t => t.name)).toContain("11. Make the VF's port function migratable");
    });

    test("every step task exits early when done and reports a change only when it ran", () => {
        for (const p of plays)
            for (const t of p.tasks.filter(x => x["ansible.builtin.shell"] && /^\d+\. /.test(x.name as string))) {
                expect(t.changed_when).toBeDefined();
                const body = t["ansible.builtin.shell"] as string;
                expect(body.startsWith("set -euo pipefail\n. /var/lib/cockpit-vf-migration/vfm-lib.sh\nif ")).toBe(true);
                expect(bash(`set -n\n${body}`).status).toBe(0);
            }
    });

    test("before any step, each play stops on a host without the adapter port it was made for (R12)", () => {
        for (const p of plays) {
            const first = p.tasks.find(x => x["ansible.builtin.shell"]);
            expect(first?.name).toBe("The adapter port this play was made for is on this host");
            expect(first?.["ansible.builtin.shell"]).toMatch(/\nvfm_guard_adapter 0000:[0-9a-f:.]+ enp\d+s0np0\n?$/);
        }
    });

    test("the reboot: by ansible.builtin.reboot only when allowed, else the play stops and says why", () => {
        const tasks = plays[0].tasks;
        const reboot = tasks.find(t => t["ansible.builtin.reboot"]);
        expect(reboot?.when).toBe("'VFM-REBOOT-NEEDED' in vfm_reboot.stdout and (vf_migration_reboot | bool)");
        const stop = tasks.find(t => t["ansible.builtin.fail"]);
        expect((stop?.["ansible.builtin.fail"] as { msg: string }).msg).toMatch(/reboot this host, then run this playbook again/);
    });
});

// #16 W3: the script prepares the port the page prepares, with that port's LINK_TYPE_P<n> only
test("on port 2 of a dual-port adapter, the script reads and sets LINK_TYPE_P2 on that PF, never LINK_TYPE_P1", () => {
    const port2 = freshNic({ pci: "0000:e1:00.1", port: 2, netdev: "enp225s0f1np1" });
    const ctx = ctxOf(fresh({ nics: k([freshNic(), port2]), chosenPf: "0000:e1:00.1" }));
    const script = exportShell([{ role: "source", ctx }]);
    expect(script).toContain("vfm_fw_is 0000:e1:00.1 LINK_TYPE_P2 2 2 ETH");
    expect(script).toContain("mstconfig -y -d 0000:e1:00.1 set LINK_TYPE_P2=2");
    // (the script's library names LINK_TYPE_P1 in its comments only)
    const code = script.split("\n").filter(l => !l.trim().startsWith("#")).join("\n");
    expect(code).not.toContain("LINK_TYPE_P1");
    expect(code).not.toContain("0000:e1:00.0");
});

// #16: the IPoIB interface of a port that runs InfiniBand is gone after the reset that switches it to Ethernet
test("a port that runs InfiniBand: the script is not made with its IPoIB interface, and the admin is told why", () => {
    const ib = freshNic({ netdev: "ibp225s0", linkType: k("ib") });
    const ctx = ctxOf(fresh({ nics: k([ib]) }));
    expect(() => exportShell([{ role: "source", ctx }]))
        .toThrow("The port 0000:e1:00.0 runs InfiniBand: its interface ibp225s0 is replaced by an Ethernet one, with another name, at the firmware reset that switches it.");
});
