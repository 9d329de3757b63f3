#!/bin/bash
# SPDX-License-Identifier: ISC
# notify_priority_changes / vrrp_notify_priority_changes against
# keepalived 2.2.7, the same file on host a for each daemon in turn: a
# notify_fifo read by a notify_fifo_script that appends its lines to a
# file.  VI_1 (notify_priority_changes) and VI_2 (without) track one
# track_file with weight 1; VI_3 is a backup (a better peer on b) that
# tracks it too.  Steps: the file goes -10, then -30, then back to 0.
# Each daemon's reader must get the same lines in the same order:
# MASTER_PRIORITY for the master, BACKUP_PRIORITY for the backup, none
# for VI_2.  Then the global vrrp_notify_priority_changes turns it on for
# every instance.  Last, a vrrp_sync_group's own notify_priority_changes
# (VI_1 and VI_2 in it, sync_group_tracking_weight so the file moves
# them): VI_1 gets the lines, VI_2 says notify_priority_changes off and
# gets none, as keepalived.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b

fifo_reader

inst() {	# inst NAME VRID PRIO EXTRA
	cat <<EOC
vrrp_instance $1 {
    interface eth0
    virtual_router_id $2
    priority $3
    advert_int 1
    track_file {
        tf weight 1
    }
$4
    virtual_ipaddress {
        192.0.2.$((100 + $2 - 50))/24
    }
}
EOC
}
conf() {	# conf NAME GLOBAL-EXTRA INST-EXTRA
	cat <<EOC
global_defs {
    notify_fifo $T_TMP/$1.fifo
    notify_fifo_script "$T_TMP/reader.sh $T_TMP/$1.lines"
$2
}
track_file tf {
    file $T_TMP/$1.tf
}
EOC
	inst VI_1 51 100 "$3"
	inst VI_2 52 100
	inst VI_3 53 100 "$3"
}
# b: the better master of VI_3 only
inst VI_3 53 200 | sed '/track_file/,/}/d' > "$T_TMP/b.conf"

lines() { grep "$2" "$T_TMP/$1.lines" 2>/dev/null; }
has() { grep -qx "$2" "$T_TMP/$1.lines" 2>/dev/null; }
setf() { echo "$2" > "$T_TMP/$1.tf"; }

vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
run() {	# run DAEMON NAME CONF-ARGS...
	local d=$1 n=$2; shift 2
	echo 0 > "$T_TMP/$n.tf"
	conf "$n" "$@" > "$T_TMP/$n.conf"
	if [ $d = vrrpd ]; then
		vr_start a -f "$T_TMP/$n.conf" || bail "vrrpd a"
	else
		ka_start a "$T_TMP/$n.conf" || bail "keepalived a"
	fi
	ok "$n: VI_1 master, VI_3 backup" wait_for 10 eval "
	    has $n 'INSTANCE \"VI_1\" MASTER 100' &&
	    has $n 'INSTANCE \"VI_3\" BACKUP 100'"
	setf $n -10
	ok "$n: -10 seen" wait_for 5 has $n 'INSTANCE "VI_1" MASTER_PRIORITY 90'
	setf $n -30
	ok "$n: -30 seen" wait_for 5 has $n 'INSTANCE "VI_1" MASTER_PRIORITY 70'
	setf $n 0
	ok "$n: 0 seen" wait_for 5 has $n 'INSTANCE "VI_1" MASTER_PRIORITY 100'
	# VI_3's and VI_2's lines of the same change come at once; give
	# them time to arrive before the daemon stops
	ok "$n: the backup's line" wait_for 5 \
	    has $n 'INSTANCE "VI_3" BACKUP_PRIORITY 100'
	[ -n "$1" ] && ok "$n: VI_2's line (global keyword)" wait_for 5 \
	    has $n 'INSTANCE "VI_2" MASTER_PRIORITY 100'
	if [ $d = vrrpd ]; then
		kill -TERM "$VR_a"; wait_gone 10 "$VR_a"
	else
		kill -TERM "$(pgrep -P "$KA_a")"; wait_gone 15 "$KA_a"
	fi
	wait_for 10 eval "! has_vip a 192.0.2.101"
	lines "$n" . | sed "s/^/# $n: /"
}
for d in keepalived vrrpd; do
	run $d $d "" "    notify_priority_changes"
	run $d $d-g "    vrrp_notify_priority_changes"
done
# the same order, state lines and priority lines, without STOP lines
# (keepalived's reader is killed before them, see notify-fifo.t)
seqf() { lines "$1" . | grep -v ' STOP '; }
is "$(seqf vrrpd)" "$(seqf keepalived)" "instance keyword: the same lines"
like "$(seqf vrrpd)" 'VI_3" BACKUP_PRIORITY 70' "... BACKUP_PRIORITY for the backup"
nok "... none for VI_2" grep -q 'VI_2.*PRIORITY' "$T_TMP/vrrpd.lines"
is "$(seqf vrrpd-g)" "$(seqf keepalived-g)" "global keyword: the same lines"
like "$(seqf vrrpd-g)" 'VI_2" MASTER_PRIORITY 70' "... VI_2's too"

# gconf NAME: the sync group's case
gconf() {
	conf "$1" "" "" | awk '/^vrrp_instance VI_3/ { exit } { print }' |
	    sed '/^vrrp_instance VI_2/,/^}/s/^    advert_int 1$/&\n    notify_priority_changes off/'
	printf 'vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n'
	printf '    sync_group_tracking_weight\n    notify_priority_changes\n}\n'
}
for d in keepalived vrrpd; do
	n=$d-s
	echo 0 > "$T_TMP/$n.tf"
	gconf "$n" > "$T_TMP/$n.conf"
	if [ $d = vrrpd ]; then
		vr_start a -f "$T_TMP/$n.conf" || bail "vrrpd a"
	else
		ka_start a "$T_TMP/$n.conf" || bail "keepalived a"
	fi
	ok "$n: the group master" wait_for 10 has $n 'GROUP "G" MASTER 0'
	setf $n -10
	ok "$n: -10 seen" wait_for 5 has $n 'INSTANCE "VI_1" MASTER_PRIORITY 90'
	setf $n 0
	ok "$n: 0 seen" wait_for 5 has $n 'INSTANCE "VI_1" MASTER_PRIORITY 100'
	if [ $d = vrrpd ]; then
		kill -TERM "$VR_a"; wait_gone 10 "$VR_a"
	else
		kill -TERM "$(pgrep -P "$KA_a")"; wait_gone 15 "$KA_a"
	fi
	wait_for 10 eval "! has_vip a 192.0.2.101"
	lines "$n" . | sed "s/^/# $n: /"
done
ok "vrrpd -t: a group's notify_priority_changes is no error" \
    vrrpd -t -f "$T_TMP/vrrpd-s.conf"
is "$(lines vrrpd-s PRIORITY)" "$(lines keepalived-s PRIORITY)" \
    "group keyword: the same priority lines"
nok "... none for VI_2 (its own off)" grep -q 'VI_2.*PRIORITY' "$T_TMP/vrrpd-s.lines"
kill "$VR_b"
done_testing
