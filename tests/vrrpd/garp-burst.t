#!/bin/bash
# SPDX-License-Identifier: ISC
# A new master's gratuitous ARPs must not hold back its adverts.  vrrpd
# opened and closed a packet socket per ARP, and each close waits for an
# RCU grace period (2-32 ms): the default burst of 5 silenced a master
# at 10 ms adverts for ~80 ms, its backup took over after 36 ms, and the
# pair flapped for good.  Here the burst is 255 ARPs for each of 8
# VIPs (1.4-30 s of silence before the fix) and the adverts 200 ms
# apart (VRRPv3), so that only such a stall, never a busy machine's
# scheduling, outlasts b's Master_Down_Interval (3 x 200 ms + 122 ms of
# skew).
. "$(dirname "$0")/lib.sh"
needs_root
command -v tcpdump >/dev/null || cannot_run "tcpdump not installed"
topo a b

conf() {	# PRIO
	cat <<EOC
global_defs {
    vrrp_version 3
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 0.2
    garp_master_repeat 255
    garp_master_delay 0
    virtual_ipaddress {
        $VIP/24
$(for i in 1 2 3 4 5 6 7; do printf '        192.0.2.10%s/24\n' $i; done)
    }
}
EOC
}
conf 150 >"$T_TMP/a.conf"
conf 100 >"$T_TMP/b.conf"

# gratuitous ARPs for the VIP from host H's MAC the client has seen
garps() { grep -c "^$(mac "$1") .*Request who-has $VIP .*tell $VIP" "$T_TMP/cap"; }
garps_ge() { [ "$(garps "$1")" -ge "$2" ]; }
ns_run cl tcpdump -i eth0 -t -e -n -l arp >"$T_TMP/cap" 2>"$T_TMP/cap.err" &
cleanup_push "kill $!"
wait_for 10 grep -q 'listening on' "$T_TMP/cap.err" || bail "tcpdump"

vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "b alone: master" wait_for 5 has_vip b
ok "b's gratuitous ARPs (255 for $VIP) reach the client" wait_for 30 garps_ge b 255
vr_start a -f "$T_TMP/a.conf" || bail "vrrpd a"
ok "a, higher, takes the VIP over" wait_for 5 only a a b
nok "b does not take it back while a's gratuitous ARPs go out" \
    wait_for 3 lines_ge "$T_TMP/b.out" '^MASTER' 2
ok "a's gratuitous ARPs (255 for $VIP) reach the client" wait_for 30 garps_ge a 255
is "$(grep -c '^MASTER' "$T_TMP/b.out")" 1 "b was master once, alone"
ok "a holds the VIP alone" only a a b
done_testing
