#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# vmac-wire.py PCAP: one line per VRRP (IPv4) advert in a pcap file, the
# fields a peer or a switch sees, for vmac-wire.t to compare:
#   time srcmac dstmac ethertype ihl tos len df ttl proto srcip dstip
#   ver type vrid prio naddr auth intvl cksum-ok addrs
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def mac(b):
    return ':'.join('%02x' % x for x in b)


def main(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 14 + 20 + 8:
            continue
        etype = struct.unpack('!H', pkt[12:14])[0]
        if etype != 0x0800:
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 112 or len(ip) < ihl + 8:
            continue
        tlen = struct.unpack('!H', ip[2:4])[0]
        df = 1 if struct.unpack('!H', ip[6:8])[0] & 0x4000 else 0
        v = ip[ihl:tlen]
        ver, typ = v[0] >> 4, v[0] & 15
        naddr = v[3]
        if ver == 2:
            auth, intvl = v[4], v[5]
            ok = csum(v) == 0
        else:
            auth, intvl = '-', struct.unpack('!H', v[4:6])[0] & 0xfff
            pseudo = ip[12:20] + struct.pack('!BBH', 0, 112, len(v))
            ok = csum(pseudo + v) == 0
        addrs = ','.join(socket.inet_ntoa(v[8 + 4 * i:12 + 4 * i])
                         for i in range(naddr))
        t = sec + frac / (1e9 if nano else 1e6)
        print('%.6f %s %s %04x %d %d %d %d %d %d %s %s %d %d %d %d %d %s %s %s %s'
              % (t, mac(pkt[6:12]), mac(pkt[0:6]), etype, ihl, ip[1], tlen,
                 df, ip[8], ip[9], socket.inet_ntoa(ip[12:16]),
                 socket.inet_ntoa(ip[16:20]), ver, typ, v[1], v[2], naddr,
                 auth, intvl, 'ok' if ok else 'bad', addrs))


main(sys.argv[1])
