"""journalctl over the host's journal file: -t, -u, -n, -o (short, short-iso, short-precise, short-unix, cat, json,
json-pretty, verbose), --since/--until, -b [0|-1|ID], -p, -g, -r, -q, -f, --after-cursor, --list-boots, FIELD=VALUE."""
import datetime
import json
import re
import sys
import time

import vfsim_journal
import vfsim_state

VALUE_OPTS = {"-t": "identifier", "--identifier": "identifier", "-u": "unit", "--unit": "unit", "-o": "output",
              "--output": "output", "-S": "since", "--since": "since", "-U": "until", "--until": "until",
              "-p": "priority", "--priority": "priority", "-g": "grep", "--grep": "grep",
              "--after-cursor": "after_cursor", "--cursor": "cursor"}
FLAGS = {"-r": "reverse", "--reverse": "reverse", "-q": "quiet", "--quiet": "quiet", "-f": "follow",
         "--follow": "follow", "--no-pager": None, "-a": None, "--all": None, "-x": None, "--catalog": None,
         "--no-tail": "no_tail", "--list-boots": "list_boots", "--system": None, "--no-hostname": "no_hostname",
         "--utc": "utc", "-e": "pager_end", "--pager-end": "pager_end", "--merge": None, "-m": None}
UNITS = {"min": 60, "m": 60, "minutes": 60, "minute": 60, "h": 3600, "hour": 3600, "hours": 3600, "s": 1,
         "sec": 1, "second": 1, "seconds": 1, "d": 86400, "day": 86400, "days": 86400, "w": 604800}


def parse_time(text):
    """systemd.time(7) subset -> epoch seconds."""
    now = time.time()
    today = datetime.datetime.combine(datetime.date.today(), datetime.time())
    t = text.strip()
    if t == "now":
        return now
    if t in ("today", "yesterday", "tomorrow"):
        return (today + datetime.timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[t])).timestamp()
    if t.startswith("@"):
        return float(t[1:])
    m = re.fullmatch(r"([+-]?)\s*(\d+)\s*([a-z]+)(\s+ago)?", t)
    if m and m[3] in UNITS:
        delta = int(m[2]) * UNITS[m[3]]
        return now + delta if m[1] == "+" else now - delta
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%H:%M:%S", "%H:%M"):
        try:
            d = datetime.datetime.strptime(t, fmt)
        except ValueError:
            continue
        if fmt.startswith("%H"):
            d = datetime.datetime.combine(datetime.date.today(), d.time())
        return d.timestamp()
    raise ValueError(f'Failed to parse timestamp: {text}')


def parse_priority(text):
    names = vfsim_journal.PRIORITIES

    def one(p):
        p = {"error": "err", "warn": "warning", "panic": "emerg"}.get(p, p)
        return int(p) if p.isdigit() else names.index(p)
    lo, _, hi = text.partition("..")
    return (one(lo), one(hi)) if hi else (0, one(lo))


def parse(argv):
    o = {"identifier": [], "unit": [], "matches": [], "output": "short", "lines": None, "boot": None}
    i = 0
    while i < len(argv):
        a = argv[i]
        key, eq, val = a.partition("=") if a.startswith("--") else (a, "", "")
        if key in VALUE_OPTS:
            if not eq:
                if len(key) == 2 and len(a) > 2:
                    val = a[2:]
                else:
                    i += 1
                    val = argv[i]
            name = VALUE_OPTS[key]
            o[name].append(val) if isinstance(o.get(name), list) else o.__setitem__(name, val)
        elif key in ("-n", "--lines") or (a.startswith("-n") and a[2:].isdigit()):
            if eq:
                o["lines"] = val
            elif len(a) > 2 and not a.startswith("--"):
                o["lines"] = a[2:]
            elif i + 1 < len(argv) and re.fullmatch(r"\+?\d+|all", argv[i + 1]):
                i += 1
                o["lines"] = argv[i]
            else:
                o["lines"] = "10"
        elif key in ("-b", "--boot"):
            if eq:
                o["boot"] = val
            elif i + 1 < len(argv) and re.fullmatch(r"-?\d+|[0-9a-f]{32}", argv[i + 1]):
                i += 1
                o["boot"] = argv[i]
            else:
                o["boot"] = "0"
        elif key in FLAGS:
            if FLAGS[key]:
                o[FLAGS[key]] = True
        elif a.startswith("-") and a != "--":
            raise SystemExit(f"journalctl: unrecognized option '{a}'")
        elif "=" in a:
            o["matches"].append(tuple(a.split("=", 1)))
        i += 1
    return o


def boots(entries):
    order = []
    for e in entries:
        if e.get("_BOOT_ID") and e["_BOOT_ID"] not in order:
            order.append(e["_BOOT_ID"])
    return order


def select(o, entries):
    if o["boot"] is not None:
        current = vfsim_state.load()["boot_id"]
        known = boots(entries)
        if current not in known:
            known.append(current)
        b = o["boot"]
        if re.fullmatch(r"-?\d+", b):
            idx = len(known) - 1 + int(b) if int(b) <= 0 else int(b) - 1
            if not 0 <= idx < len(known):
                raise SystemExit("Data from the specified boot (%s) is not available: No such boot ID in journal" % b)
            b = known[idx]
        entries = [e for e in entries if e.get("_BOOT_ID") == b]
    out = []
    since = parse_time(o["since"]) * 1e6 if o.get("since") else None
    until = parse_time(o["until"]) * 1e6 if o.get("until") else None
    prio = parse_priority(o["priority"]) if o.get("priority") else None
    for e in entries:
        t = int(e["__REALTIME_TIMESTAMP"])
        if (since and t < since) or (until and t > until):
            continue
        if o["identifier"] and e.get("SYSLOG_IDENTIFIER") not in o["identifier"]:
            continue
        if o["unit"] and not any(vfsim_journal.of_unit(e, u if "." in u else u + ".service") for u in o["unit"]):
            continue
        if prio and not prio[0] <= int(e.get("PRIORITY", 6)) <= prio[1]:
            continue
        if o["matches"] and not all(e.get(k) == v for k, v in o["matches"]):
            continue
        if o.get("grep") and not re.search(o["grep"], e.get("MESSAGE", ""), re.I if o["grep"].islower() else 0):
            continue
        out.append(e)
    return out


def render(e, mode, utc=False):
    if mode == "json":
        return json.dumps(e, separators=(",", ":"))
    if mode == "json-pretty":
        return json.dumps(e, indent="\t")
    if mode == "short-unix":
        t = int(e["__REALTIME_TIMESTAMP"])
        return f"{t // 1000000}.{t % 1000000:06d} " + vfsim_journal.format_short(e).split(" ", 3)[3]
    if mode == "verbose":
        t = datetime.datetime.fromtimestamp(int(e["__REALTIME_TIMESTAMP"]) / 1e6)
        head = t.strftime("%a %Y-%m-%d %H:%M:%S.%f ") + time.strftime("%Z") + f" [{e.get('__CURSOR', '')}]"
        return head + "".join(f"\n    {k}={v}" for k, v in sorted(e.items()) if not k.startswith("__"))
    if mode in ("short", "short-iso", "short-precise", "cat", "short-full", "with-unit"):
        return vfsim_journal.format_short(e, "short" if mode in ("short-full", "with-unit") else mode)
    raise SystemExit(f"Unknown output format '{mode}'.")


def with_cursors(entries):
    for i, e in enumerate(entries):
        e["__CURSOR"] = f"s=vfsim;i={i:x};b={e.get('_BOOT_ID', '')};t={int(e['__REALTIME_TIMESTAMP']):x}"
    return entries


def cursor_index(cursor):
    m = re.search(r"i=([0-9a-f]+)", cursor or "")
    return int(m[1], 16) if m else -1


def main(argv):
    o = parse(argv)
    every = with_cursors(vfsim_journal.read_all())
    if o.get("list_boots"):
        ids = boots(every)
        for n, b in enumerate(ids):
            mine = [e for e in every if e.get("_BOOT_ID") == b]
            first, last = (time.strftime("%a %Y-%m-%d %H:%M:%S %Z", time.localtime(int(x["__REALTIME_TIMESTAMP"]) / 1e6))
                           for x in (mine[0], mine[-1]))
            print(f"{n - len(ids) + 1:>3} {b} {first}\u2014{last}")
        return 0
    after = max(cursor_index(o.get("after_cursor")), cursor_index(o.get("cursor")) - 1)
    entries = select(o, every[after + 1:] if after >= 0 else every)
    lines = o["lines"] or ("1000" if o.get("pager_end") else ("10" if o.get("follow") and not o.get("no_tail")
                                                                else None))
    if lines and lines != "all":
        entries = entries[:int(lines[1:])] if lines.startswith("+") else entries[-int(lines):] if int(lines) else []
    if o.get("reverse"):
        entries.reverse()
    mode = o["output"]
    if not entries and not o.get("quiet") and not mode.startswith("json") and not o.get("follow"):
        print("-- No entries --")
    for e in entries:
        print(render(e, mode))
    if not o.get("follow"):
        return 0
    seen = len(every)
    sys.stdout.flush()
    while True:  # --follow: poll the file; ends when the reader kills us
        time.sleep(0.2)
        now = with_cursors(vfsim_journal.read_all())
        if len(now) > seen:
            for e in select(dict(o, boot=o["boot"]), now[seen:]):
                print(render(e, mode))
            seen = len(now)
            sys.stdout.flush()
