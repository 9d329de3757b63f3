#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Listens on PORTs, says when each connection attempt to them came, and
cuts the network on a checker's own schedule: for the tests that time
health checks across a partition.  The packet socket sees a SYN before
netfilter drops it, and haproxy's checks reset their connection before it
is accepted, so SYNs, not accepts, are what is counted.

    synlog.py IFACE IP PEER PORT...

prints "PORT SRCPORT EPOCH_MS first|again" per SYN from PEER to IP:PORT
(again: a retransmission, from a source port seen before), EPOCH_MS the
kernel's time of its arrival.  On stdin,
"round PORT": when the next check to PORT begins (at L), drop PORT's
traffic from and to PEER (nftables, this namespace) at L + 1.5 s; the
third check of the cut begins at S (about L + 10 s): heal as soon as its
SYN retransmission (S + 1 s) is seen and dropped, the next (S + 3 s)
comes after its timeout (2 s), so it fails just after the heal.  A check
of the cut is one whose SYN was retransmitted, i.e. dropped: a SYN read
after the cut may have passed before it (this process late, or nft: the
check then passed, and the third check counted was only the second
failure).  Prints "cut PORT MS" and "heal PORT BEGAN ENDED S".  Run from
a shell, the nft commands came seconds late on a loaded machine."""
import selectors
import socket
import struct
import subprocess
import sys
import time

iface, ip, peer = sys.argv[1], socket.inet_aton(sys.argv[2]), sys.argv[3]
ports = [int(p) for p in sys.argv[4:]]
sel = selectors.DefaultSelector()
for p in ports:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[2], p))
    s.listen(64)
    sel.register(s, selectors.EVENT_READ, "listen")
# ETH_P_IP, the frames IFACE receives
raw = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
raw.bind((iface, 0x0800))
# SO_TIMESTAMP (Linux's number; Python names it not): each frame's
# arrival time, when this process may read it well after
raw.setsockopt(socket.SOL_SOCKET, 29, 1)
sel.register(raw, selectors.EVENT_READ, "raw")
sel.register(sys.stdin, selectors.EVENT_READ, "cmd")
seen = set()
rnd = None	# the round: {"port", "state", "at" (ms of the next step), ...}


def ms():
    return int(time.time() * 1000)


def recv_stamped():
    """a frame and its arrival (epoch ms)"""
    pkt, anc, _, _ = raw.recvmsg(2048, socket.CMSG_SPACE(16))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == 29 and len(data) >= 16:
            sec, usec = struct.unpack("qq", data[:16])
            return pkt, sec * 1000 + usec // 1000
    return pkt, ms()


def say(*w):
    print(" ".join(str(x) for x in w), flush=True)


def nft(cmd):
    subprocess.run(["nft", "-f", "-"], input=cmd.encode(), check=True)


def cut(p):
    nft("table inet part%d {\n"
        " chain in {\n"
        "  type filter hook input priority -10; policy accept;\n"
        "  ip saddr %s tcp dport %d drop\n"
        " }\n"
        " chain out {\n"
        "  type filter hook output priority -10; policy accept;\n"
        "  ip daddr %s tcp sport %d drop\n"
        " }\n"
        "}\n" % (p, peer, p, peer, p))


def syn(port, sport, t, again):
    """a SYN to PORT from SPORT at t (again: a retransmission)"""
    global rnd
    if rnd is None or rnd["port"] != port:
        return
    if rnd["state"] == "wait" and not again:
        rnd.update(state="cut", at=t + 1500)
    elif rnd["state"] == "cutting" and not again:
        rnd["first"][sport] = t
    elif rnd["state"] == "cutting" and sport in rnd["first"]:
        # a check's first retransmission: its SYN was dropped
        s = rnd["first"].pop(sport)
        rnd["n"] += 1
        if rnd["n"] == 3:
            # the third check's, dropped: heal now, a second before
            # the check times out
            b = ms()
            nft("delete table inet part%d" % port)
            say("heal", port, b, ms(), s)
            rnd = None


def step():
    global rnd
    if rnd is None or "at" not in rnd or ms() < rnd["at"]:
        return
    p = rnd["port"]
    if rnd["state"] == "cut":
        cut(p)
        say("cut", p, ms())
        rnd.update(state="cutting", n=0, first={})
        del rnd["at"]


while True:
    wait = None
    if rnd is not None and "at" in rnd:
        wait = max(0, rnd["at"] - ms()) / 1000
    for key, _ in sel.select(wait):
        if key.data == "listen":
            c, _ = key.fileobj.accept()
            c.close()
        elif key.data == "cmd":
            w = sys.stdin.readline().split()
            if not w:
                sel.unregister(sys.stdin)
            elif w[0] == "round" and rnd is None:
                rnd = {"port": int(w[1]), "state": "wait"}
        else:
            pkt, t = recv_stamped()
            if len(pkt) < 20 or pkt[9] != 6 or pkt[16:20] != ip or \
                    socket.inet_ntoa(pkt[12:16]) != peer:
                continue
            h = (pkt[0] & 15) * 4
            if len(pkt) < h + 14:
                continue
            sport, dport = struct.unpack("!HH", pkt[h:h + 4])
            if dport not in ports or pkt[h + 13] & 0x12 != 0x02:
                continue
            again = (dport, sport) in seen
            seen.add((dport, sport))
            say(dport, sport, t, "again" if again else "first")
            syn(dport, sport, t, again)
    step()
