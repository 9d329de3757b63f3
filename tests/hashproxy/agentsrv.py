#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""An agent for agent-check whose answer a test changes at run time:

    agentsrv.py IP PORT FILE   answers every connection with the line
                               FILE holds ("50%", "drain", "down #why"...)
                               and closes.

FILE is read at each connection, so writing it changes the next answer."""
import socketserver
import sys


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            with open(self.server.file) as f:
                line = f.read().strip()
        except OSError:
            line = ""
        self.request.sendall((line + "\n").encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.file = sys.argv[3]
    srv.serve_forever()


if __name__ == "__main__":
    main()
