#!/bin/bash
# SPDX-License-Identifier: ISC
# notify_fifo / vrrp_notify_fifo, against keepalived 2.2.7: the same file
# on host a for each daemon in turn, a notify_fifo (made by the daemon)
# and a notify_fifo_script that appends what it reads to a file (it gets
# the FIFO's path as last argument).  The failover sequence: a alone
# (master), b (vrrpd, priority 200) preempts, b stops, a stops.  Both
# daemons' readers must end with the same INSTANCE lines in the same order
# and the same GROUP lines in the same order (at start-up keepalived
# writes the group's BACKUP line before the instance's, vrrpd after), and
# the FIFO made by the daemon is gone after.  At its stop keepalived kills
# the reader before writing the STOP lines, so they are lost; vrrpd's
# reader gets them, then the end of the FIFO (a documented difference).
# The same lines go to vrrp_notify_fifo, which nobody reads: writes never
# block (the daemon keeps failing over) and the lines wait in the pipe.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b

fifo_reader

conf() {	# conf NAME PRIO
	cat <<EOC
global_defs {
    notify_fifo $T_TMP/$1.fifo
    notify_fifo_script "$T_TMP/reader.sh $T_TMP/$1.lines"
    vrrp_notify_fifo $T_TMP/$1.vfifo
}
vrrp_sync_group G1 {
    group {
        VI_1
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf b 200 | sed '/fifo/d' > "$T_TMP/b.conf"

lines() { cat "$T_TMP/$1.lines" 2>/dev/null; }
has() { grep -qx "$2" "$T_TMP/$1.lines" 2>/dev/null; }
count() { grep -cx "$2" "$T_TMP/$1.lines" 2>/dev/null; }
count_ge() { [ "$(count "$1" "$2")" -ge "$3" ]; }

for d in keepalived vrrpd; do
	conf "$d" 150 > "$T_TMP/$d.conf"
	either_start $d a "$T_TMP/$d.conf"
	ok "$d: made the FIFO" wait_for 5 test -p "$T_TMP/$d.fifo"
	ok "$d: master" wait_for 8 has_vip a
	ok "$d: the reader got the MASTER line" \
	    wait_for 5 has "$d" 'INSTANCE "VI_1" MASTER 150'
	vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
	ok "$d: b preempts" wait_for 8 only b a b
	ok "$d: BACKUP line" wait_for 5 count_ge "$d" 'INSTANCE "VI_1" BACKUP 150' 2
	kill -TERM "$VR_b"
	wait_gone 5 "$VR_b"
	ok "$d: a master again" wait_for 8 has_vip a
	ok "$d: MASTER line again" wait_for 5 count_ge "$d" 'INSTANCE "VI_1" MASTER 150' 2
	either_stop $d a
	[ $d = vrrpd ] && ok "$d: STOP lines reach the reader" \
	    wait_for 5 has "$d" 'GROUP "G1" STOP 0'
	ok "$d: the FIFO it made is removed" wait_for 5 test ! -e "$T_TMP/$d.fifo"
	ok "$d: the unread vrrp_notify_fifo too" test ! -e "$T_TMP/$d.vfifo"
	diag "$d's reader:"
	lines "$d" | sed 's/^/#   /'
done
kind() { lines "$1" | grep "^$2 " | grep -v ' STOP '; }
is "$(kind vrrpd INSTANCE)" "$(kind keepalived INSTANCE)" \
    "vrrpd's reader got keepalived's INSTANCE lines"
is "$(kind vrrpd GROUP)" "$(kind keepalived GROUP)" \
    "vrrpd's reader got keepalived's GROUP lines"
is "$(lines vrrpd | tail -2)" $'INSTANCE "VI_1" STOP 150\nGROUP "G1" STOP 0' \
    "vrrpd: the STOP lines last"
done_testing
