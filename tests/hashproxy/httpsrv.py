#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""An HTTP server for health check tests: its reply shows what the check
sent, so a check can look for its own request in the body.

    httpsrv.py IP PORT good   200 OK, X-Role: primary, X-List: a, b
    httpsrv.py IP PORT bad    503 Service Unavailable, X-Role: replica,
                              X-List: c

The body is "ok role=primary" (or "down role=replica"), a newline, then
the request as read: a PROXY line if one came, the request line, the
headers and a body of Content-Length bytes.  One reply per connection,
then close."""
import socket
import socketserver
import sys


def read_request(s):
    data = b""
    while b"\r\n\r\n" not in data:
        b = s.recv(4096)
        if not b:
            return data
        data += b
        if len(data) > 65536:
            return data
    head, _, rest = data.partition(b"\r\n\r\n")
    clen = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            clen = int(value.strip() or b"0")
    while len(rest) < clen:
        b = s.recv(4096)
        if not b:
            break
        rest += b
    return head + b"\r\n\r\n" + rest


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(5)
        try:
            req = read_request(s)
        except OSError:
            return
        if self.server.mode == "good":
            status, hdrs, first = (b"200 OK", b"X-Role: primary\r\n"
                                   b"X-List: a, b\r\n", b"ok role=primary")
        else:
            status, hdrs, first = (b"503 Service Unavailable",
                                   b"X-Role: replica\r\nX-List: c\r\n",
                                   b"down role=replica")
        body = first + b"\n" + req
        try:
            s.sendall(b"HTTP/1.1 " + status + b"\r\n" + hdrs +
                      b"Content-Type: text/plain\r\nContent-Length: " +
                      str(len(body)).encode() + b"\r\nConnection: close\r\n"
                      b"\r\n" + body)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    # dozens of checks a second from two proxies
    request_queue_size = 256


def main():
    ip, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    srv = Server((ip, port), Handler)
    srv.mode = mode
    srv.serve_forever()


if __name__ == "__main__":
    main()
