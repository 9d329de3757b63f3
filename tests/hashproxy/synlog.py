#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Listens on PORTs and says when each connection attempt to them came:
for the tests that time health checks against the checker's schedule,
through a partition too (the packet socket sees a SYN before netfilter
drops it; haproxy's checks reset their connection before it is accepted).

    synlog.py IFACE IP PORT...

prints "PORT SRCPORT EPOCH_MS first|again" per SYN on IFACE to IP:PORT
(again: a retransmission, from a source port seen before), flushed."""
import selectors
import socket
import struct
import sys
import time

iface, ip, ports = sys.argv[1], socket.inet_aton(sys.argv[2]), sys.argv[3:]
sel = selectors.DefaultSelector()
for p in ports:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[2], int(p)))
    s.listen(64)
    sel.register(s, selectors.EVENT_READ, None)
# ETH_P_IP, incoming frames of IFACE only
raw = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
raw.bind((iface, 0x0800))
sel.register(raw, selectors.EVENT_READ, "raw")
want = {int(p) for p in ports}
seen = set()
while True:
    for key, _ in sel.select():
        if key.data is None:
            c, _ = key.fileobj.accept()
            c.close()
            continue
        pkt = raw.recv(2048)
        if len(pkt) < 20 or pkt[9] != 6 or pkt[16:20] != ip:
            continue
        h = (pkt[0] & 15) * 4
        if len(pkt) < h + 14:
            continue
        sport, dport = struct.unpack("!HH", pkt[h:h + 4])
        flags = pkt[h + 13]
        if dport not in want or flags & 0x12 != 0x02:
            continue
        again = (dport, sport) in seen
        seen.add((dport, sport))
        print("%d %d %d %s" % (dport, sport, time.time() * 1000,
                               "again" if again else "first"), flush=True)
