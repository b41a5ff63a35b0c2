"""org.freedesktop.systemd1 stand-in: Manager, Unit (+Service/Socket) and Job objects over the host's state file."""
import time

import dbus
import dbus.service
from gi.repository import GLib

import vfsim_journal
import vfsim_state
from vfsim_catalog import SOCKET_LISTEN, WANTED_BY, unit_view
from vfsim_dbus import PropObject
from vfsim_jobs import JobRunner

BUS = "org.freedesktop.systemd1"
PATH = "/org/freedesktop/systemd1"
MANAGER = "org.freedesktop.systemd1.Manager"
UNIT = "org.freedesktop.systemd1.Unit"
JOB = "org.freedesktop.systemd1.Job"


def unit_path(name):
    return PATH + "/unit/" + "".join(c if c.isalnum() and c.isascii() else f"_{ord(c):02x}" for c in name)


def error(name, message):
    return dbus.exceptions.DBusException(message, name=name)


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
        props = {UNIT: {
            "Id": ("s", self.name), "Names": ("as", [self.name]), "Following": ("s", ""),
            "Description": ("s", v["Description"]), "LoadState": ("s", v["LoadState"]),
            "ActiveState": ("s", v["ActiveState"]), "SubState": ("s", v["SubState"]),
            "UnitFileState": ("s", v["UnitFileState"]), "UnitFilePreset": ("s", "disabled"),
            "FragmentPath": ("s", v["FragmentPath"]), "CanStart": ("b", u is not None),
            "CanStop": ("b", u is not None), "CanReload": ("b", False), "NeedDaemonReload": ("b", False),
            "ActiveEnterTimestamp": ("t", stamps.get("active", 0)),
            "InactiveEnterTimestamp": ("t", stamps.get("inactive", 0)),
            "StateChangeTimestamp": ("t", stamps.get("change", 0)),
            "WantedBy": ("as", [WANTED_BY.get(kind, "multi-user.target")] if u else []),
            "Job": ("(uo)", (job.id, job.path) if job else (0, "/")),
        }}
        if kind == "service":
            running = v["ActiveState"] == "active"
            props["org.freedesktop.systemd1.Service"] = {
                "Type": ("s", "notify"), "Result": ("s", "exit-code" if v["ActiveState"] == "failed" else "success"),
                "MainPID": ("u", vfsim_state.main_pid(state, self.name) if running else 0),
                "ExecMainStatus": ("i", 1 if v["ActiveState"] == "failed" else 0)}
        elif kind == "socket":
            props["org.freedesktop.systemd1.Socket"] = {
                "Listen": ("a(ss)", SOCKET_LISTEN.get(self.name, [])),
                "Result": ("s", "resources" if v["ActiveState"] == "failed" else "success")}
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


class Job(PropObject):
    def __init__(self, conn, job_id, unit, job_type):
        self.id, self.unit, self.type = job_id, unit, job_type
        self.path = f"{PATH}/job/{job_id}"
        super().__init__(conn, self.path)

    def props(self):
        return {JOB: {"Id": ("u", self.id), "Unit": ("(so)", (self.unit, unit_path(self.unit))),
                      "JobType": ("s", self.type), "State": ("s", "running")}}


class Manager(JobRunner, PropObject):
    def __init__(self, conn, on_reboot):
        super().__init__(conn, PATH)
        self.conn, self.on_reboot = conn, on_reboot
        self.units, self.jobs_by_unit, self.next_job = {}, {}, 1
        self.snapshot = {}
        for name in vfsim_state.load()["units"]:
            self.unit(name)
        self.sync()

    def unit(self, name):
        if name not in self.units:
            self.units[name] = Unit(self.conn, self, name)
        return self.units[name]

    def props(self):
        return {MANAGER: {"Version": ("s", "252-51.el9"), "Architecture": ("s", "x86-64"),
                          "Virtualization": ("s", "kvm"), "SystemState": ("s", "running"),
                          "NNames": ("u", len(self.units)), "NJobs": ("u", len(self.jobs_by_unit))}}

    def sync(self):
        """Emit PropertiesChanged for every unit whose state differs from what we last announced."""
        units = vfsim_state.load()["units"]
        for name in set(units) | set(self.units):
            view = unit_view(name, units.get(name))
            if name not in self.units:
                self.unit(name)
                self.UnitNew(name, unit_path(name))
            old = self.snapshot.get(name)
            if old is not None and old != view:
                self.units[name].emit_changed(UNIT, [k for k in ("ActiveState", "SubState", "UnitFileState",
                                                                 "LoadState", "Description") if old[k] != view[k]])
                kind = name.rsplit(".", 1)[-1]
                if kind == "service":
                    self.units[name].emit_changed("org.freedesktop.systemd1.Service", ["MainPID", "Result"])
            self.snapshot[name] = view

    def _set_state(self, name, state):
        with vfsim_state.change() as s:
            u = s["units"][name]
            u["state"] = state
            stamps = u.setdefault("stamps", {})
            now = int(time.time() * 1e6)
            stamps["change"] = now
            if state in ("active", "inactive"):
                stamps[state] = now
        self.sync()

    def _known(self, name):
        u = vfsim_state.load()["units"].get(name)
        if u is None:
            raise error("org.freedesktop.systemd1.NoSuchUnit", f"Unit {name} not found.")
        if u["enabled"] == "masked":
            raise error("org.freedesktop.systemd1.UnitMasked", f"Unit {name} is masked.")
        return u

    def _job(self, name, job_type):
        if name in self.jobs_by_unit:  # real systemd merges or replaces; we let the running job finish first
            return self.jobs_by_unit[name].path
        job = Job(self.conn, self.next_job, name, job_type)
        self.next_job += 1
        self.jobs_by_unit[name] = job
        self.JobNew(job.id, job.path, name)
        # the job runs after the reply: Cockpit registers the job path from the reply, then waits for JobRemoved
        GLib.timeout_add(30, self._run_job, job)
        return job.path

    # --- D-Bus API ---

    @dbus.service.method(MANAGER, in_signature="s", out_signature="o")
    def GetUnit(self, name):
        if name not in vfsim_state.load()["units"]:
            raise error("org.freedesktop.systemd1.NoSuchUnit", f"Unit {name} not loaded.")
        return self.unit(name)._object_path

    @dbus.service.method(MANAGER, in_signature="s", out_signature="o")
    def LoadUnit(self, name):
        return self.unit(name)._object_path

    def _list_entry(self, name, u):
        v = unit_view(name, u)
        job = self.jobs_by_unit.get(name)
        return (name, v["Description"], v["LoadState"], v["ActiveState"], v["SubState"], "", unit_path(name),
                dbus.UInt32(job.id if job else 0), job.type if job else "", dbus.ObjectPath(job.path if job else "/"))

    @dbus.service.method(MANAGER, in_signature="", out_signature="a(ssssssouso)")
    def ListUnits(self):
        return [self._list_entry(n, u) for n, u in sorted(vfsim_state.load()["units"].items())]

    @dbus.service.method(MANAGER, in_signature="as", out_signature="a(ssssssouso)")
    def ListUnitsByNames(self, names):
        units = vfsim_state.load()["units"]
        return [self._list_entry(n, units.get(n)) for n in names]

    @dbus.service.method(MANAGER, in_signature="", out_signature="a(ss)")
    def ListUnitFiles(self):
        return [(f"/usr/lib/systemd/system/{n}", u["enabled"]) for n, u in sorted(vfsim_state.load()["units"].items())]

    @dbus.service.method(MANAGER, in_signature="s", out_signature="s")
    def GetUnitFileState(self, name):
        u = vfsim_state.load()["units"].get(name)
        if u is None:
            raise error("org.freedesktop.DBus.Error.FileNotFound", f"Unit file {name} does not exist.")
        return u["enabled"]

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def StartUnit(self, name, _mode):
        self._known(name)
        return self._job(name, "start")

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def StopUnit(self, name, _mode):
        if name not in vfsim_state.load()["units"]:
            raise error("org.freedesktop.systemd1.NoSuchUnit", f"Unit {name} not loaded.")
        return self._job(name, "stop")

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def RestartUnit(self, name, _mode):
        self._known(name)
        return self._job(name, "restart")

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def TryRestartUnit(self, name, mode):
        u = self._known(name)
        return self.RestartUnit(name, mode) if u["state"] == "active" else self._job(name, "nop")

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def ReloadOrRestartUnit(self, name, mode):
        return self.RestartUnit(name, mode)

    @dbus.service.method(MANAGER, in_signature="asbb", out_signature="ba(sss)")
    def EnableUnitFiles(self, names, runtime, _force):
        changes = []
        with vfsim_state.change() as s:
            for name in names:
                u = s["units"].get(name)
                if u is None:
                    raise error("org.freedesktop.DBus.Error.FileNotFound", f"Unit file {name} does not exist.")
                if u["enabled"] == "masked":
                    raise error("org.freedesktop.systemd1.UnitMasked", f"Unit file {name} is masked.")
                if u["enabled"] in ("disabled", "enabled-runtime") or (u["enabled"] != "enabled" and runtime):
                    target = WANTED_BY.get(name.rsplit(".", 1)[-1], "multi-user.target")
                    root = "/run/systemd/system" if runtime else "/etc/systemd/system"
                    changes.append(("symlink", f"{root}/{target}.wants/{name}", f"/usr/lib/systemd/system/{name}"))
                    u["enabled"] = "enabled-runtime" if runtime else "enabled"
        self.UnitFilesChanged()
        self.sync()
        return (True, changes)

    @dbus.service.method(MANAGER, in_signature="asb", out_signature="a(sss)")
    def DisableUnitFiles(self, names, _runtime):
        changes = []
        with vfsim_state.change() as s:
            for name in names:
                u = s["units"].get(name)
                if u is None:
                    raise error("org.freedesktop.DBus.Error.FileNotFound", f"Unit file {name} does not exist.")
                if u["enabled"] in ("enabled", "enabled-runtime"):
                    target = WANTED_BY.get(name.rsplit(".", 1)[-1], "multi-user.target")
                    changes.append(("unlink", f"/etc/systemd/system/{target}.wants/{name}", ""))
                    u["enabled"] = "disabled"
        self.UnitFilesChanged()
        self.sync()
        return changes

    @dbus.service.method(MANAGER, in_signature="", out_signature="")
    def Reload(self):
        self.Reloading(True)
        self.sync()
        GLib.idle_add(lambda: self.Reloading(False) and False)

    @dbus.service.method(MANAGER, in_signature="", out_signature="")
    def Subscribe(self):
        pass

    @dbus.service.method(MANAGER, in_signature="", out_signature="")
    def Unsubscribe(self):
        pass

    @dbus.service.method(MANAGER, in_signature="", out_signature="")
    def Reboot(self):
        vfsim_journal.unit_message("reboot.target", "Reached target System Reboot.")
        GLib.timeout_add(100, lambda: self.on_reboot() and False)

    @dbus.service.signal(MANAGER, signature="uos")
    def JobNew(self, job_id, path, unit):
        pass

    @dbus.service.signal(MANAGER, signature="uoss")
    def JobRemoved(self, job_id, path, unit, result):
        pass

    @dbus.service.signal(MANAGER, signature="so")
    def UnitNew(self, name, path):
        pass

    @dbus.service.signal(MANAGER, signature="")
    def UnitFilesChanged(self):
        pass

    @dbus.service.signal(MANAGER, signature="b")
    def Reloading(self, active):
        pass
