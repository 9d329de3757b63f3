#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A server's row of "show stat", for a test that polls it (observe.t).

    statrow.py      reads requests "SOCKET PROXY COLUMNS", one a line, and
                    answers each with a line: "COL=VALUE ..." for the
                    columns (comma-separated) of server "s" of PROXY, as
                    the stats socket SOCKET gives them now; a check's
                    duration in ms as N (it varies), haproxy's -1 (none)
                    as printed; an empty line when there is no such row

One process for a test's hundred polls: each was a socat and a python3.
"""
import csv
import socket
import sys


def show_stat(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    got = b""
    try:
        s.connect(path)
        s.sendall(b"show stat\n")
        s.shutdown(socket.SHUT_WR)
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except OSError:
        pass
    finally:
        s.close()
    return got.decode(errors="replace")


def val(d, c):
    v = d[c]
    if c == "check_duration" and v.isdigit() and len(v) < 10:
        return "N"
    return v


def row(path, proxy, cols):
    rows = list(csv.reader(show_stat(path).splitlines()))
    if not rows:
        return ""
    head = [h.lstrip("# ") for h in rows[0]]
    out = []
    for r in rows[1:]:
        d = dict(zip(head, r))
        if d.get("pxname") == proxy and d.get("svname") == "s":
            out.append(" ".join(c + "=" + val(d, c) for c in cols.split(",")))
    # one line an answer: there is one server s a proxy
    return " ".join(out)


def main():
    for req in sys.stdin:
        try:
            ans = row(*req.split())
        except (KeyError, TypeError):   # no such column, a bad request
            ans = ""
        print(ans, flush=True)


if __name__ == "__main__":
    main()
