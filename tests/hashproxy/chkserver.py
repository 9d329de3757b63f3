#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A TCP server for health check tests: speaks just enough to pass or
fail a tcp-check rule list.

    chkserver.py IP PORT greet TEXT   sends TEXT on connect
    chkserver.py IP PORT reply TEXT   sends TEXT after the first bytes
    chkserver.py IP PORT mute         reads, never answers
    chkserver.py IP PORT close        closes after the first bytes
    chkserver.py IP PORT reset        resets (RST) after the first bytes

TEXT takes backslash escapes (\\r, \\n, \\x00).  Each connection stays
open until the client closes it."""
import socket
import socketserver
import sys


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        mode = self.server.mode
        s = self.request
        if mode == "close":
            s.recv(4096)
            return
        if mode == "reset":
            s.recv(4096)
            # SO_LINGER with a zero timeout: close() sends RST, not FIN
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
            return
        if mode == "greet":
            s.sendall(self.server.text)
        try:
            first = True
            while True:
                b = s.recv(4096)
                if not b:
                    return
                if mode == "reply" and first:
                    s.sendall(self.server.text)
                first = False
        except OSError:
            return


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    ip, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    srv = Server((ip, port), Handler)
    srv.mode = mode
    text = sys.argv[4] if len(sys.argv) > 4 else ""
    srv.text = text.encode("latin-1").decode("unicode_escape").encode("latin-1")
    srv.serve_forever()


if __name__ == "__main__":
    main()
