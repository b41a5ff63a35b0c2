"""systemctl: status, is-active, is-enabled, is-failed, start, stop, restart, try-restart, enable/disable [--now],
show [-p P] [--value], list-units, list-unit-files, daemon-reload, reboot — output and exit codes of systemd 252."""
import fnmatch
import sys
import time

import dbus
from gi.repository import GLib

import vfsim_journal
from vfsim_client import message, system_bus, unwrap

MANAGER = "org.freedesktop.systemd1.Manager"
UNIT = "org.freedesktop.systemd1.Unit"
NO_BUS = ("System has not been booted with systemd as init system (PID 1). Can't operate.\n"
          "Failed to connect to bus: Host is down\n")
FLAGS = {"--now", "--all", "-a", "--no-legend", "--plain", "--value", "--quiet", "-q", "--no-pager", "--full", "-l",
         "--system", "--no-block", "--no-ask-password", "--force"}


def normalize(name):
    return name if "." in name else name + ".service"


def parse(argv):
    opts, args, i = {"props": []}, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--":  # getopt: everything after is an argument
            args.extend(argv[i + 1:])
            break
        if a in ("-p", "--property", "-t", "--type", "--state", "-n", "--lines"):
            i += 1
            key = {"-p": "props", "--property": "props", "-t": "type", "--type": "type", "-n": "lines",
                   "--lines": "lines"}.get(a, "state")
            value = argv[i]
            opts["props"].extend(value.split(",")) if key == "props" else opts.__setitem__(key, value)
        elif a.startswith(("--property=", "--type=", "--state=", "--lines=")):
            key, value = a[2:].split("=", 1)
            opts["props"].extend(value.split(",")) if key == "property" else opts.__setitem__(key, value)
        elif a.startswith("-p") and len(a) > 2:
            opts["props"].extend(a[2:].split(","))
        elif a in FLAGS:
            opts[a.lstrip("-")] = True
        elif a.startswith("-"):
            raise SystemExit(f"systemctl: unrecognized option '{a}'")
        else:
            args.append(a)
        i += 1
    return opts, args


class Systemctl:
    def __init__(self, opts):
        self.opts = opts
        self.bus = system_bus(NO_BUS)
        self.manager = dbus.Interface(self.bus.get_object("org.freedesktop.systemd1", "/org/freedesktop/systemd1"),
                                      MANAGER)
        self.removed = {}
        self.bus.add_signal_receiver(self._job_removed, "JobRemoved", MANAGER)

    def _job_removed(self, _id, path, _unit, result):
        self.removed[str(path)] = str(result)

    def props(self, name, interface=None):
        obj = self.bus.get_object("org.freedesktop.systemd1", self.manager.LoadUnit(name))
        p = unwrap(obj.GetAll(UNIT, dbus_interface="org.freedesktop.DBus.Properties"))
        if interface is None:
            for extra in ("org.freedesktop.systemd1.Service", "org.freedesktop.systemd1.Socket"):
                try:
                    p.update(unwrap(obj.GetAll(extra, dbus_interface="org.freedesktop.DBus.Properties")))
                except dbus.exceptions.DBusException:
                    pass
        return p

    def wait_jobs(self, jobs):
        loop = GLib.MainLoop()

        def check():
            if all(j in self.removed for j, _ in jobs):
                loop.quit()
                return False
            return True
        if check():
            GLib.timeout_add(20, check)
            loop.run()
        rc = 0
        for job, name in jobs:
            if self.removed[job] != "done":
                print(f'Job for {name} failed because the control process exited with error code.\n'
                      f'See "systemctl status {name}" and "journalctl -xeu {name}" for details.', file=sys.stderr)
                rc = 1
        return rc

    def job(self, verb, method, names):
        jobs = []
        for name in names:
            try:
                jobs.append((str(getattr(self.manager, method)(name, "replace")), name))
            except dbus.exceptions.DBusException as e:
                print(f"Failed to {verb} {name}: {message(e)}", file=sys.stderr)
                return 5 if "NoSuchUnit" in e.get_dbus_name() else 1
        return 0 if self.opts.get("no-block") else self.wait_jobs(jobs)

    def enable(self, names, on):
        try:
            if on:
                _, changes = self.manager.EnableUnitFiles(names, False, False)
            else:
                changes = self.manager.DisableUnitFiles(names, False)
        except dbus.exceptions.DBusException as e:
            print(f"Failed to {'enable' if on else 'disable'} unit: {message(e)}", file=sys.stderr)
            return 1
        for kind, link, target in changes:
            if kind == "symlink":
                print(f"Created symlink {link} \u2192 {target}.", file=sys.stderr)
            else:
                print(f'Removed "{link}".', file=sys.stderr)
        self.manager.Reload()
        if self.opts.get("now"):
            return self.job("start" if on else "stop", "StartUnit" if on else "StopUnit", names)
        return 0


def ago(usec):
    s = max(0, int(time.time() - usec / 1e6))
    if s < 60:
        return f"{s}s ago"
    m, h, d = s // 60, s // 3600, s // 86400
    if d:
        return f"{d} day{'s' if d > 1 else ''} {h % 24}h ago"
    if h:
        return f"{h}h {m % 60}min ago"
    return f"{m}min {s % 60}s ago" if m < 10 else f"{m}min ago"


def since(usec):
    return time.strftime("%a %Y-%m-%d %H:%M:%S %Z", time.localtime(usec / 1e6)) + f"; {ago(usec)}"


def status(sc, name):
    p = sc.props(name)
    if p["LoadState"] == "not-found":
        print(f"Unit {name} could not be found.", file=sys.stderr)
        return 4
    state, sub = p["ActiveState"], p["SubState"]
    dot = {"active": "\u25cf", "failed": "\u00d7"}.get(state, "\u25cb")
    print(f"{dot} {name} - {p['Description']}")
    if p["LoadState"] == "masked":
        print("     Loaded: masked (Reason: Unit {name} is masked.)")
    else:
        print(f"     Loaded: loaded ({p['FragmentPath']}; {p['UnitFileState']}; preset: {p['UnitFilePreset']})")
    stamp = p["ActiveEnterTimestamp"] if state == "active" else p["InactiveEnterTimestamp"] or p["StateChangeTimestamp"]
    when = f" since {since(stamp)}" if stamp else ""
    if state == "failed":
        print(f"     Active: failed (Result: {p.get('Result', 'exit-code')}){when}")
    else:
        print(f"     Active: {state} ({sub}){when}")
    if state == "active" and p.get("Listen"):
        for i, (kind, addr) in enumerate(p["Listen"]):
            print(f"{'     Listen: ' if i == 0 else '             '}{addr} ({kind})")
    if state == "active" and p.get("MainPID"):
        try:
            with open(f"/proc/{p['MainPID']}/comm") as f:
                comm = f.read().strip()
        except OSError:
            comm = name.split(".")[0]
        print(f"   Main PID: {p['MainPID']} ({comm})")
    entries = [e for e in vfsim_journal.read_all() if vfsim_journal.of_unit(e, name)]
    lines = int(sc.opts.get("lines", 10))
    if entries and lines:
        print()
        for e in entries[-lines:]:
            print(vfsim_journal.format_short(e))
    return 0 if state == "active" else 3


def show(sc, names):
    for i, name in enumerate(names or []):
        p = sc.props(name)
        if i:
            print()
        for key in sc.opts["props"] or sorted(p):
            value = p.get(key, "")
            if key.endswith("Timestamp"):
                value = time.strftime("%a %Y-%m-%d %H:%M:%S %Z", time.localtime(value / 1e6)) if value else ""
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            elif isinstance(value, list):
                value = " ".join(" ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in value)
            elif isinstance(value, tuple):
                value = " ".join(map(str, value))
            print(value if sc.opts.get("value") else f"{key}={value}")
    return 0


def list_units(sc, patterns):
    rows = []
    for name, desc, load, active, sub, *_ in unwrap(sc.manager.ListUnits()):
        if sc.opts.get("type") and not name.endswith("." + sc.opts["type"]):
            continue
        if sc.opts.get("state") and sc.opts["state"] not in (load, active, sub):
            continue
        if not (sc.opts.get("all") or sc.opts.get("state")) and active == "inactive":
            continue
        if patterns and not any(fnmatch.fnmatch(name, pat) for pat in patterns):
            continue
        rows.append((name, load, active, sub, desc))
    head = ("UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
    mark = "" if sc.opts.get("plain") else "  "
    if not sc.opts.get("no-legend"):
        print(mark + " ".join(h.ljust(w) for h, w in zip(head[:4], widths)) + " " + head[4])
    for r in rows:
        dot = "\u25cf " if r[2] == "failed" and not sc.opts.get("plain") else mark
        print(dot + " ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + " " + r[4])
    if not sc.opts.get("no-legend"):
        print("\nLOAD   = Reflects whether the unit definition was properly loaded.\n"
              "ACTIVE = The high-level unit activation state, i.e. generalization of SUB.\n"
              "SUB    = The low-level unit activation state, values depend on unit type.\n"
              f"{len(rows)} loaded units listed." + ("" if sc.opts.get("all") else
                                                    " Pass --all to see loaded but inactive units, too.") + "\n"
              "To show all installed unit files use 'systemctl list-unit-files'.")
    return 0


def list_unit_files(sc):
    files = [(path.rsplit("/", 1)[-1], state) for path, state in unwrap(sc.manager.ListUnitFiles())]
    w = max([len(f) for f, _ in files] + [9])
    print(f"{'UNIT FILE'.ljust(w)} {'STATE'.ljust(15)} PRESET")
    for f, state in files:
        print(f"{f.ljust(w)} {state.ljust(15)} disabled")
    print(f"\n{len(files)} unit files listed.")
    return 0


def main(argv):
    opts, args = parse(argv)
    verb, names = (args[0] if args else "list-units"), [normalize(a) for a in args[1:]]
    sc = Systemctl(opts)
    quiet = opts.get("quiet")
    if verb in ("is-active", "is-failed"):
        states = [sc.props(n, UNIT)["ActiveState"] for n in names]
        for s in states:
            if not quiet:
                print(s)
        want = "active" if verb == "is-active" else "failed"
        return 0 if any(s == want for s in states) else (3 if verb == "is-active" else 1)
    if verb == "is-enabled":
        rc = 1
        for n in names:
            try:
                state = str(sc.manager.GetUnitFileState(n))
            except dbus.exceptions.DBusException:
                print(f"Failed to get unit file state for {n}: No such file or directory", file=sys.stderr)
                continue
            if not quiet:
                print(state)
            if state in ("enabled", "enabled-runtime", "static", "alias", "indirect", "generated"):
                rc = 0
        return rc
    if verb == "status":
        return max([status(sc, n) for n in names] or [0])
    if verb in ("start", "stop", "restart", "try-restart", "reload-or-restart"):
        method = {"start": "StartUnit", "stop": "StopUnit", "restart": "RestartUnit", "try-restart": "TryRestartUnit",
                  "reload-or-restart": "ReloadOrRestartUnit"}[verb]
        return sc.job(verb, method, names)
    if verb in ("enable", "disable"):
        return sc.enable(names, verb == "enable")
    if verb == "show":
        return show(sc, names)
    if verb == "list-units":
        return list_units(sc, args[1:])
    if verb == "list-unit-files":
        return list_unit_files(sc)
    if verb == "daemon-reload":
        sc.manager.Reload()
        return 0
    if verb == "reboot":
        sc.manager.Reboot()
        return 0
    print(f"Unknown command verb '{verb}'.", file=sys.stderr)
    return 1
