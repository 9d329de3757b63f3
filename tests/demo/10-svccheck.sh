#!/bin/bash
# SPDX-License-Identifier: ISC
# Scene: svccheck, the drop-in for the seed's "killall -0 named".  A real
# named-like process (a copy of sleep called named) alive, stopped, zombie
# and dead, with what killall -0 named says beside it; then --watch
# printing "down" the moment the process is killed.  Part one runs in its
# own PID namespace, so no other program on this host sees its "named".
. "$(dirname "$0")/../lib/tap.sh"
say() { printf '  %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "needs root (PID namespace)"; exit 0; }

if [ "$1" = --in-pidns ]; then
	B=$T_TMP/bin; mkdir -p "$B"; cp /bin/sleep "$B/named"; cp /bin/sleep "$B/init"
	answer() {	# answer STATE: both tools, side by side
		local s k
		s=$(svccheck named); sr=$?
		killall -0 named 2>/dev/null; k=$?
		printf '  %-34s svccheck: exit %d (%-18s) killall -0: exit %d\n' \
		    "$1" "$sr" "$s" "$k"
	}
	say "the seed's check: vrrp_script chk_named { script \"killall -0 named\" }"
	say "the same with svccheck: script \"svccheck -q named\""
	echo
	answer "no named at all:"
	# sh starts named, then becomes a process that never reaps it
	sh -c "\"$B/named\" 1000 & echo \$! >\"$T_TMP/pid\"; exec \"$B/init\" 1000" &
	PARENT=$!
	cleanup_push "kill -9 $PARENT"
	wait_for 5 test -s "$T_TMP/pid"; P=$(cat "$T_TMP/pid")
	cleanup_push "kill -9 $P"
	wait_for 5 grep -qx named "/proc/$P/comm"
	answer "named running (pid $P):"
	kill -STOP "$P"; wait_for 5 grep -q '^State:.*T' "/proc/$P/status"
	answer "named stopped (kill -STOP):"
	kill -CONT "$P"; kill -9 "$P"
	wait_for 5 grep -q '^State:.*Z' "/proc/$P/status"
	answer "named killed, parent never reaps:"
	say "   ^ a zombie is not a running named: killall -0 still says yes"
	kill -9 "$PARENT"; wait "$PARENT" 2>/dev/null
	wait_for 5 sh -c "! test -e /proc/$P"
	answer "named dead and reaped:"
	echo
	cp /bin/sleep "$B/named-checkconf"
	"$B/named-checkconf" 1000 & C=$!; cleanup_push "kill -9 $C"
	wait_for 5 grep -qx named-checkconf "/proc/$C/comm"
	say "only named-checkconf runs: svccheck named -> $(svccheck named)" \
	    "(never a substring; pgrep named -> pid $(pgrep named))"
	runuser -u nobody -- true 2>/dev/null && {
		"$B/named" 1000 & P=$!; cleanup_push "kill -9 $P"
		wait_for 5 grep -qx named "/proc/$P/comm"
		say "root's named, checked as user nobody:" \
		    "svccheck -> exit $(runuser -u nobody -- svccheck -q named; echo $?)," \
		    "killall -0 -> exit $(runuser -u nobody -- killall -0 named 2>/dev/null; echo $?) (EPERM)"
		echo "$P" >"$T_TMP/named.pid"
		say "svccheck --nagios --pidfile named.pid named:"
		say "   $(svccheck --nagios --pidfile "$T_TMP/named.pid" named)"
	}
	exit 0
fi

echo "== svccheck: is named running?  (one-shot, as the seed's vrrp_script)"
unshare --pid --fork --mount-proc "$0" --in-pidns || exit 1

echo
echo "== svccheck --watch: events, not polling (what vrrpd --track-fd 0 reads)"
N=named-$T_ID		# unique on this host; longer than 15 chars, too
cp /bin/sleep "$T_TMP/$N"
svccheck --watch "$N" >"$T_TMP/watch" &
W=$!; cleanup_push "kill $W"
wait_for 5 test -s "$T_TMP/watch"
say "svccheck --watch $N"
say "   $(tail -1 "$T_TMP/watch")"
"$T_TMP/$N" 1000 & P=$!; disown "$P"; cleanup_push "kill -9 $P"
wait_for 5 grep -q '^up' "$T_TMP/watch"
say "   $(tail -1 "$T_TMP/watch")        <- started"
kill -9 "$P"
last_down() { tail -1 "$T_TMP/watch" | grep -q '^down'; }
wait_for 5 last_down
say "   $(tail -1 "$T_TMP/watch")                          <- kill -9"
say "(make bench times kill -9 -> down line: well under a millisecond)"
say "the seed polls every 2 s; vrrpd reading these lines reacts at once:"
say "   svccheck --watch named | vrrpd -f /etc/keepalived/keepalived.conf --track-fd 0"
kill "$W"; wait "$W" 2>/dev/null
exit 0
