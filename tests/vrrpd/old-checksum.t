#!/bin/bash
# SPDX-License-Identifier: ISC
# old_unicast_checksum against keepalived 2.2.7, the keyword on both
# sides: a unicast VRRPv3 pair over IPv4 whose checksums are summed as if
# the adverts went to 224.0.0.18 (keepalived 1.3.6 and older).
# keepalived on a, vrrpd on b, the same file but for the priority.  b below a must take
# a's adverts (BACKUP, counting them, no checksum drops); b above a must
# make keepalived step down, so keepalived takes b's.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b

conf() {	# conf PRIO SRC PEER
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $1
    version 3
    advert_int 0.1
    old_unicast_checksum
    unicast_src_ip $2
    unicast_peer {
        $3
    }
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf 200 192.0.2.1 192.0.2.2 > "$T_TMP/a.conf"
conf 100 192.0.2.2 192.0.2.1 > "$T_TMP/b.conf"
conf 250 192.0.2.2 192.0.2.1 > "$T_TMP/b-high.conf"

either_start keepalived a "$T_TMP/a.conf"
ok "keepalived a master" wait_for 10 has_vip a
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "vrrpd b takes a's adverts: BACKUP" wait_for 10 state_is b BACKUP
ok "... counting them" wait_for 10 rx_ge b 10
ok "... a alone holds the VIP" only a a b
is "$(counter b drop_checksum)" 0 "... no checksum drop"
kill -TERM "$VR_b"
wait_gone 5 "$VR_b"

vr_start b -f "$T_TMP/b-high.conf" || bail "vrrpd b"
ok "keepalived takes b's adverts: b alone holds the VIP" \
    wait_for 10 only b a b
ok "keepalived a logs BACKUP" \
    wait_file_line 10 "$T_TMP/a.out" 'VI_1) Entering BACKUP STATE$'
kill -TERM "$VR_b"
wait_gone 5 "$VR_b"
either_stop keepalived a
done_testing
