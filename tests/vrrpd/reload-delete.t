#!/bin/bash
# SPDX-License-Identifier: ISC
# A reload that deletes an instance, against keepalived 2.2.7: the same
# files on host a for each daemon in turn.  VI_1 stays, VI_2 (in sync
# group G2) goes.  keepalived tells the generic notify and the notify
# FIFO "FAULT" with the instance's priority, or "DELETED" when the
# instance had notify_deleted, whose command runs too; notify_fault,
# notify_stop and the group hear nothing.  One in FAULT (a failing
# track_script) is not told FAULT again: nothing, or DELETED with
# notify_deleted.  A master sends a priority 0 advert and drops its VIPs,
# a backup sends nothing.  Each daemon must leave the same VI_2 lines
# after the reload.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b
host_init a || bail "host a"

LOG=$T_TMP/log
cat > "$T_TMP/log.sh" <<EOS
#!/bin/sh
echo "\$*" >> $LOG
EOS
# the FIFO's reader is the test's, open read-write (no end of file when
# a daemon reopens the FIFO): one that keepalived starts as its
# notify_fifo_script is stopped and started again by a reload, and a sh
# read killed mid-line lost a byte of the line written just before
cat > "$T_TMP/reader.sh" <<EOS
#!/bin/sh
while read -r line; do echo "fifo \$line" >> $LOG; done <> "\$1"
EOS
chmod 755 "$T_TMP/log.sh" "$T_TMP/reader.sh"

inst() {	# NAME VRID PRIO [LINE]: an instance whose notifies all log
	local n=$1 k
	printf 'vrrp_instance %s {\n    version 3\n    interface eth0\n' "$n"
	printf '    virtual_router_id %s\n    priority %s\n' "$2" "$3"
	printf '    advert_int 0.1\n    %s\n' "${4:-}"
	for k in notify_master notify_backup notify_fault notify_stop notify; do
		printf '    %s "%s %s %s"\n' $k "$T_TMP/log.sh" "$n" $k
	done
	printf '    virtual_ipaddress {\n        192.0.2.%s/24\n    }\n}\n' \
	    $(($2 + 50))
}
conf() {	# [VI_2's LINE [fault]]: both instances, or VI_1 alone
	printf 'global_defs {\n    notify_fifo %s\n}\n' "$T_TMP/n.fifo"
	[ "${2:-}" = fault ] &&
	    printf 'vrrp_script bad {\n    script /bin/false\n    interval 1\n}\n'
	inst VI_1 51 150
	[ $# -eq 0 ] && return
	inst VI_2 52 150 "$1"
	printf 'vrrp_sync_group G2 {\n    group {\n        VI_2\n    }\n'
	printf '    notify "%s G2 notify"\n}\n' "$T_TMP/log.sh"
}
# b, vrrpd at 200, makes VI_2 a backup when it runs
inst VI_2 52 200 | grep -v notify > "$T_TMP/b.conf"
vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"

start() { daemon_in "$1" a "$T_TMP/a.conf"; }	# D
# VI_2's lines after the reload marker, sorted (two writers race)
after() { sed -n '/^RELOAD$/,$p' "$LOG" | grep 'VI_2\|G2' | sort; }
# a's priority 0 advert for VI_2 past the capture's first CAPN lines
zero_from_a() {
	tail -n "+$((CAPN + 1))" "$T_TMP/cap" | grep -q '192.0.2.1 > .* vrid 52, prio 0,'
}

# reloaded D: D says it took the new file, past the lines it had
reloaded() {
	if [ "$1" = vrrpd ]; then
		_file_has_after "$T_TMP/a.err" "$ERRN" 'reloaded: 1 instance'
	else
		_file_has_after "$T_TMP/a.out" "$OUTN" 'Reload complete'
	fi
}
# run D ROLE LINE: VI_2 master, backup (b at 200) or fault, LINE in VI_2
run() {
	local d=$1 role=$2 st=FAULT line=$3 r=$2${3:+, notify_deleted}
	[ -n "$3" ] && st=DELETED
	[ "$role" = fault ] && line="$3
    track_script {
        bad
    }"
	: > "$LOG"
	if [ "$role" = backup ]; then
		vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
		wait_for 8 has_vip b 192.0.2.102 || bail "b not master"
	fi
	conf "$line" "$role" > "$T_TMP/a.conf"
	rm -f "$T_TMP/n.fifo"
	mkfifo "$T_TMP/n.fifo"
	"$T_TMP/reader.sh" "$T_TMP/n.fifo" & RD=$!
	start "$d"
	ok "$d $r: VI_1 master" wait_for 8 has_vip a 192.0.2.101
	if [ "$role" = fault ]; then
		ok "$d $r: VI_2 in FAULT" \
		    wait_file_line 5 "$LOG" '^fifo INSTANCE "VI_2" FAULT 150$'
	elif [ "$role" = master ]; then
		ok "$d $r: VI_2 master" wait_for 8 has_vip a 192.0.2.102
		ok "$d $r: the reader got VI_2's MASTER line" \
		    wait_file_line 5 "$LOG" '^fifo INSTANCE "VI_2" MASTER 150$'
	else
		ok "$d $r: VI_2 backup" \
		    wait_file_line 5 "$LOG" '^fifo INSTANCE "VI_2" BACKUP 150$'
	fi
	CAPN=$(file_lines "$T_TMP/cap")
	OUTN=$(file_lines "$T_TMP/a.out") ERRN=$(file_lines "$T_TMP/a.err")
	echo RELOAD >> "$LOG"
	conf > "$T_TMP/a.conf"
	kill -HUP "$PID"
	if [ "$role" != fault ] || [ -n "$3" ]; then
		ok "$d $r: the generic notify gets $st" wait_file_line 5 \
		    "$LOG" "^VI_2 notify INSTANCE VI_2 $st 150\$"
		ok "$d $r: the FIFO gets $st" wait_file_line 5 \
		    "$LOG" "^fifo INSTANCE \"VI_2\" $st 150\$"
	else
		ok "$d $r: reloaded" wait_for 5 reloaded "$d"
	fi
	if [ "$role" = master ]; then
		ok "$d $r: a priority 0 advert for VI_2" wait_for 5 zero_from_a
		ok "$d $r: VI_2's VIP gone" wait_for 5 no_vip a 192.0.2.102
	fi
	ok "$d $r: VI_1 keeps its VIP" has_vip a 192.0.2.101
	# its stop: everything VI_2's reload started has been asked for
	kill -TERM "$PID"
	wait_gone 15 "$PID"
	ok "$d $r: VI_1's notify_stop at the stop" \
	    wait_file_line 5 "$LOG" '^VI_1 notify_stop$'
	want="fifo INSTANCE \"VI_2\" $st 150
VI_2 notify INSTANCE VI_2 $st 150"
	[ -n "$3" ] && want="$want
VI_2 notify_deleted"
	[ "$role" = fault ] && [ -z "$3" ] && want=
	is "$(after)" "$(sort <<<"$want")" \
	    "$d $r: VI_2's lines after the reload, and no others"
	kill "$RD"
	wait "$RD" 2>/dev/null
	if [ "$role" = backup ]; then
		nok "$d $r: no priority 0 advert for VI_2" zero_from_a
		kill -TERM "$VR_b"
		wait_gone 5 "$VR_b"
	fi
	diag "$d $r:"
	sed 's/^/#   /' "$LOG"
}

for d in keepalived vrrpd; do
	run $d master ""
	run $d backup "notify_deleted \"$T_TMP/log.sh VI_2 notify_deleted\""
	run $d fault ""
	run $d fault "notify_deleted \"$T_TMP/log.sh VI_2 notify_deleted\""
done
done_testing
