#!/bin/bash
# SPDX-License-Identifier: ISC
# Which higher priority adverts a daemon obeys, as keepalived 2.2.7:
#   - unicast: one from an address not in unicast_peer is obeyed, unless
#     check_unicast_src is set (or vrrp_check_unicast_src in global_defs);
#   - one whose address list is not the instance's VIPs (another address,
#     VRRPv3 and v2) is dropped;
#   - skip_check_adv_addr: a backup checks the list only in an advert from
#     a new master, not in later ones from the master it follows.
# Host a runs the daemon (priority 100, VIP .100), x (192.0.2.1) crafts a
# stream of higher priority adverts (a keepalived master hearing them
# restarts its advert timer on each: its own adverts tell nothing here).
. "$(dirname "$0")/lib.sh"
needs_root
for p in keepalived tcpdump; do
	command -v $p >/dev/null || cannot_run "$p not installed"
done
topo x a	# x is 192.0.2.1, a .2

# conf NAME VERSION ADVERT GLOBAL INSTANCE: $T_TMP/NAME.conf
conf() {
	cat >"$T_TMP/$1.conf" <<EOC
global_defs {
    vrrp_version $2
    $4
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int $3
    $5
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
# "state MASTER": master at once, as keepalived, rather than after
# Master_Down_Interval (3.6 s at advert_int 1)
uni="state MASTER
    unicast_src_ip 192.0.2.2
    unicast_peer {
        192.0.2.50
    }"
conf unicast 3 0.3 "" "$uni"
conf checksrc 3 0.3 "" "$uni
    check_unicast_src"
conf checksrc_g 3 0.3 "vrrp_check_unicast_src" "$uni"
conf addr3 3 0.3 "" "state MASTER"
conf addr2 2 1 "" "state MASTER"
conf noskip 3 0.3 "" ""
conf skip 3 0.3 "" "skip_check_adv_addr"

capture cl eth0 "$T_TMP/wire" 'ip proto 112' || bail "tcpdump"

# stream DST VERSION INT N PRIO VIP: N adverts from x, 300 ms apart, in
# the background (STREAM = its pid)
stream() {
	ip netns exec "$(_ns_name x)" python3 "$T_TOP/tests/vrrpd/craft.py" \
	    eth0 192.0.2.1 "$1" version="$2" vrid=51 int="$3" repeat="$4" \
	    gap=300 prio="$5" vip="$6" &
	STREAM=$!
	cleanup_push "kill $STREAM 2>/dev/null"
}
# hear NAME VERSION DST INT obeys|drops: a master, x's stream of adverts
# (for the VIP .101 to the multicast group, for the VIP to a unicast):
# one that obeys drops the VIP at once and stays backup while it lasts.
hear() {
	local name=$1 ver=$2 dst=$3 int=$4 want=$5 vip=192.0.2.101
	[ "$dst" = 224.0.0.18 ] || vip=$VIP
	either_start $d a "$T_TMP/$name.conf"
	ok "$d $name: master" wait_for 8 has_vip a
	stream "$dst" "$ver" "$int" 5 200 "$vip"
	if [ "$want" = obeys ]; then
		ok "$d $name: obeys the adverts from x: backup" \
		    wait_for 3 no_vip a
	else
		nok "$d $name: drops the adverts from x: master all along" \
		    wait_for 1.5 no_vip a
	fi
	wait "$STREAM"
	either_stop $d a
	wait_for 5 no_vip a
}
# follow NAME takes|stays: a backup of x (priority 200, the VIP), then x
# advertises the VIP .101 (priority 201 to tell them apart on the wire)
follow() {
	local name=$1 want=$2 first t
	stream 224.0.0.18 3 30 100 200 "$VIP"
	first=$STREAM
	either_start $d a "$T_TMP/$name.conf"
	nok "$d $name: backup of x" wait_for 1.5 has_vip a
	t=$(ms)
	stream 224.0.0.18 3 30 12 201 192.0.2.101
	wait_advert "$T_TMP/wire" "$t" 192.0.2.1 "vrid 51, prio 201," ||
	    bail "no stream"
	kill "$first"
	if [ "$want" = takes ]; then
		ok "$d $name: ignores x's adverts of another address: master" \
		    wait_for 4 has_vip a
	else
		nok "$d $name: follows x's adverts of another address: backup" \
		    wait_for 2.5 has_vip a
	fi
	kill "$STREAM" 2>/dev/null
	either_stop $d a
	wait_for 5 no_vip a
}

for d in keepalived vrrpd; do
	hear unicast 3 192.0.2.2 30 obeys
	hear checksrc 3 192.0.2.2 30 drops
	hear checksrc_g 3 192.0.2.2 30 drops
	hear addr3 3 224.0.0.18 30 drops
	hear addr2 2 224.0.0.18 1 drops
	follow noskip takes
	follow skip stays
done
done_testing
