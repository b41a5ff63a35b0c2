"""The host's journal: $VFSIM_HOST_DIR/journal.jsonl, one journalctl -o json object per line (all values strings)."""
import json
import os
import socket
import time

import vfsim_state

FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv",
              "ftp", "12", "13", "14", "15"] + [f"local{i}" for i in range(8)]
PRIORITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]


def journal_path():
    return vfsim_state.path("journal.jsonl")


def _boot_id():
    try:
        return vfsim_state.load()["boot_id"]
    except (OSError, ValueError, KeyError):
        return "0" * 32


def hostname():
    try:
        name = vfsim_state.load().get("hostname")
    except (OSError, ValueError):
        name = None
    return name or socket.gethostname()


def _comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return None


def append(message, identifier=None, priority=6, facility=1, pid=None, uid=0, gid=0, transport="syslog",
           extra=None):
    now = time.time()
    e = {
        "__REALTIME_TIMESTAMP": str(int(now * 1e6)),
        "__MONOTONIC_TIMESTAMP": str(int(time.monotonic() * 1e6)),
        "_BOOT_ID": _boot_id(),
        "_HOSTNAME": hostname(),
        "_TRANSPORT": transport,
        "PRIORITY": str(priority),
        "SYSLOG_FACILITY": str(facility),
        "_UID": str(uid),
        "_GID": str(gid),
        "MESSAGE": message,
    }
    if identifier:
        e["SYSLOG_IDENTIFIER"] = identifier
    if pid:
        e["_PID"] = str(pid)
        comm = _comm(pid)
        if comm:
            e["_COMM"] = comm
    if extra:
        e.update({k: str(v) for k, v in extra.items()})
    line = (json.dumps(e, sort_keys=True) + "\n").encode()
    os.makedirs(os.path.dirname(journal_path()), exist_ok=True)
    fd = os.open(journal_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)  # one write with O_APPEND: lines from concurrent writers do not interleave
    finally:
        os.close(fd)
    return e


def unit_message(unit, message, priority=6):
    """A message from PID 1 about a unit, as systemd logs it (journalctl -u finds it through UNIT=)."""
    return append(message, identifier="systemd", priority=priority, facility=3, pid=None, transport="journal",
                  extra={"UNIT": unit, "_PID": "1", "_COMM": "systemd", "SYSLOG_PID": "1"})


def boot_message():
    """The first entry of a new boot (journalctl --list-boots lists boots that have entries)."""
    return append("Linux version 5.14.0-570.12.1.el9_6.x86_64 (simulated boot)", identifier="kernel", priority=5,
                  facility=0, transport="kernel")


def read_all():
    try:
        with open(journal_path()) as f:
            lines = f.readlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            pass  # a line being written right now
    return out


def parse_syslog(data):
    """glibc syslog(3) datagram '<PRI>Mmm dd hh:mm:ss ident[pid]: msg' -> (prio, facility, ident, pid, msg)."""
    text = data.decode("utf-8", "replace").rstrip("\n\0")
    pri = 13
    if text.startswith("<") and ">" in text[:5]:
        pri, text = int(text[1:text.index(">")]), text[text.index(">") + 1:]
    # RFC 3164 timestamp: 15 characters and a space
    if len(text) > 16 and text[3] == " " and text[6] == " " and text[9] == ":" and text[12] == ":":
        text = text[16:]
    ident, pid, msg = None, None, text
    head, sep, rest = text.partition(": ")
    if sep and " " not in head:
        msg = rest
        if head.endswith("]") and "[" in head:
            ident, pid = head[:head.index("[")], head[head.index("[") + 1:-1]
        else:
            ident = head
    return pri & 7, pri >> 3, ident, pid, msg


def format_short(e, style="short"):
    """One entry as journalctl -o short / short-iso / short-precise / cat prints it."""
    if style == "cat":
        return e.get("MESSAGE", "")
    t = int(e["__REALTIME_TIMESTAMP"]) / 1e6
    lt = time.localtime(t)
    if style == "short-iso":
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", lt) + time.strftime("%z", lt)[:3] + ":" + time.strftime("%z", lt)[3:]
    elif style == "short-precise":
        stamp = time.strftime("%b %d %H:%M:%S", lt) + f".{int(t * 1e6) % 1000000:06d}"
    else:
        stamp = time.strftime("%b %d %H:%M:%S", lt)
    ident = e.get("SYSLOG_IDENTIFIER") or e.get("_COMM") or "unknown"
    pid = e.get("_PID") or e.get("SYSLOG_PID")
    who = f"{ident}[{pid}]" if pid else ident
    return f"{stamp} {e.get('_HOSTNAME', hostname())} {who}: {e.get('MESSAGE', '')}"


def of_unit(e, unit):
    return unit in (e.get("_SYSTEMD_UNIT"), e.get("UNIT"), e.get("OBJECT_SYSTEMD_UNIT"))
