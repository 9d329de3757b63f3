#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Test helper: sends a hand-made VRRP packet, broken as asked.

Written from RFC 3768 (VRRPv2) and RFC 5798 (VRRPv3) with struct, not
from vrrpd's packet.c, so a packet vrrpd misreads is not also misbuilt
the same way by the test.

  craft.py IFACE SRC DST [version=N] [vrid=N] [prio=N] [ttl=N] [int=N]
           [pass=S] [authtype=N] [vip=ADDR] [count=N] [trunc=N]
           [badsum=1] [type=N] [repeat=N] [gap=MS]

IPv6 when SRC has a colon (VRRPv3 only; SRC must be an address of IFACE,
ttl= is the hop limit).  repeat= sends that many copies back to back, or
gap= milliseconds apart: one process plays a peer advertising for a while.

count= writes a wrong address count (the checksum still matches),
trunc= cuts that many bytes off the end, badsum=1 spoils the checksum.
"""
import socket
import struct
import sys
import time

IPPROTO_VRRP = 112


def rfc1071(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def vrrp(o, src, dst):
    ver, typ = o["version"], o["type"]
    v6 = len(src) == 16
    addrs = socket.inet_pton(socket.AF_INET6 if v6 else socket.AF_INET,
                             o["vip"])
    count = o["count"] if o["count"] is not None else 1
    if ver == 2:
        # RFC 3768 5.1: ver|type, vrid, prio, count, auth type, adver int
        # (s), checksum, addresses, 8 bytes of authentication data.
        auth = o["pass"].encode()[:8].ljust(8, b"\0")
        head = struct.pack("!BBBBBBH", ver << 4 | typ, o["vrid"], o["prio"],
                           count, o["authtype"], o["int"], 0)
        body = addrs + auth
        pseudo = b""
    else:
        # RFC 5798 5.1: ver|type, vrid, prio, count, rsvd|max adver int
        # (cs, 12 bits), checksum over an IPv4 pseudo-header too (5.2.8).
        head = struct.pack("!BBBBHH", ver << 4 | typ, o["vrid"], o["prio"],
                           count, o["int"] & 0x0FFF, 0)
        body = addrs
        n = len(head) + len(body)
        if v6:
            # RFC 8200 8.1: the IPv6 pseudo-header
            pseudo = src + dst + struct.pack("!I3xB", n, IPPROTO_VRRP)
        else:
            pseudo = src + dst + struct.pack("!BBH", 0, IPPROTO_VRRP, n)
    ck = rfc1071(pseudo + head + body)
    if o["badsum"]:
        ck ^= 0x5555
    return head[:6] + struct.pack("!H", ck) + body


def main(argv):
    if len(argv) < 4:
        sys.stderr.write("usage: craft.py IFACE SRC DST [key=value]...\n")
        return 2
    fam = socket.AF_INET6 if ":" in argv[2] else socket.AF_INET
    iface = argv[1]
    src, dst = socket.inet_pton(fam, argv[2]), socket.inet_pton(fam, argv[3])
    o = {"version": 2, "type": 1, "vrid": 51, "prio": 200, "ttl": 255,
         "int": 1, "authtype": 0, "pass": "", "vip": "192.0.2.100",
         "count": None, "trunc": 0, "badsum": 0, "repeat": 1,
         "gap": 0}
    for kv in argv[4:]:
        k, sep, v = kv.partition("=")
        if not sep or k not in o:
            sys.stderr.write("craft.py: bad argument %s\n" % kv)
            return 2
        if k == "pass":
            o["pass"], o["authtype"] = v, 1
        elif k == "vip":
            o[k] = v
        else:
            o[k] = int(v)
    v = vrrp(o, src, dst)
    if 0 < o["trunc"] < len(v):
        v = v[:-o["trunc"]]
    if fam == socket.AF_INET6:
        # the kernel writes the IPv6 header from the socket's options
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, IPPROTO_VRRP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, o["ttl"])
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, o["ttl"])
        s.bind((argv[2], 0, 0, socket.if_nametoindex(iface)))
        to = (argv[3], 0, 0, socket.if_nametoindex(iface))
        pkt = v
    else:
        # RFC 791 header; DSCP "internetwork control" as keepalived sends.
        # The kernel fills in the total length and the header checksum.
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(v), 0, 0,
                         o["ttl"], IPPROTO_VRRP, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", rfc1071(ip)) + ip[12:]
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        to = (argv[3], 0)
        pkt = ip + v
    for i in range(o["repeat"]):
        if i and o["gap"]:
            time.sleep(o["gap"] / 1000)
        if s.sendto(pkt, to) != len(pkt):
            sys.stderr.write("craft.py: short send\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
