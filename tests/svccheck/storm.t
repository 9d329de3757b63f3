#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --watch beside a fork storm: thousands of short processes
# (tests/svccheck/storm.c: two workers, in a PID namespace of their own),
# with the watched process killed halfway through.  The storms are short
# (1 s, then 1.5 s: this file runs alone at the end of make check, and a
# storm is two CPUs' worth while it lasts); the margins below were
# measured at those lengths on the 2-core machine, quiet and beside two
# CPU hogs (Dec 7 2026).
#  1. svccheck gets the CPU it wants: no line but the real change (the
#     death, reported within 1 s of the kill, the man page's bound for a
#     storm), nothing on stderr but rate-limited "events lost" lines, and
#     svccheck's CPU time (/proc/PID/stat utime+stime) under the
#     storm's own (workers and children; a sixth to a quarter on a quiet
#     machine, half beside two CPU hogs).
#  2. svccheck's socket buffer shrunk to 4 KiB (tests/svccheck/rcvbuf.c;
#     a host with a small net.core.rmem_max gives it that) and svccheck
#     stopped 50 ms in every 100, so the storm
#     makes the kernel drop its events many times a second: "events lost"
#     lines are rate-limited (10 per 5 s, then "N similar messages
#     suppressed"), the death is still reported within 1 s, the event
#     lines stay the real changes only, and its rescans keep its CPU time
#     under the storm's.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
cc -O2 -Wall -o "$T_TMP/storm" "$T_TOP/tests/svccheck/storm.c" ||
	bail "cannot build storm"
cc -O2 -Wall -o "$T_TMP/rcvbuf" "$T_TOP/tests/svccheck/rcvbuf.c" ||
	bail "cannot build rcvbuf"

N=n$T_ID
B=$T_TMP/bin
mkdir -p "$B"
cp /bin/sleep "$B/$N"
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'
start() { "$@" >/dev/null 2>&1 & P=$!; PIDS+=("$P"); disown "$P"; }
is_n() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$N" ]; }
start_n() {
	start "$B/$N" 1000
	wait_for 10 is_n "$P" || bail "$N did not start"
}

# each event line with the CLOCK_MONOTONIC time it was read at
OUT=$T_TMP/out
ERR=$T_TMP/err
start_n
P1=$P
svccheck --watch --ready-fd 3 "$N" 3>"$T_TMP/ready" 2>"$ERR" > >(python3 -u \
    -c 'import sys, time
for l in sys.stdin:
    print("%.3f %s" % (time.monotonic(), l), end="", flush=True)' >"$OUT") &
W=$!
PIDS+=("$W")
ok "ready" wait_for 10 test -s "$T_TMP/ready"
lines() { wc -l <"$OUT"; }
has_lines() { [ "$(lines)" -ge "$1" ]; }
line() { sed -n "${1}p" "$OUT" | cut -d' ' -f2-; }
stamp() { sed -n "${1}p" "$OUT" | cut -d' ' -f1; }
wait_for 10 has_lines 1
is "$(line 1)" "up $N pid=$P1" "up, with its pid"
cpu() { awk '{ print $14 + $15 }' "/proc/$W/stat"; }	# clock ticks
HZ=$(getconf CLK_TCK)
val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }
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
lost() { grep -c 'proc connector: events lost, rescanning /proc$' "$ERR"; }

# 1. the storm beside an svccheck with the CPU it wants
c0=$(cpu)
"$T_TMP/storm" 1 2 "$P1" >"$T_TMP/storm1" || bail "storm: $(cat "$T_TMP/storm1")"
c1=$(cpu)
forks=$(val forks "$T_TMP/storm1") sms=$(val cpu_ms "$T_TMP/storm1")
# 17,700-21,900 in 1 s quiet, 5,600-17,200 beside two CPU hogs
ok "storm: $forks processes in 1 s (thousands)" test "$forks" -ge 2000
ok "the death during the storm: a line" wait_for 10 has_lines 2
is "$(line 2)" "down $N" "... down"
delay=$(awk -v a="$(val killed "$T_TMP/storm1")" -v b="$(stamp 2)" \
    'BEGIN { printf "%.3f", b - a }')
ok "... read $delay s after the kill (within 1 s)" \
    awk -v d="$delay" 'BEGIN { exit !(d < 1) }'
wms=$(( (c1 - c0) * 1000 / HZ ))
# under the storm's own: 15-24 % of it on a quiet machine, 51 % once
# beside two CPU hogs (the storm forks less and each event costs more),
# in a 3 s storm; in this 1 s one 17-22 % quiet, 20-28 % beside the
# hogs.  The kill was read 0-7 ms after it either way.
ok "svccheck's CPU: $wms ms for the storm's $sms ms (less)" \
    test "$wms" -lt "$sms"
n1=$(wc -l <"$ERR")
diag "stderr: $n1 lines ($(lost) events lost)"
ok "stderr: at most the 10 + 10 lines of two 5 s windows" test "$n1" -le 20

# 2. the storm beside an svccheck with a small socket buffer
start_n
P2=$P
ok "a new one: a line" wait_for 10 has_lines 3
is "$(line 3)" "up $N pid=$P2" "... up, with its pid"
INO=$(nl_inode "$W")
like "$INO" '^[0-9]+$' "(found its proc connector socket)"
"$T_TMP/rcvbuf" "$W" "$INO" 4096 >"$T_TMP/rcvbuf.out" ||
	bail "rcvbuf: $(cat "$T_TMP/rcvbuf.out")"
diag "svccheck's socket buffer: $(val rcvbuf "$T_TMP/rcvbuf.out") bytes"
lost0=$(lost)
c0=$(cpu)
# A reader starved now and then, as on a busy machine: svccheck stopped
# 50 ms in every 100 while the storm runs, so its small buffer overflows
# many times whatever the machine's load (beside two CPU hogs the storm
# forked too slowly to overflow it more than 10 times by itself).
( while :; do kill -STOP "$W"; sleep 0.05; kill -CONT "$W"; sleep 0.05; done ) &
pacer=$!
cleanup_push "kill $pacer 2>/dev/null; kill -CONT $W 2>/dev/null"
"$T_TMP/storm" 1.5 2 "$P2" >"$T_TMP/storm2" || bail "storm: $(cat "$T_TMP/storm2")"
kill "$pacer"; wait "$pacer" 2>/dev/null
kill -CONT "$W"
c1=$(cpu)
forks=$(val forks "$T_TMP/storm2") sms=$(val cpu_ms "$T_TMP/storm2")
diag "storm: $forks processes in 1.5 s"
ok "the death in the lossy storm: a line" wait_for 10 has_lines 4
is "$(line 4)" "down $N" "... down"
delay=$(awk -v a="$(val killed "$T_TMP/storm2")" -v b="$(stamp 4)" \
    'BEGIN { printf "%.3f", b - a }')
ok "... read $delay s after the kill (within 1 s)" \
    awk -v d="$delay" 'BEGIN { exit !(d < 1) }'
wms=$(( (c1 - c0) * 1000 / HZ ))
# 1.5 s: 33-40 % of the storm's quiet, 22-44 % beside two CPU hogs, 69 %
# at worst in three copies of this file at once; the kill read 0-49 ms
# after it
ok "svccheck's CPU with its rescans: $wms ms for the storm's $sms ms (less)" \
    test "$wms" -lt "$sms"
kill -TERM "$W"
wait "$W"; r=$?
is "$r" 0 "SIGTERM: clean exit 0"
is "$(lines)" 4 "four lines in all: the real changes only"
shown=$(( $(lost) - lost0 ))
supp=$(sed -n 's/.*: \([0-9]*\) similar messages\{0,1\} suppressed (last: proc connector: events lost.*/\1/p' \
    "$ERR" | awk '{ s += $1 } END { print s + 0 }')
diag "lossy storm: events lost $((shown + supp)) times, $shown shown, $supp suppressed"
# 1.5 s: 183-237 times quiet, 44-105 beside two CPU hogs (1 s gave 24-26
# there: too near 10); 4 s gave 518 on a busy machine
ok "the kernel dropped events more than 10 times in the lossy storm" \
    test "$((shown + supp))" -gt 10
# The limiter's window opens at the first line shown and lasts 5 s: the
# lossy storm's 1.5 s meet at most two (10 left of the first storm's, and
# 10).  Shown 10 in 8 runs of 9, 9 in the other (Dec 7 20:22: 3 quiet, 3 beside two
# CPU hogs, 3 copies at once), the first storm never losing an event;
# one that does, then a window ending mid-storm, gives up to 20.
ok "... said in at most 10 lines per 5 s (2 windows: at most 20)" \
    test "$shown" -le 20
ok "... the rest summed up as suppressed" test "$supp" -ge 1
is "$(grep -Evc 'events lost, rescanning /proc$|similar messages? suppressed' "$ERR")" 0 \
    "nothing else on stderr"
done_testing
