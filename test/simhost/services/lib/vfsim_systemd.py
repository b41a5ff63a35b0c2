"""org.freedesktop.systemd1 stand-in: the Manager over the host's state file (units and jobs: vfsim_unit)."""
import fnmatch
import time

import dbus
import dbus.service
from gi.repository import GLib

import vfsim_journal
import vfsim_state
from vfsim_catalog import WANTED_BY, unit_view
from vfsim_dbus import PropObject
from vfsim_jobs import JobRunner
from vfsim_unit import PATH, UNIT, Job, Unit, unit_path

BUS = "org.freedesktop.systemd1"
MANAGER = "org.freedesktop.systemd1.Manager"
# `systemctl --version`'s second line on RHEL 9.6 (systemd 252-51.el9)
FEATURES = ("+PAM +AUDIT +SELINUX -APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS +OPENSSL +ACL +BLKID +CURL "
            "+ELFUTILS +FIDO2 +IDN2 -IDN -IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT -QRENCODE "
            "+TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK +XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified")


def error(name, message):
    return dbus.exceptions.DBusException(message, name=name)


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
        failed = sum(1 for u in vfsim_state.load()["units"].values() if u["state"] == "failed")
        return {MANAGER: {"Version": ("s", "252-51.el9"), "Features": ("s", FEATURES), "Tainted": ("s", ""),
                          "Architecture": ("s", "x86-64"), "Virtualization": ("s", "kvm"),
                          "SystemState": ("s", "degraded" if failed else "running"), "Progress": ("d", 1.0),
                          "NNames": ("u", len(self.units)), "NFailedUnits": ("u", failed),
                          "NJobs": ("u", len(self.jobs_by_unit)), "NInstalledJobs": ("u", self.next_job - 1),
                          "NFailedJobs": ("u", 0)}}

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
            was, u["state"] = u["state"], state
            stamps = u.setdefault("stamps", {})
            now = int(time.time() * 1e6)
            stamps["change"] = now
            if state in ("active", "inactive"):
                stamps[state] = now
            if was == "active" and state != "active":
                stamps["active_exit"] = now
            if was in ("inactive", "failed") and state not in ("inactive", "failed"):
                stamps["inactive_exit"] = now
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
    def ListUnitsFiltered(self, states):
        return self.ListUnitsByPatterns(states, [])

    @dbus.service.method(MANAGER, in_signature="asas", out_signature="a(ssssssouso)")
    def ListUnitsByPatterns(self, states, patterns):
        """A unit is listed if its load, active or sub state is one of `states` and its name matches a shell glob
        of `patterns` (an empty list: any)."""
        entries = self.ListUnits()
        return [e for e in entries if (not states or {e[2], e[3], e[4]} & set(states))
                and (not patterns or any(fnmatch.fnmatchcase(e[0], p) for p in patterns))]

    @dbus.service.method(MANAGER, in_signature="as", out_signature="a(ssssssouso)")
    def ListUnitsByNames(self, names):
        units = vfsim_state.load()["units"]
        return [self._list_entry(n, units.get(n)) for n in names]

    @dbus.service.method(MANAGER, in_signature="", out_signature="a(ss)")
    def ListUnitFiles(self):
        return [(f"/usr/lib/systemd/system/{n}", u["enabled"]) for n, u in sorted(vfsim_state.load()["units"].items())]

    @dbus.service.method(MANAGER, in_signature="asas", out_signature="a(ss)")
    def ListUnitFilesByPatterns(self, states, patterns):
        """Unit files whose state is one of `states` and whose file name matches one of `patterns` (empty: any)."""
        return [(path, state) for path, state in self.ListUnitFiles() if (not states or state in states)
                and (not patterns or any(fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], p) for p in patterns))]

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

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def ResetFailedUnit(self, name):
        u = vfsim_state.load()["units"].get(name)
        if u is None:
            raise error("org.freedesktop.systemd1.NoSuchUnit", f"Unit {name} not loaded.")
        if u["state"] == "failed":
            self._set_state(name, "inactive")

    @dbus.service.method(MANAGER, in_signature="", out_signature="")
    def ResetFailed(self):
        for name, u in vfsim_state.load()["units"].items():
            if u["state"] == "failed":
                self._set_state(name, "inactive")

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
