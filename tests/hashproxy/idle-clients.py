#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Idle clients for tests/hashproxy/defaults.t.

    idle-clients.py HOST PORT N SRCFILE

Opens N TCP connections to HOST:PORT, from the source addresses in
SRCFILE in turn, says nothing on them and reads nothing: clients that
went quiet.  Connects that the server's kernel does not complete yet stay
pending.  Prints "opened N" once every connect was started, then holds
them all until stdin closes, then closes them and exits.
"""
import resource
import socket
import sys


def main():
    host, port, n, srcfile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with open(srcfile) as f:
        sources = [line.strip() for line in f if line.strip()]
    # as many descriptors as the hard limit allows: the test raised it
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((sources[i % len(sources)], 0))
        s.connect_ex((host, port))
        socks.append(s)
    print("opened", len(socks), flush=True)
    sys.stdin.read()
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
