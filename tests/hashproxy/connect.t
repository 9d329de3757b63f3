#!/bin/bash
# SPDX-License-Identifier: ISC
# A server whose handshake is not over when connect() returns (another
# host, slow to answer): the client's request, read before the server is
# connected, is kept until the server answers and then reaches it whole,
# and kept across a timed-out attempt for the server a redispatch picks.
# The servers' host drops SYNs (nftables) to hold their handshake; the
# proxy is stopped while the client connects and sends, so that its
# request is waiting when the proxy accepts.  hashproxy and haproxy side
# by side, each in the same place of the same namespaces.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/netns.sh"

ns_switch sw
ns_host sw px 10.0.0.1/24
ns_host sw srv 10.0.0.2/24
ns_run srv ip addr add 10.0.0.3/24 dev eth0
# ports of our own namespaces: nobody else's
ns_run srv "$HP_BACKEND" far 10.0.0.2 5240 >/dev/null 2>&1 &
ns_run srv "$HP_BACKEND" hold 10.0.0.2 5241 >/dev/null 2>&1 &
ns_run srv "$HP_BACKEND" near 10.0.0.3 5240 >/dev/null 2>&1 &
for s in 10.0.0.2/5240 10.0.0.2/5241 10.0.0.3/5240; do
	wait_for 5 ns_run px bash -c "exec 3<>/dev/tcp/$s"
done

# hold ADDR PORT: the server's host drops every SYN to it (until unhold)
hold() {
	ns_run srv nft -f - <<EOF
table inet hold$2 {
	chain in {
		type filter hook input priority 0; policy accept;
		ip daddr $1 tcp dport $2 tcp flags & (syn | ack) == syn drop
	}
}
EOF
}
unhold() { ns_run srv nft delete table inet "hold$1"; }

# The first frontend's backend decides --lookup: "redis" goes first.
for f in hp ha; do
	o=0; [ $f = ha ] && o=100
	cat >"$T_TMP/$f.cfg" <<EOF
defaults
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend redis
    bind 127.0.0.1:$((8002 + o))
    default_backend gone
frontend late
    bind 127.0.0.1:$((8001 + o))
    default_backend late
backend gone
    timeout connect 500ms
    retries 1
    option redispatch 1
    balance source
    hash-type consistent
    server hold 10.0.0.2:5241
    server near 10.0.0.3:5240
backend late
    server far 10.0.0.2:5240
EOF
done
ns_run px "$HP_BIN" -f "$T_TMP/hp.cfg" >>"$T_TMP/hp.err" 2>&1 &
ns_run px haproxy -f "$T_TMP/ha.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
for p in 8001 8002 8101 8102; do
	wait_for 10 ns_run px bash -c "exec 3<>/dev/tcp/127.0.0.1/$p"
done
proxy_pid() { ns_run px ss -Htlnp "( sport = :$1 )" | grep -o "pid=[0-9]*" | head -n1 | cut -d= -f2; }

# a source address the "gone" backend sends to the server that never answers
src=
for i in $(seq 2 40); do
	[ "$("$HP_BIN" -f "$T_TMP/hp.cfg" --lookup "127.0.0.$i" 2>/dev/null)" = \
	    "127.0.0.$i hold" ] && { src=127.0.0.$i; break; }
done
ok "a client address that hashes to the silent server ($src)" test -n "$src"

unread() {	# PORT: a request waits in an accepted-or-not socket of PORT
	ns_run px ss -Htn "( sport = :$1 )" | awk '$2 > 0 { f = 1 } END { exit !f }'
}
all_read() { ! unread "$1"; }
connecting() { ns_run px ss -Htn state syn-sent "( dst $1 )" | grep -q .; }

# ask F PORT SRC SERVER: a request sent while the proxy is stopped; once the
# proxy connects to SERVER, is the request read?  Leaves the client running.
ask() {
	local pid; pid=$(proxy_pid "$2")
	echo "$3" >"$T_TMP/src.$1"
	kill -STOP "$pid"
	# the client notes when it is answered: the waits below take time
	ns_run px sh -c 'timeout 10 "$0" 127.0.0.1 "$1" "$2"; date +%s%N >"$3"' \
	    "$HP_CLIENT" "$2" "$T_TMP/src.$1" "$T_TMP/end.$1" >"$T_TMP/answer.$1" &
	CLIENT=$!
	wait_for 5 unread "$2"
	kill -CONT "$pid"
	T0=$(date +%s%N)
	wait_for 5 connecting "$4"
	ok "$1: the request was read while its server's handshake hangs" all_read "$2"
}
answered() {	# F NAME
	wait "$CLIENT"
	DT=$(( ($(cat "$T_TMP/end.$1") - T0) / 1000000 ))
	is "$(cat "$T_TMP/answer.$1")" "$SRC $2" "$1: the answer comes from $2"
}

hold 10.0.0.2 5240
hold 10.0.0.2 5241
for f in hp ha; do
	o=0; [ $f = ha ] && o=100
	SRC=127.0.0.1; ask $f $((8001 + o)) $SRC 10.0.0.2
	unhold 5240
	answered $f far
	ok "$f: after the server answered a retransmitted SYN (${DT}ms)" test "$DT" -ge 900
	hold 10.0.0.2 5240

	SRC=$src; ask $f $((8002 + o)) $SRC 10.0.0.2
	answered $f near
	ok "$f: after timeout connect 500ms (${DT}ms)" test "$DT" -ge 450 -a "$DT" -lt 3000
done
ok "hashproxy did not crash" test -n "$(proxy_pid 8001)"
done_testing
