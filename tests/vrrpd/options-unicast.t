#!/bin/bash
# SPDX-License-Identifier: ISC
# --unicast-src, --user and --verbose: a sends its adverts unicast to b from a
# second address of its interface (tcpdump on b sees that source), runs as
# nobody with only CAP_NET_RAW and CAP_NET_ADMIN left (/proc says so) and
# still works, and --verbose logs a dropped packet with its reason.
. "$(dirname "$0")/lib.sh"
needs_root
command -v tcpdump >/dev/null || skip_all "needs tcpdump"
topo a b x
ip -n "$(_ns_name a)" addr add 192.0.2.77/24 dev eth0 || bail "address"
id -u nobody >/dev/null || skip_all "no user nobody"
vr_start a -i eth0 --vrid 81 --priority 150 --vip $VIP/24 --advert 100ms \
    --vrrp-version 3 --unicast-peer 192.0.2.2 --unicast-src 192.0.2.77 \
    --user nobody --verbose || bail "vrrpd a"
ok "a becomes master" wait_file_line 5 "$T_TMP/a.out" '^MASTER VI_81'
ok "and holds the VIP" wait_for 5 has_vip a

src=$(ip netns exec "$(_ns_name b)" timeout 5 tcpdump -i eth0 -c 1 -n -l \
    "ip proto 112" 2>/dev/null | awk '{ print $3 }')
is "$src" 192.0.2.77 "--unicast-src: tcpdump on b sees adverts from 192.0.2.77"

uid=$(awk '/^Uid:/ { print $3 }' "/proc/$VR_a/status")
is "$uid" "$(id -u nobody)" "--user nobody: vrrpd runs as nobody (effective uid)"
cap=$(awk '/^CapEff:/ { print $2 }' "/proc/$VR_a/status")
is "$cap" 0000000000003000 "... with CAP_NET_ADMIN and CAP_NET_RAW only"

# (from a stranger: without check_unicast_src a unicast advert from any
# address counts, as in keepalived; its address list is the wrong one)
ns_run x python3 "$T_TOP/tests/vrrpd/craft.py" eth0 192.0.2.3 192.0.2.1 \
    version=3 vrid=81 ttl=64 vip=192.0.2.101 || ok "craft" false
ok "--verbose: the dropped packet is logged with its reason" \
    wait_file_line 5 "$T_TMP/a.err" 'dropped packet from 192.0.2.3: addresses: 192.0.2.100 missing'
done_testing
