#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The keepalive options of another process's TCP sockets, read from the
sockets themselves (pidfd_getfd(2), root): what option tcpka set.

    sockopts.py PID local|peer ADDR:PORT

One line per established socket of PID whose local (or peer) address is
ADDR:PORT: "SO_KEEPALIVE TCP_KEEPCNT TCP_KEEPIDLE TCP_KEEPINTVL"."""
import ctypes
import os
import re
import socket
import subprocess
import sys

SYS_PIDFD_GETFD = 438


def fds(pid, side, addr):
    """The fds of PID's established sockets with addr on that side."""
    out = subprocess.run(["ss", "-tnpH", "state", "established"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        # no state column with a state filter: Recv-Q Send-Q Local Peer
        if f[2 if side == "local" else 3] != addr:
            continue
        for m in re.finditer(r"pid=(\d+),fd=(\d+)", line):
            if int(m.group(1)) == pid:
                yield int(m.group(2))


def main():
    pid, side, addr = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    for tfd in sorted(set(fds(pid, side, addr))):
        fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, tfd, 0)
        if fd < 0:
            sys.exit("pidfd_getfd: " + os.strerror(ctypes.get_errno()))
        s = socket.socket(fileno=fd)
        print(s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
              s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
              s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
              s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL))
        s.detach()
        os.close(fd)


if __name__ == "__main__":
    main()
