#!/bin/bash
# SPDX-License-Identifier: ISC
# Accept mode (RFC 5798 6.1): with no_accept a master that is not the
# address owner drops traffic to and from its VIPs in nftables table
# "inet vrrpd", while ARP and IPv6 neighbour discovery still answer, so
# the VIPs stay usable as a next hop.  Rules follow the master, go on
# SIGTERM, by --cleanup and as a leftover at start-up; accept (the
# default, as keepalived without vrrp_strict) leaves traffic alone.  Real
# keepalived 2.2.7 with the same config is held to the same assertions
# (and so interoperates with vrrpd over IPv6, VRRPv3 multicast).
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
V6=2001:db8::100
PORT=$(free_port)
conf() {	# prio [accept keyword]
	cat <<EOC
global_defs {
    vrrp_version 3
}
vrrp_instance v4 {
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 0.1
    ${2:-no_accept}
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance v6 {
    interface eth0
    virtual_router_id 52
    priority $1
    advert_int 0.1
    ${2:-no_accept}
    virtual_ipaddress {
        $V6/64
    }
}
EOC
}
conf 150 > "$T_TMP/a.conf"
conf 100 > "$T_TMP/b.conf"
conf 100 accept > "$T_TMP/b-accept.conf"

ruleset() { ns_run "$1" nft list ruleset 2>/dev/null; }
has_table() { ruleset "$1" | grep -q "^table $2"; }
no_table() { ! ruleset "$1" | grep -q "^table"; }
# the VIPs are elements of the host's sets
in_sets() { local r; r=$(ruleset "$1"); [[ $r == *"elements = { $VIP }"* &&
    $r == *"elements = { $V6 }"* ]]; }
# W: how long a probe waits for an answer.  Probes that must get none run
# with W=0.3: an answer on this bridge takes well under a millisecond.
ping4() { ns_run cl ping -c1 -W"${W:-1}" "$VIP" >/dev/null 2>&1; }
nok_ping4() { ! W=0.3 ping4; }
ping6() { ns_run cl ping -6 -c1 -W"${W:-1}" "$V6" >/dev/null 2>&1; }
# ARP and NDP answered, and by host H's MAC
arp_by() { ns_run cl arping -c1 -w2 -I eth0 "$VIP" 2>/dev/null |
    grep -qi "\[$(mac "$1")\]"; }
nd_by() { ns_run cl ndisc6 -1 -r2 -w500 "$V6" eth0 2>/dev/null |
    grep -qi "$(mac "$1")"; }
tcp() { ns_run cl socat -T"${W:-1}" - \
    "TCP:$1:$PORT,connect-timeout=${W:-1}" </dev/null 2>/dev/null | grep -q hi; }
# A service on every address of a and b: the VIP is the only difference.
for h in a b; do	# no shell waits for it: none reports it killed
	(exec ip netns exec "$(_ns_name $h)" socat \
	    TCP-LISTEN:$PORT,reuseaddr,fork SYSTEM:'echo hi' &)
done
wait_for 5 ll_ready a b cl || bail "IPv6 link-local DAD"
wait_for 5 tcp 192.0.2.1 || bail "service on a"

# --- vrrpd <-> vrrpd, no_accept -------------------------------------
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "b alone becomes master" wait_for 5 only b a b
ok "b's table holds both VIPs" wait_for 3 in_sets b
vr_start a -f "$T_TMP/a.conf" || bail "vrrpd a"
ok "a (150) preempts b" wait_for 5 only a a b
ok "for the IPv6 VIP too" wait_for 5 vip_only $V6 a a b
ok "a's table: inet vrrpd with both VIPs" wait_for 3 in_sets a
like "$(ctl a 'show instances')" "^instance v4 state=MASTER .* accept=no " \
    "show instances says accept=no"
like "$(ruleset a | tr -s "\n\t" "  ")" "ip daddr @vips4 drop.*icmpv6 type 135-136 accept.*ip6 daddr @vips6 drop" \
    "input: drop to the VIPs, neighbour discovery excepted"
ok "b, now backup, has no table left" wait_for 3 no_table b
W=0.3 nok "ping to the VIP gets no answer" ping4
W=0.3 nok "TCP to the VIP gets no answer" tcp $VIP
ok "TCP to a's own address does (the service is there)" tcp 192.0.2.1
ok "ARP for the VIP answered by a" arp_by a
W=0.3 nok "ping -6 to the VIP gets no answer" ping6
ok "neighbour solicitation for the VIP answered by a" nd_by a

kill -TERM "$VR_a"
wait_gone 5 "$VR_a"
ok "SIGTERM: b takes over" wait_for 5 only b a b
ok "the IPv6 VIP too" wait_for 5 vip_only $V6 b a b
ok "a left no table" no_table a
ok "b's table holds both VIPs" wait_for 3 in_sets b
W=0.3 nok "ping still dropped at b" ping4
ok "ARP answered by b" wait_for 5 arp_by b

kill -9 "$VR_b"
wait_gone 5 "$VR_b"
ok "kill -9 leaves b's table" has_table b "inet vrrpd"
vr_start b -f "$T_TMP/b-accept.conf" || bail "vrrpd b, accept"
ok "start-up removed the killed vrrpd's table (accept mode too)" \
    wait_for 3 no_table b
like "$(cat "$T_TMP/b.err")" "removed nftables table inet vrrpd left by an earlier vrrpd" \
    "and said so"
ok "accept: b master" wait_for 5 has_vip b
ok "accept: still no table" no_table b
like "$(ctl b 'show instances')" "^instance v4 state=MASTER .* accept=yes " \
    "show instances says accept=yes"
ok "accept: ping to the VIP answered" wait_for 3 ping4
ok "accept: TCP to the VIP answered" tcp $VIP
ok "accept: ping -6 to the VIP answered" wait_for 3 ping6
conf 100 > "$T_TMP/b-accept.conf"
kill -HUP "$VR_b"
ok "reload to no_accept: the master's table appears" wait_for 3 in_sets b
ok "the VIPs did not move" has_vip b
ok "ping to the VIP now dropped" wait_for 3 nok_ping4
kill -TERM "$VR_b"
wait_gone 5 "$VR_b"

vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b again"
ok "b master again, table back" wait_for 5 in_sets b
kill -9 "$VR_b"
wait_gone 5 "$VR_b"
ns_run b vrrpd --cleanup -f "$T_TMP/b.conf" 2>"$T_TMP/c.err"
is "$?" 0 "--cleanup after kill -9 exits 0"
ok "--cleanup removed the table" no_table b
ok "and the VIPs" no_vip b

# --- real keepalived, same config, same assertions --------------------
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
wait_for 5 only b a b || bail "b master"
host_init a || bail "host a"
ka_in a "$T_TMP/a.conf" || bail "keepalived a"
ok "keepalived (150) preempts vrrpd" wait_for 5 only a a b
ok "IPv6 too (VRRPv3 on ff02::12 between the two)" wait_for 5 vip_only $V6 a a b
ok "keepalived's table holds the VIP" \
    wait_for 3 eval 'ruleset a | grep -q "elements = { $VIP }"'
ok "vrrpd, now backup, has no table left" wait_for 3 no_table b
W=0.3 nok "keepalived: ping to the VIP gets no answer" ping4
W=0.3 nok "keepalived: TCP to the VIP gets no answer" tcp $VIP
ok "keepalived: ARP for the VIP answered" arp_by a
W=0.3 nok "keepalived: ping -6 gets no answer" ping6
ok "keepalived: neighbour solicitation answered" nd_by a
kill -TERM "$KA_a"
wait_gone 5 "$KA_a"
ok "keepalived stopped: vrrpd takes over" wait_for 8 only b a b
ok "the IPv6 VIP too" wait_for 5 vip_only $V6 b a b
ok "keepalived removed its table on SIGTERM too" wait_for 5 no_table a
ok "vrrpd's table holds both VIPs" wait_for 3 in_sets b
W=0.3 nok "ping dropped at vrrpd" ping4
ok "ARP answered by vrrpd's host" wait_for 5 arp_by b
done_testing
