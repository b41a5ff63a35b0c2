/* The simulated sysfs reacts as the kernel's does: VFs, representors, driver binding, refusals. */
import { HW, HwHost, scenarioHost } from "./hwhost";

const PF = "/sys/bus/pci/devices/0000:e1:00.0";
const VF0 = "/sys/bus/pci/devices/0000:e1:00.1";

/** errno name of an operation on a path, done by python inside the host ("OK" if it succeeded) */
const PYOPS = `
import errno, os, sys
op, a = sys.argv[1], sys.argv[2]
try:
    if op == "create": open(a, "x")
    elif op == "mkdir": os.mkdir(a)
    elif op == "rename": os.rename(a, a + ".new")
    elif op == "unlink": os.unlink(a)
    elif op == "symlink": os.symlink("x", a)
    elif op == "write":
        fd = os.open(a, os.O_WRONLY)
        try: os.write(fd, sys.argv[3].encode())
        finally: os.close(fd)
    elif op == "read": open(a).read()
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])
`;

describe("simulated sysfs", () => {
    const host = new HwHost();
    const errnoOf = (op: string, p: string, value = "") =>
        host.run(["/usr/bin/python3", "-c", PYOPS, op, p, value]).stdout.trim();

    beforeAll(async () => {
        await host.start(scenarioHost("fresh-pair", "source"));
    });
    afterAll(() => host.stop());

    test("refuses what kernfs refuses (errnos measured on this machine's /sys)", () => {
        expect(errnoOf("create", `${PF}/newfile`)).toBe("EACCES");
        expect(errnoOf("create", "/sys/bus/pci/newfile")).toBe("EACCES");
        expect(errnoOf("mkdir", `${PF}/newdir`)).toBe("EPERM");
        expect(errnoOf("rename", `${PF}/vendor`)).toBe("EPERM");
        expect(errnoOf("unlink", `${PF}/vendor`)).toBe("EPERM");
        expect(errnoOf("symlink", `${PF}/lnk`)).toBe("EPERM");
        expect(errnoOf("write", `${PF}/vendor`, "0x1234")).toBe("EACCES");
        expect(errnoOf("read", "/sys/bus/pci/drivers_probe")).toBe("EACCES");
        expect(host.sh(`cat ${PF}/vendor ${PF}/device ${PF}/class`).stdout).toBe("0x15b3\n0x1021\n0x020000\n");
    });

    test("a Cockpit-style replace (temporary file + rename) fails; tee writes", () => {
        const r = host.sh(`echo 0 > ${PF}/sriov_numvfs.tmp`);
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(/Permission denied/);
        expect(host.sh(`echo 0 | tee ${PF}/sriov_numvfs`).status).toBe(0);
    });

    test("writing N to sriov_numvfs creates N VFs at the SR-IOV offset/stride, bound to mlx5_core", () => {
        expect(host.sh(`echo 2 > ${PF}/sriov_numvfs`).status).toBe(0);
        const r = host.sh(`cat ${PF}/sriov_numvfs; readlink ${PF}/virtfn0 ${PF}/virtfn1 ${VF0}/physfn ${VF0}/driver;
                           cat ${VF0}/device ${VF0}/driver_override; ls ${VF0}/net`);
        expect(r.stdout.split("\n")).toEqual(["2", "../0000:e1:00.1", "../0000:e1:00.2", "../0000:e1:00.0",
            "../../drivers/mlx5_core", "0x101e", "(null)", "enp225s0v0", ""]);
        // N>0 -> M>0 is refused like the kernel (EBUSY); more than sriov_totalvfs: ERANGE
        expect(errnoOf("write", `${PF}/sriov_numvfs`, "3")).toBe("EBUSY");
        expect(host.sh(`echo 3 > ${PF}/sriov_numvfs`).stderr).toMatch(/Device or resource busy/);
        expect(host.sh(`echo 0 > ${PF}/sriov_numvfs; cat ${PF}/sriov_totalvfs ${PF}/sriov_offset ${PF}/sriov_stride`).stdout)
                .toBe("8\n1\n1\n");
        expect(errnoOf("write", `${PF}/sriov_numvfs`, "9")).toBe("ERANGE");
        expect(errnoOf("write", `${PF}/sriov_numvfs`, "two")).toBe("EINVAL");
        expect(host.sh(`ls ${PF} | grep -c virtfn`).stdout.trim()).toBe("0");
    });

    test("in switchdev, VFs come with representor netdevs that are real interfaces", () => {
        expect(host.run(["devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev"]).status).toBe(0);
        expect(host.sh(`echo 2 > ${PF}/sriov_numvfs`).status).toBe(0);
        const links = host.run(["ip", "-o", "link", "show"]).stdout;
        for (const name of ["enp225s0np0", "enp225s0npf0vf0", "enp225s0npf0vf1", "enp225s0v0", "enp225s0v1"])
            expect(links).toContain(`: ${name}`);
        expect(host.sh(`ls ${PF}/net; cat /sys/class/net/enp225s0npf0vf1/phys_port_name;
                        readlink -f /sys/class/net/enp225s0npf0vf0/device`).stdout)
                .toBe("enp225s0np0\nenp225s0npf0vf0\nenp225s0npf0vf1\npf0vf1\n/sys/bus/pci/devices/0000:e1:00.0\n");
        expect(host.sh(`echo 0 > ${PF}/sriov_numvfs; ip -o link show`).stdout).not.toContain("npf0vf0");
    });

    test("driver_override, unbind and drivers_probe act at once (libvirt's managed-hostdev sequence)", () => {
        host.sh(`echo 1 > ${PF}/sriov_numvfs`);
        // one process, no pause between the writes and the re-read, as libvirt does it
        const r = host.sh(`echo mlx5_vfio_pci > ${VF0}/driver_override; echo 0000:e1:00.1 > ${VF0}/driver/unbind;
                           readlink ${VF0}/driver || echo unbound; ls ${VF0}/net 2>/dev/null | wc -l;
                           echo 0000:e1:00.1 > /sys/bus/pci/drivers_probe; readlink ${VF0}/driver; ls ${VF0}/vfio-dev;
                           ls /sys/bus/pci/drivers/mlx5_vfio_pci | grep 0000; ls $VFSIM_DEV_DIR/vfio`);
        expect(r.stdout.split("\n")).toEqual(["unbound", "0", "../../drivers/mlx5_vfio_pci", "vfio0", "0000:e1:00.1",
            "41", "vfio", ""]);
        const back = host.sh(`echo > ${VF0}/driver_override; echo 0000:e1:00.1 > ${VF0}/driver/unbind;
                              echo 0000:e1:00.1 > /sys/bus/pci/drivers_probe; readlink ${VF0}/driver; cat ${VF0}/driver_override;
                              ls ${VF0}/net; ls $VFSIM_DEV_DIR/vfio`);
        expect(back.stdout).toBe("../../drivers/mlx5_core\n(null)\nenp225s0v0\nvfio\n");
    });

    test("bind and unbind refuse as the kernel does", () => {
        expect(errnoOf("write", "/sys/bus/pci/drivers/mlx5_core/bind", "0000:e1:00.1")).toBe("EBUSY");
        expect(errnoOf("write", "/sys/bus/pci/drivers/vfio-pci/unbind", "0000:e1:00.1")).toBe("ENODEV");
        expect(errnoOf("write", "/sys/bus/pci/drivers_probe", "0000:99:00.0")).toBe("ENODEV");
        host.sh(`echo 0000:e1:00.1 > /sys/bus/pci/drivers/mlx5_core/unbind`);
        // vfio-pci binds only through driver_override (no id table), like mlx5_vfio_pci
        expect(errnoOf("write", "/sys/bus/pci/drivers/vfio-pci/bind", "0000:e1:00.1")).toBe("ENODEV");
        expect(host.sh(`echo vfio-pci > ${VF0}/driver_override; echo 0000:e1:00.1 > /sys/bus/pci/drivers/vfio-pci/bind;
                        readlink ${VF0}/driver`).stdout).toBe("../../drivers/vfio-pci\n");
        // a VF in use by a VFIO driver keeps SR-IOV from being disabled
        expect(errnoOf("write", `${PF}/sriov_numvfs`, "0")).toBe("EBUSY");
    });

    test("libvirt's reads: ids, config space, modalias, iommu group and modules.alias", () => {
        // fresh host: no intel_iommu=on yet, so no IOMMU groups; grubby + reboot turn the IOMMU on
        expect(host.sh(`ls /sys/kernel/iommu_groups /sys/class/iommu | wc -w; ls ${VF0}`).stdout).not.toMatch(/iommu_group/);
        expect(host.run(["grubby", "--args=intel_iommu=on iommu=pt", "--update-kernel=ALL"]).status).toBe(0);
        expect(host.run([`${HW}/reboot`]).status).toBe(0);
        expect(host.sh(`cat /proc/cmdline; cat ${PF}/sriov_numvfs; ls /sys/class/iommu`).stdout)
                .toMatch(/ intel_iommu=on iommu=pt\n0\ndmar0\n$/);
        host.sh(`echo 1 > ${PF}/sriov_numvfs`);
        const r = host.sh(`cat ${VF0}/vendor ${VF0}/subsystem_vendor ${VF0}/class ${VF0}/revision ${VF0}/modalias;
                           stat -c %s ${VF0}/config; head -c 64 ${VF0}/config | od -An -tx1 | head -1;
                           readlink -f ${VF0}/iommu_group; ls /sys/kernel/iommu_groups/41/devices;
                           grep mlx5_vfio_pci /usr/lib/modules/$(uname -r)/modules.alias`);
        const lines = r.stdout.split("\n");
        expect(lines.slice(0, 5)).toEqual(["0x15b3", "0x15b3", "0x020000", "0x00",
            "pci:v000015B3d0000101Esv000015B3sd00000000bc02sc00i00"]);
        expect(lines[5]).toBe("4096");
        expect(lines[6].trim().startsWith("ff ff ff ff 06 04 10 00")).toBe(true);
        expect(lines.slice(7)).toEqual(["/sys/kernel/iommu_groups/41", "0000:e1:00.1",
            "alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci", ""]);
    });

    test("read latency of sriov_numvfs (1000 reads)", () => {
        const r = host.run(["/usr/bin/python3", "-c", `
import time
t = time.perf_counter()
for _ in range(1000):
    with open("${PF}/sriov_numvfs") as f: f.read()
print((time.perf_counter() - t) * 1000)`]);
        const perRead = Number(r.stdout) / 1000;
        console.log(`FUSE sysfs: ${perRead.toFixed(3)} ms per open+read+close of sriov_numvfs`);
        expect(perRead).toBeLessThan(25);  // ~1 ms on an idle 2-core machine, a few ms under load
    });
});
