#!/usr/bin/env python3
"""A read-only FUSE pass-through that waits before answering each read, to stand in for a
cloud bucket mounted as a folder (every read a round trip to the server).

    pip install -r benches/requirements.txt
    python3 benches/slowfs.py SOURCE_DIR MOUNTPOINT LATENCY_MS &   # foreground; fusermount -u to stop

Each FUSE read request (the kernel asks for up to 128 KiB at a time) sleeps LATENCY_MS before
it reads from SOURCE_DIR; requests are served by several threads, as real FUSE servers do, so
reads issued at the same time wait together. The counts of requests and bytes are printed to
stderr when it is unmounted. Used by benches/remote.sh; never by the test suite.
"""

import errno
import os
import sys
import threading
import time

from fuse import FUSE, FuseOSError, Operations


class Slow(Operations):
    def __init__(self, root, latency):
        self.root = root
        self.latency = latency
        self.mutex = threading.Lock()
        self.requests = 0
        self.bytes = 0

    def _path(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def getattr(self, path, fh=None):
        try:
            st = os.lstat(self._path(path))
        except OSError as e:
            raise FuseOSError(e.errno)
        keys = ("st_mode", "st_nlink", "st_size", "st_uid", "st_gid",
                "st_atime", "st_mtime", "st_ctime")
        return {k: getattr(st, k) for k in keys}

    def readdir(self, path, fh):
        return [".", ".."] + os.listdir(self._path(path))

    def open(self, path, flags):
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise FuseOSError(errno.EROFS)
        return os.open(self._path(path), os.O_RDONLY)

    def read(self, path, size, offset, fh):
        time.sleep(self.latency)
        data = os.pread(fh, size, offset)
        with self.mutex:
            self.requests += 1
            self.bytes += len(data)
        return data

    def release(self, path, fh):
        os.close(fh)

    def statfs(self, path):
        st = os.statvfs(self._path(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail",
                "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")
        return {k: getattr(st, k) for k in keys}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    root, mountpoint, latency_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    ops = Slow(os.path.abspath(root), latency_ms / 1000)
    try:
        FUSE(ops, mountpoint, foreground=True, ro=True, nothreads=False)
    finally:
        print(f"slowfs: {ops.requests} read requests, {ops.bytes} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
