#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A server and a client for the PROXY protocol tests (proxyproto.t).

    ppserver.py serve ADDR PORT OUT   records what each connection sent
                                      (until killed)
    ppserver.py send ADDR PORT SRC HEXBYTES [HEXBYTES2]
                                      sends HEXBYTES from SRC (an address,
                                      or ADDR:PORT), then a FIN; prints the
                                      answer, or "closed" when none came.
                                      HEXBYTES2 goes 0.3s after the first
                                      ones, in a segment of its own
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


def serve(addr, port, out, name):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(64)
    lock = threading.Lock()

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
    print(body if body else "closed", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], sys.argv[4],
              sys.argv[6] if len(sys.argv) > 6 else None)
    elif sys.argv[1] == "stall":
        stall(*sys.argv[2:6])
    else:
        send(*sys.argv[2:])
