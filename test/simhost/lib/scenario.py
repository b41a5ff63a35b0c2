#!/usr/bin/python3
"""Reads a pair scenario (test/simhost/scenarios/*.json).

  scenario.py split FILE RUNDIR   write RUNDIR/<host>/scenario.json: the host's part, plus its name and its peer
  scenario.py shell HOSTFILE      print the pair-level fields of one host's scenario.json as shell assignments
Checks the pair-level fields only; the "hw" and "services" keys belong to those layers. A host's "hw" is
scenarios/hw/<name>.json's part for that host, deep-merged under what the pair scenario itself says.
"""
import ipaddress
import json
import os
import shlex
import sys

HOSTS = ("source", "destination")
DOC_NET = ipaddress.ip_network("192.0.2.0/24")


def fail(msg):
    sys.exit(f"scenario: {msg}")


def check_host(name, h):
    for key in ("hostname", "address", "mgmt"):
        if key not in h:
            fail(f"hosts.{name}.{key} is missing")
    addr = ipaddress.ip_interface(h["address"])
    if addr not in DOC_NET and addr.ip not in DOC_NET:
        fail(f"hosts.{name}.address must be in {DOC_NET}")
    for r in h.get("routes", []):
        if r.get("via") and ipaddress.ip_address(r["via"]) not in DOC_NET:
            fail(f"hosts.{name}.routes: gateway {r['via']} is not in {DOC_NET}")
        if r["to"] != "default" and not ipaddress.ip_network(r["to"]).subnet_of(DOC_NET):
            fail(f"hosts.{name}.routes: {r['to']} is not inside {DOC_NET}")
    if not h["mgmt"].get("interface"):
        fail(f"hosts.{name}.mgmt.interface is missing")


def merged(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        return {k: merged(base.get(k), over[k]) if k in base else over[k] for k in over} | \
            {k: v for k, v in base.items() if k not in over}
    return over


def hw_layer(path, name):
    p = os.path.join(os.path.dirname(os.path.abspath(path)), "hw", f"{name}.json")
    if not os.path.exists(p):
        return {}
    with open(p) as f:
        return json.load(f)


def split(path, rundir):
    with open(path) as f:
        sc = json.load(f)
    hw = hw_layer(path, sc.get("name", os.path.basename(path).removesuffix(".json")))
    hosts = sc.get("hosts", {})
    for name in HOSTS:
        if name not in hosts:
            fail(f"hosts.{name} is missing")
        check_host(name, hosts[name])
    for name in HOSTS:
        part = dict(hosts[name])
        if name in hw:
            part["hw"] = merged(hw[name], part.get("hw", {}))
        part["host"] = name
        part["scenario"] = sc.get("name", os.path.basename(path).removesuffix(".json"))
        part["peers"] = {p: {"hostname": hosts[p]["hostname"],
                             "address": str(ipaddress.ip_interface(hosts[p]["address"]).ip)}
                         for p in HOSTS if p != name}
        os.makedirs(os.path.join(rundir, name), exist_ok=True)
        tmp = os.path.join(rundir, name, "scenario.json.tmp")
        with open(tmp, "w") as f:
            json.dump(part, f, indent=2)
        os.replace(tmp, os.path.join(rundir, name, "scenario.json"))


def shell(path):
    with open(path) as f:
        h = json.load(f)
    iface = ipaddress.ip_interface(h["address"])
    out = {
        "SC_NAME": h["scenario"],
        "SC_HOSTNAME": h["hostname"],
        "SC_ADDR": str(iface.ip),
        "SC_CIDR": str(iface),
        "SC_MGMT_IF": h["mgmt"]["interface"],
        "SC_MGMT_OVER_PF": "1" if h["mgmt"].get("overPf") else "",
        "SC_SSH_KNOWS_PEER": "1" if h.get("sshKnowsPeer") else "",
        "SC_UNREACHABLE": "1" if h.get("unreachable") else "",
        # one "TO [via GW]" per line
        "SC_ROUTES": "\n".join(r["to"] + (f" via {r['via']}" if r.get("via") else "") for r in h.get("routes", [])),
        # one "NAME MEMORY_MIB DIRTY_MBPS [VF_ADDRESS]" per line
        "SC_GUESTS": "\n".join(f"{g['name']} {g.get('memoryMiB', 192)} {g.get('dirtyMBps', 4)} {g.get('vfAddress', '')}".rstrip()
                               for g in h.get("guests", [])),
        # /etc/hosts lines for this host and its peers
        "SC_ETC_HOSTS": "\n".join(f"{a}\t{n} {n.split('.')[0]}" for a, n in
                                  [(str(iface.ip), h["hostname"])] +
                                  [(p["address"], p["hostname"]) for p in h["peers"].values()]),
    }
    for k, v in out.items():
        print(f"{k}={shlex.quote(v)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "shell":
        shell(sys.argv[2])
    else:
        sys.exit(__doc__)
