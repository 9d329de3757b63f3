#!/bin/bash
# SPDX-License-Identifier: ISC
# Options of hashproxy(8) no other test runs: --pidfile, --syslog, -v (and
# -vv), --drain-timeout, and exit 1 when a frontend cannot be bound.  All
# on 127.0.0.1: an echo backend (socat), clients from bash's /dev/tcp.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/syslog.sh"
needs_root

port() { free_port; }
FP=$(port) BP=$(port)
while [ "$BP" = "$FP" ]; do BP=$(port); done
cfg() {	# cfg FILE FRONTPORT
	cat > "$1" <<C
frontend fe
    bind 127.0.0.1:$2
    default_backend be
backend be
    balance source
    server s1 127.0.0.1:$BP check inter 200ms
C
}
cfg "$T_TMP/hp.cfg" "$FP"
socat TCP-LISTEN:$BP,bind=127.0.0.1,reuseaddr,fork EXEC:cat &
cleanup_push "kill $! 2>/dev/null"
wait_for 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$BP" 2>/dev/null

# --pidfile, --drain-timeout: one connection held open over SIGTERM
hashproxy -f "$T_TMP/hp.cfg" --pidfile "$T_TMP/hp.pid" --drain-timeout 1s \
    > "$T_TMP/hp.out" 2> "$T_TMP/hp.err" &
HP=$!
cleanup_push "kill $HP 2>/dev/null"
ok "--pidfile holds hashproxy's pid" wait_for 10 grep -qx "$HP" "$T_TMP/hp.pid"
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$FP" 2>/dev/null
exec 5<>"/dev/tcp/127.0.0.1/$FP"
echo ping >&5
read -r -t 5 reply <&5
is "$reply" ping "a client's connection goes through (echo backend)"
t0=$(date +%s%N)
kill -TERM "$HP"
rc=0; wait "$HP" || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
exec 5>&-
is "$rc" 0 "SIGTERM with a connection open: clean stop (exit 0)"
ok "--drain-timeout 1s: it waited for the connection about 1s (${ms}ms)" \
    test "$ms" -ge 900 -a "$ms" -lt 4000
like "$(cat "$T_TMP/hp.err")" 'drain timeout: closing 1 connection' \
    "and says it closed the one connection"

# exit 1 when the frontend's address is taken
socat TCP-LISTEN:$FP,bind=127.0.0.1,reuseaddr,fork /dev/null &
SO=$!
cleanup_push "kill $SO 2>/dev/null"
wait_for 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$FP" 2>/dev/null
rc=0; timeout 10 hashproxy -f "$T_TMP/hp.cfg" > /dev/null 2> "$T_TMP/bind.err" || rc=$?
is "$rc" 1 "the frontend's port is taken: exit 1 (runtime failure)"
like "$(cat "$T_TMP/bind.err")" "127.0.0.1:$FP" "the error names the address"
kill "$SO" 2>/dev/null

# --syslog and -v / -vv: the log goes to /dev/log, not stderr; -vv adds
# the debug line for a client no server can take
FP2=$(port)
cfg "$T_TMP/hp2.cfg" "$FP2"
sed -i "s/127.0.0.1:$BP check/127.0.0.1:1 check/" "$T_TMP/hp2.cfg"
with_syslog "$T_TMP/syslog" hashproxy -f "$T_TMP/hp2.cfg" --syslog -vv \
    --pidfile "$T_TMP/hp2.pid" > /dev/null 2> "$T_TMP/hp2.err" &
W=$!
cleanup_push "kill $W 2>/dev/null"
ok "hashproxy --syslog starts" wait_for 30 test -s "$T_TMP/hp2.pid" ||
    bail "hashproxy --syslog did not start: $(tail -2 "$T_TMP/hp2.err")"
H2=$(cat "$T_TMP/hp2.pid")
ok "--syslog: its ready line reached /dev/log as hashproxy[$H2]" \
    wait_file_line 10 "$T_TMP/syslog" "hashproxy\[$H2\]: ready: 1 frontend"
ok "the dead server's check is logged" \
    wait_file_line 10 "$T_TMP/syslog" "hashproxy\[$H2\]: server be/s1 is DOWN"
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$FP2" 2>/dev/null
ok "-vv: a client with no server to take it is a debug line" \
    wait_file_line 10 "$T_TMP/syslog" "<31>.*hashproxy\[$H2\]: frontend fe: no server available"
kill "$H2"
rc=0; wait "$W" || rc=$?
is "$rc" 0 "stops on SIGTERM"
is "$(cat "$T_TMP/hp2.err")" "" "nothing went to stderr"
done_testing
