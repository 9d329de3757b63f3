#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A tiny SMTP server for health check tests.

    smtpsrv.py IP PORT BANNER HELO-REPLY QUIT-REPLY [LOG]

Sends BANNER on connect, HELO-REPLY to a HELO or EHLO, QUIT-REPLY to
QUIT, then closes; a reply that ends in "\\c" closes the connection
after it is sent.  Every line read is appended to LOG.  Replies take
backslash escapes (\\r\\n)."""
import socketserver
import sys


def unesc(t):
    return t.encode("latin-1").decode("unicode_escape").encode("latin-1")


class Handler(socketserver.StreamRequestHandler):
    def say(self, text):
        """Sends text; False once the connection should close."""
        self.wfile.write(text.removesuffix(b"\\c"))
        return not text.endswith(b"\\c")

    def handle(self):
        srv = self.server
        if not self.say(srv.banner):
            return
        for line in self.rfile:
            if srv.log:
                with open(srv.log, "ab") as f:
                    f.write(line)
            cmd = line[:4].upper()
            if cmd in (b"HELO", b"EHLO"):
                if not self.say(srv.helo):
                    return
            elif cmd == b"QUIT":
                self.say(srv.quit)
                return
            elif not self.say(b"500 unknown command\r\n"):
                return


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.banner, srv.helo, srv.quit = (t.encode("latin-1").replace(
        b"\\c", b"\0c").decode("unicode_escape").encode("latin-1").replace(
        b"\0c", b"\\c") for t in sys.argv[3:6])
    srv.log = sys.argv[6] if len(sys.argv) > 6 else None
    srv.serve_forever()


if __name__ == "__main__":
    main()
