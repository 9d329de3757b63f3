#!/bin/bash
# SPDX-License-Identifier: ISC
# Queues, beside a real haproxy 2.6 with the same config: a client that
# finds every server at its maxconn waits, without a byte, in the
# backend's queue (roundrobin) or its server's (a hashed pick), and is
# served when a slot frees; a full server queue (maxqueue) or "timeout
# queue" closes it; minconn/fullconn lower maxconn while the backend is
# quiet.  Both proxies must give every client the same outcome.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

LB=$T_TOP/tests/hashproxy/lbclients.py
sp=$(free_port)
for n in 1 2; do hp_backend s$n 127.0.0.1$n "$sp"; done
declare -A P
for f in hp ha; do
	for x in rr src dyn fixed tq; do P[$f.$x]=$(free_port); done
	cat >"$T_TMP/$f.cfg" <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 1m
    timeout server 1m
    timeout queue 5s

listen rr
    bind 127.0.0.1:${P[$f.rr]}
    balance roundrobin
    server s1 127.0.0.11:$sp maxconn 1
    server s2 127.0.0.12:$sp maxconn 1

listen src
    bind 127.0.0.1:${P[$f.src]}
    balance source
    server s1 127.0.0.11:$sp maxconn 1 maxqueue 1
    server s2 127.0.0.12:$sp maxconn 1 maxqueue 1

listen dyn
    bind 127.0.0.1:${P[$f.dyn]}
    balance roundrobin
    fullconn 8
    server s1 127.0.0.11:$sp minconn 1 maxconn 4
    server s2 127.0.0.12:$sp minconn 1 maxconn 4

listen fixed
    bind 127.0.0.1:${P[$f.fixed]}
    balance roundrobin
    server s1 127.0.0.11:$sp maxconn 4
    server s2 127.0.0.12:$sp maxconn 4

listen tq
    bind 127.0.0.1:${P[$f.tq]}
    timeout queue 1s
    server s1 127.0.0.11:$sp maxconn 1
EOC
done
ok "hashproxy accepts maxqueue, minconn, fullconn" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# both NAME STEPS...: the same steps through both proxies' listener NAME
both() {
	local name=$1 f; shift
	for f in hp ha; do
		python3 "$LB" "${P[$f.$name]}" "${@//SOCK/$T_TMP/$f.sock}" >"$T_TMP/$f.$name"
	done
	diag "$name: $(tr '\n' ' ' <"$T_TMP/ha.$name")"
}

# every server full (roundrobin): the third waits in the backend's queue
both rr open:3 stat:SOCK:rr:BACKEND stat:SOCK:rr:s1 close:1 wait:3:5
# (a backend's scur counts its waiting clients too, as haproxy's beconn)
want=$'1 s1\n2 s2\n3 wait\nstat rr BACKEND 1 1 3\nstat rr s1 0 0 1\n3 s1'
is "$(cat "$T_TMP/ha.rr")" "$want" "haproxy: the 3rd client waits in the backend queue, then takes the freed slot"
is "$(cat "$T_TMP/hp.rr")" "$want" "hashproxy: the same, show stat's qcur/qmax included"

# a hashed pick waits for its own server; maxqueue 1 full: closed at once
# (the row read once it counts the two clients left: haproxy's stats
# thread may see the closed 3rd a moment after the client does)
both src open:3 stat:SOCK:src:BACKEND:2 close:1 wait:2:5
srv=$(awk 'NR == 1 { print $2 }' "$T_TMP/ha.src")
is "$(cat "$T_TMP/ha.src")" "1 $srv"$'\n2 wait\n3 closed\nstat src BACKEND 0 0 2\n'"2 $srv" \
    "haproxy: the 2nd waits for the same server ($srv), the 3rd finds its queue full and is closed"
is "$(cat "$T_TMP/hp.src")" "$(cat "$T_TMP/ha.src")" "hashproxy: the same outcome, on the same server"
both src open:2 "stat:SOCK:src:$srv"
is "$(sed -n 3p "$T_TMP/hp.src")" "stat src $srv 1 1 1" "hashproxy: show stat counts it in its server's qcur/qmax"
is "$(cat "$T_TMP/hp.src")" "$(cat "$T_TMP/ha.src")" "haproxy's show stat says the same"

# minconn 1, maxconn 4, fullconn 8: with 3 clients in the backend each
# server's limit is max(1, 4 x 3 / 8) = 1, so the 3rd waits; without
# minconn it is served at once
both dyn open:3 close:2 wait:3:5
want=$'1 s1\n2 s2\n3 wait\n3 s2'
is "$(cat "$T_TMP/ha.dyn")" "$want" "haproxy: minconn/fullconn: the 3rd client waits for a slot under maxconn 4"
is "$(cat "$T_TMP/hp.dyn")" "$want" "hashproxy: the same"
both fixed open:3
want=$'1 s1\n2 s2\n3 s1'
is "$(cat "$T_TMP/hp.fixed") / $(cat "$T_TMP/ha.fixed")" "$want / $want" "both: without minconn the 3rd is served at once"

# timeout queue 1s: the waiting client is closed after it, by both
both tq open:1 raw:2 gone:2:5
for f in ha hp; do
	ms=$(awk '$2 == "gone" { print $3 }' "$T_TMP/$f.tq")
	ok "$f: timeout queue 1s closes the waiting client (after ${ms:-never} ms)" \
	    test "${ms:-0}" -ge 900 -a "${ms:-0}" -lt 3000
done
done_testing
