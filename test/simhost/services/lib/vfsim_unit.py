"""org.freedesktop.systemd1 unit and job objects: the Unit interface and its type's (Service, Socket, Timer, Target,
Path), with the properties Cockpit's Services page and systemctl read (see ../README.md, "What Cockpit asks")."""
import dbus
import dbus.service

import vfsim_state
from vfsim_catalog import SOCKET_LISTEN, WANTED_BY, unit_view
from vfsim_dbus import PropObject

PATH = "/org/freedesktop/systemd1"
SD = "org.freedesktop.systemd1"
UNIT = SD + ".Unit"
JOB = SD + ".Job"
# "[not set]": what systemd reports for a counter it has no figure for (no accounting, unit not running)
UINT64_MAX = 2**64 - 1

# Unit dependency lists the stand-in has no data for: systemd gives an empty array for a unit without such deps
EMPTY_DEPS = ("Requires", "Requisite", "Wants", "BindsTo", "PartOf", "Upholds", "RequiredBy", "RequisiteOf",
              "BoundBy", "UpheldBy", "ConsistsOf", "Conflicts", "ConflictedBy", "Before", "After", "OnSuccess",
              "OnSuccessOf", "OnFailure", "OnFailureOf", "PropagatesReloadTo", "ReloadPropagatedFrom",
              "PropagatesStopTo", "StopPropagatedFrom", "JoinsNamespaceOf", "Documentation", "DropInPaths")


def unit_path(name):
    return PATH + "/unit/" + "".join(c if c.isalnum() and c.isascii() else f"_{ord(c):02x}" for c in name)


def triggered_service(name):
    """The service a socket, timer or path unit starts (its default Service=): libvirt's virtproxyd-tls.socket and
    virtproxyd-tcp.socket start virtproxyd.service."""
    base, kind = name.rsplit(".", 1)
    if kind == "socket":
        for suffix in ("-tls", "-tcp", "-ro", "-admin"):
            if base.endswith(suffix):
                base = base[:-len(suffix)]
    return base + ".service"


def triggers(name, units):
    """(Triggers, TriggeredBy) of a unit among the units the host knows."""
    kind = name.rsplit(".", 1)[-1]
    if kind in ("socket", "timer", "path"):
        return [triggered_service(name)], []
    if kind == "service":
        return [], sorted(n for n in units if n.rsplit(".", 1)[-1] in ("socket", "timer", "path")
                          and triggered_service(n) == name)
    return [], []


class Unit(PropObject):
    def __init__(self, conn, manager, name):
        super().__init__(conn, unit_path(name))
        self.manager, self.name = manager, name

    def props(self):
        state = vfsim_state.load()
        u = state["units"].get(self.name)
        v = unit_view(self.name, u)
        kind = self.name.rsplit(".", 1)[-1]
        stamps = (u or {}).get("stamps", {})
        job = self.manager.jobs_by_unit.get(self.name)
        trig, trig_by = triggers(self.name, state["units"])
        error = ("org.freedesktop.systemd1.NoSuchUnit", f"Unit {self.name} not found.") if u is None else ("", "")
        unit = {
            "Id": ("s", self.name), "Names": ("as", [self.name]), "Following": ("s", ""),
            "Description": ("s", v["Description"]), "LoadState": ("s", v["LoadState"]),
            "ActiveState": ("s", v["ActiveState"]), "SubState": ("s", v["SubState"]),
            "UnitFileState": ("s", v["UnitFileState"]), "UnitFilePreset": ("s", "disabled" if u else ""),
            "FragmentPath": ("s", v["FragmentPath"]), "SourcePath": ("s", ""),
            "CanStart": ("b", u is not None), "CanStop": ("b", u is not None), "CanReload": ("b", False),
            "CanIsolate": ("b", kind == "target"), "NeedDaemonReload": ("b", False), "Transient": ("b", False),
            "ActiveEnterTimestamp": ("t", stamps.get("active", 0)),
            "ActiveExitTimestamp": ("t", stamps.get("active_exit", 0)),
            "InactiveEnterTimestamp": ("t", stamps.get("inactive", 0)),
            "InactiveExitTimestamp": ("t", stamps.get("inactive_exit", 0)),
            "StateChangeTimestamp": ("t", stamps.get("change", 0)),
            "WantedBy": ("as", [WANTED_BY.get(kind, "multi-user.target")] if u else []),
            "Triggers": ("as", trig), "TriggeredBy": ("as", trig_by),
            "Conditions": ("a(sbbsi)", []), "Asserts": ("a(sbbsi)", []),
            "ConditionResult": ("b", u is not None), "AssertResult": ("b", u is not None),
            "LoadError": ("(ss)", error),
            "Job": ("(uo)", (job.id, job.path) if job else (0, "/")),
        }
        unit.update({dep: ("as", []) for dep in EMPTY_DEPS})
        props = {UNIT: unit}
        # systemd gives every unit its type's interface, loaded or not
        failed = v["ActiveState"] == "failed"
        if kind == "service":
            pid = vfsim_state.main_pid(state, self.name) if v["ActiveState"] == "active" else 0
            props[SD + ".Service"] = {
                "Type": ("s", "notify"), "Restart": ("s", "no"), "Result": ("s", "exit-code" if failed else "success"),
                "MainPID": ("u", pid), "ExecMainPID": ("u", pid), "ControlPID": ("u", 0),
                "ExecMainCode": ("i", 1 if failed else 0), "ExecMainStatus": ("i", 1 if failed else 0),
                "StatusText": ("s", ""), "NRestarts": ("u", 0), "MemoryCurrent": ("t", UINT64_MAX)}
        elif kind == "socket":
            props[SD + ".Socket"] = {
                "Listen": ("a(ss)", SOCKET_LISTEN.get(self.name, [])), "Accept": ("b", False),
                "NAccepted": ("u", 0), "NConnections": ("u", 0), "MemoryCurrent": ("t", UINT64_MAX),
                "Result": ("s", "resources" if failed else "success")}
        elif kind == "timer":
            # the stand-in schedules nothing: an unarmed timer, never triggered (Cockpit shows "unknown")
            props[SD + ".Timer"] = {
                "Unit": ("s", triggered_service(self.name)), "TimersMonotonic": ("a(stt)", []),
                "TimersCalendar": ("a(sst)", []), "NextElapseUSecRealtime": ("t", 0),
                "NextElapseUSecMonotonic": ("t", 0), "LastTriggerUSec": ("t", 0),
                "LastTriggerUSecMonotonic": ("t", 0), "Persistent": ("b", False), "WakeSystem": ("b", False),
                "RemainAfterElapse": ("b", True), "AccuracyUSec": ("t", 60_000_000),
                "RandomizedDelayUSec": ("t", 0), "Result": ("s", "success")}
        elif kind == "path":
            props[SD + ".Path"] = {"Unit": ("s", triggered_service(self.name)), "Paths": ("a(ss)", []),
                                   "MakeDirectory": ("b", False), "DirectoryMode": ("u", 0o755),
                                   "Result": ("s", "success")}
        elif kind == "target":
            props[SD + ".Target"] = {}
        return props

    @dbus.service.method(UNIT, in_signature="s", out_signature="o")
    def Start(self, mode):
        return self.manager.StartUnit(self.name, mode)

    @dbus.service.method(UNIT, in_signature="s", out_signature="o")
    def Stop(self, mode):
        return self.manager.StopUnit(self.name, mode)

    @dbus.service.method(UNIT, in_signature="s", out_signature="o")
    def Restart(self, mode):
        return self.manager.RestartUnit(self.name, mode)

    @dbus.service.method(UNIT, in_signature="", out_signature="")
    def ResetFailed(self):
        self.manager.ResetFailedUnit(self.name)


class Job(PropObject):
    def __init__(self, conn, job_id, unit, job_type):
        self.id, self.unit, self.type = job_id, unit, job_type
        self.path = f"{PATH}/job/{job_id}"
        super().__init__(conn, self.path)

    def props(self):
        return {JOB: {"Id": ("u", self.id), "Unit": ("(so)", (self.unit, unit_path(self.unit))),
                      "JobType": ("s", self.type), "State": ("s", "running")}}
