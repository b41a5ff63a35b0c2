#!/usr/bin/python3
"""One host of a named scenario as the simulator shows it: its hw part normalized by the simulator's own hwstate, and
the text its fake `mstconfig -d PF -e query` prints (test/simhost/hw/bin/mstconfig). Usage: sim-host.py SCENARIO ROLE"""
import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import sys

sys.dont_write_bytecode = True
root = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "..")
hw_dir = os.path.join(root, "test", "simhost", "hw")
sys.path.insert(0, os.path.join(hw_dir, "lib"))
import hwstate as H  # noqa: E402

loader = importlib.machinery.SourceFileLoader("fake_mstconfig", os.path.join(hw_dir, "bin", "mstconfig"))
spec = importlib.util.spec_from_loader("fake_mstconfig", loader)
mst = importlib.util.module_from_spec(spec)
loader.exec_module(mst)

name, role = sys.argv[1], sys.argv[2]
scenario = json.load(open(os.path.join(root, "test", "simhost", "scenarios", name + ".json")))
hw_file = os.path.join(root, "test", "simhost", "scenarios", "hw", name + ".json")
hw = scenario["hosts"][role].get("hw") or json.load(open(hw_file))[role]
st = H.normalize(hw)
nics = []
for nic in st["nics"]:
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        mst.query(nic, nic["pf"], True, [])
    nics.append({
        "pf": nic["pf"], "netdev": nic["netdev"], "eswitch": nic["eswitch"], "totalVfs": H.sriov_total(nic),
        "vfs": [{"driver": vf["driver"] or "none", "migratable": vf["migratable"]} for vf in nic["vfs"]],
        "mstconfigE": text.getvalue(),
    })
print(json.dumps({
    "cpuVendor": st["cpuVendor"], "cmdline": st["kernel"]["cmdline"], "bootArgs": st["kernel"]["bootArgs"],
    "iommuActive": H.iommu_active(st), "nics": nics, "ovs": scenario["hosts"][role].get("ovs", {}),
}))
