#!/usr/bin/python3 -B
"""The body of the fake tools inside one simulated host (toolclient.c is their face).

A Python start-up with the tools' libraries costs 100-150 ms of CPU; a real tool a few milliseconds. This server
loads the libraries once and, for each tool call, forks: the child takes the caller's stdin/stdout/stderr (passed
with SCM_RIGHTS), argv, environment, working directory and user, runs the tool's script as __main__, and its exit
status goes back to the caller. So a fake costs about what the real tool costs, plus its stated delay.

One thread: forks only from the main loop. A caller that goes away (killed by `timeout`) gets its tool killed.
Usage (inside the host): toolsrv.py SOCKET SCRIPTS_DIR PIDFILE
"""
import array
import io
import os
import pwd
import runpy
import selectors
import signal
import socket
import struct
import sys
import traceback

SOCK, SCRIPTS, PIDFILE = sys.argv[1:4]
HERE = os.path.dirname(os.path.realpath(__file__))
SIMHOST = os.path.dirname(HERE)
for d in (os.path.join(SIMHOST, "services", "lib"), os.path.join(SIMHOST, "hw", "lib")):
    sys.path.insert(0, d)
sys.dont_write_bytecode = True

# the libraries the tools import; a failure here only makes that tool load its own
for mod in ("hwstate", "tool", "vfsim_state", "vfsim_catalog", "vfsim_journal", "vfsim_client", "vfsim_systemctl",
            "vfsim_rpm", "vfsim_nm", "vfsim_firewallcmd", "vfsim_journalctl", "vfsim_logger", "dbus", "gi.repository.GLib",
            "pkgutil", "importlib.util", "importlib.machinery", "fnmatch", "json", "argparse", "subprocess", "hashlib", "base64", "xml.etree.ElementTree"):
    try:
        __import__(mod)
    except Exception:  # noqa: BLE001 - optional preload
        pass


def read_request(conn):
    """(fds, [name, cwd, argc, argv..., env...]) or None."""
    fds = array.array("i")
    msg, anc, _flags, _addr = conn.recvmsg(4, socket.CMSG_SPACE(3 * fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - (len(data) % fds.itemsize)])
    if len(msg) != 4 or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    (n,) = struct.unpack("=I", msg)
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    if len(buf) != n:
        for fd in fds:
            os.close(fd)
        return None
    return list(fds), buf.split(b"\0")[:-1]


def run_tool(conn, fds, words, uid, gid):
    """In the child: become the caller's process and run the tool; never returns."""
    code = 1
    try:
        name, cwd, argc = os.fsdecode(words[0]), words[1], int(words[2])
        argv = [os.fsdecode(w) for w in words[3:3 + argc]]
        env = dict(w.split(b"=", 1) for w in words[3 + argc:] if b"=" in w)
        conn.close()
        os.setpgid(0, 0)  # the server kills this group when the caller goes away
        for i, fd in enumerate(fds):
            os.dup2(fd, i)
            os.close(fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as at a Python start-up; tools that want it reset it
        if uid != 0:
            os.setgroups([])
            try:
                os.initgroups(pwd.getpwuid(uid).pw_name, gid)
            except KeyError:
                pass
            os.setgid(gid)
            os.setuid(uid)
        os.environb.clear()
        os.environb.update(env)
        try:
            os.chdir(cwd)
        except OSError:
            pass
        # the streams a fresh interpreter would have made (UTF-8; C-locale coercion gives the same)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="surrogateescape")
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="surrogateescape",
                                      line_buffering=os.isatty(1))
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace",
                                      line_buffering=True)
        script = os.path.realpath(os.path.join(SCRIPTS, name))
        sys.argv = [argv[0] if argv else name] + argv[1:]
        try:
            runpy.run_path(script, run_name="__main__")
            code = 0
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code & 0xFF
            else:
                sys.stderr.write(str(e.code) + "\n")
                code = 1
        except KeyboardInterrupt:
            code = 130
        except BaseException:  # noqa: BLE001 - as an uncaught exception would end the tool
            traceback.print_exc()
            code = 1
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except (OSError, ValueError):
                pass
    except BaseException:  # noqa: BLE001
        try:
            traceback.print_exc()
        except BaseException:  # noqa: BLE001
            pass
    os._exit(code)


def main():
    try:
        os.unlink(SOCK)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(SOCK + ".new")
    os.chmod(SOCK + ".new", 0o666)
    srv.listen(128)
    os.rename(SOCK + ".new", SOCK)
    with open(PIDFILE, "w") as f:
        f.write(f"{os.getpid()}\n")
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ, ("accept", None))
    running = {}  # pid -> (conn, pidfd)

    def finish(pid, status_byte):
        conn, pidfd = running.pop(pid)
        sel.unregister(conn)
        sel.unregister(pidfd)
        os.close(pidfd)
        try:
            conn.sendall(bytes([status_byte]))
        except OSError:
            pass
        conn.close()

    while True:
        for key, _ev in sel.select():
            kind, pid = key.data
            if kind == "accept":
                conn, _ = srv.accept()
                conn.settimeout(5)
                try:
                    req = read_request(conn)
                    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
                    _cpid, uid, gid = struct.unpack("3i", creds)
                except OSError:
                    req = None
                if req is None:
                    conn.close()
                    continue
                fds, words = req
                child = os.fork()
                if child == 0:
                    run_tool(conn, fds, words, uid, gid)
                for fd in fds:
                    os.close(fd)
                pidfd = os.pidfd_open(child)
                running[child] = (conn, pidfd)
                sel.register(conn, selectors.EVENT_READ, ("caller", child))
                sel.register(pidfd, selectors.EVENT_READ, ("child", child))
            elif kind == "child" and pid in running:
                # (not when its caller's hang-up, in the same batch, already ended it)
                _, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
                finish(pid, code if code >= 0 else 128 - code)
            elif kind == "caller" and pid in running:
                # the caller sends nothing after its request: readable means it is gone
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                finish(pid, 137)


if __name__ == "__main__":
    main()
