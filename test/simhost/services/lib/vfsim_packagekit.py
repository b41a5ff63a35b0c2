"""org.freedesktop.PackageKit stand-in with the calls Cockpit's pkg/lib/packagekit.js makes: CreateTransaction, then
on the transaction RefreshCache / Resolve / InstallPackages (also simulated) / GetDetails / Cancel, reporting through
Package, Details, ErrorCode, Finished signals and Status / Percentage / AllowCancel property changes."""
import time

import dbus
import dbus.service
from gi.repository import GLib

import vfsim_state
from vfsim_catalog import PACKAGE_SUMMARIES
from vfsim_dbus import PropObject

BUS = "org.freedesktop.PackageKit"
PATH = "/org/freedesktop/PackageKit"
IFACE = "org.freedesktop.PackageKit"
TX = "org.freedesktop.PackageKit.Transaction"

# pk-enum.h values (checked against PackageKitGlib 1.2.6)
EXIT_SUCCESS, EXIT_FAILED, EXIT_CANCELLED = 1, 2, 3
INFO_INSTALLED, INFO_AVAILABLE, INFO_DOWNLOADING, INFO_INSTALLING, INFO_REMOVING, INFO_FINISHED = 1, 2, 10, 12, 13, 18
(STATUS_WAIT, STATUS_SETUP, STATUS_QUERY, STATUS_REFRESH_CACHE, STATUS_DOWNLOAD, STATUS_INSTALL, STATUS_REMOVE,
 STATUS_FINISHED) = 1, 2, 4, 7, 8, 9, 6, 18
(ROLE_GET_DETAILS, ROLE_INSTALL_PACKAGES, ROLE_REFRESH_CACHE, ROLE_REMOVE_PACKAGES, ROLE_RESOLVE,
 ROLE_SEARCH_NAME, ROLE_GET_PACKAGES) = 3, 11, 13, 14, 17, 21, 5
FILTER_INSTALLED, FILTER_NOT_INSTALLED = 1 << 2, 1 << 3
FLAG_SIMULATE = 1 << 2
ERROR_PACKAGE_NOT_INSTALLED, ERROR_PACKAGE_NOT_FOUND, ERROR_ALREADY_INSTALLED = 7, 8, 9
ERROR_CANCELLED, ERROR_FAILED_TO_INSTALL = 17, 58


def package_id(p, installed):
    repo = f"installed:{p['repo']}" if installed else p["repo"]
    return f"{p['name']};{p['version']}-{p['release']};{p['arch']};{repo}"


def summary(p):
    return p.get("summary") or PACKAGE_SUMMARIES.get(p["name"], p["name"])


class Transaction(PropObject):
    def __init__(self, conn, path, on_done):
        super().__init__(conn, path)
        self.on_done = on_done
        self.role, self.status, self.percentage, self.allow_cancel = 0, STATUS_WAIT, 101, False
        self.started, self.cancelled, self.finished = time.time(), False, False

    def props(self):
        return {TX: {"Role": ("u", self.role), "Status": ("u", self.status), "Percentage": ("u", self.percentage),
                     "AllowCancel": ("b", self.allow_cancel), "LastPackage": ("s", ""), "Uid": ("u", 0),
                     "CallerActive": ("b", True), "ElapsedTime": ("u", int((time.time() - self.started) * 1000)),
                     "RemainingTime": ("u", 0), "Speed": ("u", 0), "DownloadSizeRemaining": ("t", 0),
                     "TransactionFlags": ("t", 0)}}

    def _set(self, **values):
        for k, v in values.items():
            setattr(self, k, v)
        names = {"status": "Status", "percentage": "Percentage", "allow_cancel": "AllowCancel", "role": "Role"}
        self.emit_changed(TX, [names[k] for k in values])

    def _finish(self, exit_code, error=None):
        if self.finished:
            return
        self.finished = True
        if error:
            self.ErrorCode(*error)
        self._set(status=STATUS_FINISHED, percentage=100, allow_cancel=False)
        self.Finished(exit_code, int((time.time() - self.started) * 1000))
        self.Destroy()
        GLib.timeout_add(5000, lambda: self.on_done(self) and False)

    def _start(self, role, run):
        self._set(role=role, status=STATUS_SETUP)
        GLib.timeout_add(50, lambda: run() and False)

    @staticmethod
    def _packages():
        return vfsim_state.load()["packages"]

    # --- methods ---

    @dbus.service.method(TX, in_signature="as", out_signature="")
    def SetHints(self, _hints):
        pass

    @dbus.service.method(TX, in_signature="", out_signature="")
    def Cancel(self):
        if not self.allow_cancel:
            raise dbus.exceptions.DBusException("Tried to cancel a transaction that is not safe to kill",
                                                name="org.freedesktop.PackageKit.Transaction.CannotCancel")
        self.cancelled = True
        self._finish(EXIT_CANCELLED, (ERROR_CANCELLED, "The task was stopped successfully"))

    @dbus.service.method(TX, in_signature="b", out_signature="")
    def RefreshCache(self, _force):
        def run():
            self._set(status=STATUS_REFRESH_CACHE, percentage=0, allow_cancel=True)
            GLib.timeout_add(300, lambda: self._finish(EXIT_SUCCESS) and False)
        self._start(ROLE_REFRESH_CACHE, run)

    def _emit_matches(self, filters, match):
        pk = self._packages()
        installed = {p["name"]: p for p in pk["installed"] if match(p["name"])}
        if not filters & FILTER_NOT_INSTALLED:
            for p in installed.values():
                self.Package(INFO_INSTALLED, package_id(p, True), summary(p))
        if not filters & FILTER_INSTALLED:
            for p in pk["available"]:
                i = installed.get(p["name"])
                if match(p["name"]) and not (i and i["version"] == p["version"] and i["release"] == p["release"]):
                    self.Package(INFO_AVAILABLE, package_id(p, False), summary(p))

    @dbus.service.method(TX, in_signature="tas", out_signature="")
    def Resolve(self, filters, names):
        def run():
            self._set(status=STATUS_QUERY, percentage=101)
            self._emit_matches(filters, lambda n: n in names)
            self._finish(EXIT_SUCCESS)
        self._start(ROLE_RESOLVE, run)

    @dbus.service.method(TX, in_signature="tas", out_signature="")
    def SearchNames(self, filters, values):
        def run():
            self._set(status=STATUS_QUERY)
            self._emit_matches(filters, lambda n: any(v in n for v in values))
            self._finish(EXIT_SUCCESS)
        self._start(ROLE_SEARCH_NAME, run)

    @dbus.service.method(TX, in_signature="t", out_signature="")
    def GetPackages(self, filters):
        def run():
            self._emit_matches(filters, lambda _n: True)
            self._finish(EXIT_SUCCESS)
        self._start(ROLE_GET_PACKAGES, run)

    def _lookup(self, ids):
        pk = self._packages()
        found = []
        for pid in ids:
            name, version, arch, repo = (pid.split(";") + ["", "", ""])[:4]
            pool = pk["installed"] if repo.startswith("installed") else pk["available"]
            p = next((p for p in pool if p["name"] == name and f"{p['version']}-{p['release']}" == version
                      and p["arch"] == arch), None)
            if p is None:
                return None, pid
            found.append(p)
        return found, None

    @dbus.service.method(TX, in_signature="as", out_signature="")
    def GetDetails(self, ids):
        def run():
            found, missing = self._lookup(ids)
            if missing:
                return self._finish(EXIT_FAILED, (ERROR_PACKAGE_NOT_FOUND, f"Package not found: {missing}"))
            for p, pid in zip(found, ids):
                self.Details(dbus.Dictionary({
                    "package-id": dbus.String(pid), "summary": dbus.String(summary(p)),
                    "description": dbus.String(summary(p)), "license": dbus.String("GPL-2.0-or-later"),
                    "group": dbus.UInt32(0), "url": dbus.String(""),
                    "size": dbus.UInt64(p.get("size", 4 * 1024 * 1024))}, signature="sv"))
            self._finish(EXIT_SUCCESS)
        self._start(ROLE_GET_DETAILS, run)

    @dbus.service.method(TX, in_signature="tas", out_signature="")
    def InstallPackages(self, flags, ids):
        self._start(ROLE_INSTALL_PACKAGES, lambda: self._install(flags, ids))

    def _install(self, flags, ids):
        found, missing = self._lookup(ids)
        if missing:
            return self._finish(EXIT_FAILED, (ERROR_PACKAGE_NOT_FOUND, f"Package not found: {missing}"))
        installed = {p["name"] for p in self._packages()["installed"]}
        already = [p["name"] for p in found if p["name"] in installed and not p["repo"].startswith("installed")]
        if already:
            return self._finish(EXIT_FAILED, (ERROR_ALREADY_INSTALLED, f"{already[0]} is already installed"))
        if flags & FLAG_SIMULATE:
            for p, pid in zip(found, ids):
                self.Package(INFO_INSTALLING, pid, summary(p))
            return self._finish(EXIT_SUCCESS)
        total = max(self._packages()["install_seconds"], 0.2)
        steps = 20  # 0-50 %: download (cancellable), 50-100 %: install (not cancellable)
        state = {"step": 0}

        def tick():
            if self.finished:
                return False
            step = state["step"] = state["step"] + 1
            if step == 1:
                self._set(status=STATUS_DOWNLOAD, allow_cancel=True, percentage=0)
                for p, pid in zip(found, ids):
                    self.Package(INFO_DOWNLOADING, pid, summary(p))
            elif step == steps // 2 + 1:
                self._set(status=STATUS_INSTALL, allow_cancel=False)
                for p, pid in zip(found, ids):
                    self.Package(INFO_INSTALLING, pid, summary(p))
            if step > steps:
                return self._install_done(found, ids)
            self._set(percentage=min(100, int(step * 100 / steps)))
            return True
        GLib.timeout_add(int(total * 1000 / steps), tick)

    def _install_done(self, found, ids):
        failing = set(self._packages()["fail_install"])
        bad = [p["name"] for p in found if p["name"] in failing]
        if bad:
            self._finish(EXIT_FAILED, (ERROR_FAILED_TO_INSTALL, f"Error: Transaction failed: {bad[0]} scriptlet"))
            return False
        with vfsim_state.change() as s:
            names = {p["name"] for p in found}
            s["packages"]["installed"] = [p for p in s["packages"]["installed"] if p["name"] not in names]
            s["packages"]["installed"] += [dict(p, installtime=int(time.time())) for p in found]
        for p, pid in zip(found, ids):
            self.Package(INFO_FINISHED, pid, summary(p))
        self._finish(EXIT_SUCCESS)
        return False

    @dbus.service.method(TX, in_signature="tasbb", out_signature="")
    def RemovePackages(self, _flags, ids, _allow_deps, _autoremove):
        def run():
            found, missing = self._lookup(ids)
            if missing:
                return self._finish(EXIT_FAILED, (ERROR_PACKAGE_NOT_INSTALLED, f"{missing} is not installed"))
            self._set(status=STATUS_REMOVE, percentage=50)
            with vfsim_state.change() as s:
                names = {p["name"] for p in found}
                s["packages"]["installed"] = [p for p in s["packages"]["installed"] if p["name"] not in names]
            for p, pid in zip(found, ids):
                self.Package(INFO_REMOVING, pid, summary(p))
            self._finish(EXIT_SUCCESS)
        self._start(ROLE_REMOVE_PACKAGES, run)

    # --- signals ---

    @dbus.service.signal(TX, signature="uss")
    def Package(self, info, package_id_, summary_):
        pass

    @dbus.service.signal(TX, signature="a{sv}")
    def Details(self, data):
        pass

    @dbus.service.signal(TX, signature="us")
    def ErrorCode(self, code, details):
        pass

    @dbus.service.signal(TX, signature="uu")
    def Finished(self, exit_code, runtime):
        pass

    @dbus.service.signal(TX, signature="")
    def Destroy(self):
        pass


class PackageKit(PropObject):
    def __init__(self, conn):
        super().__init__(conn, PATH)
        self.conn, self.transactions, self.counter = conn, {}, 0

    def props(self):
        return {IFACE: {"VersionMajor": ("u", 1), "VersionMinor": ("u", 2), "VersionMicro": ("u", 4),
                        "BackendName": ("s", "dnf"), "BackendDescription": ("s", "DNF"),
                        "BackendAuthor": ("s", ""), "Roles": ("t", (1 << 34) - 1), "Groups": ("t", 0),
                        "Filters": ("t", (1 << 22) - 1), "MimeTypes": ("as", ["application/x-rpm"]),
                        "Locked": ("b", False), "NetworkState": ("u", 2), "DistroId": ("s", "rhel;9.6;x86_64")}}

    @dbus.service.method(IFACE, in_signature="", out_signature="o")
    def CreateTransaction(self):
        self.counter += 1
        path = f"/{self.counter}_{int(time.time()) % 100000:05d}"
        tx = Transaction(self.conn, path, self._forget)
        self.transactions[path] = tx
        return path

    def _forget(self, tx):
        self.transactions.pop(tx._object_path, None)
        tx.remove_from_connection()

    @dbus.service.method(IFACE, in_signature="", out_signature="ao")
    def GetTransactionList(self):
        return dbus.Array([p for p, t in self.transactions.items() if not t.finished], signature="o")

    @dbus.service.method(IFACE, in_signature="", out_signature="s")
    def GetDaemonState(self):
        return "vfsim PackageKit stand-in"

    @dbus.service.method(IFACE, in_signature="u", out_signature="u")
    def GetTimeSinceAction(self, _role):
        return 0

    @dbus.service.method(IFACE, in_signature="s", out_signature="")
    def StateHasChanged(self, _reason):
        pass
