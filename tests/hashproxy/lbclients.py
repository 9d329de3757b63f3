#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Scripted clients and servers for hashproxy's queue and balance tests.

    lbclients.py PORT STEP...       clients of 127.0.0.1:PORT
    lbclients.py serve ADDR PORT MODE   a server (until killed)

A client step prints one line per result, flushed:
    open:N[:SRC]   N connections one after the other, each sends an HTTP
                   request and waits up to 2s for the answer: "ID NAME"
                   (the answering backend), "ID wait" (connected, no byte
                   yet: it stays open and pending) or "ID closed"
    close:ID       closes connection ID
    wait:ID:SECS   waits up to SECS for ID's answer: "ID NAME|closed|wait"
    shut:ID        sends ID's FIN (half-close), reads on
    gone:ID:SECS   waits up to SECS for the proxy to close ID: "ID gone
                   MS" (milliseconds after the step began) or "ID open"
    raw:ID[:SRC]   a connection that sends nothing: "ID open" or
                   "ID closed"
    line:ID:SECS   reads one line from ID: "ID line TEXT" or "ID none"
    stat:SOCK:PX:SV[:SCUR]  the qcur,qmax,scur of one "show stat" row of
                   the stats socket SOCK: "stat PX SV QCUR QMAX SCUR"; with
                   SCUR, the row once its scur is SCUR (a proxy may count
                   a client it just closed a moment longer: haproxy's
                   threads), or after 2s the row as it is
    busy:SOCK:PX:SV:SECS  waits up to SECS for that row's scur to be 1 or
                   more (the proxy took a client to that server): prints
                   nothing, or "idle" on time-out
    idle:SOCK:SECS waits up to SECS for "show info" of the stats socket
                   SOCK to say CurrConns: 0: "idle MS" or "busy"
    count          "count NAME N" per backend over the answered ones
Server modes: "silent" reads and never answers nor closes; "hello" says
"hi" at once, then reads and never answers nor closes; "finfirst" says
"hi" and half-closes at once, then reads and never closes; "peer" says
the client's address and port and closes.
"""
import select
import socket
import sys
import threading
import time

REQ = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def out(*a):
    print(*a, flush=True)


def answer(s, secs):
    """The body of an HTTP answer on s, "closed", or "wait"."""
    buf = b""
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return "wait" if not buf else "partial"
        r, _, _ = select.select([s], [], [], left)
        if not r:
            continue
        try:
            d = s.recv(4096)
        except OSError:
            return "closed"
        if not d:
            return "closed"
        buf += d
        if b"\r\n\r\n" in buf:
            head, body = buf.split(b"\r\n\r\n", 1)
            clen = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    clen = int(line.split(b":")[1])
            if len(body) >= clen:
                return body[:clen].decode().strip()


def gone(s, secs):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], end - time.monotonic())
        if r:
            try:
                if not s.recv(4096):
                    return True
            except OSError:
                return True
    return False


def ask(sock, cmd):
    u = socket.socket(socket.AF_UNIX)
    u.connect(sock)
    u.sendall(cmd)
    data = b""
    while True:
        d = u.recv(65536)
        if not d:
            break
        data += d
        if data.endswith(b"\n\n"):
            break
    u.close()
    return data.decode()


def curconns(sock):
    for line in ask(sock, b"show info\n").splitlines():
        if line.startswith("CurrConns:"):
            return int(line.split(":")[1])
    return -1


def stat(sock, px, sv):
    lines = ask(sock, b"show stat\n").splitlines()
    names = lines[0].lstrip("# ").split(",")
    for line in lines[1:]:
        f = dict(zip(names, line.split(",")))
        if f.get("pxname") == px and f.get("svname") == sv:
            return "%s %s %s" % (f["qcur"], f["qmax"], f["scur"])
    return "none"


def connect(port, src):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if src:
        s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def clients(port, steps):
    conns, names = {}, {}
    for step in steps:
        a = step.split(":")
        if a[0] == "open":
            for _ in range(int(a[1])):
                i = len(conns) + 1
                s = connect(port, a[2] if len(a) > 2 else None)
                s.sendall(REQ)
                conns[i] = s
                names[i] = answer(s, 2)
                out(i, names[i])
        elif a[0] == "raw":
            i = int(a[1])
            conns[i] = connect(port, a[2] if len(a) > 2 else None)
            out(i, "open")
        elif a[0] == "close":
            conns.pop(int(a[1])).close()
            names.pop(int(a[1]), None)
        elif a[0] == "wait":
            i = int(a[1])
            names[i] = answer(conns[i], float(a[2]))
            out(i, names[i])
        elif a[0] == "shut":
            conns[int(a[1])].shutdown(socket.SHUT_WR)
        elif a[0] == "gone":
            t0 = time.monotonic()
            if gone(conns[int(a[1])], float(a[2])):
                out(a[1], "gone", int((time.monotonic() - t0) * 1000))
            else:
                out(a[1], "open")
        elif a[0] == "line":
            s = conns[int(a[1])]
            r, _, _ = select.select([s], [], [], float(a[2]))
            d = s.recv(4096) if r else b""
            out(a[1], "line", d.decode().strip()) if d else out(a[1], "none")
        elif a[0] == "stat":
            row = stat(a[1], a[2], a[3])
            end = time.monotonic() + 2
            while (len(a) > 4 and row.split(" ")[-1] != a[4]
                   and time.monotonic() < end):
                time.sleep(0.02)
                row = stat(a[1], a[2], a[3])
            out("stat", a[2], a[3], row)
        elif a[0] == "busy":
            t0 = time.monotonic()
            while True:
                scur = stat(a[1], a[2], a[3]).split(" ")[-1]
                if scur.isdigit() and int(scur) >= 1:
                    break
                if time.monotonic() - t0 > float(a[4]):
                    out("idle")
                    break
                time.sleep(0.02)
        elif a[0] == "idle":
            t0 = time.monotonic()
            while curconns(a[1]) != 0:
                if time.monotonic() - t0 > float(a[2]):
                    out("busy")
                    break
                time.sleep(0.02)
            else:
                out("idle", int((time.monotonic() - t0) * 1000))
        elif a[0] == "count":
            n = {}
            for v in names.values():
                n[v] = n.get(v, 0) + 1
            for k in sorted(n):
                out("count", k, n[k])
        else:
            sys.exit("unknown step " + step)


def serve_one(c, mode):
    try:
        if mode == "peer":
            c.sendall(("%s %d\n" % c.getpeername()[:2]).encode())
            c.close()
            return
        if mode in ("hello", "finfirst"):
            c.sendall(b"hi\n")
        if mode == "finfirst":
            c.shutdown(socket.SHUT_WR)
        while c.recv(4096):
            pass
        # the peer's FIN: keep our side open, never close
        threading.Event().wait()
    except OSError:
        pass


def serve(addr, port, mode):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(128)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve_one, args=(c, mode),
                         daemon=True).start()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        clients(int(sys.argv[1]), sys.argv[2:])
