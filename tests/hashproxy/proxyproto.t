#!/bin/bash
# SPDX-License-Identifier: ISC
# The PROXY protocol, hashproxy beside a real haproxy 2.6 on one config:
# send-proxy and send-proxy-v2 (on a server line, from default-server,
# undone by no-send-proxy) put the same header before the client's bytes
# as haproxy does, IPv4 and IPv6.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

PPS=$T_TOP/tests/hashproxy/ppserver.py
sp=$(free_port) cport=$(free_port)
python3 "$PPS" serve 127.0.0.21 "$sp" "$T_TMP/seen" & cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.21 "$sp"
# cfg V1 V2 V2SIX V1SIX NONE: a frontend port each
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

listen v1
    bind 127.0.0.1:$1
    server s 127.0.0.21:$sp send-proxy

listen v2
    bind 127.0.0.1:$2
    server s 127.0.0.21:$sp send-proxy-v2

listen v2six
    bind [::1]:$3
    default-server send-proxy-v2
    server s 127.0.0.21:$sp

listen v1six
    bind [::1]:$4
    server s 127.0.0.21:$sp send-proxy

listen none
    bind 127.0.0.1:$5
    default-server send-proxy
    server s 127.0.0.21:$sp no-send-proxy
EOC
}
hp_cfgs 5
hp_both_start

hex() { xxd -p -c 4096 | tr -d "\n"; }
HELLO=$(printf hello | hex)
# seen FRONTPORT: the bytes the server got last, in hex, the port the
# client reached (each proxy's own: it ends the header, just before
# "hello") written FRONT
seen() {
	local h
	h=$(tail -n 1 "$T_TMP/seen")
	h=${h//$(printf ' %s\r\n' "$1" | hex)$HELLO/[ FRONT CRLF]hello}
	h=${h//$(printf '%04x' "$1")$HELLO/[FRONT]hello}
	echo "$h"
}
# through PROXY SRC HEX: what the server got for HEX sent from SRC
# through the frontend of that index (hashproxy's, then haproxy's)
through() {
	local i=$1 src=$2 hex=$3 who port addr=127.0.0.1 out=
	[[ $src == *::* ]] && addr=::1
	for who in HP HA; do
		eval "port=\${${who}_PORTS[$i]}"
		python3 "$PPS" send "$addr" "$port" "$src" "$hex" >/dev/null
		out+="$who: $(seen "$port") "
	done
	echo "$out"
}
# same "HP: X HA: Y": X = Y, and not empty
same() {
	local hp=${1#HP: } ha=${1#* HA: }
	hp=${hp%% HA: *}
	[ -n "$hp" ] && [ "$hp" = "${ha% }" ] ||
	    { diag "hashproxy: $hp"; diag "haproxy:   $ha"; return 1; }
}

r=$(through 0 "127.0.0.5:$cport" "$HELLO")
ok "send-proxy: the v1 line before the client's bytes, as haproxy's" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 127.0.0.5 127.0.0.1 %d' "$cport" | hex)" \
    "  it names the client's address and port"
r=$(through 1 "127.0.0.5:$cport" "$HELLO")
ok "send-proxy-v2: the binary header, as haproxy's" same "$r"
like "$r" "^HP: 0d0a0d0a000d0a515549540a2111000c7f0000057f000001$(printf %04x "$cport")" \
    "  PROXY command, TCP over IPv4, the client's address and port"
r=$(through 2 "[::1]:$cport" "$HELLO")
ok "send-proxy-v2 from default-server, a client on ::1: as haproxy's" same "$r"
like "$r" "^HP: 0d0a0d0a000d0a515549540a21210024" "  TCP over IPv6"
r=$(through 3 "[::1]:$cport" "$HELLO")
ok "send-proxy, a client on ::1: as haproxy's" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP6 ::1 ::1 %d' "$cport" | hex)" "  TCP6"
r=$(through 4 "127.0.0.5:$cport" "$HELLO")
ok "no-send-proxy after default-server send-proxy: no header" same "$r"
is "${r%% HA*}" "HP: $HELLO" "  only the client's bytes"

done_testing
