#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Sessions that end early or badly, to see what a proxy counts of them.

    abrt.py serve IP PORT
    abrt.py client PORT HOW...

The server answers each line a client sends: "hold" with "held" 50 ms
later (then keeps the session until the peer closes it), "rst" with a reset, "fin"
with a close; it closes once the peer has.  The client runs each HOW on
its own connection to 127.0.0.1:PORT, one after the other, and prints
one line per HOW with what it saw:

    early-fin   connect, close at once
    early-rst   connect, reset at once
    cli-fin     "hold", its answer, then close (a clean end)
    cli-rst     "hold", its answer, then reset
    srv-fin     "fin": the server closes
    srv-rst     "rst": the server resets
    idle        "hold", its answer, then wait for the proxy to close
    wait        "hold", its answer (a line "wait held" then), then wait
                for stdin to end, then close as cli-fin
    silent      nothing: wait for the proxy to close
"""
import socket
import struct
import sys
import threading
import time


def rst(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def serve_one(c):
    buf = b""
    try:
        while True:
            d = c.recv(4096)
            if not d:
                c.close()
                return
            buf += d
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line == b"hold":
                    # later than the "hold" passed: a proxy's timers
                    # that started at it have not run out with the
                    # answer's
                    time.sleep(0.05)
                    c.sendall(b"held\n")
                elif line == b"rst":
                    rst(c)
                    return
                elif line == b"fin":
                    c.close()
                    return
    except OSError:
        c.close()


def serve(ip, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((ip, int(port)))
    ls.listen(64)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve_one, args=(c,), daemon=True).start()


def until_eof(s):
    """What the client saw: "eof", "reset" or "timeout"."""
    try:
        while s.recv(4096):
            pass
        return "eof"
    except ConnectionResetError:
        return "reset"
    except socket.timeout:
        return "timeout"


def held(s):
    s.sendall(b"hold\n")
    got = b""
    while not got.endswith(b"\n"):
        d = s.recv(64)
        if not d:
            return False
        got += d
    return got == b"held\n"


def client(port, how):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    if how == "early-fin":
        s.close()
        return "closed"
    if how == "silent":
        r = until_eof(s)
        s.close()
        return r
    if how == "early-rst":
        rst(s)
        return "reset"
    if how in ("cli-fin", "cli-rst", "idle", "wait"):
        if not held(s):
            s.close()
            return "not held"
        if how == "wait":
            print(how, "held", flush=True)
            sys.stdin.read()
            how = "cli-fin"
        if how == "cli-fin":
            s.shutdown(socket.SHUT_WR)
            r = until_eof(s)
            s.close()
            return r
        if how == "cli-rst":
            rst(s)
            return "reset"
        r = until_eof(s)
        s.close()
        return r
    s.sendall(how[4:].encode() + b"\n")
    r = until_eof(s)
    s.close()
    return r


def main():
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    for how in sys.argv[3:]:
        try:
            print(how, client(sys.argv[2], how), flush=True)
        except OSError as e:
            print(how, "error", e.__class__.__name__, flush=True)


main()
