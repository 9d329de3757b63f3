#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue #15: after a partition heals, the clients must find the master
# again within a few advert intervals.  a (priority 150) and b (100) are
# split, both are master, b's gratuitous ARPs move the client's neighbour
# entry for the VIP to b's MAC.  At the heal, a's advert reaches b first
# (forced: b is stopped across the heal and resumed once a's advert is on
# the wire), so b goes backup on it and a never hears b's regular advert,
# the one that makes it re-announce (rx-lower-garp.t).  Without more, the
# client keeps b's MAC until its neighbour entry is probed and fails
# (5 s and more after its next use; make faults measured 37 s).  vrrpd's
# answer: b's parting advert (vrrpd.8, AFTER A SPLIT).
#
# c (priority 120) is on a's side of the split, a third node that hears
# the parting advert: it must not take it for a lower master to preempt.
#
# Pairs: vrrpd/vrrpd, keepalived winner/vrrpd loser (its defaults answer
# a lower priority advert with gratuitous ARPs), vrrpd winner/keepalived
# loser and keepalived/keepalived (recorded: keepalived 2.2.7 sends no
# parting advert by default, the client stays on the loser's MAC), and
# vrrpd winner/keepalived loser with higher_prio_send_advert (keepalived's
# parting advert, off by default: the remedy on a keepalived loser).
. "$(dirname "$0")/lib.sh"
needs_root
for p in keepalived tcpdump nft; do
	command -v $p >/dev/null || cannot_run "$p not installed"
done
topo a b c	# a .1, b .2, c .3, client .50
MAC_a=$(mac a) MAC_b=$(mac b)

conf() {
	cat <<-EOC
	vrrp_instance VI_1 {
	    ${2:-}
	    interface eth0
	    virtual_router_id 51
	    priority $1
	    advert_int 1
	    garp_master_delay 0
	    authentication {
	        auth_type PASS
	        auth_pass s3cret
	    }
	    virtual_ipaddress {
	        $VIP/24
	    }
	}
	EOC
}
conf 150 >"$T_TMP/a.conf"
conf 100 >"$T_TMP/b.conf"
conf 120 >"$T_TMP/c.conf"
# keepalived's own remedy, off by default: its parting advert
conf 100 higher_prio_send_advert >"$T_TMP/b-hpsa.conf"

# the switch port of host H (the peer of its eth0).  ip names a veth's
# peer namespace by asking the kernel about every one in /var/run/netns:
# one that another test is deleting at that moment gets "Peer netns
# reference is invalid" on stderr and is left out, which changes nothing
# here (the port is found by index), so that line is not shown.
port() {
	local i
	i=$(ip -n "$(_ns_name "$1")" -o link show eth0 2>/dev/null |
	    sed -n 's/.*eth0@if\([0-9]*\).*/\1/p')
	ip -n "$NS_sw" -o link show 2>/dev/null | awk -F': ' -v i="$i" \
	    '$1 == i { sub(/@.*/, "", $2); print $2 }'
}
P_a=$(port a) P_b=$(port b) P_c=$(port c)
[ -n "$P_a" ] && [ -n "$P_b" ] && [ -n "$P_c" ] || bail "switch ports"
# b cut off from a and c; the client still hears everyone
split() {
	ns_run sw nft -f - <<-EOF
		table bridge hsplit {
			chain through {
				type filter hook forward priority 0; policy accept;
				iifname "$P_b" oifname { "$P_a", "$P_c" } drop
				iifname { "$P_a", "$P_c" } oifname "$P_b" drop
			}
		}
	EOF
}
heal() { ns_run sw nft delete table bridge hsplit; }
cleanup_push "ns_run sw nft delete table bridge hsplit 2>/dev/null"

vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"

# start H IMPL [CONF]
start() {
	if [ "$2" = vrrpd ]; then
		vr_start "$1" -f "$T_TMP/$1.conf"
	else
		ka_start "$1" "${3:-$T_TMP/$1.conf}"
	fi
}
vrrp_pid() {
	local p="VR_$1" k="KA_$1" m
	if [ "$2" = vrrpd ]; then echo "${!p}"; return; fi
	m=$(pgrep -P "${!k}")		# keepalived's parent
	pgrep -P "$m"			# its VRRP child
}
stop() {
	local p="VR_$1" k="KA_$1"
	if [ "$2" = vrrpd ]; then
		kill -TERM "${!p}"; wait_gone 10 "${!p}"
	else
		kill -TERM "$(pgrep -P "${!k}")"; wait_gone 15 "${!k}"
	fi
}
became_master() {	# H IMPL: H went master since its start
	if [ "$2" = vrrpd ]; then
		grep -q '^MASTER' "$T_TMP/$1.out"
	else
		grep -q 'Entering MASTER' "$T_TMP/$1.out"
	fi
}
# advert_after FILE MS SRC: SRC sent an advert after MS (epoch ms)
advert_after() { [ -n "$(advert_ms "$T_TMP/cap" "$1" "$2" "vrid 51, prio [1-9]")" ]; }

# pair WIN LOSE THIRD [record|hpsa]: the scenario; "record" only
# reports, "hpsa": the loser is keepalived with higher_prio_send_advert
pair() {
	local w=$1 l=$2 t=$3 rec=${4:-} d="$1 winner, $2 loser" pid t0 t1 got
	local bconf=
	if [ "$rec" = hpsa ]; then
		bconf=$T_TMP/b-hpsa.conf rec= d="$d (higher_prio_send_advert)"
	fi
	ip -n "$NS_cl" neigh flush all
	start a "$w" || bail "$w a"
	wait_for 10 has_vip a || bail "$d: a not master"
	start b "$l" $bconf || bail "$l b"
	start c "$t" || bail "$t c"
	ok "$d: the client reaches the VIP on a" \
	    wait_for 5 eval 'reach && arp_is $VIP $MAC_a'
	split || bail "nft"
	ok "$d: split: b master too, its gratuitous ARPs move the client" \
	    wait_for 10 eval 'has_vip b && arp_is $VIP $MAC_b'
	ok "$d: a still master" has_vip a
	pid=$(vrrp_pid b "$l")
	kill -STOP "$pid"
	heal
	t0=$(ms)	# a's next advert reaches b
	wait_for 5 advert_after "$t0" 192.0.2.1 || bail "$d: no advert of a"
	kill -CONT "$pid"
	t1=$(ms)
	if [ -z "$rec" ]; then
		ok "$d: healed: b drops the VIP" wait_for 5 no_vip b
		ok "$d: the client's entry names a's MAC within 3 s" \
		    wait_for 3 arp_is "$VIP" "$MAC_a"
		ok "$d: and its traffic reaches the VIP" wait_for 3 reach
	else
		wait_for 5 no_vip b
		wait_for 3 arp_is "$VIP" "$MAC_a"
		got=$(ip -n "$NS_cl" neigh show "$VIP")
		diag "$d (recorded): 3 s after the heal the client has: $got"
		diag "$d: b's adverts after resuming: $(awk -v t="$t1" \
		    '$1 * 1000 >= t && $3 == "192.0.2.2"' "$T_TMP/cap" | wc -l)"
	fi
	ok "$d: one master, a" only a a b c
	nok "$d: c ($t) never took the VIP" became_master c "$t"
	stop a "$w"; stop b "$l"; stop c "$t"
	wait_for 5 eval 'no_vip a && no_vip b && no_vip c'
}

pair vrrpd vrrpd keepalived
pair keepalived vrrpd vrrpd
pair vrrpd keepalived vrrpd record
pair vrrpd keepalived vrrpd hpsa
pair keepalived keepalived keepalived record
done_testing
