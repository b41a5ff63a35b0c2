"""The host's service state: one JSON file, $VFSIM_HOST_DIR/services.json, read and written under a lock.

Every stand-in (the D-Bus daemon and the commands) reads this file; writers take the lock, read, change, write
(atomic rename). The file is initialised from scenario.json's "services" key (see ../README.md).
"""
import contextlib
import copy
import fcntl
import json
import os
import time
import uuid

from vfsim_catalog import DEFAULT_HOOKS, DEFAULT_SERVICES, parse_nevra


def host_dir():
    return os.environ.get("VFSIM_HOST_DIR", "/run/vfsim-host")


def path(name):
    return os.path.join(host_dir(), name)


def _read_json(p, default):
    try:
        with open(p) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def _write_json(p, data):
    tmp = p + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, p)


@contextlib.contextmanager
def _lock():
    os.makedirs(host_dir(), exist_ok=True)
    with open(path("services.lock"), "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        yield


def _unit_from_scenario(name, spec):
    if isinstance(spec, str):  # shorthand "active enabled"
        words = spec.split()
        spec = {"state": words[0], "enabled": words[1] if len(words) > 1 else "disabled"}
    return {
        "state": spec.get("state", "inactive"),
        "enabled": spec.get("enabled", "disabled"),
        "boot_state": spec.get("state", "inactive"),
        "fail_start": bool(spec.get("fail_start", False)),
        "description": spec.get("description"),
        "stamps": _stamps(spec.get("state", "inactive")),
    }


def _stamps(state):
    now = int(time.time() * 1e6)
    return {"change": now, state: now} if state in ("active", "inactive") else {"change": now}


def _package(p, default_repo):
    if isinstance(p, str):
        p = parse_nevra(p)
    p = dict(p)
    p.setdefault("arch", "x86_64")
    p.setdefault("repo", default_repo)
    p.setdefault("summary", None)
    return p


def _zone_copy(zones):
    return {name: {"target": z.get("target", "default"), "interfaces": list(z.get("interfaces", [])),
                   "sources": list(z.get("sources", [])), "services": list(z.get("services", [])),
                   "ports": list(z.get("ports", [])), "rich_rules": list(z.get("rich_rules", [])),
                   "description": z.get("description")}
            for name, z in zones.items()}


def _with_peer(zones, peer):
    """"@PEER@" in a zone's rich rules is the other host's address (scenario.json "peers")."""
    for z in zones.values():
        z["rich_rules"] = [r.replace("@PEER@", peer or "@PEER@") for r in z.get("rich_rules", [])]
    return zones


def from_scenario(services, peer=None, mgmt_interface=None):
    """The state a host boots with, from scenario.json's "services" value (None = a ready host's defaults)."""
    import vfsim_nm  # noqa: PLC0415 - it reads this module's state
    s = copy.deepcopy(DEFAULT_SERVICES)
    for key, value in (services or {}).items():
        if key in ("units", "packages"):  # a scenario lists only the units and package keys that differ
            s[key] = dict(s[key], **value)
        else:
            s[key] = value
    fw = s["firewall"]
    permanent = _with_peer(_zone_copy(fw.get("zones", {})), peer)
    runtime = _with_peer(_zone_copy(fw["runtime_zones"]), peer) if "runtime_zones" in fw else copy.deepcopy(permanent)
    hooks = copy.deepcopy(DEFAULT_HOOKS)
    hooks.update(_read_json(path("services-hooks.json"), {}))
    hooks.update(s.get("hooks", {}))
    return {
        "units": {name: _unit_from_scenario(name, spec) for name, spec in s["units"].items()},
        "firewall": {"running": fw.get("running", True), "default_zone": fw.get("default_zone", "public"),
                     "permanent": permanent, "runtime": runtime},
        "packages": {
            "installed": [_package(p, "rhel-9-for-x86_64-baseos-rpms") for p in s["packages"]["installed"]],
            "available": [_package(p, "rhel-9-for-x86_64-appstream-rpms") for p in s["packages"]["available"]],
            "install_seconds": float(s["packages"].get("install_seconds", 4)),
            "fail_install": list(s["packages"].get("fail_install", [])),
        },
        "hooks": hooks,
        "networkManager": vfsim_nm.from_scenario(s.get("networkManager"), mgmt_interface),
        "boot_id": uuid.uuid4().hex,
        "hostname": s.get("hostname"),
    }


def _from_scenario_file():
    scenario = _read_json(path("scenario.json"), {})
    peer = next(iter(scenario.get("peers", {}).values()), {}).get("address")
    state = from_scenario(scenario.get("services"), peer, scenario.get("mgmt", {}).get("interface"))
    state["hostname"] = state["hostname"] or scenario.get("hostname")
    return state


def reboot(state):
    """What a reboot does: units go back to their boot state (enabled ones come up), runtime firewall = permanent."""
    for u in state["units"].values():
        if u["enabled"] in ("enabled", "enabled-runtime"):
            u["state"] = "active"
        elif u["enabled"] in ("disabled", "masked"):
            u["state"] = "inactive"
        else:
            u["state"] = u["boot_state"]
        u["stamps"] = _stamps(u["state"])
        if u["enabled"] == "enabled-runtime":
            u["enabled"] = "disabled"
    fw = state["firewall"]
    fw["runtime"] = copy.deepcopy(fw["permanent"])
    fw["running"] = state["units"].get("firewalld.service", {}).get("state", "active") == "active"
    state["boot_id"] = uuid.uuid4().hex
    return state


def load():
    with _lock():
        state = _read_json(path("services.json"), None)
        if state is None:
            state = _from_scenario_file()
            _write_json(path("services.json"), state)
        return state


@contextlib.contextmanager
def change():
    """with change() as state: ... — read-modify-write under the lock."""
    with _lock():
        state = _read_json(path("services.json"), None)
        if state is None:
            state = _from_scenario_file()
        yield state
        _write_json(path("services.json"), state)


def init_from_scenario():
    with _lock():
        state = _from_scenario_file()
        old = _read_json(path("services.json"), None)
        if old and "boot_id" in old:
            state["boot_id"] = old["boot_id"]  # a scenario load is not a reboot
        _write_json(path("services.json"), state)


def main_pid(state, unit):
    """The pid in the unit's hook pid_file if that process lives (the pair's daemon), else 0."""
    pid_file = state.get("hooks", {}).get(unit, {}).get("pid_file")
    try:
        with open(pid_file) as f:
            pid = int(f.read().split()[0])
        os.kill(pid, 0)
        return pid
    except (TypeError, OSError, ValueError, IndexError):
        return 0


def nevra(p):
    return f"{p['name']}-{p['version']}-{p['release']}.{p['arch']}"
