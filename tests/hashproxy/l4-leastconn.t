#!/bin/bash
# SPDX-License-Identifier: ISC
# Two behaviours hashproxy(8) names that no other test runs, each beside
# haproxy 2.6 on the same config: a check whose connect gets no answer is
# L4TOUT (a listener whose accept queue is full drops the SYN), one
# refused is L4CON; and "balance leastconn" gives a new connection to the
# server with the fewest, where "balance source" would keep one client on
# one server.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); tp=$(free_port); hfp=$(free_port); afp=$(free_port)
dead=$(free_port)
hp_backend s1 127.0.0.31 "$sp"
hp_backend s2 127.0.0.32 "$sp"
# a listener that never accepts, its queue of one filled: SYNs are dropped
python3 - "$tp" > "$T_TMP/full.out" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
l = socket.socket(); l.bind(("127.0.0.33", port)); l.listen(0)
held = []
for i in range(8):
    c = socket.socket(); c.setblocking(False)
    try:
        c.connect(("127.0.0.33", port))
    except BlockingIOError:
        pass
    held.append(c)
print("full", flush=True)
time.sleep(3600)
PY
FULL=$!
cleanup_push "kill $FULL"
wait_file_line 10 "$T_TMP/full.out" '^full' || bail "the full listener did not start"

conf() {	# frontend port
	cat <<C
defaults
    mode tcp
    timeout connect 300ms
    timeout check 300ms
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:$1
    default_backend lc
backend lc
    balance leastconn
    server s1 127.0.0.31:$sp check inter 200ms
    server s2 127.0.0.32:$sp check inter 200ms
backend probes
    server silent 127.0.0.33:$tp check inter 200ms
    server refused 127.0.0.34:$dead check inter 200ms
C
}
conf "$hfp" > "$T_TMP/hp.cfg"
conf "$afp" > "$T_TMP/ha.cfg"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"

col() {	# CSV COLUMN PX,SV
	awk -F, -v c="$2" -v r="$3" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
	    $1 "," $2 == r { print $n }' <<<"$1"
}
status_is() {	# SOCK SERVER STATUS
	[ "$(col "$(ctl "$1" "show stat")" check_status "probes,$2")" = "$3" ]
}
for who in hp ha; do
	ok "$who: a connect with no answer is L4TOUT" \
	    wait_for 10 status_is "$T_TMP/$who.sock" silent L4TOUT
	ok "$who: a refused connect is L4CON" \
	    wait_for 10 status_is "$T_TMP/$who.sock" refused L4CON
done

# leastconn: connections held open one after the other from one source
# alternate between the servers; when s1's are closed, the next ones go to
# s1 until it has as many as s2.
declare -A fds
spread() {	# PORT PREFIX N: opens N connections (in this shell, not a
		# subshell that would close them), the servers in GOT
	local i fd
	GOT=
	for ((i = 0; i < $3; i++)); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$1"
		fds[$2$i]=$fd
		GOT+="$(keepalive_get "$fd") "
	done
}
counts() { tr ' ' '\n' | grep -v '^$' | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'; }
for who in hp ha; do
	port=$hfp; [ "$who" = ha ] && port=$afp
	spread "$port" "$who" 6; got=$GOT
	is "$(counts <<<"$got")" "s1=3 s2=3 " "$who: 6 connections from one source: 3 and 3 ($got)"
	# close the ones s1 holds
	i=0
	for s in $got; do
		[ "$s" = s1 ] && exec {fds[$who$i]}>&-
		i=$((i + 1))
	done
	conns_zero() { [ "$(col "$(ctl "$T_TMP/$who.sock" "show stat")" scur "lc,s1")" = 0 ]; }
	is "$(col "$(ctl "$T_TMP/$who.sock" "show stat")" scur "lc,s2")" 3 \
	    "$who: s2 holds its three"
	ok "$who: s1 has no connection left" wait_for 10 conns_zero
	spread "$port" "${who}m" 3
	is "$GOT" "s1 s1 s1 " "$who: the next three go to s1, which has the fewest"
done
done_testing
