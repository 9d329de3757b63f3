#!/bin/bash
# SPDX-License-Identifier: ISC
# unicast_fault_no_peer and track_src_ip beside keepalived on the same
# file.  unicast_fault_no_peer with no unicast_peer: FAULT, no VIP, no
# advert, on both daemons.
# track_src_ip: an instance whose unicast_src_ip the host does not have
# starts in FAULT on both daemons; vrrpd leaves FAULT when the address
# comes and goes back to FAULT when it goes (keepalived's man page says
# the same of removal; keepalived 2.2.7 was seen not to act on it here,
# so only its start is compared).
# unicast_src_ip without track_src_ip is looked at once, at start
# (keepalived 2.2.7 binds its socket to it then): not the host's, FAULT
# on both ("src address not configured"), and FAULT still once the
# address comes, no advert; the host's at start, the instance speaks
# from it still once it goes.  Multicast (no unicast_peer), the address
# is not looked at: adverts leave from it.
. "$(dirname "$0")/lib.sh"
needs_root
command -v tcpdump >/dev/null || cannot_run "needs tcpdump"
topo a b
conf() {	# H PRIO SRC PEER
	local i=3 v=74 p=192.0.2.2
	[ "$1" = b ] && i=4 v=75 p=192.0.2.1
	cat <<C
global_defs {
    router_id $1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 71
    priority $2
    advert_int 1
    unicast_fault_no_peer
    unicast_peer {
    }
    virtual_ipaddress {
        192.0.2.171/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 72
    priority $2
    advert_int 1
    track_src_ip
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        192.0.2.172/24
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 73
    priority $2
    advert_int 1
    unicast_src_ip 192.0.2.21$i
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        192.0.2.173/24
    }
}
vrrp_instance VI_4 {
    interface eth0
    virtual_router_id $v
    priority $2
    advert_int 1
    unicast_src_ip 192.0.2.23$i
    unicast_peer {
        $p
    }
    virtual_ipaddress {
        192.0.2.174/24
    }
}
vrrp_instance VI_5 {
    interface eth0
    virtual_router_id $((v + 2))
    priority $2
    advert_int 1
    mcast_src_ip 192.0.2.24$i
    virtual_ipaddress {
        192.0.2.175/24
    }
}
C
}
ka_state() {
	grep "($2) Entering" "$T_TMP/$1.out" | tail -1 |
	    sed 's/.*Entering \([A-Z]*\).*/\1/'
}
ka_is() { [ "$(ka_state "$1" "$2")" = "$3" ]; }
vr_is() { ctl "$1" 'show instances' | grep -q "^instance $2 state=$3 "; }
src() {	# H add|del: H's unicast_src_ip
	local i=1; [ "$1" = b ] && i=2
	ip -n "$(_ns_name "$1")" addr "$2" "192.0.2.20$i/24" dev eth0
}
src3() {	# H add|del|is N: H's unicast_src_ip in VI_N
	local i=3; [ "$1" = b ] && i=4
	ip -n "$(_ns_name "$1")" addr "$2" "192.0.2.2$3$i/24" dev eth0
}
# adverts on the wire from ADDR to DST (the capture on a's eth0)
adverts() { grep -c "IP $1 > $2: VRRP" "$T_TMP/a.cap"; }
more_adverts() { [ "$(adverts "$1" "$2")" -gt "$3" ]; }
host_init a || bail "host a"
host_init b || bail "host b"
src3 a add 3 && src3 b add 3 || bail "VI_4's addresses"
conf a 150 192.0.2.201 192.0.2.202 > "$T_TMP/a.conf"
conf b 100 192.0.2.202 192.0.2.201 > "$T_TMP/b.conf"
ok "vrrpd -t accepts both" vrrpd -t -f "$T_TMP/a.conf"
vrrp_capture a "$T_TMP/a.cap" || bail "tcpdump"

# both instances fault: keepalived is ready without a BACKUP or MASTER line
ka_in b "$T_TMP/b.conf" "Startup complete" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "unicast_fault_no_peer, no peer: vrrpd FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_1 .*reason=no-unicast-peer'
ok "... keepalived: no peers, fault too" \
    wait_file_line 5 "$T_TMP/b.out" 'VI_1. Cannot use unicast without any peers'
ok "track_src_ip, no such address: vrrpd starts in FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_2 .*reason=no-source-address'
ok "... keepalived too" wait_for 5 ka_is b VI_2 FAULT
ok "unicast_src_ip not the host's: vrrpd starts in FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_3 .*from=INIT reason=no-source-address'
ok "... keepalived too" wait_file_line 5 "$T_TMP/b.out" \
    'VI_3.: entering FAULT state .src address not configured'
src3 a add 1 && src3 b add 1

src a add
ok "the address comes: vrrpd leaves FAULT, master of VI_2" \
    wait_for 10 vr_is a VI_2 MASTER
ok "... with the VIP" wait_for 5 has_vip a 192.0.2.172
src a del
ok "the address goes: FAULT again" \
    wait_for 5 vr_is a VI_2 FAULT
ok "... the VIP gone" wait_for 5 no_vip a 192.0.2.172
# seconds on, a master of VI_1 would have spoken: neither did, neither
# holds its VIP
ok "no VIP for VI_1 on either" sh -c "! ip -n $(_ns_name a) addr show | grep -q 192.0.2.171 &&
    ! ip -n $(_ns_name b) addr show | grep -q 192.0.2.171"
n=$(grep -c 'vrid 71,' "$T_TMP/a.cap")
is "$n" 0 "no advert for VI_1 from either"
# VI_3's addresses came with VI_2's: seconds on, neither left FAULT
ok "VI_3's address there since: vrrpd in FAULT still" vr_is a VI_3 FAULT
is "$(grep -c '(VI_3) Entering' "$T_TMP/b.out")" 1 \
    "... keepalived too (one state line, FAULT)"
is "$(grep -c 'vrid 73,' "$T_TMP/a.cap")" 0 "no advert for VI_3 from either"
# VI_4: each host master, to the other, which has no such VRID
ok "VI_4: vrrpd speaks from its unicast_src_ip" \
    wait_for 10 more_adverts 192.0.2.233 192.0.2.2 0
ok "... keepalived too" wait_for 10 more_adverts 192.0.2.234 192.0.2.1 0
ok "multicast, mcast_src_ip not the host's: vrrpd speaks from it" \
    wait_for 5 more_adverts 192.0.2.243 224.0.0.18 0
ok "... keepalived too" wait_for 5 more_adverts 192.0.2.244 224.0.0.18 0
src3 a del 3 && src3 b del 3
n=$(adverts 192.0.2.233 192.0.2.2) m=$(adverts 192.0.2.234 192.0.2.1)
ok "the address gone: vrrpd speaks from it still" \
    wait_for 5 more_adverts 192.0.2.233 192.0.2.2 "$((n + 1))"
ok "... keepalived too" wait_for 5 more_adverts 192.0.2.234 192.0.2.1 "$((m + 1))"
kill -TERM "$VR_a" "$KA_b"
wait_gone 5 "$VR_a"

done_testing
