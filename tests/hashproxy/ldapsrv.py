#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""An LDAP server for option ldap-check's tests: it reads a BindRequest
(RFC 4511 4.2, BER as in X.690) and answers it.

    ldapsrv.py IP PORT MODE

MODE: a number, the BindResponse's resultCode (0 success, 49
invalidCredentials...); "long", success with the lengths in 4-byte long
form, as Active Directory sends them; "otherid", success for message 2;
"short", the first 12 bytes of a success, then a close; "close", a
close without an answer."""
import socketserver
import sys


def tlv(tag, value):
    """A BER element with a short-form length."""
    return bytes([tag, len(value)]) + value


def tlv4(tag, value):
    """A BER element with a 4-byte long-form length."""
    return bytes([tag, 0x84]) + len(value).to_bytes(4, "big") + value


def bind_response(code, msgid=1, enc=tlv):
    """LDAPMessage { messageID, bindResponse { resultCode, matchedDN,
    diagnosticMessage } }"""
    result = tlv(0x0A, bytes([code])) + tlv(0x04, b"") + tlv(0x04, b"")
    return enc(0x30, tlv(0x02, bytes([msgid])) + enc(0x61, result))


def read_message(rfile):
    """One whole LDAPMessage, or None at the end."""
    head = rfile.read(2)
    if len(head) < 2:
        return None
    n = head[1]
    if n & 0x80:
        lenb = rfile.read(n & 0x7F)
        n = int.from_bytes(lenb, "big")
    return rfile.read(n)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        mode = self.server.mode
        if read_message(self.rfile) is None or mode == "close":
            return
        if mode == "long":
            reply = bind_response(0, enc=tlv4)
        elif mode == "otherid":
            reply = bind_response(0, msgid=2)
        elif mode == "short":
            reply = bind_response(0)[:12]
        else:
            reply = bind_response(int(mode))
        self.wfile.write(reply)
        if mode == "short":
            return
        # as a server, wait for the client's unbind or close
        while self.rfile.read(1):
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.mode = sys.argv[3]
    srv.serve_forever()


if __name__ == "__main__":
    main()
