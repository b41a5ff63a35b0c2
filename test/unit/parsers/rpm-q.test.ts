// No captured `rpm -q` sample exists in shared/formats; names follow PROCEDURE.md (mstflint, openvswitch3.x).
import { findPackage } from "../../../src/parsers";
import { parsed, parseError } from "./expect-parse";

describe("rpm-q", () => {
    test("names with dashes and dots split from the right", () => {
        const v = parsed("rpm-q", "mstflint-4.28.0-1.el9.x86_64\nopenvswitch3.3-3.3.0-49.el9fdp.x86_64\nlibvirt-daemon-driver-qemu-10.0.0-6.7.el9_4.x86_64\n");
        expect(v.packages).toEqual([
            { installed: true, name: "mstflint", version: "4.28.0", release: "1.el9", arch: "x86_64", nevra: "mstflint-4.28.0-1.el9.x86_64" },
            { installed: true, name: "openvswitch3.3", version: "3.3.0", release: "49.el9fdp", arch: "x86_64", nevra: "openvswitch3.3-3.3.0-49.el9fdp.x86_64" },
            { installed: true, name: "libvirt-daemon-driver-qemu", version: "10.0.0", release: "6.7.el9_4", arch: "x86_64", nevra: "libvirt-daemon-driver-qemu-10.0.0-6.7.el9_4.x86_64" },
        ]);
    });

    test("not installed; --whatprovides miss; findPackage matches openvswitch3.3 for openvswitch", () => {
        const v = parsed("rpm-q", "package mstflint is not installed\nno package provides openvswitch\nopenvswitch3.3-3.3.0-49.el9fdp.x86_64\n");
        expect(v.packages.slice(0, 2)).toEqual([{ installed: false, name: "mstflint" }, { installed: false, name: "openvswitch" }]);
        expect(findPackage(v, "openvswitch")).toEqual({ installed: false, name: "openvswitch" });
        const only = parsed("rpm-q", "openvswitch3.3-3.3.0-49.el9fdp.x86_64\n");
        expect(findPackage(only, "openvswitch")).toMatchObject({ name: "openvswitch3.3" });
        expect(findPackage(only, "openvswitch-selinux")).toBeUndefined();
    });

    test("hostile and malformed lines", () => {
        expect(parseError("rpm-q", "mstflint\n")).toMatchObject({ line: 1, text: "mstflint" });
        expect(parseError("rpm-q", "mstflint-4.28.0-1.el9.x86_64\nerror: rpmdb: BDB0113 Thread/process failed\n")).toMatchObject({ line: 2 });
        expect(parseError("rpm-q", "").line).toBe(0);
        expect(parsed("rpm-q", "<b>x</b>-1-2.noarch\n").packages[0]).toMatchObject({ name: "<b>x</b>", arch: "noarch" });
    });
});
