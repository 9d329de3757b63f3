#!/bin/bash
# SPDX-License-Identifier: ISC
# A backup stopped (SIGSTOP, a paused VM) past its Master_Down_Interval
# while its master kept advertising reads those adverts when it resumes
# and stays backup, as keepalived does.  After a stop epoll_wait fails
# with EINTR and libevent runs the expired timer without polling: vrrpd
# took the VIP over with the master's adverts waiting in its socket (4
# takeovers in 5 stops of 200 ms at 10 ms adverts; keepalived none).
# Adverts 100 ms apart (VRRPv3), b stopped while a sends 12 of them.
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
    advert_int 0.1
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf 150 >"$T_TMP/a.conf"
conf 100 >"$T_TMP/b.conf"

# a's adverts the client has seen
adverts() { grep -c "192.0.2.1 > 224.0.0.18: VRRPv3" "$T_TMP/cap"; }
adverts_ge() { [ "$(adverts)" -ge "$1" ]; }
ns_run cl tcpdump -i eth0 -n -l 'ip proto 112' >"$T_TMP/cap" 2>"$T_TMP/cap.err" &
cleanup_push "kill $!"
wait_for 10 grep -q 'listening on' "$T_TMP/cap.err" || bail "tcpdump"

vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
wait_for 5 has_vip b || bail "b alone is not master"
vr_start a -f "$T_TMP/a.conf" || bail "vrrpd a"
ok "a, higher, takes the VIP over" wait_for 5 only a a b
ok "b backup" wait_for 5 state_is b BACKUP
masters=$(grep -c '^MASTER' "$T_TMP/b.out")
for i in 1 2 3; do
	n=$(adverts)
	kill -STOP "$VR_b"
	wait_for 5 adverts_ge $((n + 12))
	kill -CONT "$VR_b"
	ok "stop $i: b resumed" wait_for 5 state_is b BACKUP
done
is "$(grep -c '^MASTER' "$T_TMP/b.out")" "$masters" \
    "b never took the VIP over on resuming"
ok "a holds the VIP alone" only a a b
done_testing
