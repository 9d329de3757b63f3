#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --watch: up/down lines from the kernel's process events for a
# real process: start, kill -9, restart, fork, exec (exec -a), comm change,
# death of a child nobody reaps (zombie = down), a main thread's exit
# while another thread runs (up), clean exit on SIGTERM.
# The proc connector only speaks to the initial PID namespace, so the
# processes here carry T_ID in their name instead.
. "$(dirname "$0")/../lib/tap.sh"
needs_root

N=n$T_ID
B=$T_TMP/bin; SH=$T_TMP/sh
mkdir -p "$B" "$SH"
cp /bin/sleep "$B/$N"; cp /bin/sleep "$B/o$T_ID"
cp /bin/bash "$SH/$N"		# a shell called N, to fork copies of itself
for f in f1 f2 f3 f4 f5 f6 f7; do mkfifo -m 666 "$T_TMP/$f"; done
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'

OUT=$T_TMP/out
svccheck --watch --rescan 1m --ready-fd 3 "$N" 3>"$T_TMP/ready" >"$OUT" \
    2>"$T_TMP/err" &
W=$!
PIDS+=("$W")

start() { "$@" >/dev/null 2>&1 & P=$!; PIDS+=("$P"); disown "$P"; }
lines() { wc -l <"$OUT"; }
has_lines() { [ "$(lines)" -ge "$1" ]; }
has_rescans() { [ "$(grep -c 'periodic rescan' "$T_TMP/user.err")" -ge "$1" ]; }
# expect N WANT DESC: line N of the output (waiting up to 10 s for it)
expect() {
	wait_for 10 has_lines "$1"
	is "$(sed -n "${1}p" "$OUT")" "$2" "$3"
}

ok "ready on --ready-fd" wait_for 10 test -s "$T_TMP/ready"
expect 1 "down $N" "initial state: down"
is "$(awk '/^CapEff/ { print $2 }' /proc/$W/status)" 0000000000000000 \
    "all capabilities dropped once subscribed"
is "$(awk '/^CapBnd/ { print $2 }' /proc/$W/status)" 0000000000000000 \
    "bounding set emptied"
svccheck --watch --exe "$B/$N" "$N" >"$T_TMP/exe.out" &
EW=$!; PIDS+=("$EW")
wait_for 10 test -s "$T_TMP/exe.out"
is "$(awk '/^CapEff/ { print $2 }' /proc/$EW/status)" 0000000000080000 \
    "--exe: only CAP_SYS_PTRACE kept"
kill "$EW"; wait "$EW"

start "$B/$N" 1000; P1=$P
expect 2 "up $N pid=$P1" "started: up with its pid"
kill -9 "$P1"
expect 3 "down $N" "kill -9: down"
start "$B/$N" 1000; P2=$P
expect 4 "up $N pid=$P2" "restarted: up"

# a shell N that forks a copy of itself (no exec), then waits
start "$SH/$N" -c "( read -r x <>\"$T_TMP/f1\" ) & echo \$! >\"$T_TMP/child\"; read -r y <>\"$T_TMP/f2\""
SHP=$P
wait_for 10 test -s "$T_TMP/child"
CHILD=$(cat "$T_TMP/child"); PIDS+=("$CHILD")
is "$(cat /proc/$CHILD/comm)" "$N" "(the forked child is called $N)"
kill -9 "$P2"
expect 5 "up $N pid=$SHP" "the pid it named died, another runs: up again, new pid"
kill -9 "$SHP"
expect 6 "up $N pid=$CHILD" "a forked child of a watched process counts"
kill -9 "$CHILD"
expect 7 "down $N" "last one gone: down"

# exec: another program becomes N (exec -a: argv[0] does not matter)
start bash -c "read -r go <>\"$T_TMP/f3\"; exec -a disguised \"$B/$N\" 1000"
EX=$P
wait_for 10 grep -q bash "/proc/$EX/comm"
is "$(lines)" 7 "(a shell waiting is not $N)"
echo go >"$T_TMP/f3"
expect 8 "up $N pid=$EX" "exec (exec -a disguised) into $N: up"
kill -9 "$EX"
expect 9 "down $N" "down"

# comm change: a shell renames itself through /proc/self/comm (as prctl)
start bash -c "read -r go <>\"$T_TMP/f4\"; printf %s $N >/proc/self/comm; read -r x <>\"$T_TMP/f5\""
CM=$P
wait_for 10 grep -q bash "/proc/$CM/comm"
echo go >"$T_TMP/f4"
expect 10 "up $N pid=$CM" "comm change to $N: up"
kill -9 "$CM"
expect 11 "down $N" "down"

# a child nobody reaps: down at death, while still a zombie
start sh -c "\"$B/$N\" 1000 & echo \$! >\"$T_TMP/zpid\"; exec \"$B/o$T_ID\" 1000"
wait_for 10 test -s "$T_TMP/zpid"
Z=$(cat "$T_TMP/zpid"); PIDS+=("$Z")
expect 12 "up $N pid=$Z" "child of a non-reaping parent: up"
kill -9 "$Z"
expect 13 "down $N" "killed, never reaped: down"
ok "(and it is a zombie still)" grep -q '^State:.*Z' "/proc/$Z/status"

# a main thread that exits while another thread runs: the process runs
# (killall -0 says so) until that thread ends; the death of the one named
# first shows it
start "$B/$N" 1000; A=$P
expect 14 "up $N pid=$A" "up"
start python3 -c "import ctypes, threading
libc = ctypes.CDLL(None)
libc.prctl(15, b'$N', 0, 0, 0)
threading.Thread(target=lambda: open('$T_TMP/f7').read()).start()
libc.pthread_exit(None)"; PY=$P
ok "(its main thread exited, another runs)" wait_for 10 eval \
    'grep -q "^State:.*Z" /proc/$PY/status && grep -q "^Threads:.*2" /proc/$PY/status'
kill -9 "$A"
expect 15 "up $N pid=$PY" "a process whose main thread exited still runs"
echo go >"$T_TMP/f7"
expect 16 "down $N" "its last thread ended: down"

# threads are not processes; an unrelated process is not N
start "$B/o$T_ID" 1000
start bash -c "exec -a $N sleep 1000"
wait_for 10 grep -q sleep "/proc/$P/comm"
is "$(svccheck -q "$N"; echo $?)" 1 "(one-shot agrees: down)"

kill -TERM "$W"
wait "$W"; r=$?
is "$r" 0 "SIGTERM: clean exit 0"
is "$(lines)" 16 "no spurious lines"
is "$(cat "$T_TMP/err")" "" "nothing on stderr"

# --json, --quiet
start "$B/$N" 1000; P=$P
svccheck --watch --json "$N" >"$T_TMP/json" &
JW=$!; PIDS+=("$JW")
wait_for 10 test -s "$T_TMP/json"
is "$(cat "$T_TMP/json")" "{\"event\":\"up\",\"name\":\"$N\",\"pid\":$P}" \
    "--watch --json: initial line"
kill -9 "$P"
wait_for 10 grep -q down "$T_TMP/json"
is "$(sed -n 2p "$T_TMP/json")" "{\"event\":\"down\",\"name\":\"$N\"}" \
    "--watch --json: down line"
kill -INT "$JW"; wait "$JW"; r=$?
is "$r" 0 "SIGINT: clean exit 0"

# --user follows a change of owner (setuid) as it happens; the periodic
# rescan runs and changes nothing that is right
U=u$T_ID
cp /bin/bash "$SH/$U"
svccheck --watch -v --user nobody --rescan 100ms "$U" >"$T_TMP/user" \
    2>"$T_TMP/user.err" &
UW=$!; PIDS+=("$UW")
wait_for 10 test -s "$T_TMP/user"
start setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$SH/$U" \
    -c "read -r x <>\"$T_TMP/f6\""
wait_for 10 grep -q up "$T_TMP/user"
is "$(sed -n 2p "$T_TMP/user")" "up $U pid=$P" "--user nobody: a process set to nobody comes up"
start "$SH/$U" -c "read -r x <>\"$T_TMP/f6\""; ROOTP=$P
wait_for 10 has_rescans 3
ok "(the periodic rescan ran)" has_rescans 3
is "$(wc -l <"$T_TMP/user")" 2 "rescans print nothing when nothing changed"
kill -TERM "$UW"; wait "$UW"

# The reader goes away (vrrpd --track-fd died) while nothing changes: no
# line is written, yet svccheck must not linger for ever.
timeout 10 bash -c "svccheck --watch 'nothing-$T_ID' 2>'$T_TMP/gone' | head -1 >/dev/null"
is "$?" 0 "--watch stops when its reader closes the pipe, with nothing to write"
like "$(cat "$T_TMP/gone")" "reader of the event lines went away" "... and says why"

# where the kernel sends no events, say so instead of staying silent
err=$(unshare --pid --fork --mount-proc svccheck --watch "$N" 2>&1 >/dev/null); r=$?
is "$r" 1 "--watch in a child PID namespace: exit 1"
like "$err" "initial PID namespace" "... and says why"
done_testing
