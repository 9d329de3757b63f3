#!/bin/bash
# timeout client-fin / server-fin, beside a real haproxy 2.6: once a FIN
# was passed on to one side, that side has the half-closed timeout
# instead of "timeout client" / "timeout server".  A client that
# half-closes towards a server that never closes is gone after
# server-fin; a server that half-closes towards a client that never
# closes, after client-fin.  Measured: both proxies within the same
# bounds (the timer, 800ms early for coarse clocks, 2s late for a loaded
# machine).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

LB=$T_TOP/tests/hashproxy/lbclients.py
sp=$(free_port)
python3 "$LB" serve 127.0.0.21 "$sp" silent & cleanup_push "kill $!"
python3 "$LB" serve 127.0.0.22 "$sp" finfirst & cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.21 "$sp"
wait_for 10 _hp_port_open 127.0.0.22 "$sp"
declare -A P
for f in hp ha; do
	for x in sfin cfin cx; do P[$f.$x]=$(free_port); done
	cat >"$T_TMP/$f.cfg" <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 4s
    timeout server 4s

listen sfin
    bind 127.0.0.1:${P[$f.sfin]}
    timeout server-fin 1s
    server silent 127.0.0.21:$sp

listen cfin
    bind 127.0.0.1:${P[$f.cfin]}
    timeout client-fin 1s
    server finfirst 127.0.0.22:$sp

listen cx
    bind 127.0.0.1:${P[$f.cx]}
    timeout client-fin 1s
    server silent 127.0.0.21:$sp
EOC
done
ok "hashproxy accepts timeout client-fin and server-fin" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# within T: MS is T ms, 800ms early or 2s late at most
within() { [ -n "$1" ] && [ "$1" -ge $(($2 - 800)) ] && [ "$1" -le $(($2 + 2000)) ]; }
ms() { awk -v w="$2" '$2 == w || $1 == w { print $NF }' "$1"; }

for f in ha hp; do
	# the client half-closes, the server says nothing and keeps its side
	# (the FIN once the proxy has the server connection: haproxy may
	# drop a client that half-closes while it is still connecting)
	python3 "$LB" "${P[$f.sfin]}" raw:1 "busy:$T_TMP/$f.sock:sfin:silent:5" \
	    shut:1 gone:1:10 >"$T_TMP/$f.sfin"
	ok "$f: server-fin 1s: the connection is closed $(ms "$T_TMP/$f.sfin" gone) ms after the client's FIN" \
	    within "$(ms "$T_TMP/$f.sfin" gone)" 1000
	# the server says hi and half-closes, the client keeps its side
	python3 "$LB" "${P[$f.cfin]}" raw:1 line:1:5 "idle:$T_TMP/$f.sock:10" >"$T_TMP/$f.cfin"
	like "$(cat "$T_TMP/$f.cfin")" "1 line hi" "$f: the server's bytes and FIN reach the client"
	ok "$f: client-fin 1s: the connection is gone $(ms "$T_TMP/$f.cfin" idle) ms after the server's FIN" \
	    within "$(ms "$T_TMP/$f.cfin" idle)" 1000
	# client-fin is not the timeout after the client's own FIN
	python3 "$LB" "${P[$f.cx]}" raw:1 "busy:$T_TMP/$f.sock:cx:silent:5" \
	    shut:1 gone:1:10 >"$T_TMP/$f.cx"
	ok "$f: client-fin does not apply after the client's FIN: timeout server 4s does ($(ms "$T_TMP/$f.cx" gone) ms)" \
	    within "$(ms "$T_TMP/$f.cx" gone)" 4000
done
done_testing
