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
garp_watch || bail "tcpdump"

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
done_testing
