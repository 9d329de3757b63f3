#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --watch NAME | vrrpd --track-fd 0: the VIP follows a process,
# event-driven.  Two hosts a (150) and b (100), each running a process
# NAME (a copy of sleep, told apart by its path with -e); kill -9 of a's
# moves the VIP to b at once, restarting it brings it back.  vrrpd gone:
# the svccheck --watch feeding it exits by itself.
. "$(dirname "$0")/../vrrpd/lib.sh"
needs_root
topo a b
host_init a && host_init b || bail "hosts"

N="n$T_ID"			# unique process name (comm is 15 bytes)
N=${N:0:15}
args=(-i eth0 --vrid 62 --vip $VIP/24 --advert 100ms --vrrp-version 3)

# svc_start H: process N in H's PID namespace, from $T_TMP/H/N
svc_start() {
	mkdir -p "$T_TMP/$1"
	[ -e "$T_TMP/$1/$N" ] || cp /bin/sleep "$T_TMP/$1/$N"
	local p1="P1_$1"
	nsenter -t "${!p1}" -a "$T_TMP/$1/$N" 100000 &
	disown	# no job notice when it is killed
	printf -v "SVC_$1" '%s' "$!"
	wait_for 5 pgrep -P "$!" -x "$N" || return 1
	printf -v "SVCPID_$1" '%s' "$(pgrep -P "$!" -x "$N")"
}
svc_start a && svc_start b || bail "processes"

# pipe H PRIO: svccheck --watch out here (the proc connector reports only to
# the initial PID namespace) piped straight into vrrpd in H.  SC_H is
# svccheck's pid, $T_TMP/H.sc.rc its exit status, VR_H vrrpd's pid.
pipe() {
	local h=$1 nse p1="P1_$1"
	(
		svccheck --watch -e "$T_TMP/$h/$N" "$N" 2>>"$T_TMP/$h.sc.err" &
		echo "$!" > "$T_TMP/$h.sc.pid"
		wait "$!"
		echo "$?" > "$T_TMP/$h.sc.rc"
	) | nsenter -t "${!p1}" -a vrrpd --control "$T_TMP/$h.sock" "${args[@]}" \
	    --priority "$2" --track-fd 0 >>"$T_TMP/$h.out" 2>>"$T_TMP/$h.err" &
	nse=$!
	disown
	wait_for 5 test -s "$T_TMP/$h.sc.pid" || return 1
	printf -v "SC_$h" '%s' "$(cat "$T_TMP/$h.sc.pid")"
	cleanup_push "kill -9 $(cat "$T_TMP/$h.sc.pid")"
	ns_child "VR_$h" "$nse" || return 1
	wait_for 5 test -S "$T_TMP/$h.sock"
}
: > "$T_TMP/a.out"; : > "$T_TMP/b.out"
pipe a 150 && pipe b 100 || bail "pipelines"

ok "a becomes master" wait_file_line 5 "$T_TMP/a.out" '^MASTER VI_62 vrid=62 prio=150'
ok "a alone holds the VIP" wait_for 5 only a a b
like "$(ctl a 'show tracks')" "up" "a's track fd is up"

t0=$(ms)
kill -9 "$SVCPID_a"
ok "kill -9: a goes FAULT because of the track fd" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_62 .*from=MASTER reason=track-fd'
ok "b takes the VIP" wait_fine 5 only b a b
t1=$(ms)
diag "VIP on b $((t1 - t0)) ms after kill -9"
ok "... in a master-down interval at most, well under a 2 s poll (< 1500 ms)" \
    test $((t1 - t0)) -lt 1500

n=$(file_lines "$T_TMP/a.out")	# a's MASTER line from the start is older
svc_start a || bail "restart"
ok "process back: a preempts" \
    wait_file_line_after 5 "$T_TMP/a.out" "$n" '^MASTER VI_62 .*from=(BACKUP|FAULT)'
ok "a alone holds the VIP again" wait_for 5 only a a b
nok "b's process never went away: b never went FAULT" \
    grep -q FAULT "$T_TMP/b.out"
is "$(grep -ci 'not understood\|error' "$T_TMP/a.err" "$T_TMP/b.err" | grep -v ':0$')" "" \
    "vrrpd understood every svccheck line"

# the reader goes away: svccheck --watch exits by itself (no line to write)
kill -TERM "$VR_a"
ok "vrrpd a stops" wait_gone 5 "$VR_a"
ok "b takes the VIP" wait_for 5 only b a b
ok "the svccheck --watch that fed a exits by itself" wait_gone 5 "$SC_a"
ok "... with status 1" wait_for 5 file_is "$T_TMP/a.sc.rc" 1
like "$(cat "$T_TMP/a.sc.err")" 'stdout: the reader of the event lines went away' \
    "... saying why"
ok "b's svccheck still runs" kill -0 "$SC_b"
kill -9 "$VR_b"
ok "the same after kill -9 of vrrpd b" wait_gone 5 "$SC_b"
ok "... with status 1" wait_for 5 file_is "$T_TMP/b.sc.rc" 1
done_testing
