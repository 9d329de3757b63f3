#!/bin/bash
# SPDX-License-Identifier: ISC
# timeout client-fin / server-fin, beside a real haproxy 2.6: once a FIN
# was passed on to one side, that side has the half-closed timeout
# instead of "timeout client" / "timeout server".  A client that
# half-closes towards a server that never closes is gone after
# server-fin; a server that half-closes towards a client that never
# closes, after client-fin.  Measured: both proxies close after the
# 1s half-closed timeout, well before the 8s timeout client/server
# (200ms to 5s: a loaded machine delays the proxy and the measuring
# client alike), and after the client's own FIN the 8s timeout server
# still applies, not client-fin.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

LB=$T_TOP/tests/hashproxy/lbclients.py
sp=$(free_port)
python3 "$LB" serve 127.0.0.21 "$sp" hello & cleanup_push "kill $!"
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
    timeout client 8s
    timeout server 8s

listen sfin
    bind 127.0.0.1:${P[$f.sfin]}
    timeout server-fin 1s
    server hello 127.0.0.21:$sp

listen cfin
    bind 127.0.0.1:${P[$f.cfin]}
    timeout client-fin 1s
    server finfirst 127.0.0.22:$sp

listen cx
    bind 127.0.0.1:${P[$f.cx]}
    timeout client-fin 1s
    server hello 127.0.0.21:$sp
EOC
done
ok "hashproxy accepts timeout client-fin and server-fin" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# between MS LO HI
between() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ] ||
	{ diag "got '$1', want $2 to $3 ms"; return 1; }; }
ms() { awk -v w="$2" '$2 == w || $1 == w { print $NF }' "$1"; }

for f in ha hp; do
	# the client half-closes, the server says hi, then nothing, and
	# keeps its side.  The FIN once the server's hi came through: the
	# proxy has the server connection then (haproxy drops a client that
	# half-closes while it is still connecting, and a session counted on
	# the server in show stat may still be connecting on a loaded host)
	python3 "$LB" "${P[$f.sfin]}" raw:1 line:1:5 shut:1 gone:1:15 >"$T_TMP/$f.sfin"
	ok "$f: server-fin 1s: the connection is closed $(ms "$T_TMP/$f.sfin" gone) ms after the client's FIN" \
	    between "$(ms "$T_TMP/$f.sfin" gone)" 200 5000 || diag "$(cat "$T_TMP/$f.sfin")"
	# the server says hi and half-closes, the client keeps its side
	python3 "$LB" "${P[$f.cfin]}" raw:1 line:1:5 "idle:$T_TMP/$f.sock:15" >"$T_TMP/$f.cfin"
	like "$(cat "$T_TMP/$f.cfin")" "1 line hi" "$f: the server's bytes and FIN reach the client"
	ok "$f: client-fin 1s: the connection is gone $(ms "$T_TMP/$f.cfin" idle) ms after the server's FIN" \
	    between "$(ms "$T_TMP/$f.cfin" idle)" 200 5000 || diag "$(cat "$T_TMP/$f.cfin")"
	# client-fin is not the timeout after the client's own FIN
	python3 "$LB" "${P[$f.cx]}" raw:1 line:1:5 shut:1 gone:1:20 >"$T_TMP/$f.cx"
	ok "$f: client-fin does not apply after the client's FIN: timeout server 8s does ($(ms "$T_TMP/$f.cx" gone) ms)" \
	    between "$(ms "$T_TMP/$f.cx" gone)" 6000 15000 || diag "$(cat "$T_TMP/$f.cx")"
done
done_testing
