/* Checks before the migration: vIOMMU, storage the destination sees, 4 VFs per port, and convergence. */
import { LIVE_XML, readFormat } from "./fixtures";
import {
    checkConcurrentVfs, checkConvergence, checkStorage, checkViommu, estimateMigration,
} from "../../../src/migration/prechecks";
import { parse } from "../../../src/parsers";
import type { DomainDisk, DomainXml } from "../../../src/parsers/libvirt-domain-xml";

const domain = (xml: string): DomainXml => {
    const r = parse("libvirt-domain-xml", xml);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
};

describe("vIOMMU", () => {
    test("the full domain has none", () => {
        expect(checkViommu(domain(LIVE_XML)).verdict).toBe("pass");
    });

    test("the documented <iommu model='intel'> (domain-viommu.xml.md) refuses the migration and says where", () => {
        const doc = readFormat("domain-viommu.xml.md");
        const iommu = doc.split("\n").filter(l => /^#\s{3}\s*</.test(l) && /iommu|driver intremap/.test(l)).map(l => l.replace(/^#\s{3}/, "")).join("\n");
        expect(iommu).toContain("<iommu model='intel'>");
        const r = checkViommu(domain(LIVE_XML.replace("<devices>\n    <emulator>", `<devices>\n${iommu}\n    <emulator>`)));
        expect(r.verdict).toBe("fail");
        expect(r.details[0]).toMatch(/<iommu model='intel'> on line \d+/);
    });

    test("an <iommu> look-alike inside <metadata> is not a device", () => {
        expect(checkViommu(domain(LIVE_XML.replace("<devices><interface", "<devices><iommu model='intel'/><interface"))).verdict).toBe("pass");
    });

    test("an intel-iommu passed on the QEMU command line is found too", () => {
        const xml = LIVE_XML.replace("<domain type='kvm' id='7'>", "<domain type='kvm' id='7' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
                .replace("</domain>", "  <qemu:commandline>\n    <qemu:arg value='-device'/>\n    <qemu:arg value='intel-iommu,intremap=on,caching-mode=on'/>\n  </qemu:commandline>\n</domain>");
        expect(checkViommu(domain(xml))).toMatchObject({ verdict: "fail", details: [expect.stringMatching(/intel IOMMU added through <qemu:commandline>/)] });
    });
});

describe("storage", () => {
    const disks = domain(LIVE_XML).disks;
    const path = "/var/lib/libvirt/images/shared/rhel9-vf.qcow2";

    test("the disk on NFS at the same path: pass", () => {
        expect(checkStorage(disks, { [path]: { exists: true, fsType: "nfs4" } }, false).verdict).toBe("pass");
    });

    test("missing on the destination: refused, unless copying the storage was chosen", () => {
        const r = checkStorage(disks, { [path]: { exists: false } }, false);
        expect(r).toMatchObject({ verdict: "fail", details: [`missing on the destination: ${path}`] });
        expect(r.summary).toMatch(/^1 disk is not on storage/);
        expect(checkStorage(disks, { [path]: { exists: false } }, true).verdict).toBe("warn");
    });

    test("present on a local file system there: a warning (it may be another copy)", () => {
        expect(checkStorage(disks, { [path]: { exists: true, fsType: "xfs" } }, false))
                .toMatchObject({ verdict: "warn", details: [`present on a local file system: ${path} (on xfs there)`] });
    });

    test("a path the destination was not asked about: unknown, not pass", () => {
        expect(checkStorage(disks, {}, false).verdict).toBe("unknown");
    });

    test("network disks and empty CD-ROM drives need no answer", () => {
        const more: DomainDisk[] = [
            { type: "network", device: "disk", sourceNetwork: { protocol: "rbd", name: "pool/img", hosts: [] }, readonly: false, shareable: false },
            { type: "file", device: "cdrom", readonly: true, shareable: false },
        ];
        expect(checkStorage(more, {}, false).verdict).toBe("pass");
    });

    test("two disks missing: both named, plural summary", () => {
        const two: DomainDisk[] = [{ type: "file", sourceFile: "/a.qcow2", readonly: false, shareable: false },
            { type: "block", sourceDev: "/dev/sdb", readonly: false, shareable: false }];
        const r = checkStorage(two, { "/a.qcow2": { exists: false }, "/dev/sdb": { exists: false } }, false);
        expect(r.summary).toMatch(/^2 disks are not/);
        expect(r.details).toHaveLength(2);
    });
});

describe("at most 4 VFs of one port migrating", () => {
    const pf = "0000:e1:00.0";
    test.each([[0, "pass"], [3, "pass"], [4, "fail"], [6, "fail"]])("%i already migrating → %s", (n, verdict) => {
        const others = [...Array(n).fill(pf), "0000:e1:00.1", "0000:81:00.0"];
        expect(checkConcurrentVfs(others, pf).verdict).toBe(verdict);
    });
});

describe("convergence estimate", () => {
    test("idle 4 GiB VM on 25 Gb/s: one pass of about 1.5 s", () => {
        const e = estimateMigration({ dirtyRateMiBps: 0, linkMbps: 25000, ramMiB: 4096 });
        // 25000 Mb/s = 2980 MiB/s, × 0.9 = 2682 MiB/s → 4096 / 2682 = 1.53 s
        expect(e.transferMiBps).toBeCloseTo(2682.2, 0);
        expect(e).toMatchObject({ converges: true, marginal: false, iterations: 0 });
        expect(e.seconds).toBeCloseTo(1.53, 1);
    });

    test("16 GiB VM dirtying 500 MiB/s on 10 Gb/s: converges after a few passes", () => {
        const e = estimateMigration({ dirtyRateMiBps: 500, linkMbps: 10000, ramMiB: 16384 });
        // B = 1072.9 MiB/s, r = 0.466, t0 = 15.27 s; window = 321.9 MiB → n = ceil(ln(0.01965)/ln(0.466)) = 6
        expect(e.ratio).toBeCloseTo(0.466, 2);
        expect(e.iterations).toBe(6);
        expect(e.seconds).toBeCloseTo(15.27 * (1 - 0.466 ** 7) / (1 - 0.466), 0);
        expect(checkConvergence(e)).toMatchObject({ verdict: "pass", summary: "Estimated migration time: about 29 s in 7 passes" });
    });

    test("the bandwidth cap is what counts when lower than the link", () => {
        const e = estimateMigration({ dirtyRateMiBps: 50, linkMbps: 100000, ramMiB: 256, bandwidthMiBps: 10 });
        expect(e.transferMiBps).toBe(10);
        expect(e.converges).toBe(false);
        expect(checkConvergence(e).verdict).toBe("fail");
    });

    test("dirtying 90 % of the link: converges slowly (warning)", () => {
        const e = estimateMigration({ dirtyRateMiBps: 965, linkMbps: 10000, ramMiB: 8192 });
        expect(e.marginal).toBe(true);
        expect(checkConvergence(e).verdict).toBe("warn");
    });

    test("a larger allowed downtime means fewer passes", () => {
        const a = estimateMigration({ dirtyRateMiBps: 500, linkMbps: 10000, ramMiB: 16384 });
        const b = estimateMigration({ dirtyRateMiBps: 500, linkMbps: 10000, ramMiB: 16384, maxDowntimeMs: 2000 });
        expect(b.iterations as number).toBeLessThan(a.iterations as number);
    });

    test("nonsense input gives 'does not converge', never a made-up time", () => {
        expect(estimateMigration({ dirtyRateMiBps: 10, linkMbps: 0, ramMiB: 1024 })).toMatchObject({ converges: false });
        expect(estimateMigration({ dirtyRateMiBps: Number.NaN, linkMbps: 1000, ramMiB: 1024 }).seconds).toBeUndefined();
    });
});
