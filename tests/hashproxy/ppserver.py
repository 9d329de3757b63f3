#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A server and a client for the PROXY protocol tests (proxyproto.t).

    ppserver.py serve ADDR PORT OUT   records what each connection sent
                                      (until killed)
    ppserver.py serve ADDR PORT OUT NAME [ADDR PORT OUT NAME]...
                                      the same on each ADDR PORT, in one
                                      process; NAME "-" is no name
    ppserver.py send ADDR PORT SRC HEXBYTES [HEXBYTES2]
                                      sends HEXBYTES from SRC (an address,
                                      or ADDR:PORT), then a FIN; prints the
                                      answer, or "closed" when none came.
                                      HEXBYTES2 goes 0.3s after the first
                                      ones, in a segment of its own
    ppserver.py sends                 a send per line read (ADDR PORT SRC
                                      HEXBYTES [HEXBYTES2]), one after the
                                      other, a line printed for each: one
                                      start for many connections
    ppserver.py stall ADDR PORT HEXBYTES SECS
                                      sends HEXBYTES and nothing more: prints
                                      "closed MS" once the other side closes
                                      (MS after the send), or "open" after
                                      SECS

The server reads each connection to its end (or for 2s), then appends one
line to OUT, the bytes in hex, and answers "seen".  A request line among
them (an HTTP client behind the header) is answered with the server's
name instead: "name NAME" after serve's arguments sets it.
"""
import socket
import sys
import threading
import time


lock = threading.Lock()


def listen(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(64)
    return ls


def serve(ls, out, name):

    def one(c):
        c.settimeout(2)
        got = b""
        try:
            while True:
                b = c.recv(65536)
                if not b:
                    break
                got += b
                if name and got.endswith(b"\r\n\r\n"):
                    break
        except OSError:
            pass
        with lock, open(out, "a") as f:
            f.write(got.hex() + "\n")
        try:
            if name:
                c.sendall(("HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s"
                           % (len(name), name)).encode())
            else:
                c.sendall(b"seen\n")
        except OSError:
            pass
        c.close()

    while True:
        c, _ = ls.accept()
        threading.Thread(target=one, args=(c,), daemon=True).start()


def stall(addr, port, data, secs):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.connect((addr, int(port)))
    s.sendall(bytes.fromhex(data))
    t0 = time.monotonic()
    s.settimeout(float(secs))
    try:
        while s.recv(65536):
            pass
        print("closed %d" % ((time.monotonic() - t0) * 1000), flush=True)
    except socket.timeout:
        print("open", flush=True)
    except OSError:
        print("closed %d" % ((time.monotonic() - t0) * 1000), flush=True)


def send(addr, port, src, data, data2=None):
    print(exchange(addr, port, src, data, data2), flush=True)


def sends():
    for line in sys.stdin:
        if line.split():
            send(*line.split())


def exchange(addr, port, src, data, data2=None):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    host, _, sport = src.rpartition(":") if src.count(":") == 1 or \
        src.startswith("[") else (src, "", "0")
    s.bind((host.strip("[]"), int(sport or 0)))
    s.settimeout(5)
    try:
        # a proxy that resets at accept may do so before connect returns
        s.connect((addr, int(port)))
        s.sendall(bytes.fromhex(data))
        if data2:
            # the rest in a segment of its own: the proxy saw the first
            # part alone (a wait on the proxy is the point, not a race)
            time.sleep(0.3)
            s.sendall(bytes.fromhex(data2))
        s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except OSError:
        got = b""
    body = got.split(b"\r\n\r\n", 1)[-1].decode(errors="replace").strip()
    return body if body else "closed"


def serve_all(args):
    if len(args) == 3:
        args = args + ["-"]
    elif len(args) == 5 and args[3] == "name":
        args = args[:3] + args[4:]
    # every socket bound before any is served: a bind that fails fails
    # the whole process, as with one listener
    todo = [(listen(args[i], args[i + 1]), args[i + 2],
             None if args[i + 3] == "-" else args[i + 3])
            for i in range(0, len(args), 4)]
    for ls, out, name in todo[1:]:
        threading.Thread(target=serve, args=(ls, out, name),
                         daemon=True).start()
    serve(*todo[0])


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve_all(sys.argv[2:])
    elif sys.argv[1] == "sends":
        sends()
    elif sys.argv[1] == "stall":
        stall(*sys.argv[2:6])
    else:
        send(*sys.argv[2:])
