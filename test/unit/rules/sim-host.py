#!/usr/bin/python3
"""One host of a named scenario as the simulator shows it: its hw part normalized by the simulator's own hwstate, the
text its fake `mstconfig -d PF -e query` prints (test/simhost/hw/bin/mstconfig), the links its hw layer creates
(host_effects: the PF netdev, made up, while the port runs Ethernet; representors in switchdev), and its services
layer's state (vfsim_state: units, the firewall's runtime zone as its `firewall-cmd --list-all` prints it).
Usage: sim-host.py SCENARIO ROLE"""
import contextlib
import importlib.machinery
import importlib.util
import io
import ipaddress
import json
import os
import sys
import types

sys.dont_write_bytecode = True
root = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "..")
simhost = os.path.join(root, "test", "simhost")
hw_dir = os.path.join(simhost, "hw")
sys.path[:0] = [os.path.join(hw_dir, "lib"), os.path.join(simhost, "services", "lib"), os.path.join(simhost, "lib")]
import hwstate as H  # noqa: E402
import vfsim_state  # noqa: E402
from scenario import hw_layer, merged  # noqa: E402

# firewall-cmd's text is made without a bus here: its module imports dbus-python and the bus client, which zone_info
# does not use
sys.modules.setdefault("dbus", types.ModuleType("dbus"))
sys.modules.setdefault("vfsim_client", types.SimpleNamespace(message=None, unwrap=None))
from vfsim_firewallcmd import zone_info  # noqa: E402

loader = importlib.machinery.SourceFileLoader("fake_mstconfig", os.path.join(hw_dir, "bin", "mstconfig"))
spec = importlib.util.spec_from_loader("fake_mstconfig", loader)
mst = importlib.util.module_from_spec(spec)
loader.exec_module(mst)

name, role = sys.argv[1], sys.argv[2]
path = os.path.join(simhost, "scenarios", name + ".json")
scenario = json.load(open(path))
host = scenario["hosts"][role]
peer = next(scenario["hosts"][p] for p in scenario["hosts"] if p != role)
st = H.normalize(merged(hw_layer(path, name).get(role, {}), host.get("hw", {})))
links = H.wanted_netdevs(st)
nics = []
for nic in st["nics"]:
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        mst.query(nic, nic["pf"], True, [])
    switchdev = nic["eswitch"] == "switchdev"
    nics.append({
        "pf": nic["pf"], "netdev": nic["netdev"], "eswitch": nic["eswitch"], "totalVfs": H.sriov_total(nic),
        # the hw layer creates the PF's netdev up (host_effects.reconcile_netdevs); an InfiniBand port has none
        "linkUp": True if links.get(nic["netdev"]) == "pf" else None,
        "vfs": [{"driver": vf["driver"] or "none", "migratable": vf["migratable"],
                 "representor": H.rep_netdev(nic, n) if switchdev else None} for n, vf in enumerate(nic["vfs"])],
        "mstconfigE": text.getvalue(),
        "linkType": "eth" if H.is_eth(nic) else "ib",
    })

peer_address = str(ipaddress.ip_interface(peer["address"]).ip)
services = vfsim_state.from_scenario(host.get("services"), peer_address)
fw = services["firewall"]
zone = fw["runtime"][fw["default_zone"]]
settings = dict(zone, ports=[tuple(p.split("/")) for p in zone["ports"]], protocols=[],
                icmp_block_inversion=False, forward=True, masquerade=False)
print(json.dumps({
    "cpuVendor": st["cpuVendor"], "cmdline": st["kernel"]["cmdline"], "bootArgs": st["kernel"]["bootArgs"],
    "iommuActive": H.iommu_active(st), "iommuInFirmware": st["iommu"]["inFirmware"], "nics": nics, "ovs": host.get("ovs", {}),
    "ovsRunning": services["units"].get("openvswitch.service", {}).get("state") == "active",
    "firewall": {"running": fw["running"], "listAll": zone_info(fw["default_zone"], settings) + "\n",
                 "richRules": zone["rich_rules"]},
    # the destination's SSH session comes from the source (SSH_CONNECTION's client); the source is not reached over SSH
    "sshPeer": peer_address if role == "destination" else None,
}))
