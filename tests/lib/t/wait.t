#!/bin/bash
# SPDX-License-Identifier: ISC
# wait.sh: conditions are waited for, timeouts are reported.
. "$(dirname "$0")/../tap.sh"

f="$T_TMP/flag"
( sleep 0.2; echo ready > "$f" ) &
ok "wait_for sees a condition that becomes true" wait_for 5 test -s "$f"
nok "wait_for gives up on a condition that never holds" wait_for 0.2 test -e "$T_TMP/never"
ok "wait_file_line finds a matching line" wait_file_line 2 "$f" '^ready$'
sleep 1000 & pid=$!
disown "$pid"	# no "Killed" notice from bash
kill -9 "$pid"	# TERM may land before the child execs sleep and be lost
ok "wait_gone sees a killed process go" wait_gone 5 "$pid"
g=$T_TMP/log
printf 'ready\n' >"$g"
n=$(file_lines "$g")
nok "wait_file_line_after ignores a line already there" \
    wait_file_line_after 0.2 "$g" "$n" '^ready$'
( sleep 0.2; echo ready >>"$g" ) &
ok "wait_file_line_after sees a new one" wait_file_line_after 5 "$g" "$n" '^ready$'
is "$(file_lines "$T_TMP/none")" 0 "file_lines of a missing file: 0"
ok "wait_file_line_after 0 reads the whole file" wait_file_line_after 1 "$g" 0 '^ready$'
nok "wait_file_line_after 0: no match, no pass" wait_file_line_after 0.2 "$g" 0 '^never$'
nok "wait_file_line_after 0: a missing file, no pass" \
    wait_file_line_after 0.2 "$T_TMP/none" 0 '.'
# the timeout's fraction is read as such: 1.5 s is neither 1 nor 15 (not
# ">= 1500 ms": wait_for counts whole milliseconds from a start it reads
# after t0, so its 1500 can be 1499.1 ms of t0's clock)
t0=${EPOCHREALTIME/./}
wait_for 1.5 false
t1=${EPOCHREALTIME/./}
ok "wait_for 1.5 waits 1.5 s, not 1 s nor 15 s ($(( (t1 - t0) / 1000 )) ms)" \
    test $(( (t1 - t0) / 1000 )) -ge 1400 -a $(( (t1 - t0) / 1000 )) -lt 5000
p=$(free_port)
like "$p" '^[0-9]+$' "free_port gives a port number"
ok "free_port's port is free" test -z "$(ss -Hant "( sport = :$p )")"
ok "... and claimed for this test" test "$(readlink "$PORT_CLAIMS/$p")" = "$$"

# claims, in a private directory and a range of 4 ports: free_port never
# hands out a port twice while its taker lives, nor one another (live)
# test holds; a dead test's claim is taken over; the test's exit releases
# them (cleanup_push free_port_release)
claims() {
	local PORT_CLAIMS=$T_TMP/claims FREE_PORT_BASE=$1 FREE_PORT_SPAN=4 live dead got
	mkdir "$PORT_CLAIMS"
	sleep 1000 & live=$!
	ln -s "$live" "$PORT_CLAIMS/$FREE_PORT_BASE"
	( exit 0 ) & dead=$!; wait "$dead"
	ln -s "$dead" "$PORT_CLAIMS/$((FREE_PORT_BASE + 1))"
	got=$(for i in 1 2 3; do free_port; done | sort -n | tr '\n' ' ')
	is "$got" "$((FREE_PORT_BASE + 1)) $((FREE_PORT_BASE + 2)) $((FREE_PORT_BASE + 3)) " \
	    "three free_port in a range of 4, one held by a live test: the other three, the dead test's included"
	free_port_release
	is "$(ls "$PORT_CLAIMS" | sort -n | tr '\n' ' ')" "$FREE_PORT_BASE " \
	    "free_port_release drops this test's claims, not another's"
	rm "$PORT_CLAIMS/$FREE_PORT_BASE"
	is "$(free_port 4)" "$FREE_PORT_BASE" "free_port 4: the first of 4 in a row"
	is "$(ls "$PORT_CLAIMS" | wc -l)" 4 "... all 4 claimed"
	kill "$live"
}
claims "$(free_port 4)"

# free_ports: each VAR a free port, claimed for this test like free_port's
free_ports q1 'q[1]'
like "$q1 ${q[1]}" '^[0-9]+ [0-9]+$' "free_ports sets a name and an array element"
ok "... to two ports" test "$q1" != "${q[1]}"
ok "... both free" test -z "$(ss -Hantu "( sport = :$q1 or sport = :${q[1]} )")"
ok "... both claimed for this test" \
    test "$(readlink "$PORT_CLAIMS/$q1")$(readlink "$PORT_CLAIMS/${q[1]}")" = "$$$$"

# ports in use, in a range of 5 (one ss reads them all): a TCP listener
# on the second, a UDP socket on the fifth
busy() {
	local PORT_CLAIMS=$T_TMP/busy FREE_PORT_BASE=$1 FREE_PORT_SPAN=5 l a b c
	mkdir "$PORT_CLAIMS"
	python3 -c 'import socket, sys, time
t = socket.socket(); t.bind(("127.0.0.1", int(sys.argv[1]))); t.listen()
u = socket.socket(type=socket.SOCK_DGRAM); u.bind(("127.0.0.1", int(sys.argv[2])))
time.sleep(1000)' $(($1 + 1)) $(($1 + 4)) & l=$!
	listening() {
		[ -n "$(ss -Hant "( sport = :$(($1 + 1)) )")" ] &&
		    [ -n "$(ss -Hanu "( sport = :$(($1 + 4)) )")" ]
	}
	ok "(a TCP listener and a UDP socket in the range)" wait_for 10 listening "$1"
	is "$(free_port 2)" "$(($1 + 2))" \
	    "free_port 2 in a range of 5, the 2nd and 5th used: the 3rd (and 4th)"
	free_port_release
	free_ports a b c
	is "$(printf '%s\n' "$a" "$b" "$c" | sort -n | tr '\n' ' ')" \
	    "$1 $(($1 + 2)) $(($1 + 3)) " "free_ports a b c there: the three free ones"
	is "$(ls "$PORT_CLAIMS" | sort -n | tr '\n' ' ')" "$1 $(($1 + 2)) $(($1 + 3)) " \
	    "... claimed"
	free_port_release
	is "$(ls "$PORT_CLAIMS" | wc -l)" 0 "... and released by free_port_release"
	kill "$l"
}
busy "$(free_port 5)"

# three tests at once, each taking 2 ports with free_ports in a range of
# 6, holding them until all have theirs: 6 different ports
together() {
	local PORT_CLAIMS=$T_TMP/together FREE_PORT_BASE=$1 FREE_PORT_SPAN=6 i pids=()
	mkdir "$PORT_CLAIMS"
	export PORT_CLAIMS FREE_PORT_BASE FREE_PORT_SPAN
	for i in 1 2 3; do
		bash -c '. "$1"; free_ports a b; echo "$a $b" >>"$2"
		    wait_for 30 test -e "$2.go"' _ "$T_TOP/tests/lib/wait.sh" "$T_TMP/got" &
		pids+=($!)
	done
	three() { [ "$(file_lines "$T_TMP/got")" -ge 3 ]; }
	wait_for 30 three
	is "$(tr ' ' '\n' <"$T_TMP/got" | sort -n | tr '\n' ' ')" \
	    "$(seq -s ' ' "$1" $(($1 + 5))) " "three tests' free_ports a b at once: 6 different ports"
	touch "$T_TMP/got.go"
	for i in "${pids[@]}"; do wait_gone 10 "$i" || kill "$i"; done
}
together "$(free_port 6)"

# a test that closes wait.sh's pause descriptor (or puts something else
# on its number) leaves wait_for pausing between polls, not spinning
wait_for 0.1 false
eval "exec $_WAIT_FD>&-"
n=0
polls() { n=$((n + 1)); return 1; }
wait_for 1 polls 2>"$T_TMP/err"
ok "wait_for with its descriptor closed polls at most 40 times in 1 s ($n)" test "$n" -le 40
is "$(cat "$T_TMP/err")" "" "... and says nothing on stderr"

# polls: how often a condition is run.  A 3 s wait for what never comes
# polls 20 ms apart for the first 160 ms, then an eighth of the time
# waited (at most 250 ms): ~35 polls, not 150 (each poll forks).
n=0
count() { n=$((n + 1)); return 1; }
wait_for 3 count
ok "a 3 s wait polls at most 40 times ($n), a poll each 20 ms would be 150" \
    test "$n" -le 40
ok "... and polls at the start: more than 10 ($n)" test "$n" -gt 10
# wait_fine: in the second half of a 1 s wait, 25 polls 20 ms apart
# (wait_for: 6, 60-125 ms apart); at least 10 on a loaded machine
t0=${EPOCHREALTIME//[!0-9]/}
n=0
count2() { local t=${EPOCHREALTIME//[!0-9]/}; [ $((t - t0)) -lt 500000 ] || n=$((n + 1)); return 1; }
wait_fine 1 count2
ok "wait_fine polls every 20 ms: 10 or more in the last 0.5 s of 1 s ($n)" test "$n" -ge 10
# the deadline is checked once more at the end: a condition true from 1.9 s
# is seen by a 2 s wait whatever the pause before
t0=${EPOCHREALTIME//[!0-9]/}
late() { local t=${EPOCHREALTIME//[!0-9]/}; [ $(((t - t0) / 1000)) -ge 1900 ]; }
ok "a condition true just before the deadline is seen" wait_for 2 late
# a time measured around a wait_for reads at most an eighth late
t0=${EPOCHREALTIME//[!0-9]/}
at1() { local t=${EPOCHREALTIME//[!0-9]/}; [ $(((t - t0) / 1000)) -ge 1000 ]; }
wait_for 5 at1
t=${EPOCHREALTIME//[!0-9]/}; ms=$(((t - t0) / 1000))
ok "a 1 s condition is seen by 1.125 s and a margin of 200 ms ($ms ms)" \
    test "$ms" -ge 1000 -a "$ms" -lt 1325
done_testing
