#!/usr/bin/python3
"""hwctl init | reboot | fwreset PF | show | set-vf-mac PF VFNUM MAC | modules-alias | cpuinfo | release

init: (re)build hw.json from scenario.json's "hw" key; reboot: simulated reboot (Next Boot -> Current, kernel args,
VFs and e-switch reset). set-vf-mac is for the libvirt stand-in (VF MAC set through the PF netdev).
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # the library lives in the source tree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwstate as H  # noqa: E402


CPUS = {"intel": ("GenuineIntel", "6", "106", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "vmx", "svm"),
        "amd": ("AuthenticAMD", "25", "1", "AMD EPYC 7763 64-Core Processor", "svm", "vmx")}


def cpuinfo(vendor):
    """This machine's /proc/cpuinfo with the scenario's CPU vendor, model and virtualization flag."""
    vid, family, model, name, flag, other = CPUS[vendor]
    out = []
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, sep, val = line.partition(":")
            k = key.strip()
            if k == "vendor_id":
                line = "%s: %s\n" % (key, vid)
            elif k == "cpu family":
                line = "%s: %s\n" % (key, family)
            elif k == "model":
                line = "%s: %s\n" % (key, model)
            elif k == "model name":
                line = "%s: %s\n" % (key, name)
            elif k == "flags":
                flags = [x for x in val.split() if x not in (flag, other)] + [flag]
                line = "%s: %s\n" % (key, " ".join(flags))
            out.append(line)
    return "".join(out)


def main(argv):
    cmd = argv[0] if argv else "show"
    if cmd == "init":
        with open(os.path.join(H.HOST_DIR, "scenario.json")) as f:
            scenario = json.load(f)
        H.init_from_scenario(scenario.get("hw", {}))
    elif cmd == "reboot":
        with H.mutate() as st:
            H.reboot(st)
        H.write_cmdline(st)
    elif cmd == "fwreset":
        with H.mutate() as st:
            H.reset_after_firmware_load(st, H.find_nic(st, argv[1]))
    elif cmd == "set-vf-mac":
        with H.mutate() as st:
            H.find_nic(st, argv[1])["vfs"][int(argv[2])]["mac"] = argv[3].lower()
    elif cmd == "modules-alias":
        st = H.load()
        lines = ["alias pci:v000015B3d0000%ssv*sd*bc*sc*i* mlx5_core" % d for d in ("1021", "101E", "A2DC")]
        if st["kernel"].get("mlx5VfioPci", True):
            lines.append("alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci")
        print("\n".join(lines))
    elif cmd == "cpuinfo":
        print(cpuinfo(H.load()["cpuVendor"]), end="")
    elif cmd == "release":
        print(H.load()["kernel"]["release"])
    elif cmd == "show":
        json.dump(H.load(), sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
