#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck NAME...: the exit contract of killall -0, beside killall -0 and
# pidof as references where they agree, and one test per documented
# difference.  Runs in its own PID namespace (unshare --pid --mount-proc), so
# its "named" processes are invisible to every other test on the machine.
if [ -z "$SVC_IN_PIDNS" ]; then
	# tap.sh's needs_root, before tap.sh can be sourced
	[ "$(id -u)" = 0 ] || { printf '1..1\nnot ok 1 - cannot run: needs root\n'; exit 1; }
	SVC_IN_PIDNS=1 exec unshare --pid --fork --mount-proc "$0" "$@"
fi
. "$(dirname "$0")/../lib/tap.sh"

B=$T_TMP/bin
mkdir -p "$B"
for n in named named-checkconf svc-abcdefghijklmnop other; do
	cp /bin/sleep "$B/$n"
done
printf '#!/bin/sh\nwhile :; do sleep 1000; done\n' >"$B/chk.sh"
chmod 755 "$B"/*
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'

start() {	# start PROG ARGS...: runs it in the background, PID in $P
	"$@" >/dev/null 2>&1 &
	P=$!
	PIDS+=("$P")
	# exec'd: its comm is the program's (15 characters at most), no
	# longer the forked shell's
	local c=${1##*/}
	wait_for 5 eval '[ "$(cat /proc/$P/comm 2>/dev/null)" = "${c:0:15}" ]'
}
stop() { kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
rc() { "$@" >/dev/null 2>&1; echo $?; }

# --- nothing running
is "$(rc svccheck -q named)" 1 "no named: exit 1"
is "$(rc killall -0 named)" 1 "killall -0 agrees"
is "$(svccheck named)" "down named" "event line: down named"

# --- alive
start "$B/named" 1000; NAMED=$P
is "$(rc svccheck named)" 0 "named alive: exit 0"
is "$(rc killall -0 named)" 0 "killall -0 agrees"
is "$(svccheck named)" "up named pid=$NAMED" "event line: up named pid=PID"
is "$(svccheck -q named)" "" "-q: no output"
is "$(svccheck --json named)" "{\"event\":\"up\",\"name\":\"named\",\"pid\":$NAMED}" \
    "--json line"
is "$(svccheck --json named nosuch | python3 -c '
import json, sys
T = {"up": {"name": str, "pid": int}, "down": {"name": str}}
for l in sys.stdin:
    e = json.loads(l)
    w = e.pop("event")
    print(w, all(type(e.get(k)) is t for k, t in T[w].items()) and
          set(e) == set(T[w]))')" "up True
down True" "--json: Python reads each line, each key of its type"
is "$(rc svccheck named nosuch)" 1 "one of two missing: exit 1"
is "$(rc killall -0 named nosuch)" 1 "killall -0 agrees"
is "$(svccheck named nosuch | tr '\n' ' ')" "up named pid=$NAMED down nosuch " \
    "one line per NAME"
is "$(rc svccheck --any nosuch named)" 0 "--any: one is enough"
is "$(rc svccheck --any nosuch alsonot)" 1 "--any: none is 1"
is "$(rc svccheck nam)" 1 "a prefix is not a match"
is "$(rc svccheck amed)" 1 "a suffix is not a match"

# --- substrings: named-checkconf is not named
stop "$NAMED"
start "$B/named-checkconf" 1000; CHK=$P
is "$(rc svccheck named)" 1 "named-checkconf alone: named is down"
is "$(rc killall -0 named)" 1 "killall -0 agrees"
is "$(rc pgrep named)" 0 "(pgrep without -x would say yes)"
is "$(svccheck named-checkconf)" "up named-checkconf pid=$CHK" \
    "named-checkconf (15 chars) by its name"
stop "$CHK"

# --- names longer than the kernel's 15-character comm
start "$B/svc-abcdefghijklmnop" 1000; LONG=$P
is "$(cat /proc/$LONG/comm)" "svc-abcdefghijk" "(the kernel truncates comm)"
is "$(svccheck svc-abcdefghijklmnop)" "up svc-abcdefghijklmnop pid=$LONG" \
    "20-char name matched by its full name"
is "$(rc killall -0 svc-abcdefghijklmnop)" 0 "killall -0 agrees"
is "$(rc svccheck svc-abcdefghijklmnoX)" 1 "same first 15 chars, other name: 1"
is "$(rc killall -0 svc-abcdefghijklmnoX)" 1 "killall -0 agrees"
is "$(rc svccheck svc-abcdefghijk)" 1 "the truncated comm is not the name"
is "$(rc pidof svc-abcdefghijk)" 1 "pidof agrees"
stop "$LONG"

# --- scripts by file name
start "$B/chk.sh"; SCRIPT=$P
is "$(svccheck chk.sh)" "up chk.sh pid=$SCRIPT" "shebang script by file name"
is "$(pidof -x chk.sh)" "$SCRIPT" "pidof -x agrees"
is "$(rc killall -0 chk.sh)" 0 "killall -0 agrees"
stop "$SCRIPT"
start sh "$B/chk.sh"; SCRIPT=$P
is "$(svccheck chk.sh)" "up chk.sh pid=$SCRIPT" \
    "difference: 'sh chk.sh' counts as chk.sh"
is "$(rc killall -0 chk.sh)" 1 "(killall -0 says no)"
stop "$SCRIPT"

# --- stopped, zombie, dead
start "$B/named" 1000; NAMED=$P
kill -STOP "$NAMED"
wait_for 5 grep -q '^State:.*T' "/proc/$NAMED/status"
is "$(rc svccheck named)" 0 "stopped (kill -STOP): still exists, 0"
is "$(rc killall -0 named)" 0 "killall -0 agrees"
kill -CONT "$NAMED"; stop "$NAMED"
# a parent that never reaps: sh starts named, then becomes sleep
start sh -c "\"$B/named\" 1000 & echo \$! >\"$T_TMP/zpid\"; exec \"$B/other\" 1000"
wait_for 5 test -s "$T_TMP/zpid"
ZOMBIE=$(cat "$T_TMP/zpid"); PIDS+=("$ZOMBIE")
is "$(rc svccheck named)" 0 "(child of a non-reaping parent is up)"
kill -9 "$ZOMBIE"
wait_for 5 grep -q '^State:.*Z' "/proc/$ZOMBIE/status"
ok "(it is now a zombie)" grep -q '^State:.*Z' "/proc/$ZOMBIE/status"
is "$(svccheck named)" "down named" "difference: a zombie is NOT running, 1"
is "$(rc killall -0 named)" 0 "(killall -0 says 0 for a zombie)"
is "$(rc pidof named)" 1 "pidof agrees with svccheck"
is "$(rc svccheck named)" 1 "dead after reaping: 1"

# --- other users
start runuser -u nobody -- "$B/named" 1000
wait_for 5 pidof named
NOBODY=$(pidof named); PIDS+=("$NOBODY")
is "$(rc svccheck named)" 0 "a process of another user counts"
is "$(rc runuser -u nobody -- svccheck named)" 0 "even checked as nobody"
start "$B/other" 1000; OTHER=$P
is "$(rc runuser -u nobody -- svccheck other)" 0 \
    "difference: nobody checking root's process: 0"
is "$(rc runuser -u nobody -- killall -0 other)" 1 \
    "(killall -0 unprivileged: EPERM, 1)"
is "$(rc svccheck --user nobody named)" 0 "--user nobody named: 0"
is "$(rc svccheck --user root named)" 1 "--user root named: 1"
is "$(rc svccheck --user 65534 named)" 0 "--user by uid"
is "$(rc svccheck --user nobody other)" 1 "--user nobody other: 1"
stop "$NOBODY"; kill -9 "$NOBODY" 2>/dev/null
wait_gone 5 "$NOBODY"

# --- --exe: the file the process runs
start "$B/named" 1000; NAMED=$P
is "$(rc svccheck --exe "$B/named" named)" 0 "--exe the right file: 0"
is "$(rc svccheck --exe /usr/bin/sleep named)" 1 "--exe another file: 1"
is "$(svccheck --exe "$B/named")" "up $B/named pid=$NAMED" "--exe alone"
is "$(rc svccheck "$B/named")" 0 "a NAME with a / is the exe path"
is "$(rc svccheck --exe "$B/other" named)" 1 "--exe of another program: 1"
is "$(rc runuser -u nobody -- svccheck --exe "$B/named" named)" 2 \
    "--exe of a root process, checked as nobody: cannot tell, 2"

# --- --pidfile: alive and named; stale never trusted
echo "$NAMED" >"$T_TMP/named.pid"
is "$(svccheck --pidfile "$T_TMP/named.pid" named)" "up named pid=$NAMED" \
    "--pidfile with the live pid: 0"
echo "$OTHER" >"$T_TMP/named.pid"
is "$(rc svccheck --pidfile "$T_TMP/named.pid" named)" 1 \
    "--pidfile naming a pid that is another program: 1"
stop "$NAMED"
echo "$NAMED" >"$T_TMP/named.pid"
is "$(rc svccheck --pidfile "$T_TMP/named.pid" named)" 1 \
    "stale pidfile (process gone): 1"
echo garbage >"$T_TMP/bad.pid"
err=$(svccheck --pidfile "$T_TMP/bad.pid" named 2>&1 >/dev/null); r=$?
is "$r" 1 "pidfile without a pid: 1"
like "$err" "bad.pid: \"garbage\" is not a process id" "... and says why"
like "$(svccheck --pidfile "$T_TMP/none.pid" named 2>&1)" \
    "none.pid: No such file" "missing pidfile: named in the message"

# --- --nagios
start "$B/named" 1000; NAMED=$P
out=$(svccheck --nagios named); r=$?
is "$r" 0 "--nagios OK: 0"
is "$out" "SVCCHECK OK - named: 1 process (pid $NAMED) | 'named'=1;;1:;0" \
    "--nagios OK line with perfdata"
out=$(svccheck --nagios named nosuch); r=$?
is "$r" 2 "--nagios CRITICAL: 2"
like "$out" "^SVCCHECK CRITICAL - named: 1 process .*nosuch: not running \| 'named'=1;;1:;0 'nosuch'=0;;1:;0$" \
    "--nagios CRITICAL line"
out=$(svccheck --nagios 2>/dev/null); r=$?
is "$r" 3 "--nagios usage error: UNKNOWN 3"
like "$out" "^SVCCHECK UNKNOWN - nothing to check" "--nagios UNKNOWN line"

# --- -q alone reads /proc (in pid order) only until the exit status is
# known.  Started first is not a lower pid once the pid counter wraps
# (pid_max is 32768 here and make bench starts thousands of processes), so
# the counter is wrapped on purpose, in this PID namespace only, and the
# names are given by pid: 41 processes wait, then the lowest pid execs
# named and the 40 above it other (exec keeps the pid).
pkill -9 -x named; pkill -9 -x other
echo $(( $(cat /proc/sys/kernel/pid_max) - 20 )) >/proc/sys/kernel/ns_last_pid
KIDS=()
for i in $(seq 41); do
	mkfifo "$T_TMP/go.$i"
	bash -c 'read -r p <"$1" && exec "$p" 1000' _ "$T_TMP/go.$i" >/dev/null 2>&1 &
	KIDS+=("$!")
	PIDS+=("$!")
done
wrapped() {	# a later start got a lower pid
	local i
	for ((i = 1; i < ${#KIDS[@]}; i++)); do
		[ "${KIDS[i]}" -lt "${KIDS[i - 1]}" ] && return 0
	done
	return 1
}
ok "(the pid counter wrapped while they started: ${KIDS[0]} ... ${KIDS[40]})" wrapped
low=$(printf '%s\n' "${KIDS[@]}" | sort -n | head -1)
for i in $(seq 41); do
	if [ "${KIDS[i - 1]}" = "$low" ]; then echo "$B/named"; else echo "$B/other"; fi >"$T_TMP/go.$i"
done
named_up() { [ "$(cat "/proc/$low/comm" 2>/dev/null)" = named ] &&
    [ "$(pgrep -c -x other)" = 40 ]; }
ok "named has the lowest pid ($low), 40 others above it" wait_for 5 named_up
comms() {	# how many /proc/PID/comm the command opens
	strace -f -e trace=openat -o "$T_TMP/st" "$@" >/dev/null 2>&1
	grep -c '/comm"' "$T_TMP/st"
}
ok "-q: stops at named, before the 40 processes after it" \
    test "$(comms svccheck -q named)" -lt 40
ok "the event line names the lowest pid: reads to the end" \
    test "$(comms svccheck named)" -ge 40
ok "-q, a name missing: reads to the end" \
    test "$(comms svccheck -q named nosuch)" -ge 40
is "$(rc svccheck -q named nosuch)" 1 "... and exits 1"
ok "-q --any: stops at named" \
    test "$(comms svccheck -q --any nosuch named)" -lt 40
is "$(rc svccheck -q --any nosuch named)" 0 "... and exits 0"

# --- bad arguments: exit 2 and a clear message
bad() {	# bad REGEX ARGS...
	local re=$1 err r; shift
	err=$(svccheck "$@" 2>&1 >/dev/null); r=$?
	is "$r" 2 "svccheck $* (exit 2)"
	like "$err" "$re" "... says: $re"
}
bad "nothing to check" 
bad "unrecognized option" --bogus named
bad 'user "no-such-user-x": no such user' --user no-such-user-x named
bad 'listen "1.2.3.4:0": port "0"' --listen 1.2.3.4:0
bad 'pidfile needs a NAME' --pidfile "$T_TMP/named.pid"
bad 'go with --watch' --rescan 5s named
bad 'rescan "soon": not a duration' --watch --rescan soon named
bad 'an empty NAME' ''
bad 'exe "named": not an absolute path' --exe named
bad 'ready-fd "7": not an open' --watch --ready-fd 7 named
like "$(svccheck --version)" '^svccheck \(hatools\) [0-9]' "--version"
like "$(svccheck --help)" '--listen' "--help lists the options"
done_testing
