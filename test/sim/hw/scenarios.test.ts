/* Every hardware scenario loads on a host, and its sysfs and tools tell one consistent story. */
import fs from "fs";
import { HW, HwHost, SCENARIOS, scenarioHost } from "./hwhost";

const NAMES = ["ready-pair", "fresh-pair", "old-firmware", "amd-iommu-off", "pending-reboot", "ib-link-type",
    "dest-unreachable", "mgmt-over-pf", "dest-no-free-vf", "dest-mgmt-over-pf", "no-iommu-firmware", "ethernet-only",
    "dual-port"];

describe("hardware scenarios", () => {
    const host = new HwHost();
    const run = (...argv: string[]) => host.run(argv);
    const load = (name: string, side: "source" | "destination") => {
        host.writeScenario(scenarioHost(name, side));
        const r = host.run([`${HW}/load`]);
        if (r.status !== 0)
            throw new Error(r.stderr);
        return host.hwState();
    };

    beforeAll(async () => {
        await host.start(scenarioHost("ready-pair", "source"));
    });
    afterAll(() => host.stop());

    test("the required scenarios exist, each with a source and a destination", () => {
        for (const name of NAMES)
            expect(Object.keys(JSON.parse(fs.readFileSync(`${SCENARIOS}/${name}.json`, "utf8"))).sort())
                    .toEqual(["destination", "source"]);
    });

    for (const name of NAMES) {
        for (const side of ["source", "destination"] as const) {
            test(`${name} ${side}: sysfs, devlink, mstconfig, lspci, ethtool and /proc agree`, () => {
                const st = load(name, side);
                const nic = st.nics[0];
                const pf = `/sys/bus/pci/devices/${nic.pf}`;
                const sysNumvfs = Number(host.sh(`cat ${pf}/sriov_numvfs`).stdout);
                expect(sysNumvfs).toBe(nic.vfs.length);
                expect(host.sh(`ls ${pf} | grep -c '^virtfn'`).stdout.trim()).toBe(String(nic.vfs.length));
                // every adapter port's VFs (a dual-port adapter has two PFs)
                const lspciVfs = run("lspci", "-D", "-d", "15b3:101e").stdout.trim().split("\n").filter(Boolean);
                expect(lspciVfs.length).toBe(st.nics.reduce((sum: number, n: { vfs: unknown[] }) => sum + n.vfs.length, 0));

                const mode = JSON.parse(run("devlink", "-j", "dev", "eswitch", "show", `pci/${nic.pf}`).stdout)
                    .dev[`pci/${nic.pf}`].mode;
                expect(mode).toBe(nic.eswitch);
                const ports = Object.entries(JSON.parse(run("devlink", "-j", "port", "show").stdout).port)
                    .filter(([handle]) => handle.startsWith(`pci/${nic.pf}/`)).map(([, p]) => p) as
                    { flavour: string; function?: { migratable?: string } }[];
                const vfPorts = ports.filter(p => p.flavour === "pcivf");
                expect(vfPorts.length).toBe(mode === "switchdev" ? nic.vfs.length : 0);

                const q = run("mstconfig", "-d", nic.pf, "-e", "query").stdout;
                const mig = q.split("\n").find(l => l.includes(" VF_MIGRATION_MODE "));
                const migCurrent = mig ? mig.trim().split(/\s+/).slice(-2)[0] : null;
                expect(migCurrent === null).toBe(!nic.migrationCapable);
                for (const p of vfPorts)
                    expect(p.function?.migratable !== undefined).toBe(migCurrent === "MIGRATION_ENABLED(2)");

                const fw = run("mstflint", "-d", nic.pf, "q").stdout.match(/^FW Version: +(\S+)$/m)?.[1];
                const info = JSON.parse(run("devlink", "-j", "dev", "info", `pci/${nic.pf}`).stdout);
                expect(info.info[`pci/${nic.pf}`].versions.running["fw.version"]).toBe(fw);
                // an Ethernet-only model has no LINK_TYPE_P1 to list, and runs Ethernet; a VPI port runs its LINK_TYPE_P<port>
                const eth = nic.vpi === false || nic.firmware[`LINK_TYPE_P${nic.port}`].current === 2;
                expect(q.includes(" LINK_TYPE_P1 ")).toBe(nic.vpi !== false);
                // a second port's link type only on a dual-port VPI adapter
                expect(q.includes(" LINK_TYPE_P2 ")).toBe(nic.vpi !== false && nic.ports === 2);
                expect(host.sh(`cat ${pf}/class`).stdout).toBe(eth ? "0x020000\n" : "0x020700\n");
                if (eth)
                    expect(run("ethtool", "-i", nic.netdev).stdout).toContain(`firmware-version: ${fw} (${nic.psid})`);
                else
                    expect(host.sh(`ls ${pf}/net 2>&1`).status).not.toBe(0);

                const cmdline = host.sh("cat /proc/cmdline").stdout.trim().split(" ");
                // the kernel turns the IOMMU on only where the firmware's ACPI table (DMAR, IVRS) describes one
                const inFirmware = st.iommu?.inFirmware !== false;
                const table = st.cpuVendor === "amd" ? "IVRS" : "DMAR";
                expect(host.sh("ls /sys/firmware/acpi/tables").stdout.split("\n")).toEqual(inFirmware ? expect.arrayContaining([table]) : expect.not.arrayContaining([table]));
                const iommuOn = inFirmware && (st.cpuVendor === "amd" ? !cmdline.includes("amd_iommu=off") : cmdline.includes("intel_iommu=on"));
                expect(host.sh("ls /sys/class/iommu").stdout.trim()).toBe(iommuOn ? (st.cpuVendor === "amd" ? "ivhd0" : "dmar0") : "");
                expect(host.sh("grep -m1 vendor_id /proc/cpuinfo").stdout)
                        .toMatch(st.cpuVendor === "amd" ? /AuthenticAMD/ : /GenuineIntel/);
                for (const [n, vf] of nic.vfs.entries()) {
                    const link = host.sh(`readlink ${pf}/virtfn${n}/driver`).stdout.trim();
                    expect(link).toBe(vf.driver ? `../../drivers/${vf.driver}` : "");
                }
            });
        }
    }

    test("ethernet-only: mstconfig refuses to set or query LINK_TYPE_P1, as for any parameter the firmware lacks", () => {
        load("ethernet-only", "destination");
        const set = run("mstconfig", "-y", "-d", "0000:c1:00.0", "set", "LINK_TYPE_P1=2");
        expect(set.status).not.toBe(0);
        expect(set.stdout + set.stderr).toContain("-E- The Device doesn't support LINK_TYPE_P1 parameter");
        const q = run("mstconfig", "-d", "0000:c1:00.0", "query", "LINK_TYPE_P1");
        expect(q.stdout + q.stderr).toContain("-E- The Device doesn't support LINK_TYPE_P1 parameter");
        expect(run("ip", "-o", "link", "show", "dev", "enp193s0np0").stdout).toContain(" link/ether ");
    });

    test("pending-reboot: Next Boot and grubby's arguments become Current at the simulated reboot", () => {
        load("pending-reboot", "source");
        const mig = () => run("mstconfig", "-d", "0000:e1:00.0", "-e", "query").stdout
            .split("\n").find(l => l.includes(" VF_MIGRATION_MODE "))?.trim().split(/\s+/);
        expect(mig()).toEqual(["*", "VF_MIGRATION_MODE", "DEVICE_DEFAULT(0)", "DEVICE_DEFAULT(0)", "MIGRATION_ENABLED(2)"]);
        expect(run("mstconfig", "-d", "0000:e1:00.0", "query", "VF_MIGRATION_MODE").stdout).toMatch(/MIGRATION_ENABLED\(2\)/);
        expect(host.sh("ls /sys/class/iommu").stdout).toBe("");
        expect(host.run([`${HW}/reboot`]).status).toBe(0);
        expect(mig()).toEqual(["*", "VF_MIGRATION_MODE", "DEVICE_DEFAULT(0)", "MIGRATION_ENABLED(2)", "MIGRATION_ENABLED(2)"]);
        expect(host.sh("ls /sys/class/iommu; cat /proc/cmdline").stdout).toMatch(/^dmar0\n.* intel_iommu=on iommu=pt\n$/);
    });

    test("amd-iommu-off: removing amd_iommu=off with grubby turns the AMD IOMMU on after a reboot", () => {
        load("amd-iommu-off", "source");
        expect(run("grubby", "--remove-args=amd_iommu=off", "--update-kernel=ALL").status).toBe(0);
        expect(host.sh("ls /sys/class/iommu").stdout).toBe("");
        host.run([`${HW}/reboot`]);
        expect(host.sh("ls /sys/class/iommu; ls /sys/kernel/iommu_groups").stdout).toBe("ivhd0\n40\n");
    });

    test("old-firmware: no VF_MIGRATION_MODE parameter; setting it is refused", () => {
        load("old-firmware", "source");
        const r = run("mstconfig", "-y", "-d", "0000:e1:00.0", "set", "VF_MIGRATION_MODE=2");
        expect(r).toMatchObject({ status: 1, stderr: "-E- The Device doesn't support VF_MIGRATION_MODE parameter\n" });
        expect(run("ethtool", "-i", "enp225s0np0").stdout).toContain("firmware-version: 28.34.1002 (MT_0000000838)");
    });

    test("dest-no-free-vf: the destination's only VF is taken by a VFIO driver and no more can be created", () => {
        load("dest-no-free-vf", "destination");
        const pf = "/sys/bus/pci/devices/0000:c1:00.0";
        expect(host.sh(`cat ${pf}/sriov_numvfs ${pf}/sriov_totalvfs; readlink ${pf}/virtfn0/driver`).stdout)
                .toBe("1\n1\n../../drivers/mlx5_vfio_pci\n");
        expect(host.sh(`echo 0 > ${pf}/sriov_numvfs`).stderr).toMatch(/Device or resource busy/);
    });

    test("mgmt-over-pf: switchdev cuts a session over the PF netdev until the e-switch is legacy again", () => {
        load("mgmt-over-pf", "source");
        // the PF's veth peer goes to a namespace of its own: the "other end" of the management link
        // TCP to a closed port: a reset means the peer answered (no ping on this machine)
        const ping = () => host.run(["/usr/bin/python3", "-c", `
import socket
try:
    socket.create_connection(("192.0.2.202", 9), timeout=1)
    print("reachable")
except ConnectionRefusedError:
    print("reachable")
except OSError:
    print("cut")`]).stdout.trim();
        const setup = host.sh(`unshare -n sleep 60 </dev/null >/dev/null 2>&1 & echo $! > ${host.dir}/peer.pid; sleep 0.3
            P=$(cat ${host.dir}/peer.pid); peer=$(ip -o link show | awk -F': ' '/@enp225s0np0/ { split($2, a, "@"); print a[1] }')
            ip link set "$peer" netns "$P"
            nsenter -t "$P" -n ip addr add 192.0.2.202/24 dev "$peer"; nsenter -t "$P" -n ip link set "$peer" up
            ip addr add 192.0.2.201/24 dev enp225s0np0; ip link set enp225s0np0 up`);
        try {
            expect(setup.status).toBe(0);
            expect(ping()).toBe("reachable");
            expect(run("devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev").status).toBe(0);
            expect(ping()).toBe("cut");
            expect(run("devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "legacy").status).toBe(0);
            expect(ping()).toBe("reachable");
        } finally {
            host.sh(`kill $(cat ${host.dir}/peer.pid)`);
        }
    });

    test("faults: a named command is slow, another fails with the scenario's text and exit code", () => {
        const hw = scenarioHost("ready-pair", "source");
        hw.faults = [{ match: "devlink dev eswitch set *", delayMs: 1500 },
                     { match: "mstconfig * query", exit: 3, stderr: "-E- Failed to open the device\n" }];
        host.writeScenario(hw);
        expect(host.run([`${HW}/load`]).status).toBe(0);
        const slow = run("devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev");
        expect(slow.status).toBe(0);
        expect(slow.ms).toBeGreaterThanOrEqual(1500);
        expect(run("mstconfig", "-d", "0000:e1:00.0", "-e", "query")).toMatchObject(
            { status: 3, stdout: "", stderr: "-E- Failed to open the device\n" });
    });

    test("concurrent tools and sysfs writes keep one consistent state", () => {
        load("ready-pair", "source");
        const pf = "/sys/bus/pci/devices/0000:e1:00.0";
        const r = host.sh(`fail=0
            for i in 1 2 3 4 5 6 7 8; do
                devlink port function set pci/0000:e1:00.0/1 hw_addr 02:00:00:00:00:0$i & pids="$pids $!"
                (echo $((i % 2)) > ${pf}/sriov_drivers_autoprobe) & pids="$pids $!"
                (test "$(cat ${pf}/sriov_numvfs)" = 1) & pids="$pids $!"
            done
            for p in $pids; do wait $p || fail=$((fail + 1)); done
            echo "failed=$fail"; devlink -j port show pci/0000:e1:00.0/1`);
        const [first, json] = r.stdout.split("\n");
        expect(first).toBe("failed=0");
        expect(JSON.parse(json).port["pci/0000:e1:00.0/1"].function.hw_addr).toMatch(/^02:00:00:00:00:0[1-8]$/);
        expect(host.hwState().nics[0].vfs).toHaveLength(1);
    });

    test("virt-host-validate (real) agrees with the scenario's IOMMU: ACPI table, kernel argument", () => {
        const iommuLines = () => run("virt-host-validate", "qemu").stdout.split("\n")
            .filter(l => /IOMMU/.test(l)).map(l => l.split(": ").slice(2).join(": ").trim());
        load("ready-pair", "source");
        expect(iommuLines()).toEqual(["PASS", "PASS"]);
        load("fresh-pair", "source");
        expect(iommuLines()).toEqual(["PASS",
            "WARN (IOMMU appears to be disabled in kernel. Add intel_iommu=on to kernel cmdline arguments)"]);
        load("amd-iommu-off", "source");
        expect(iommuLines()[1]).toMatch(/^WARN \(IOMMU appears to be disabled in kernel/);
        const hw = scenarioHost("ready-pair", "source");
        hw.iommu.inFirmware = false;
        host.writeScenario(hw);
        host.run([`${HW}/load`]);
        expect(iommuLines()[0]).toBe("WARN (No ACPI DMAR table found, IOMMU either disabled in BIOS or not supported by this hardware platform)");
    });

    test("switchdevFailsWithVfs: switchdev after creating VFs fails as on the CX-6 Lx sample; the RHEL order works", () => {
        const hw = scenarioHost("fresh-pair", "source");
        hw.nics[0].switchdevFailsWithVfs = true;
        hw.nics[0].vfs = [{ driver: "mlx5_core" }];
        host.writeScenario(hw);
        expect(host.run([`${HW}/load`]).status).toBe(0);
        const set = () => run("devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev");
        expect(set()).toMatchObject({ status: 1,
            stderr: "Error: mlx5_core: Failed setting eswitch to offloads.\nkernel answers: Invalid argument\n" });
        host.sh("echo 0 > /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs");
        expect(set().status).toBe(0);
        expect(host.sh("echo 1 > /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs; ip -o link show enp225s0npf0vf0").status).toBe(0);
    });
});
