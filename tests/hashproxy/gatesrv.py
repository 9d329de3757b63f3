#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""An HTTP server that holds every request until it gets SIGUSR1, then
answers those held and every later one "200 OK": a health check kept
under way for as long as a test needs.  SIGUSR2 has it hold the
requests that come next again, until the next SIGUSR1.

    gatesrv.py IP PORT   prints "held" for each request it holds"""
import signal
import socketserver
import sys
import threading

gate = threading.Event()


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            b = s.recv(4096)
            if not b:
                return
            data += b
        if not gate.is_set():
            print("held", flush=True)
            gate.wait()
        s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                  b"Connection: close\r\n\r\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


signal.signal(signal.SIGUSR1, lambda *a: gate.set())
signal.signal(signal.SIGUSR2, lambda *a: gate.clear())
Server((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
