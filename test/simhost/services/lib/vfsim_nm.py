"""NetworkManager's connection profiles on a simulated host: `nmcli` for what the page and its script read and
change, and what NetworkManager does with a profile's SR-IOV setting at boot.

No capture of nmcli exists in shared/formats: the forms follow NetworkManager 1.48.10's source (README.md,
"NetworkManager"). State: services.json's "networkManager" (vfsim_state), from the scenario's
`services.networkManager.connections`.
"""
import os
import json
import re
import subprocess
import sys
import uuid as uuidlib

import vfsim_state

NM_DIR_ETC = "/etc/NetworkManager/system-connections"
NM_DIR_RUN = "/run/NetworkManager/system-connections"
# src/nmcli/nmcli.h
NOT_FOUND, USER_INPUT, NM_NOT_RUNNING = 10, 2, 8
# nm-setting-sriov.h: NMSriovEswitchMode (since 1.46)
ESWITCH_MODES = {"preserve": -1, "legacy": 0, "switchdev": 1}
SRIOV_PROPS_1_44 = ["total-vfs", "vfs", "autoprobe-drivers"]
SRIOV_PROPS = SRIOV_PROPS_1_44 + ["eswitch-mode", "eswitch-inline-mode", "eswitch-encap-mode"]


def file_name(cid):
    """nm_keyfile_utils_create_filename: the id, "/" made "_", a leading "." and a trailing "~" too, + .nmconnection"""
    name = cid.replace("/", "_")
    name = re.sub(r"^\.", "_", name)
    name = re.sub(r"~$", "_", name)
    return name + ".nmconnection"


def _profile(cid, interface, where, external=False, settings=None):
    # one UUID per host and profile name, the same at every load of a scenario (tests compare hosts across loads)
    uuid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"vfsim-nm:{os.uname().nodename}:{where}:{cid}"))
    return {"id": cid, "uuid": uuid, "type": "802-3-ethernet", "interface": interface,
            "filename": f"{where}/{file_name(cid)}", "external": external, "settings": dict(settings or {})}


def from_scenario(nm, mgmt_interface):
    """The profiles a host boots with (`storage`: "disk", the default, or "memory"). Default: the management
    interface's profile, saved."""
    spec = (nm or {}).get("connections")
    if spec is None:
        spec = [{"id": mgmt_interface, "interface": mgmt_interface}] if mgmt_interface else []
    return {"connections": [_profile(c.get("id", c["interface"]), c["interface"],
                                     NM_DIR_RUN if c.get("storage") == "memory" else NM_DIR_ETC, settings=c.get("settings"))
                            for c in spec]}


def _addressed_devices():
    """Interfaces with a global IPv4 or IPv6 address (ip -j addr)."""
    r = subprocess.run(["ip", "-j", "addr", "show"], capture_output=True, text=True, check=False)
    try:
        links = json.loads(r.stdout or "[]")
    except ValueError:
        return set()
    return {link["ifname"] for link in links
            if link.get("ifname") != "lo" and any(a.get("scope") == "global" for a in link.get("addr_info", []))}


def generate_external(nm):
    """get_existing_connection (nm-manager.c): a device that has an address but no profile of NetworkManager's gets
    one made up, named after the interface, in memory, marked external; it goes once the device has no address
    (_delete_volatile_connection_do). Devices with neither are left alone."""
    addressed = _addressed_devices()
    conns = [c for c in nm["connections"] if not c["external"] or c["interface"] in addressed]
    for dev in sorted(addressed):
        if not any(c["interface"] == dev for c in conns):
            conns.append(_profile(dev, dev, NM_DIR_RUN, external=True))
    nm["connections"] = conns


def nm_version(state):
    p = next((p for p in state["packages"]["installed"] if p["name"] == "NetworkManager"), None)
    return p and (p["version"], p["release"])


def _vtuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v))


def _exists(dev):
    return os.path.exists(f"/sys/class/net/{dev}")


def active_on(conns, dev):
    """The profile active on a device: the first one for its interface (the device exists)."""
    if not _exists(dev):
        return None
    return next((c for c in conns if c["interface"] == dev), None)


def terse(values):
    """_print_do in terse mode: ':' and '\\' escaped, values joined by ':' (an absent value is empty)."""
    return ":".join(re.sub(r"([:\\])", r"\\\1", v or "") for v in values)


def _err(msg, code):
    sys.stderr.write(f"Error: {msg}\n")
    return code


def _find(conns, words):
    """[id|uuid|path] NAME → the profile, or None."""
    kind, name = ("any", words[0]) if words[0] not in ("id", "uuid", "path") else (words[0], words[1])
    for c in conns:
        if (kind in ("any", "uuid") and c["uuid"] == name) or (kind in ("any", "id") and c["id"] == name):
            return c
    return None


def _list_fields(c, conns, fields):
    active = active_on(conns, c["interface"]) is c
    values = {"NAME": c["id"], "UUID": c["uuid"], "TYPE": c["type"], "FILENAME": c["filename"],
              "DEVICE": c["interface"] if active else "", "ACTIVE": "yes" if active else "no"}
    return [values[f] for f in fields]


SRIOV_DEFAULTS = {"sriov.total-vfs": 0, "sriov.eswitch-mode": -1, "sriov.eswitch-inline-mode": -1,
                  "sriov.eswitch-encap-mode": -1, "sriov.autoprobe-drivers": -1, "sriov.vfs": ""}


def _setting_lines(c, fields):
    """Properties with -g, one line each: numbers, enums as their number (_get_fcn_gobject_enum's parsable form); a
    setting the profile does not have prints nothing at all (nmc_connection_profile_details)."""
    if not any(k.startswith("sriov.") for k in c["settings"]):
        return []
    return [str(c["settings"].get(f, SRIOV_DEFAULTS.get(f, ""))) for f in fields]


def _modify(state, c, words, version):
    new = dict(c["settings"])
    i = 0
    props = SRIOV_PROPS if version >= (1, 46) else SRIOV_PROPS_1_44
    while i < len(words):
        w = words[i]
        if w == "remove":
            if i + 1 >= len(words):
                return _err("missing setting.", USER_INPUT)
            setting = words[i + 1]
            if setting != "sriov":
                sys.stderr.write(f"vfsim nmcli: not simulated: remove {setting}\n")
                return USER_INPUT
            new = {k: v for k, v in new.items() if not k.startswith("sriov.")}
            i += 2
            continue
        if i + 1 >= len(words):
            return _err(f"value for '{w}' is missing.", USER_INPUT)
        setting, _, prop = w.lstrip("+-").partition(".")
        if setting != "sriov":
            sys.stderr.write(f"vfsim nmcli: not simulated: {w}\n")
            return USER_INPUT
        key = f"sriov.{prop}"
        if prop not in props:
            return _err(f"invalid property '{prop}': '{prop}' not among [{', '.join(props)}].", USER_INPUT)
        value = words[i + 1]
        if prop == "total-vfs":
            if not value.isdigit():
                return _err(f"failed to modify sriov.total-vfs: '{value}' is not a valid number (or out of range).", USER_INPUT)
            new[key] = int(value)
        elif prop.startswith("eswitch-"):
            mode = ESWITCH_MODES.get(value, int(value) if re.fullmatch(r"-?\d+", value) else None)
            if mode not in ESWITCH_MODES.values():
                return _err(f"failed to modify sriov.{prop}: '{value}' is not a valid value.", USER_INPUT)
            new[key] = mode
        else:
            new[key] = value
        i += 2
    c["settings"] = new
    # nm_settings_update_connection: a profile saved to disk is neither volatile nor generated any more
    if c["filename"].startswith(NM_DIR_RUN + "/"):
        c["filename"] = f"{NM_DIR_ETC}/{file_name(c['id'])}"
        c["external"] = False
    return 0


def main(argv):
    state = vfsim_state.load()
    version = nm_version(state)
    if version is None:
        sys.stderr.write("bash: nmcli: command not found\n")
        return 127
    if argv[:1] in (["--version"], ["-v"]):
        print(f"nmcli tool, version {version[0]}-{version[1]}")
        return 0
    if state["units"].get("NetworkManager.service", {}).get("state") != "active":
        return _err("NetworkManager is not running.", NM_NOT_RUNNING)
    fields = None
    if argv[:1] in (["-g"], ["--get-values"]) and len(argv) >= 2:
        fields, argv = argv[1].split(","), argv[2:]
    with vfsim_state.change() as st:
        generate_external(st.setdefault("networkManager", {"connections": []}))
        conns = st["networkManager"]["connections"]
    if argv[:2] == ["device", "show"] and len(argv) == 3 and fields:
        if any(f not in ("GENERAL.DEVICE", "GENERAL.CON-UUID", "GENERAL.CONNECTION") for f in fields) or len(fields) > 1:
            return _err(f"'{','.join(fields)}': not simulated.", USER_INPUT)
        if not _exists(argv[2]):
            return _err(f"Device '{argv[2]}' not found.", NOT_FOUND)
        c = active_on(conns, argv[2])
        known = {"GENERAL.DEVICE": argv[2], "GENERAL.CON-UUID": c and c["uuid"], "GENERAL.CONNECTION": c and c["id"]}
        print(terse([known[fields[0]]]))
        return 0
    if argv[:2] == ["connection", "show"] and fields and argv[2:] in ([], ["--active"]):
        if any(f not in ("NAME", "UUID", "TYPE", "DEVICE", "FILENAME", "ACTIVE") for f in fields):
            return _err(f"'{','.join(fields)}': not simulated.", USER_INPUT)
        # con_show_get_items_cmp: active profiles first, then by name; --active: only those
        listed = [c for c in conns if argv[2:] == [] or active_on(conns, c["interface"]) is c]
        for c in sorted(listed, key=lambda c: (active_on(conns, c["interface"]) is not c, c["id"])):
            print(terse(_list_fields(c, conns, fields)))
        return 0
    if argv[:2] == ["connection", "show"] and fields and len(argv) in (3, 4):
        c = _find(conns, argv[2:])
        if c is None:
            return _err(f"{argv[-1]} - no such connection profile.", NOT_FOUND)
        if any(not f.startswith("sriov.") for f in fields):
            return _err(f"'{','.join(fields)}': not simulated.", USER_INPUT)
        for line in _setting_lines(c, fields):
            print(line)
        return 0
    if argv[:2] == ["connection", "modify"] and len(argv) >= 3:
        named = argv[2:4] if argv[2] in ("id", "uuid", "path") else argv[2:3]
        with vfsim_state.change() as st:
            conns = st.setdefault("networkManager", {"connections": []})["connections"]
            c = _find(conns, named)
            if c is None:
                return _err(f"unknown connection '{named[-1]}'.", NOT_FOUND)
            return _modify(st, c, argv[2 + len(named):], _vtuple(version[0]))
    sys.stderr.write(f"vfsim nmcli: not simulated: {' '.join(argv)}\n")
    return 2


def _run(argv):
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def boot():
    """At boot: in-memory profiles are gone with /run (NetworkManager makes up its own again: generate_external).
    Each profile saved with an SR-IOV setting is activated on its PF, which applies it as NetworkManager 1.48's
    link_set_sriov_params_async does: the VFs to 0 if there are some and something changes, the e-switch mode
    through devlink, then the VF count."""
    with vfsim_state.change() as st:
        nm = st.setdefault("networkManager", {"connections": []})
        nm["connections"] = [c for c in nm["connections"] if c["filename"].startswith(NM_DIR_ETC + "/")]
        unit = st["units"].get("NetworkManager.service", {})
        if nm_version(st) is None or unit.get("state") != "active":
            return 0
        todo = [c for c in nm["connections"] if not c["external"] and "sriov.total-vfs" in c["settings"]
                and active_on(nm["connections"], c["interface"]) is c]
    for c in todo:
        try:
            _activate(c)
        except (OSError, ValueError) as e:
            # NetworkManager fails that profile's activation (SRIOV_CONFIGURATION_FAILED); the boot goes on
            sys.stderr.write(f"NetworkManager: {c['interface']}: SR-IOV not set up: {e}\n")
    return 0


def _activate(c):
    dev = os.path.realpath(f"/sys/class/net/{c['interface']}/device")
    pf = os.path.basename(dev)
    with open(f"{dev}/sriov_totalvfs") as f:
        total = int(f.read().strip() or 0)
    # more VFs than the device has: NetworkManager lowers the count, with a warning
    want = min(int(c["settings"]["sriov.total-vfs"]), total)
    mode = c["settings"].get("sriov.eswitch-mode", -1)
    with open(f"{dev}/sriov_numvfs") as f:
        have = int(f.read().strip() or 0)
    shown = _run(["devlink", "dev", "eswitch", "show", f"pci/{pf}"]).stdout
    change_mode = mode in (0, 1) and f"mode {'switchdev' if mode == 1 else 'legacy'}" not in shown
    if have > 0 and (change_mode or have != want):
        with open(f"{dev}/sriov_numvfs", "w") as f:
            f.write("0")
    if change_mode:
        r = _run(["devlink", "dev", "eswitch", "set", f"pci/{pf}", "mode", "switchdev" if mode == 1 else "legacy"])
        if r.returncode != 0:
            raise OSError(f"e-switch mode not set: {r.stderr.strip()}")
    if want > 0 and (have == 0 or change_mode or have != want):
        with open(f"{dev}/sriov_numvfs", "w") as f:
            f.write(str(want))
