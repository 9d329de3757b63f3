#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# The API stand-in of make faults: an HTTP server on :5240 that writes one
# row to PostgreSQL per request and answers with the row's id.
#
#   api.py NAME DBHOST DBPORT
#
# GET /?t=TOKEN inserts (TOKEN, NAME) into table req and answers 200 with
# "id=N host=NAME"; 503 when the database does not answer.  The database
# is reached through hashproxy (127.0.0.1:5433 on the API host), so this
# speaks just enough of PostgreSQL's protocol v3 (trust authentication,
# simple query) to need nothing beyond python3's standard library.
import http.server
import queue
import socketserver
import socket
import struct
import sys
import time
import urllib.parse


class PgError(Exception):
    pass


class Pg:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=2)
        body = struct.pack("!I", 196608) + b"user\0postgres\0database\0postgres\0\0"
        self.s.sendall(struct.pack("!I", len(body) + 4) + body)
        self._until_ready()

    def _recv(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise PgError("connection closed")
            b += c
        return b

    def _until_ready(self):
        rows, err = [], None
        while True:
            t = self._recv(1)
            (n,) = struct.unpack("!I", self._recv(4))
            d = self._recv(n - 4)
            if t == b"R" and struct.unpack("!I", d[:4])[0] != 0:
                raise PgError("authentication other than trust")
            if t == b"E":
                err = d.replace(b"\0", b" ").decode(errors="replace")
            if t == b"D":
                (nc,) = struct.unpack("!H", d[:2])
                off, row = 2, []
                for _ in range(nc):
                    (ln,) = struct.unpack("!i", d[off:off + 4])
                    off += 4
                    row.append(None if ln < 0 else d[off:off + ln].decode())
                    off += max(ln, 0)
                rows.append(row)
            if t == b"Z":
                if err:
                    raise PgError(err)
                return rows

    def query(self, sql):
        b = sql.encode() + b"\0"
        self.s.sendall(b"Q" + struct.pack("!I", len(b) + 4) + b)
        return self._until_ready()

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


NAME, DBHOST, DBPORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
POOL = queue.LifoQueue()


def insert(token):
    # a pooled connection may have died with the primary or the proxy in
    # between (as an ORM's pre-ping would): one more try on a new one
    for pooled in (True, False):
        c = None
        if pooled:
            try:
                c = POOL.get_nowait()
            except queue.Empty:
                pass
        if c is None:
            pooled = False
            c = Pg(DBHOST, DBPORT)
        try:
            rows = c.query("insert into req(token, host) values ('%s', '%s') "
                           "returning id" % (token, NAME))
        except (OSError, PgError):
            c.close()
            if pooled:
                continue
            raise
        POOL.put(c)
        return rows[0][0]


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def client_gone(self):
        """hashproxy passed on the client's close: it gave up waiting"""
        try:
            return self.connection.recv(
                1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def do_GET(self):
        # a request whose client timed out while it queued here is not
        # worked on: on a loaded machine the work left by clients who
        # gave up kept one API alone behind for a minute after the other
        # came back (api_kill), every new request timing out in turn
        if self.client_gone():
            self.close_connection = True
            return
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        token = "".join(ch for ch in q.get("t", ["-"])[0]
                        if ch.isalnum() or ch in "-_")[:40]
        try:
            body, code = "id=%s host=%s\n" % (insert(token), NAME), 200
        except Exception as e:
            body, code = "db: %s\n" % str(e)[:200], 503
            # the client logs only the status: why, and when, goes here
            # (ev/NAME.api.err)
            sys.stderr.write("%d 503 %s %s: %s\n" % (
                time.time() * 1000, token, type(e).__name__, str(e)[:200]))
        b = body.encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(b)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b)

    def log_message(self, *a):
        pass


class S(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    # socketserver's bind alone: HTTPServer's asks for the host's name
    # (getfqdn), a DNS query where nothing answers
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


S(("0.0.0.0", 5240), H).serve_forever()
