"""logger (util-linux 2.37 options as on RHEL 9): -t TAG, -p PRIO, -i/--id, -s, -f FILE, -e, -u SOCKET,
--journald[=FILE]. Without -u it writes straight into the host's journal (what /dev/log does inside the host)."""
import getopt
import os
import pwd
import socket
import sys
import time

import vfsim_journal

LEVEL_ALIASES = {"panic": "emerg", "error": "err", "warn": "warning"}
FACILITY_ALIASES = {"security": "auth"}


def parse_prio(text):
    """'user.notice', 'local0.err', 'err', '13' -> (level, facility)"""
    if text.isdigit():
        n = int(text)
        return n & 7, n >> 3
    fac, _, lvl = text.rpartition(".")
    lvl = LEVEL_ALIASES.get(lvl, lvl)
    fac = FACILITY_ALIASES.get(fac, fac) or "user"
    if lvl not in vfsim_journal.PRIORITIES or fac not in vfsim_journal.FACILITIES:
        raise ValueError(f"unknown priority name: {text}")
    return vfsim_journal.PRIORITIES.index(lvl), vfsim_journal.FACILITIES.index(fac)


def journald_fields(path):
    src = open(path) if path else sys.stdin
    fields = {}
    for line in src.read().splitlines():
        key, eq, value = line.partition("=")
        if eq:
            fields[key] = value
    return fields


def main(argv):
    try:
        opts, args = getopt.gnu_getopt(argv, "t:p:isf:eu:n:P:TdS:h",
                                       ["tag=", "priority=", "id=", "id", "stderr", "file=", "skip-empty",
                                        "socket=", "journald", "journald=", "server=", "port=", "tcp", "udp",
                                        "rfc3164", "rfc5424", "rfc5424=", "size=", "no-act", "prio-prefix",
                                        "octet-count", "msgid=", "socket-errors", "socket-errors=", "help"])
    except getopt.GetoptError as e:
        print(f"logger: {e.msg}\nTry 'logger --help' for more information.", file=sys.stderr)
        return 1
    tag = pwd.getpwuid(os.getuid()).pw_name
    level, facility, with_pid, to_stderr, infile, skip_empty, sock_path, journald = 5, 1, None, False, None, \
        False, None, False
    no_act = False
    for o, v in opts:
        if o in ("-t", "--tag"):
            tag = v
        elif o in ("-p", "--priority"):
            try:
                level, facility = parse_prio(v)
            except ValueError as e:
                print(f"logger: {e}", file=sys.stderr)
                return 1
        elif o in ("-i", "--id"):
            with_pid = v or str(os.getpid())
        elif o in ("-s", "--stderr"):
            to_stderr = True
        elif o in ("-f", "--file"):
            infile = v
        elif o in ("-e", "--skip-empty"):
            skip_empty = True
        elif o in ("-u", "--socket"):
            sock_path = v
        elif o == "--journald":
            journald = v if v else True
        elif o == "--no-act":
            no_act = True
        elif o in ("-n", "--server", "-P", "--port", "-T", "--tcp", "-d", "--udp"):
            print("logger: remote logging is not available on this host", file=sys.stderr)
            return 1
    if journald:
        fields = journald_fields(journald if isinstance(journald, str) else None)
        message = fields.pop("MESSAGE", "")
        vfsim_journal.append(message, identifier=fields.pop("SYSLOG_IDENTIFIER", None),
                             priority=int(fields.pop("PRIORITY", 6)), pid=os.getpid(), uid=os.getuid(),
                             transport="journal", extra=fields)
        return 0
    if args:
        lines = [" ".join(args)]
    else:
        src = open(infile) if infile else sys.stdin
        lines = src.read().splitlines()
    for line in lines:
        if skip_empty and not line.strip():
            continue
        if to_stderr:
            print(f"<{facility * 8 + level}>{time.strftime('%b %e %H:%M:%S')} {tag}"
                  f"{f'[{with_pid}]' if with_pid else ''}: {line}", file=sys.stderr)
        if no_act:
            continue
        if sock_path:
            stamp = time.strftime("%b %e %H:%M:%S")
            head = f"{tag}[{with_pid}]" if with_pid else tag
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
                s.sendto(f"<{facility * 8 + level}>{stamp} {head}: {line}".encode(), sock_path)
        else:
            vfsim_journal.append(line, identifier=tag, priority=level, facility=facility, pid=os.getpid(),
                                 uid=os.getuid(), gid=os.getgid(),
                                 extra={"SYSLOG_PID": with_pid} if with_pid else None)
    return 0
