#!/bin/bash
# SPDX-License-Identifier: ISC
# How many gratuitous ARPs a master sends when it hears a lower priority
# master, as keepalived 2.2.7: garp_lower_prio_repeat, by default the
# global vrrp_garp_lower_prio_repeat, by default the global
# vrrp_garp_master_repeat (not the instance's); 0 sends none.  And as
# many again after garp_lower_prio_delay, by default the global
# vrrp_garp_lower_prio_delay, by default the global vrrp_garp_master_delay
# (5 s: after the count, but for the last two cases).  Master a
# (garp_master_delay 0: no second round); x crafts one priority 100
# advert; a tcpdump on the client counts the gratuitous ARPs for the VIP
# after it.
. "$(dirname "$0")/lib.sh"
needs_root
for p in keepalived tcpdump; do
	command -v $p >/dev/null || cannot_run "$p not installed"
done
topo x a	# x is 192.0.2.1, a .2

# conf NAME GLOBAL INSTANCE: a.conf with those lines
conf() {
	cat >"$T_TMP/$1.conf" <<EOC
global_defs {
    $2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    garp_master_delay 0
    $3
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf inst "" "garp_lower_prio_repeat 2"
conf global "vrrp_garp_lower_prio_repeat 3" ""
conf none "vrrp_garp_lower_prio_repeat 3" "garp_lower_prio_repeat 0"
# the default is the global garp_master_repeat, not the instance's
conf master "" "garp_master_repeat 2"
conf delay "" "garp_lower_prio_repeat 2
    garp_lower_prio_delay 1"
# the delay's default is the global garp_master_delay
conf gdelay "vrrp_garp_master_delay 1" ""

# span N: ms from the first gratuitous ARP for the VIP after the Nth to
# the last
span() {
	grep "ARP, Request who-has $VIP .*tell $VIP\|ARP, Reply $VIP is-at" \
	    "$T_TMP/cap" | awk -v n="$1" '
	    NR > n { if (!f) f = $1; l = $1 } END { printf "%d\n", (l - f) * 1000 }'
}

garp_watch || bail "tcpdump"

for d in keepalived vrrpd; do
	for c in "inst 2" "global 3" "none 0" "master 5" "delay 4 1" \
	    "gdelay 10 1"; do
		set -- $c
		either_start $d a "$T_TMP/$1.conf"
		ok "$d $1: master" wait_for 8 has_vip a
		ok "$d $1: its gratuitous ARPs of the transition are over" \
		    wait_for 15 garps_quiet
		n=$(garps)
		craft_from_x 1 prio=100 || bail "craft"
		wait_for 15 garps_quiet
		is "$(( $(garps) - n ))" "$2" \
		    "$d $1: a lower priority advert: $2 gratuitous ARPs"
		[ -z "$3" ] || ok "$d $1: half of them a second later ($(span "$n") ms)" \
		    test "$(span "$n")" -ge 800
		ok "$d $1: still master" has_vip a
		either_stop $d a
		wait_for 5 no_vip a
	done
done
done_testing
