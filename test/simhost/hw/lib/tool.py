"""Shared bits of the fake tools: locating the library, printing, exiting like the real tools."""
import os
import json
import sys

import hwstate as H


def out(text=""):
    sys.stdout.write(text + "\n")


def err(text):
    sys.stderr.write(text + "\n")


def die(text, code=1):
    sys.stdout.flush()
    err(text)
    sys.exit(code)


def dump_json(obj, pretty):
    if pretty:
        out(json.dumps(obj, indent=4))
    else:
        out(json.dumps(obj, separators=(",", ":")))


def norm_addr(dev):
    """'e1:00.0', '0000:e1:00.0' or 'pci/0000:e1:00.0' -> '0000:e1:00.0' (lower case)."""
    dev = dev.lower()
    if dev.startswith("pci/"):
        dev = dev[4:]
    if dev.count(":") == 1:
        dev = "0000:" + dev
    return dev


def find_device(st, dev):
    return H.all_devices(st).get(norm_addr(dev))


def netdev_owner(st, ifname):
    """(nic, kind, vfnum) of one of our netdevs that currently exists in the state, else None."""
    for nic in st["nics"]:
        if H.wanted_netdevs(st).get(ifname) is None:
            continue
        if ifname == nic["netdev"]:
            return nic, "pf", None
        for n in range(len(nic["vfs"])):
            if ifname == H.rep_netdev(nic, n):
                return nic, "rep", n
            if ifname == H.vf_netdev(nic, n):
                return nic, "vf", n
    return None


def read_answer(prompt):
    """Prompts like the Mellanox tools: the prompt on stdout, an answer from stdin (none -> no)."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    return line.strip().lower() in ("y", "yes")


def need_root(dev_text):
    """The mst tools open the device's PCI config space and crspace: without root the open fails."""
    if os.geteuid() != 0:
        die(f"-E- Cannot open Device: {dev_text}. Permission denied", 1)
