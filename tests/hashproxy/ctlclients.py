#!/usr/bin/python3
"""Stats socket clients for tests/hashproxy/stats-level.t.

    ctlclients.py idle SOCKET
        One client that connects and says nothing, and meanwhile a second
        one that asks "show cli level" once the first is connected.
        Prints "answered LEVEL" for the second, then "closed SECONDS"
        when the server closes the first (or "open" after 20 s).

    ctlclients.py cap SOCKET N
        N clients that connect and say nothing, then one more: prints
        "extra: TEXT" (what that one read before the end of the stream,
        newlines as |), then each of the N asks "show cli level" in
        turn: "client I: TEXT".
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


def idle(path):
    a = dial(path)
    t0 = time.monotonic()
    print("answered " + ask(path, "show cli level").strip("|"), flush=True)
    a.settimeout(20)
    try:
        gone = a.recv(1) == b""
    except (socket.timeout, ConnectionResetError):
        gone = False
    print("closed %.1f" % (time.monotonic() - t0) if gone else "open",
          flush=True)


def cap(path, n):
    held = [dial(path) for _ in range(n)]
    extra = dial(path)
    print("extra: " + readall(extra, 5), flush=True)
    for i, s in enumerate(held):
        print("client %d: %s" % (i + 1, ask(s, "show cli level")),
              flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "idle":
        idle(sys.argv[2])
    else:
        cap(sys.argv[2], int(sys.argv[3]))
