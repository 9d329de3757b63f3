#!/bin/bash
# SPDX-License-Identifier: ISC
# The pid file track script, kill -0 $(cat /run/haproxy.pid) (the shell's
# kill and /bin/kill), beside svccheck -q --pidfile FILE haproxy, over the
# states a pid file can be in.  Where kill -0 says otherwise the reason is
# the one the MIGRATION table of man/svccheck.1 gives.
. "$(dirname "$0")/track-lib.sh"

F=$T_TMP/haproxy.pid
# row SITUATION WANT K [WHY]: svccheck exits WANT, both kill -0 lines say K
row() {
	svc "$1" "$2" --pidfile "$F" haproxy
	compare "$1" "$2" "kill -0 \$(cat $F)" "$3" "$4"
	compare "$1" "$2" "/bin/kill -0 \$(cat $F)" "$3" "$4"
}
REUSED="kill -0 asks whether some process has the pid, svccheck whether haproxy does"

prog haproxy other
rm -f "$F"
row "no pid file" 1 1
: >"$F"
row "empty pid file" 1 1
start "$B/haproxy" 1000; H=$P
echo "$H" >"$F"
row "pid file of the live haproxy" 0 0
printf '%s' "$H" >"$F"
row "... without a newline" 0 0
printf ' %s \n' "$H" >"$F"
row "... between blanks" 0 0
kill -STOP "$H"
wait_for 5 grep -q '^State:.*T' "/proc/$H/status"
row "... stopped (kill -STOP)" 0 0
kill -CONT "$H"
RUNAS="runuser -u nobody --" row "root's haproxy, checked as nobody" 0 1 \
    "kill -0 sends a signal: EPERM from another user's process"
stop "$H"
row "haproxy gone, its pid file left" 1 1
start "$B/other" 1000; O=$P
echo "$O" >"$F"
row "the pid now another program's" 1 0 "$REUSED"
stop "$O"
start runuser -u nobody -- "$B/haproxy" 1000
ok "(nobody's haproxy started)" wait_for 5 pgrep -x -u nobody haproxy
N=$(pgrep -x -u nobody haproxy); PIDS+=("$N")
echo "$N" >"$F"
row "nobody's haproxy, checked as root" 0 0
RUNAS="runuser -u nobody --" row "nobody's haproxy, checked as nobody" 0 0
stop "$N"; wait_gone 5 "$N"

# a parent that does not reap: sh starts haproxy, then becomes other
startas other sh -c "\"$B/haproxy\" 1000 & echo \$! >\"$F\"; exec \"$B/other\" 1000"
wait_for 5 test -s "$F"
Z=$(cat "$F"); PIDS+=("$Z")
kill -9 "$Z"
ok "(haproxy is a zombie)" wait_for 5 grep -q '^State:.*Z' "/proc/$Z/status"
row "the pid file's haproxy a zombie" 1 0 \
    "a zombie has exited: only the reaping is missing"
stop "$P"
ok "(the zombie is reaped)" wait_for 5 test ! -e "/proc/$Z"

echo 0 >"$F"
row "pid file holding 0" 1 0 "kill -0 0 asks about the caller's own process group"
echo haproxy >"$F"
row "pid file holding a word" 1 1
done_testing
