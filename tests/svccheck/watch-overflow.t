#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --watch when the kernel drops process events (ENOBUFS on the
# proc connector socket): it rescans /proc at once and reports the truth.
# svccheck is frozen with SIGSTOP; a burst of forks (burst.c) fills its
# socket until the kernel drops events; then, still frozen, N starts (or
# dies), whose events are dropped too, as the socket stays congested
# until it is read; then SIGCONT.  --rescan 0: no periodic rescan to help.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
cc -O2 -Wall -o "$T_TMP/burst" "$T_TOP/tests/svccheck/burst.c" ||
	bail "cannot build burst"

N=n$T_ID
B=$T_TMP/bin
mkdir -p "$B"
cp /bin/sleep "$B/$N"
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'

OUT=$T_TMP/out
ERR=$T_TMP/err
svccheck --watch --rescan 0 --ready-fd 3 "$N" 3>"$T_TMP/ready" >"$OUT" \
    2>"$ERR" &
W=$!
PIDS+=("$W")

start() { "$@" >/dev/null 2>&1 & P=$!; PIDS+=("$P"); disown "$P"; }
lines() { wc -l <"$OUT"; }
has_lines() { [ "$(lines)" -ge "$1" ]; }
lost() { grep -c 'proc connector: events lost, rescanning' "$ERR"; }
has_lost() { [ "$(lost)" -ge "$1" ]; }
state() { awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
stopped() { [ "$(state "$1")" = T ]; }
# exited PID: the kernel has told of its exit (zombie, or gone)
exited() { case $(state "$1") in ''|Z|X) true ;; *) false ;; esac; }
is_n() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$N" ]; }
# the inode of PID's proc connector socket (NETLINK_CONNECTOR is 11)
nl_inode() {
	local fd l
	for fd in /proc/"$1"/fd/*; do
		l=$(readlink "$fd") || continue
		case $l in socket:\[*\]) ;; *) continue ;; esac
		l=${l#socket:[}
		awk -v i="${l%]}" '$2 == 11 && $10 == i { print i }' \
		    /proc/net/netlink
	done
}
drops() { awk -v i="$1" '$10 == i { print $9 }' /proc/net/netlink; }
# expect N WANT DESC: line N of the output (waiting up to 10 s for it)
expect() {
	wait_for 10 has_lines "$1"
	is "$(sed -n "${1}p" "$OUT")" "$2" "$3"
}
# overflow WHAT: freeze svccheck, burst until the kernel drops events on
# its socket, do WHAT (its events are lost as well), let svccheck go on
overflow() {
	kill -STOP "$W"
	wait_for 5 stopped "$W" || bail "svccheck did not stop"
	local before; before=$(drops "$INO")
	"$T_TMP/burst" "$INO" >"$T_TMP/burst.out"
	ok "$1: the kernel dropped events ($(cat "$T_TMP/burst.out"))" \
	    test "$(drops "$INO")" -gt "$before"
	"${@:2}"
	kill -CONT "$W"
}

ok "ready on --ready-fd" wait_for 10 test -s "$T_TMP/ready"
expect 1 "down $N" "initial state: down"
INO=$(nl_inode "$W")
like "$INO" '^[0-9]+$' "(found its proc connector socket)"
is "$(drops "$INO")" 0 "(no events dropped yet)"

# up: N starts and execs while svccheck is frozen on a full socket
start_n() {
	start "$B/$N" 1000
	wait_for 10 is_n "$P" || bail "$N did not start"
}
overflow "start" start_n
expect 2 "up $N pid=$P" "started while events were lost: up, with its pid"
ok "... and it logged the overflow and rescan" wait_for 10 has_lost 1
is "$(svccheck -q "$N"; echo $?)" 0 "(one-shot agrees: up)"

# down: N dies while svccheck is frozen on a full socket
kill_n() {
	kill -9 "$P"
	wait_for 10 exited "$P" || bail "$N did not die"
}
overflow "kill" kill_n
expect 3 "down $N" "killed while events were lost: down"
ok "... and it logged the overflow and rescan" wait_for 10 has_lost 2
is "$(svccheck -q "$N"; echo $?)" 1 "(one-shot agrees: down)"

kill -TERM "$W"
wait "$W"; r=$?
is "$r" 0 "SIGTERM: clean exit 0"
is "$(lines)" 3 "no spurious lines"
is "$(grep -vc 'proc connector: events lost, rescanning /proc$' "$ERR")" 0 \
    "nothing else on stderr"
done_testing
