#!/usr/bin/python3
"""FUSE daemon serving the simulated sysfs (usage: sysfs.py <mountpoint>; stays in the foreground).

Errors mimic kernfs, measured on this machine's /sys: creating a file -> EACCES; mkdir, rename, unlink, rmdir,
symlink, link -> EPERM; opening a read-only attribute for writing or a write-only one for reading -> EACCES.
Writes act synchronously (the kernel's store() runs inside write()), which libvirt's re-read after a bind relies on.
"""
import errno
import fnmatch
import os
import stat
import sys

sys.dont_write_bytecode = True  # the library lives in the source tree
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fusepy import FUSE, FuseOSError, Operations  # noqa: E402

import host_effects  # noqa: E402
import hwstate as H  # noqa: E402
import sysfs_tree as T  # noqa: E402

NOW = time.time()


def write_fault(path, data):
    """A test fault in hw.json's faults[] matching `write /sys/PATH VALUE`: fail the write with its errno."""
    try:
        faults = H.load()["faults"]
    except (OSError, ValueError, KeyError):
        return
    line = "write %s %s" % (path, data.decode(errors="replace").strip())
    for fault in faults:
        if "errno" in fault and fnmatch.fnmatchcase(line, fault["match"]):
            raise FuseOSError(getattr(errno, fault["errno"]))


class SysFs(Operations):
    def __init__(self, tree):
        self.tree = tree

    def _node(self, path):
        try:
            return self.tree.lookup(path)
        except T.Err as e:
            raise FuseOSError(e.errno)

    def getattr(self, path, fh=None):
        node = self._node(path)
        if isinstance(node, T.Dir):
            mode, size, nlink = stat.S_IFDIR | 0o755, 0, node.nlink
        elif isinstance(node, T.Link):
            mode, size, nlink = stat.S_IFLNK | 0o777, 0, 1
        else:
            mode, size, nlink = stat.S_IFREG | node.mode, node.size, 1
        return {"st_mode": mode, "st_size": size, "st_nlink": nlink, "st_uid": 0, "st_gid": 0,
                "st_atime": NOW, "st_mtime": NOW, "st_ctime": NOW}

    def readdir(self, path, fh):
        node = self._node(path)
        if not isinstance(node, T.Dir):
            raise FuseOSError(errno.ENOTDIR)
        return [".", ".."] + node.names

    def readlink(self, path):
        node = self._node(path)
        if not isinstance(node, T.Link):
            raise FuseOSError(errno.EINVAL)
        return node.target

    def open(self, path, flags):
        node = self._node(path)
        if not isinstance(node, T.File):
            raise FuseOSError(errno.EISDIR)
        acc = flags & os.O_ACCMODE
        if acc in (os.O_WRONLY, os.O_RDWR) and node.write is None:
            raise FuseOSError(errno.EACCES)
        if acc in (os.O_RDONLY, os.O_RDWR) and node.read is None:
            raise FuseOSError(errno.EACCES)
        return 0

    def read(self, path, size, offset, fh):
        node = self._node(path)
        try:
            data = node.read()
        except T.Err as e:
            raise FuseOSError(e.errno)
        return data[offset:offset + size]

    def write(self, path, data, offset, fh):
        node = self._node(path)
        if node.write is None:
            raise FuseOSError(errno.EACCES)
        write_fault("/sys" + path, data)
        try:
            node.write(data)
        except T.Err as e:
            raise FuseOSError(e.errno)
        return len(data)

    def truncate(self, path, length, fh=None):
        node = self._node(path)
        if not isinstance(node, T.File) or node.write is None:
            raise FuseOSError(errno.EACCES)
        return 0

    def create(self, path, mode, fi=None):
        raise FuseOSError(errno.EACCES)

    def _eperm(self, *_args):
        raise FuseOSError(errno.EPERM)

    mkdir = rmdir = unlink = rename = symlink = link = mknod = _eperm

    def chmod(self, path, mode):
        self._node(path)
        return 0

    def chown(self, path, uid, gid):
        self._node(path)
        return 0

    def utimens(self, path, times=None):
        self._node(path)
        return 0

    def statfs(self, path):
        return {"f_bsize": 4096, "f_blocks": 0, "f_bavail": 0, "f_bfree": 0, "f_files": 0, "f_ffree": 0,
                "f_namemax": 255}


def real_pci_devices():
    base = "/sys/bus/pci/devices"
    try:
        return {name: os.readlink(os.path.join(base, name)) for name in os.listdir(base)}
    except OSError:
        return {}


def main():
    mountpoint = sys.argv[1]
    tree = T.Tree(real_pci_devices())
    host_effects.reconcile_devnodes(tree.state())
    FUSE(SysFs(tree), mountpoint, foreground=True, allow_other=True, direct_io=True, fsname="sysfs",
         entry_timeout=0, attr_timeout=0, negative_timeout=0, default_permissions=False)


if __name__ == "__main__":
    main()
