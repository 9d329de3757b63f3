#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# The clients of make faults, run in the client's namespace.
#
#   load.py VIP PERIOD_MS TIMEOUT_MS REQLOG ARPLOG IFACE SRC...
#   load.py arp VIP ARPLOG IFACE SRC
#
# Every source address sends GET http://VIP/?t=TOKEN every PERIOD_MS, on
# schedule (a slow answer does not delay the next request), and logs
#   send_ms done_ms src token status id host
# (status: the HTTP code, or "ERR:reason"; id: the row id acknowledged).
# Beside them an ARP prober asks who has VIP every 100 ms and logs
#   probe send_ms         and        reply recv_ms MAC
# for every ARP packet claiming VIP (replies and gratuitous), so the
# report can tell when two MACs answered for it.  The prober runs on a
# host of its own ("load.py arp"): the replies it asks for would update
# the clients' own neighbour table.  Stops on SIGTERM.
import http.client
import os
import signal
import socket
import struct
import sys
import threading
import time

if sys.argv[1] == "arp":
    VIP, ARPLOG, IFACE, SRCS = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:6]
    PERIOD, TIMEOUT = 0, 0
else:
    VIP, PERIOD, TIMEOUT = sys.argv[1], int(sys.argv[2]) / 1000, int(sys.argv[3]) / 1000
    REQLOG, IFACE, SRCS = sys.argv[4], sys.argv[6], sys.argv[7:]
    req_out = open(REQLOG, "a", buffering=1)
lock = threading.Lock()
stop = threading.Event()


def ms():
    return int(time.time() * 1000)


def one(src, token):
    t0 = ms()
    status, rid, host = "ERR:?", "-", "-"
    try:
        c = http.client.HTTPConnection(VIP, 80, timeout=TIMEOUT,
                                       source_address=(src, 0))
        c.request("GET", "/?t=" + token)
        r = c.getresponse()
        body = r.read().decode(errors="replace")
        status = str(r.status)
        if r.status == 200:
            f = dict(kv.split("=", 1) for kv in body.split() if "=" in kv)
            rid, host = f.get("id", "-"), f.get("host", "-")
        c.close()
    except socket.timeout:
        status = "ERR:timeout"
    except ConnectionRefusedError:
        status = "ERR:refused"
    except ConnectionResetError:
        status = "ERR:reset"
    except Exception as e:
        status = "ERR:" + type(e).__name__
    with lock:
        req_out.write("%d %d %s %s %s %s %s\n" %
                      (t0, ms(), src, token, status, rid, host))


def client(i, src):
    n, nxt = 0, time.time() + PERIOD * i / len(SRCS)
    while not stop.is_set():
        d = nxt - time.time()
        if d > 0:
            stop.wait(d)
            if stop.is_set():
                break
        n += 1
        threading.Thread(target=one, args=(src, "c%02d-%06d" % (i, n)),
                         daemon=True).start()
        nxt += PERIOD
        if nxt < time.time():	# the machine stalled: no burst to catch up
            nxt = time.time() + PERIOD


def arp():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    arp_out = open(ARPLOG, "a", buffering=1)
    s.bind((IFACE, 0x0806))
    mac = s.getsockname()[4]
    me = socket.inet_aton(SRCS[0])
    vip = socket.inet_aton(VIP)
    req = (b"\xff" * 6 + mac + b"\x08\x06" +
           struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + me +
           b"\0" * 6 + vip)
    s.settimeout(0.02)
    nxt = 0
    while not stop.is_set():
        if time.time() >= nxt:
            s.send(req)
            arp_out.write("probe %d\n" % ms())
            nxt = time.time() + 0.1
        try:
            p = s.recv(128)
        except socket.timeout:
            continue
        if len(p) >= 42 and p[12:14] == b"\x08\x06" and p[28:32] == vip:
            arp_out.write("reply %d %s\n" % (ms(), p[22:28].hex(":")))


signal.signal(signal.SIGTERM, lambda *a: stop.set())
if sys.argv[1] == "arp":
    threads = [threading.Thread(target=arp)]
else:
    threads = [threading.Thread(target=client, args=(i, s))
               for i, s in enumerate(SRCS)]
for t in threads:
    t.start()
while not stop.is_set():
    stop.wait(0.5)
for t in threads:
    t.join()
time.sleep(TIMEOUT + 0.2)	# let the requests in flight log their ends
os._exit(0)
