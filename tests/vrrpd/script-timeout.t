#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_script's timeout: a script still running after it counts as a
# failure and is killed, in vrrpd as in keepalived.  Each daemon in turn
# is the 150 master whose script hangs (weight -60 -> 90), the other one
# the 100 backup that must take over; the hung script is gone after the
# timeout, not left to pile up at each interval.
# VRRPv3 at 0.3 s adverts (a script timeout works alike in v2 and v3):
# each start as backup waits ~1 s for a master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
printf '#!/bin/bash\n[ -e %s/hang-$1 ] && exec -a "hung-$1-%s" sleep 30\nexit 0\n' \
    "$T_TMP" "$T_ID" \
    > "$T_TMP/chk.sh"
chmod 755 "$T_TMP/chk.sh"
conf() {	# prio host
	cat <<C
vrrp_script chk {
    script "$T_TMP/chk.sh $2"
    interval 6
    timeout 1
    weight -60
    fall 1
    rise 1
}
vrrp_instance VI_1 {
    interface eth0
    state BACKUP
    virtual_router_id 63
    priority $1
    version 3
    advert_int 0.3
    virtual_ipaddress {
        $VIP/24
    }
    track_script {
        chk
    }
}
C
}
conf 150 a > "$T_TMP/master.conf"
conf 100 b > "$T_TMP/backup.conf"
hung() { pgrep -x -f "hung-$1-$T_ID 30"; }

run() {	# daemon-of-master start-master start-backup
	rm -f "$T_TMP/hang-a"
	$2 a "$T_TMP/master.conf" || bail "$1 on a"
	$3 b "$T_TMP/backup.conf" || bail "backup on b"
	ok "$1: a (150) holds the VIP" wait_for 15 only a a b
	touch "$T_TMP/hang-a"
	ok "$1: a's script hangs past timeout 1: b takes the VIP" wait_for 15 only b a b
	local p
	hung_pid() { p=$(hung a | head -1); [ -n "$p" ]; }
	ok "$1: the next run hangs again" wait_for 20 hung_pid
	ok "$1: ... and is killed after its timeout of 1 s, not the interval of 6 (pid $p)" wait_gone 4 "$p"
	rm -f "$T_TMP/hang-a"
	ok "$1: the script answers again: a takes the VIP back" wait_for 15 only a a b
}
vr() { vr_start "$1" -f "$2"; }
ka() { ka_start "$1" "$2"; }

run vrrpd vr ka
kill -TERM "$VR_a" $(pgrep -P "$KA_b")
ok "vrrpd on a stops" wait_gone 10 "$OUTER_a"
ok "keepalived on b stops" wait_gone 10 "$KA_b"
run keepalived ka vr
done_testing
