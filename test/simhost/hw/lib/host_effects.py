"""What the hardware state changes outside hw.json: interfaces in the namespace, the switchdev traffic cut, and
/dev/vfio nodes. Called by hwstate.mutate() with the lock held."""
import os
import subprocess
import sys

import hwstate as H


# ---------- network interfaces in the namespace ----------

def _ip(*args, check=True):
    return subprocess.run(["ip"] + list(args), check=check, capture_output=True, text=True)


def existing_links():
    out = _ip("-o", "link", "show").stdout
    return {line.split(": ")[1].split("@")[0] for line in out.splitlines() if ": " in line}


def reconcile_netdevs(st):
    if os.environ.get("VFSIM_NO_NETDEVS"):
        return
    have = existing_links()
    want = H.wanted_netdevs(st)
    created = set(st.get("_created", []))
    cmds = []
    for name in sorted(created - set(want)):
        if name in have:
            cmds.append("link del dev %s" % name)
        created.discard(name)
    for name, kind in sorted(want.items()):
        if name in have:
            continue
        if kind == "pf":
            # the pair may already have made it (management interface); else a veth whose peer stays here
            peer = "vfsim%d" % (len(created) + 100)
            cmds.append("link add dev %s type veth peer name %s" % (name, peer))
            cmds.append("link set dev %s up" % peer)
            cmds.append("link set dev %s up" % name)
        else:
            cmds.append("tuntap add dev %s mode tap" % name)
        created.add(name)
    if cmds:
        subprocess.run(["ip", "-force", "-batch", "-"], input="\n".join(cmds) + "\n",
                       capture_output=True, text=True)
    st["_created"] = sorted(created)
    reconcile_cut(st)


def reconcile_cut(st):
    """In switchdev the uplink forwards nothing to the host stack until OVS does (PROCEDURE.md step 1): a
    session over the PF netdev is cut. Simulated with DROP rules for the PF netdev in chain VFSIM-ESWITCH."""
    want = sorted(n["netdev"] for n in st["nics"]
                  if n["eswitch"] == "switchdev" and n["switchdevCutsHostTraffic"] and H.is_eth(n))
    if want == st.get("_cut", []):
        return
    def ipt(*args):
        return subprocess.run(["iptables", "-w"] + list(args), capture_output=True, text=True)
    ipt("-N", "VFSIM-ESWITCH")
    for chain in ("INPUT", "OUTPUT"):
        if ipt("-C", chain, "-j", "VFSIM-ESWITCH").returncode != 0:
            ipt("-I", chain, "-j", "VFSIM-ESWITCH")
    ipt("-F", "VFSIM-ESWITCH")
    for name in want:
        ipt("-A", "VFSIM-ESWITCH", "-i", name, "-j", "DROP")
        ipt("-A", "VFSIM-ESWITCH", "-o", name, "-j", "DROP")
    st["_cut"] = want


def reconcile_devnodes(st):
    """/dev/vfio/vfio always; /dev/vfio/<group> while a VF is bound to a VFIO driver (libvirt checks both)."""
    d = os.path.join(H.DEV_DIR, "vfio")
    try:
        os.makedirs(d, exist_ok=True)
        want = {"vfio"}
        if not os.path.exists(os.path.join(d, "vfio")):
            os.mknod(os.path.join(d, "vfio"), 0o666 | 0o020000, os.makedev(10, 196))
        for nic in st["nics"]:
            for n, vf in enumerate(nic["vfs"]):
                if vf["driver"] in H.VFIO_DRIVERS:
                    g = str(H.vf_iommu_group(nic, n))
                    want.add(g)
                    if not os.path.exists(os.path.join(d, g)):
                        os.mknod(os.path.join(d, g), 0o600 | 0o020000, os.makedev(241, int(g)))
        for name in os.listdir(d):
            if name not in want:
                os.unlink(os.path.join(d, name))
    except OSError as e:
        sys.stderr.write("vfsim: /dev/vfio: %s\n" % e)
