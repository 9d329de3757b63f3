#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A burst of clients, to see a proxy's accept rate from the client side.

    burst.py PORT N SECS

Opens N connections to 127.0.0.1:PORT at once (non-blocking: a SYN the
kernel's full backlog drops is retried by the kernel, not refused), sends
an HTTP request on each, and notes when each answer's first byte comes:
a connection waits unanswered in the proxy's backlog until the proxy
accepts it.  After SECS, or once all are answered, prints one line: the
answers per whole second since the burst ("20 20 19 ..."), then
"refused R" and "unanswered U" lines.
"""
import errno
import selectors
import socket
import sys
import time

REQ = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def main():
    port, n, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex(("127.0.0.1", port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            continue
        sel.register(s, selectors.EVENT_WRITE, "connecting")
    answered, refused = [], 0
    left = len(sel.get_map())
    refused = n - left
    end = start + secs
    while left > 0 and time.monotonic() < end:
        for key, _ in sel.select(max(0.0, end - time.monotonic())):
            s = key.fileobj
            if key.data == "connecting":
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    refused += 1
                    left -= 1
                    sel.unregister(s)
                    s.close()
                    continue
                s.send(REQ)
                sel.modify(s, selectors.EVENT_READ, "sent")
                continue
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                answered.append(time.monotonic() - start)
            else:
                refused += 1
            left -= 1
            sel.unregister(s)
            s.close()
    per = [0] * (int(max(answered, default=0)) + 1)
    for t in answered:
        per[int(t)] += 1
    print(" ".join(str(c) for c in per))
    print("refused", refused)
    print("unanswered", left)


main()
