#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Control socket clients (lib/ctlsock) for the tests of every program.

    ctlclients.py idle SOCKET [COMMAND]
        One client that connects and says nothing, and meanwhile a second
        one that sends COMMAND (default "show cli level") once the first
        is connected.  Prints "answered TEXT" for the second (its first
        line), then "closed SECONDS" when the server closes the first (or
        "open" after 30 s).

    ctlclients.py cap SOCKET N
        N clients that connect and say nothing, then one more: prints
        "extra: TEXT" (what that one read before the end of the stream,
        newlines as |), then each of the N asks "show cli level" in
        turn: "client I: TEXT".

    ctlclients.py session SOCKET N COMMAND
        The same for a server whose sessions stay open (a reply ends with
        an empty line): each of the N sends COMMAND and prints the first
        line of its reply, "client I: LINE".
"""
import socket
import sys
import time


def dial(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def readall(s, limit=10):
    s.settimeout(limit)
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                break
            data += b
    except socket.timeout:
        data += b"<timeout>"
    return data.decode(errors="replace").replace("\n", "|")


def ask(path_or_sock, cmd):
    s = dial(path_or_sock) if isinstance(path_or_sock, str) else path_or_sock
    s.sendall(cmd.encode() + b"\n")
    return readall(s)


def idle(path, cmd):
    a = dial(path)
    t0 = time.monotonic()
    s = dial(path)
    s.sendall(cmd.encode() + b"\n")
    s.settimeout(10)
    line = s.makefile("rb").readline().decode(errors="replace")
    s.close()
    print("answered " + line.rstrip("\n"), flush=True)
    a.settimeout(30)
    try:
        gone = a.recv(1) == b""
    except (socket.timeout, ConnectionResetError):
        gone = False
    print("closed %.1f" % (time.monotonic() - t0) if gone else "open",
          flush=True)


def reply(s, limit=5):
    """One reply of an open session: up to the empty line that ends it."""
    s.settimeout(limit)
    data = b""
    try:
        while not data.endswith(b"\n\n"):
            b = s.recv(4096)
            if not b:
                break
            data += b
    except socket.timeout:
        pass
    return data.decode(errors="replace")


def hold(path, n):
    """N idle clients, then one more: prints what the extra one read."""
    held = [dial(path) for _ in range(n)]
    extra = dial(path)
    print("extra: " + readall(extra, 5), flush=True)
    return held


def session(path, n, cmd):
    for i, s in enumerate(hold(path, n)):
        s.sendall(cmd.encode() + b"\n")
        print("client %d: %s" % (i + 1, reply(s).split("\n")[0]), flush=True)


def cap(path, n):
    for i, s in enumerate(hold(path, n)):
        print("client %d: %s" % (i + 1, ask(s, "show cli level")),
              flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "idle":
        idle(sys.argv[2], sys.argv[3] if len(sys.argv) > 3
             else "show cli level")
    elif sys.argv[1] == "session":
        session(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        cap(sys.argv[2], int(sys.argv[3]))
