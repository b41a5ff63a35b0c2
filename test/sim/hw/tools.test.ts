/*
 * The fake tools print what the real ones print: each output is compared with the real sample it imitates
 * (shared/formats, beside the repository): same lines, keys, columns, error texts and exit codes.
 */
import { HW, HwHost, sample, scenarioHost } from "./hwhost";

/** the lines after the one containing `cmd`, up to a blank line or a comment */
function block(text: string, cmd: string): string[] {
    const lines = text.split("\n");
    const i = lines.findIndex(l => l.includes(cmd));
    if (i < 0)
        throw new Error(`sample has no ${cmd}`);
    const out: string[] = [];
    for (const l of lines.slice(i + 1)) {
        if (l.trim() === "" || l.startsWith("#"))
            break;
        out.push(l);
    }
    return out;
}
const keysOf = (line: string) => line.trim().split(/\s+/).filter((_, i) => i % 2 === 0);
function isSubsequence(small: string[], big: string[]): boolean {
    let j = 0;
    for (const x of big)
        if (j < small.length && x === small[j]) j++;
    return j === small.length;
}

describe("fake tools match the real samples", () => {
    const host = new HwHost();
    const run = (...argv: string[]) => host.run(argv);

    beforeAll(async () => {
        const hw = scenarioHost("ready-pair", "source");
        hw.nics[0].eswitchBusyWithVfs = true;
        hw.faults = [{ match: "mstflint -d 0000:e1:00.0 query full", exit: 1,
                       stderr: "-E- Cannot open Device: 0000:e1:00.0. Operation not supported. MFE_CR_ERROR\n" }];
        await host.start(hw);
    });
    afterAll(() => host.stop());

    test("ethtool -i: the keys of the ConnectX-7 sample, firmware 'x.y.zzzz (PSID)'", () => {
        const want = block(sample("ethtool-i-mlx5.txt"), "ethtool -i net1").map(l => l.split(":")[0]);
        const r = run("ethtool", "-i", "enp225s0np0");
        expect(r.status).toBe(0);
        const got = r.stdout.trimEnd().split("\n");
        expect(got.map(l => l.split(":")[0])).toEqual(want);
        expect(got).toContain("firmware-version: 28.43.1014 (MT_0000000838)");
        expect(got).toContain("bus-info: 0000:e1:00.0");
        expect(run("ethtool", "-i", "enp225s0npf0vf0").stdout).toMatch(/^driver: mlx5e_rep$/m);
        expect(run("ethtool", "-i", "nosuchdev")).toMatchObject({ status: 71, stderr: "Cannot get driver information: No such device\n" });
    });

    test("devlink dev eswitch show, text and -j", () => {
        const want = block(sample("devlink-eswitch-show.txt"), "show pci/0101:00:00.0")[0];
        const got = run("devlink", "dev", "eswitch", "show", "pci/0000:e1:00.0").stdout.trimEnd();
        expect(got).toBe(want.replace("pci/0101:00:00.0", "pci/0000:e1:00.0").replace("legacy", "switchdev"));
        const js = JSON.parse(run("devlink", "-j", "dev", "eswitch", "show", "pci/0000:e1:00.0").stdout);
        const sampleJs = JSON.parse(sample("devlink-eswitch-show.json"));
        expect(Object.keys(js)).toEqual(Object.keys(sampleJs));
        expect(js.dev["pci/0000:e1:00.0"].mode).toBe("switchdev");
    });

    test("devlink eswitch set while VFs exist: the real 'E-Switch is busy' error, exit 1", () => {
        const r = run("devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "legacy");
        const want = block(sample("devlink-eswitch-set-errors.txt"), "mode legacy");
        expect(r.status).toBe(1);
        expect(r.stderr.trimEnd().split("\n")).toEqual(want);
    });

    test("devlink port show: uplink and VF lines with the sample's keys, function attributes indented", () => {
        const s = sample("devlink-port-show.txt");
        const vfSample = block(s, "$ devlink port show pci/0000:06:00.0/2");
        const upSample = s.split("\n").find(l => l.startsWith("pci/") && l.includes("flavour physical")) ?? "";
        const lines = run("devlink", "port", "show").stdout.trimEnd().split("\n");
        const up = lines.find(l => l.includes("flavour physical")) ?? "";
        expect(up).toBe("pci/0000:e1:00.0/65535: type eth netdev enp225s0np0 flavour physical port 0 splittable false");
        expect(keysOf(up.split(": ")[1])).toEqual(keysOf(upSample.split(": ")[1]));
        const i = lines.findIndex(l => l.startsWith("pci/0000:e1:00.0/1:"));
        expect(isSubsequence(keysOf(vfSample[0].split(": ")[1]), keysOf(lines[i].split(": ")[1]))).toBe(true);
        expect(lines[i + 1].trim()).toBe(vfSample[1].trim());
        expect(isSubsequence(keysOf(vfSample[2]), keysOf(lines[i + 2]))).toBe(true);
        expect(lines[i + 2]).toMatch(/^ {4}hw_addr 00:00:00:00:00:00 roce enable migratable enable$/);
        const js = JSON.parse(run("devlink", "-j", "port", "show").stdout);
        expect(js.port["pci/0000:e1:00.0/1"]).toMatchObject({ flavour: "pcivf", pfnum: 0, vfnum: 0,
            netdev: "enp225s0npf0vf0", function: { hw_addr: "00:00:00:00:00:00", migratable: "enable" } });
        expect(run("devlink", "port", "show", "pci/0000:e1:00.0/7")).toMatchObject(
            { status: 1, stderr: "devlink answers: No such device\n" });
    });

    test("devlink port function set migratable: refused while the VF has a driver, 'Error:' + 'kernel answers:'", () => {
        host.sh("echo 0000:e1:00.1 > /sys/bus/pci/drivers_probe");
        const r = run("devlink", "port", "function", "set", "pci/0000:e1:00.0/1", "migratable", "disable");
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^Error: mlx5_core: .+\.\nkernel answers: .+\n$/);
        host.sh("echo 0000:e1:00.1 > /sys/bus/pci/drivers/mlx5_core/unbind");
        expect(run("devlink", "port", "function", "set", "pci/0000:e1:00.0/1", "migratable", "disable").status).toBe(0);
        expect(run("devlink", "port", "show", "pci/0000:e1:00.0/1").stdout).toMatch(/migratable disable$/m);
        expect(run("devlink", "port", "function", "show").stderr).toBe('Command "show" not found\n');
    });

    test("devlink dev info: the sample's nesting (driver, versions fixed/running/stored), -j keys", () => {
        const want = block(sample("devlink-dev-info.txt"), "$ devlink dev info").slice(1).map(l => l.trim().split(" ")[0]);
        const got = run("devlink", "dev", "info", "pci/0000:e1:00.0").stdout.trimEnd().split("\n");
        expect(got[0]).toBe("pci/0000:e1:00.0:");
        expect(isSubsequence(want, got.slice(1).map(l => l.trim().split(" ")[0]))).toBe(true);
        const indent = (k: string) => (got.find(l => l.trim().startsWith(k)) ?? "").search(/\S/);
        expect(indent("fixed:")).toBeGreaterThan(indent("versions:"));
        expect(indent("fw.psid")).toBeGreaterThan(indent("fixed:"));
        const js = JSON.parse(run("devlink", "-j", "dev", "info", "pci/0000:e1:00.0").stdout);
        expect(js.info["pci/0000:e1:00.0"].versions).toEqual({ fixed: { "fw.psid": "MT_0000000838" },
            running: { "fw.version": "28.43.1014", fw: "28.43.1014" }, stored: { "fw.version": "28.43.1014", fw: "28.43.1014" } });
    });

    test("mstconfig query: header and value column of the RHEL 9.4 sample (Next Boot only)", () => {
        const s = sample("mstconfig-query.txt").split("\n");
        const valueCol = (lines: string[], p: string) => { const l = lines.find(x => x.includes(` ${p} `)) ?? ""; return l.indexOf(l.trim().split(/\s+/)[1], 9) };
        const r = run("mstconfig", "-d", "0000:e1:00.0", "query");
        expect(r.status).toBe(0);
        const got = r.stdout.split("\n");
        for (const label of ["Device #1:", "----------", "Device type:", "Name:", "Description:", "Device:"])
            expect(got.findIndex(l => l.startsWith(label))).toBe(s.findIndex(l => l.startsWith(label)) - s.findIndex(l => l === "Device #1:") + 1);
        expect(got).toContain(s.find(l => l.startsWith("Configurations:")));
        for (const p of ["NUM_OF_VFS", "SRIOV_EN", "VF_MIGRATION_MODE", "LINK_TYPE_P1"])
            expect(valueCol(got, p)).toBe(valueCol(s, p));
        expect(got).toContain("        VF_MIGRATION_MODE                           MIGRATION_ENABLED(2)");
        expect(got).toContain("        LINK_TYPE_P1                                ETH(2)          ");
    });

    test("mstconfig -e query: Default / Current / Next Boot columns and the '*' mark of the sample", () => {
        const s = sample("mstconfig-query-e.txt").split("\n");
        const got = run("mstconfig", "-d", "0000:e1:00.0", "-e", "query").stdout.split("\n");
        expect(got).toContain(s.find(l => l.startsWith("Configurations:")));
        const memic = s.find(l => l.includes("MEMIC_BAR_SIZE")) ?? "";
        expect(got).toContain(memic);
        // VF_MIGRATION_MODE differs from its default (0) -> "*" in column 0
        expect(got.find(l => l.includes("VF_MIGRATION_MODE"))).toBe(
            "*       VF_MIGRATION_MODE                           DEVICE_DEFAULT(0)    MIGRATION_ENABLED(2) MIGRATION_ENABLED(2) ");
    });

    test("mstconfig set: the sample's transcript with -y; without an answer it aborts and changes nothing", () => {
        const want = sample("mstconfig-set.txt").split("\n");
        const from = want.findIndex(l => l === "Device #1:") - 1;
        const r = run("mstconfig", "-y", "-d", "0000:e1:00.0", "set", "NUM_OF_VFS=4");
        expect(r.status).toBe(0);
        const got = r.stdout.split("\n");
        const skeleton = (ls: string[]) => ls.map(l => l.replace(/^(\S[^:]*:).*$/, "$1").replace(/^ {9}\S.*$/, "PARAM"));
        expect(skeleton(got.slice(0, 10))).toEqual(skeleton(want.slice(from, from + 10)));
        expect(got.slice(-5)).toEqual(["", " Apply new Configuration? (y/n) [n] : y", "Applying... Done!",
            "-I- Please reboot machine to load new configurations.", ""]);
        expect(got[10]).toBe("         NUM_OF_VFS                          8               4               ");
        const no = run("mstconfig", "-d", "0000:e1:00.0", "set", "SRIOV_EN=0");
        expect(no.status).not.toBe(0);
        expect(no.stderr).toBe("-E- Aborted by user.\n");
        expect(host.hwState().nics[0].firmware.SRIOV_EN).toMatchObject({ current: 1, next: 1 });
        expect(host.hwState().nics[0].firmware.NUM_OF_VFS).toMatchObject({ current: 8, next: 4 });
    });

    test("mstflint q: the keys of the ConnectX-7 sample; scenario faults replace a command's result", () => {
        const labels = (ls: string[]) => ls.map(l => l.slice(0, 23).trim());
        const want = block(sample("mstflint-query.txt"), "flint -d 37:00.0 query");
        const r = run("mstflint", "-d", "0000:e1:00.0", "q");
        expect(r.status).toBe(0);
        expect(labels(r.stdout.trimEnd().split("\n"))).toEqual(labels(want));
        expect(r.stdout).toMatch(/^PSID: {18}MT_0000000838$/m);
        expect(run("mstflint", "-d", "0000:e1:00.0", "query", "full")).toMatchObject(
            { status: 1, stderr: "-E- Cannot open Device: 0000:e1:00.0. Operation not supported. MFE_CR_ERROR\n" });
    });

    test("lspci -D -nn -k: the ConnectX-7 line of the sample", () => {
        const want = sample("lspci-sysfs-connectx7.txt").split("\n").find(l => l.startsWith("0000:01:00.0 Ethernet")) ?? "";
        const got = run("lspci", "-D", "-nn", "-k", "-s", "e1:00.0").stdout.split("\n");
        expect(got[0]).toBe(want.replace("0000:01:00.0", "0000:e1:00.0"));
        expect(got[1]).toBe("\tKernel driver in use: mlx5_core");
        expect(run("lspci", "-nn", "-s", "e1:00.1").stdout).toBe(
            "e1:00.1 Ethernet controller [0200]: Mellanox Technologies ConnectX Family mlx5Gen Virtual Function [15b3:101e]\n");
    });

    test("mstfwreset reset: the mlxfwreset transcript; Next Boot becomes Current, VFs gone, e-switch legacy", () => {
        const text = sample("mlxfwreset.txt").split("\n");
        const from = text.findIndex(l => l.includes("mlxfwreset -d /dev/mst/mt4129_pciconf0 reset -y")) + 1;
        const want = text.slice(from, text.findIndex((l, i) => i > from && l.startsWith("#")))
            .join("\n").trimEnd().replace("/dev/mst/mt4129_pciconf0", "0000:e1:00.0");
        const r = run("mstfwreset", "-d", "0000:e1:00.0", "-l", "3", "-y", "reset");
        expect(r.status).toBe(0);
        expect(r.stdout.trimEnd()).toBe(want);
        expect(host.hwState().nics[0].firmware.NUM_OF_VFS.current).toBe(4);
        expect(host.sh("cat /sys/bus/pci/devices/0000:e1:00.0/sriov_numvfs /sys/bus/pci/devices/0000:e1:00.0/sriov_totalvfs").stdout).toBe("0\n4\n");
        expect(run("devlink", "dev", "eswitch", "show", "pci/0000:e1:00.0").stdout).toMatch(/ mode legacy /);
    });

    test("grubby, modinfo and uname tell the RHEL story", () => {
        expect(run("grubby", "--default-kernel").stdout).toBe("/boot/vmlinuz-5.14.0-570.el9.x86_64\n");
        expect(run("grubby", "--info=DEFAULT").stdout).toMatch(/^args=".* intel_iommu=on iommu=pt"$/m);
        expect(run("uname", "-r").stdout).toBe("5.14.0-570.el9.x86_64\n");
        expect(run("modinfo", "--", "mlx5_vfio_pci").stdout).toMatch(/^alias: +vfio_pci:v000015B3d0000101Esv\*sd\*bc\*sc\*i\*$/m);
        expect(run("modinfo", "nosuch")).toMatchObject({ status: 1, stderr: "modinfo: ERROR: Module nosuch not found.\n" });
    });

    test("delays: mstconfig -e query takes seconds, devlink tens of milliseconds (timing scale 1)", () => {
        host.writeScenario({ ...scenarioHost("ready-pair", "source", 1) });
        expect(host.run([`${HW}/load`]).status).toBe(0);
        const q = run("mstconfig", "-d", "0000:e1:00.0", "-e", "query");
        expect(q.ms).toBeGreaterThanOrEqual(2500);
        expect(run("devlink", "-j", "port", "show").ms).toBeLessThan(1000);
    });
});
