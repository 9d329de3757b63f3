#!/bin/bash
# SPDX-License-Identifier: ISC
# A master that hears a lower priority master (a partition that healed, a
# frozen master that woke up) sends gratuitous ARPs for its VIPs, as
# keepalived 2.2.7 does: the other one drops the VIP when it hears us,
# and without them the LAN's ARP caches keep its MAC until they expire
# (make faults measured 35 s of failed requests after a 10 s partition).
# Master a (priority 150, garp_master_delay 0: no second round after
# the transition); x crafts one priority 100 advert; a tcpdump on the
# client counts gratuitous ARPs for the VIP after it.
# Then the same to an address owner (priority 255) in a sync group, as
# keepalived: it answers at once with an advert (RFC 5798 7.1 would have
# it discard the advert) and gratuitous ARPs, for the group's other VIP
# (192.0.2.101) too; and a priority 0 advert with an advert at once.
# Last a second owner's advert: as keepalived, the owner lowers itself to
# 254 and yields without a word.
. "$(dirname "$0")/lib.sh"
needs_root
for p in keepalived tcpdump; do
	command -v $p >/dev/null || cannot_run "$p not installed"
done
topo x a	# x is 192.0.2.1, a .2

cat >"$T_TMP/a.conf" <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    garp_master_delay 0
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
cat >"$T_TMP/owner.conf" <<EOC
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 255
    advert_int 2
    garp_master_delay 0
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority 150
    advert_int 2
    garp_master_delay 0
    virtual_ipaddress {
        192.0.2.101/24
    }
}
EOC
garp_watch || bail "tcpdump"
vrrp_capture cl "$T_TMP/vrrp" || bail "tcpdump"

for d in keepalived vrrpd; do
	either_start $d a "$T_TMP/a.conf"
	ok "$d: master" wait_for 8 has_vip a
	ok "$d: its gratuitous ARPs of the transition are over" wait_for 15 garps_quiet
	n=$(garps)
	craft_from_x 1 prio=100 || bail "craft"
	ok "$d: a lower priority advert: gratuitous ARPs for $VIP" \
	    wait_for 3 garps_over "$n"
	ok "$d: still master" has_vip a
	either_stop $d a
	wait_for 5 no_vip a
done

ALL="$VIP 192.0.2.101"
for d in keepalived vrrpd; do
	either_start $d a "$T_TMP/owner.conf"
	ok "$d owner: master of both" wait_for 8 all_held a
	ok "$d owner: its gratuitous ARPs of the transition are over" \
	    wait_for 15 garps_quiet
	n=$(garps)
	n2=$(VIP=192.0.2.101 garps)
	# just after one of a's adverts (every 2 s): an answer is at once
	t0=$(ms)
	wait_advert "$T_TMP/vrrp" "$t0" 192.0.2.2 "vrid 51, prio 255," ||
	    bail "no advert from a"
	craft_from_x 2 prio=100 || bail "craft"
	wait_advert "$T_TMP/vrrp" "$t0" 192.0.2.1 "prio 100," || bail "capture"
	tx=$(advert_ms "$T_TMP/vrrp" "$t0" 192.0.2.1 "prio 100,")
	# advert_ms rounds: an answer in the same ms may look 1 ms earlier
	wait_advert "$T_TMP/vrrp" $((tx - 1)) 192.0.2.2 "vrid 51, prio 255,"
	ta=$(advert_ms "$T_TMP/vrrp" $((tx - 1)) 192.0.2.2 "vrid 51, prio 255,")
	ok "$d owner: answers a lower priority advert at once ($(( ${ta:-99999} - tx )) ms)" \
	    test "$(( ${ta:-99999} - tx ))" -lt 500
	ok "$d owner: gratuitous ARPs for $VIP" wait_for 3 garps_over "$n"
	ok "$d owner: and for the sync group's 192.0.2.101" \
	    wait_for 3 eval 'VIP=192.0.2.101 garps_over "$n2"'
	# priority 0, after a's next regular advert (an answer is once per
	# advertisement interval)
	wait_advert "$T_TMP/vrrp" $((ta + 1)) 192.0.2.2 "vrid 51, prio 255," ||
	    bail "no advert from a"
	t0=$(advert_ms "$T_TMP/vrrp" $((ta + 1)) 192.0.2.2 "vrid 51, prio 255,")
	craft_from_x 2 prio=0 || bail "craft"
	wait_advert "$T_TMP/vrrp" "$t0" 192.0.2.1 "prio 0," || bail "capture"
	tx=$(advert_ms "$T_TMP/vrrp" "$t0" 192.0.2.1 "prio 0,")
	wait_advert "$T_TMP/vrrp" $((tx - 1)) 192.0.2.2 "vrid 51, prio 255,"
	ta=$(advert_ms "$T_TMP/vrrp" $((tx - 1)) 192.0.2.2 "vrid 51, prio 255,")
	ok "$d owner: answers a priority 0 advert at once ($(( ${ta:-99999} - tx )) ms)" \
	    test "$(( ${ta:-99999} - tx ))" -lt 500
	ok "$d owner: still master" has_vip a
	# A second owner (priority 255), from x's lower address: keepalived
	# takes it as a configuration error, gives up ownership (254, any
	# address) and yields, silent; RFC 5798 7.1 would have it discard
	# the advert.  Then x resigns, for the sync group's VRID 52 too (the
	# group waits for every member): a is master again at once, at 254.
	t0=$(ms)
	craft_from_x 2 prio=255 || bail "craft"
	ok "$d owner: a second owner: it releases $VIP" wait_for 3 no_vip a
	ok "$d owner: and logs the configuration error" wait_for 3 grep -qs \
	    "CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner" \
	    "$T_TMP/a.out" "$T_TMP/a.err"
	craft_from_x 2 vrid=52 vip=192.0.2.101 prio=0 || bail "craft"
	craft_from_x 2 prio=0 || bail "craft"
	ok "$d owner: x resigns: master again, at priority 254" wait_advert \
	    "$T_TMP/vrrp" "$t0" 192.0.2.2 "vrid 51, prio 254,"
	ok "$d owner: and holds $VIP" wait_for 3 has_vip a
	# tcpdump writes in order: all from t0 to that advert is in the file
	tf=$(advert_ms "$T_TMP/vrrp" "$t0" 192.0.2.1 "vrid 51, prio 255,")
	t1=$(advert_ms "$T_TMP/vrrp" "$t0" 192.0.2.1 "vrid 51, prio 0,")
	t2=$(advert_ms "$T_TMP/vrrp" "${tf:-$t0}" 192.0.2.2 "vrid 51,")
	ok "$d owner: no advert of its own between x's 255 and x's 0" \
	    test -n "$t1" -a -n "$t2" -a "${t2:-0}" -ge "${t1:-1}"
	either_stop $d a
	wait_for 5 no_vip a
done
done_testing
