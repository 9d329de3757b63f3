#!/bin/bash
# SPDX-License-Identifier: ISC
# A master that hears a lower priority master answers it with an advert
# at once, unless lower_prio_no_advert (by default the global
# vrrp_lower_prio_no_advert, on in strict mode) says to wait for the next
# one, as keepalived 2.2.7.  Master a adverts every 2 s; x crafts one
# priority 100 advert just after one of a's; a tcpdump on the client
# times a's next advert after it.
. "$(dirname "$0")/lib.sh"
needs_root
for p in keepalived tcpdump; do
	command -v $p >/dev/null || cannot_run "$p not installed"
done
topo x a	# x is 192.0.2.1, a .2

# conf NAME GLOBAL INSTANCE: NAME.conf with those lines
conf() {
	cat >"$T_TMP/$1.conf" <<EOC
global_defs {
    $2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 2
    $3
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf default "" ""
conf inst "" "lower_prio_no_advert"
conf global "vrrp_lower_prio_no_advert" ""
conf strict "vrrp_strict" ""
conf cleared "vrrp_lower_prio_no_advert" "lower_prio_no_advert off"

vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"

# answer_ms: ms from x's crafted advert to a's next one, and from a's
# advert before it to that one (99999: none)
answer_ms() {
	local t0 tp tx ta
	t0=$(ms)
	wait_advert "$T_TMP/cap" "$t0" 192.0.2.2 "prio 150," || return 1
	craft_from_x 2 prio=100 || bail "craft"
	wait_advert "$T_TMP/cap" "$t0" 192.0.2.1 "prio 100," || return 1
	tp=$(advert_ms "$T_TMP/cap" "$t0" 192.0.2.2 "prio 150,")
	tx=$(advert_ms "$T_TMP/cap" "$t0" 192.0.2.1 "prio 100,")
	# advert_ms rounds: an answer in the same ms may look 1 ms earlier
	wait_advert "$T_TMP/cap" $((tx - 1)) 192.0.2.2 "prio 150,"
	ta=$(advert_ms "$T_TMP/cap" $((tx - 1)) 192.0.2.2 "prio 150,")
	ta=${ta:-$((tx + 99999))}
	echo $((ta - tx)) $((ta - tp))
}

for d in keepalived vrrpd; do
	for c in "default yes" "inst no" "global no" "strict no" \
	    "cleared yes"; do
		set -- $c
		either_start $d a "$T_TMP/$1.conf"
		ok "$d $1: master" wait_for 10 has_vip a
		read -r n p < <(answer_ms)
		# at once is within a packet time; else 2 s after the last
		if [ "$2" = yes ]; then
			ok "$d $1: answers at once ($n ms)" test "${n:-0}" -lt 500
		else
			ok "$d $1: no answer, the next advert (+$p ms)" \
			    test "${p:-0}" -gt 1700
		fi
		either_stop $d a
		wait_for 5 no_vip a
	done
done
done_testing
