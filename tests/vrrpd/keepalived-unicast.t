#!/bin/bash
# SPDX-License-Identifier: ISC
# Unicast peers with real keepalived (unicast_src_ip / unicast_peer,
# VRRPv3 at 500 ms, checksum over the unicast pseudo-header): keepalived
# (150) master, vrrpd (100) backup; SIGTERM moves the VIP, a restart of
# keepalived takes it back.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
conf() {	# router prio src peer
	cat <<EOC
global_defs {
    router_id $1
    vrrp_version 3
}
vrrp_instance VI_U {
    interface eth0
    virtual_router_id 80
    priority $2
    advert_int 0.5
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf a 150 192.0.2.1 192.0.2.2 > "$T_TMP/a.conf"
conf b 100 192.0.2.2 192.0.2.1 > "$T_TMP/b.conf"
# vrrpd starts once keepalived is master: started together (at
# keepalived's BACKUP line) their master down timers end 98 ms apart, and
# a keepalived slow to send left vrrpd master for a moment, whose adverts
# then answered the check at the end about keepalived's return
ka_in a "$T_TMP/a.conf" "Entering MASTER" || bail "keepalived"
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd"
ok "keepalived master over unicast" wait_for 8 only a a b
ok "vrrpd backup, hearing keepalived's unicast adverts" wait_for 5 rx_ge b 5
is "$(grep -c '^MASTER' "$T_TMP/b.out")" 0 "vrrpd was never master under keepalived"
like "$(ctl b 'show instances')" "state=BACKUP .*master=192.0.2.1 .*drop_checksum=0 " \
    "no checksum drops (pseudo-header with the unicast destination)"
ok "client reaches the VIP" reach

kill -TERM "$KA_a"
ok "keepalived SIGTERM: vrrpd master" wait_for 5 has_vip b
ok "keepalived removed its VIP" wait_for 3 no_vip a
ok "client reaches the VIP" wait_for 3 reach
wait_gone 5 "$KA_a"
n=$(file_lines "$T_TMP/a.out")
ka_in a "$T_TMP/a.conf" || bail "keepalived again"
ok "keepalived back: takes the VIP back from vrrpd" wait_for 8 only a a b
ok "client reaches the VIP" wait_for 3 reach
ok "keepalived accepted vrrpd's unicast adverts (checksum, source)" \
    _file_has_after "$T_TMP/a.out" "$n" "received lower priority \(100\) advert from 192\.0\.2\.2"
done_testing
