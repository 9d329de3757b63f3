#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""An agent for agent-check that answers what it was sent:

    agentecho.py IP PORT   reads what the proxy sends (agent-send) for a
                           moment, answers it back as its line ("up" when
                           nothing came) and closes.

So a test sees agent-send's effect: "drain" sent is "drain" answered."""
import socket
import socketserver
import sys


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(0.3)
        try:
            got = self.request.recv(256).decode(errors="replace").strip()
        except (socket.timeout, OSError):
            got = ""
        self.request.sendall(((got or "up") + "\n").encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.serve_forever()


if __name__ == "__main__":
    main()
