#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""An HTTP server whose status a test changes at run time:

    statussrv.py IP PORT FILE   answers every request with the status
                                line FILE holds ("200 OK", "404 Not
                                Found"...), an empty body, then closes.

FILE is read at each request, so writing it changes the next answer."""
import socketserver
import sys


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            b = s.recv(4096)
            if not b:
                return
            data += b
        try:
            with open(self.server.file) as f:
                status = f.read().strip() or "500 Empty"
        except OSError:
            status = "500 No file"
        s.sendall(("HTTP/1.1 %s\r\nContent-Length: 0\r\n"
                   "Connection: close\r\n\r\n" % status).encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
srv.file = sys.argv[3]
srv.serve_forever()
