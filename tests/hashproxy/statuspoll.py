#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Records the status column of a proxy's servers as it changes, from
one or more stats sockets polled side by side:

    statuspoll.py MS PROXY OUT LABEL=SOCKET...

Every MS milliseconds, a "show stat" on each SOCKET; a line
"LABEL SERVER STATUS" is appended to OUT (flushed at once: a test waits
on it) each time a server's status differs from the one last seen on
that socket.  A server whose chkfail grew by more than one between two
polls gets a line "LABEL SERVER missed N": a poll came too late to see
every failed check, and the sequence above it may lack a step.  Runs
until killed.  One process for every socket: a socat per poll forked
more than the proxies under test spend."""
import csv
import socket
import sys
import time


def show_stat(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect(path)
        s.sendall(b"show stat\n")
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    finally:
        s.close()
    return data.decode(errors="replace")


def servers(text, proxy):
    """{server: (status, chkfail)} for PROXY's servers in a show stat."""
    rows = list(csv.reader(text.splitlines()))
    if not rows or not rows[0] or not rows[0][0].startswith("# "):
        return {}
    head = [h.lstrip("# ") for h in rows[0]]
    col = {h: i for i, h in enumerate(head)}
    out = {}
    for r in rows[1:]:
        if len(r) < len(head) or r[0] != proxy or \
                r[1] in ("FRONTEND", "BACKEND"):
            continue
        fail = r[col["chkfail"]]
        out[r[1]] = (r[col["status"]], int(fail) if fail.isdigit() else 0)
    return out


def main():
    period = int(sys.argv[1]) / 1000.0
    proxy, outpath = sys.argv[2], sys.argv[3]
    socks = [a.split("=", 1) for a in sys.argv[4:]]
    last = {}
    with open(outpath, "a") as out:
        while True:
            start = time.monotonic()
            for label, path in socks:
                try:
                    now = servers(show_stat(path), proxy)
                except OSError:
                    continue
                for sv, (st, fail) in sorted(now.items()):
                    prev = last.get((label, sv))
                    if prev is not None and fail - prev[1] > 1:
                        out.write("%s %s missed %d\n" %
                                  (label, sv, fail - prev[1] - 1))
                    if prev is None or prev[0] != st:
                        out.write("%s %s %s\n" % (label, sv, st))
                    last[(label, sv)] = (st, fail)
            out.flush()
            time.sleep(max(0.0, period - (time.monotonic() - start)))


main()
