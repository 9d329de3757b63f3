#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A tiny authoritative DNS server for the resolvers tests.

    dnsserver.py IP PORT ZONEFILE

ZONEFILE has one "NAME ADDRESS" per line and is read again at each
query, so a test publishes, moves or removes a name by rewriting it.
An A (or AAAA) query for a listed name gets its IPv4 (or IPv6)
addresses, TTL 1; a name listed with no address of the family asked
gets an empty answer (NODATA); any other name NXDOMAIN.  A line "mute"
makes the server answer nothing (the clients time out)."""
import ipaddress
import socket
import struct
import sys


def zone(path):
    z = {}
    try:
        with open(path) as f:
            for line in f:
                w = line.split()
                if w == ["mute"]:
                    return None
                if len(w) == 2:
                    z.setdefault(w[0].lower().rstrip("."), []).append(
                        ipaddress.ip_address(w[1]))
    except FileNotFoundError:
        pass
    return z


def qname(pkt, off):
    labels = []
    while pkt[off] != 0:
        n = pkt[off]
        labels.append(pkt[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    return ".".join(labels).lower(), off + 1


def answer(pkt, path):
    qid, flags, qd = struct.unpack("!HHH", pkt[:6])
    if qd != 1:
        return None
    name, end = qname(pkt, 12)
    qtype, _ = struct.unpack("!HH", pkt[end:end + 4])
    question = pkt[12:end + 4]
    z = zone(path)
    if z is None:
        return None
    rd = flags & 0x0100
    if name not in z:
        return struct.pack("!HHHHHH", qid, 0x8400 | rd | 3, 1, 0, 0, 0) + question
    want = 4 if qtype == 1 else 6 if qtype == 28 else 0
    rrs = b""
    n = 0
    for a in z[name]:
        if a.version == want:
            rrs += struct.pack("!HHHIH", 0xC00C, qtype, 1, 1, len(a.packed)) + a.packed
            n += 1
    return struct.pack("!HHHHHH", qid, 0x8400 | rd, 1, n, 0, 0) + question + rrs


def main():
    ip, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, port))
    while True:
        pkt, peer = s.recvfrom(4096)
        try:
            r = answer(pkt, path)
        except (IndexError, struct.error):
            r = None
        if r is not None:
            s.sendto(r, peer)


if __name__ == "__main__":
    main()
