"""rpm -q / -qa / -qi with --qf, answering from the host's installed package list (rpm 4.16 output and exit codes:
one failure counted per package that is not installed)."""
import re
import sys
import time

import vfsim_state
from vfsim_catalog import PACKAGE_SUMMARIES

DEFAULT_QF = "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"


def tag(p, name, fmt=None):
    name = name.upper()
    if name == "INSTALLTIME" and fmt == "date":
        return time.strftime("%a %d %b %Y %I:%M:%S %p %Z", time.localtime(p.get("installtime", 0)))
    values = {
        "NAME": p["name"], "VERSION": p["version"], "RELEASE": p["release"], "ARCH": p["arch"],
        "EPOCH": str(p["epoch"]) if p.get("epoch") else "(none)",
        "SUMMARY": p.get("summary") or PACKAGE_SUMMARIES.get(p["name"], p["name"]),
        "INSTALLTIME": str(p.get("installtime", 0)), "VENDOR": "Red Hat, Inc.", "LICENSE": "GPL-2.0-or-later",
        "NVR": f"{p['name']}-{p['version']}-{p['release']}",
        "NVRA": vfsim_state.nevra(p), "NEVRA": vfsim_state.nevra(p),
        "NEVR": f"{p['name']}-{p['version']}-{p['release']}",
        "SIZE": str(p.get("size", 4 * 1024 * 1024)),
    }
    if name not in values:
        raise ValueError(f"query format: unknown tag: \"{name.lower()}\"")
    return values[name]


def format_query(qf, p):
    qf = qf.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")

    def cond(m):  # %|TAG?{present}:{absent}|
        present = m[1].upper() != "EPOCH" or p.get("epoch")
        return m[2] if present else (m[3] or "")
    body = r"((?:[^{}]|\{[\w:]+\})*)"
    qf = re.sub(r"%\|(\w+)\?\{" + body + r"\}(?::\{" + body + r"\})?\|", cond, qf)

    def one(m):
        value = tag(p, m[2], m[3])
        width = m[1]
        if width:
            n = int(width.lstrip("-"))
            value = value.ljust(n) if width.startswith("-") else value.rjust(n)
        return value
    return re.sub(r"%(-?\d+)?\{(\w+)(?::(\w+))?\}", one, qf)


def info(p):
    rows = [("Name", p["name"]), ("Version", p["version"]), ("Release", p["release"]), ("Architecture", p["arch"]),
            ("Install Date", tag(p, "INSTALLTIME", "date")), ("Group", "Unspecified"),
            ("Size", tag(p, "SIZE")), ("License", tag(p, "LICENSE")),
            ("Signature", "RSA/SHA256, Tue 01 Apr 2025 10:00:00 AM UTC, Key ID 199e2f91fd431d51"),
            ("Source RPM", f"{p['name']}-{p['version']}-{p['release']}.src.rpm"),
            ("Build Date", "Tue 01 Apr 2025 09:00:00 AM UTC"), ("Build Host", "x86-64-01.build.eng.rdu2.redhat.com"),
            ("Packager", "Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>"), ("Vendor", "Red Hat, Inc."),
            ("URL", ""), ("Summary", tag(p, "SUMMARY"))]
    return "".join(f"{k:<12}: {v}\n" for k, v in rows) + f"Description :\n{tag(p, 'SUMMARY')}.\n"


def main(argv):
    query = all_pkgs = show_info = False
    qf, names, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--version":
            print("RPM version 4.16.1.3")
            return 0
        if a in ("--qf", "--queryformat"):
            i += 1
            qf = argv[i]
        elif a.startswith(("--qf=", "--queryformat=")):
            qf = a.split("=", 1)[1]
        elif a in ("--query", "--all", "--info"):
            query, all_pkgs, show_info = (query or a == "--query", all_pkgs or a == "--all", show_info or a == "--info")
        elif a.startswith("-") and not a.startswith("--") and set(a[1:]) <= set("qai"):
            query = query or "q" in a
            all_pkgs = all_pkgs or "a" in a
            show_info = show_info or "i" in a
        elif a.startswith("-"):
            print(f"rpm: {a}: unknown option", file=sys.stderr)
            return 1
        else:
            names.append(a)
        i += 1
    if not query:
        print("rpm: no operation specified" if not names else "rpm: only installation and upgrading may be "
              "forced", file=sys.stderr)
        return 1
    installed = vfsim_state.load()["packages"]["installed"]
    if all_pkgs:
        found, missing = installed, []
    elif not names:
        print("rpm: no arguments given for query", file=sys.stderr)
        return 1
    else:
        found, missing = [], 0
        out = []
        for n in names:
            hits = [p for p in installed if n in (p["name"], vfsim_state.nevra(p),
                                                  f"{p['name']}-{p['version']}-{p['release']}",
                                                  f"{p['name']}-{p['version']}", f"{p['name']}.{p['arch']}")]
            out.append((n, hits))
        for n, hits in out:
            if not hits:
                print(f"package {n} is not installed")
                missing += 1
            for p in hits:
                emit(p, qf, show_info)
        return min(missing, 255)
    for p in found:
        emit(p, qf, show_info)
    return 0


def emit(p, qf, show_info):
    if show_info and not qf:
        sys.stdout.write(info(p))
    else:
        try:
            sys.stdout.write(format_query(qf or DEFAULT_QF, p))
        except ValueError as e:
            print(f"error: incorrect format: {e}", file=sys.stderr)
            sys.exit(1)
