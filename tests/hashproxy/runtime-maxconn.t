#!/bin/bash
# SPDX-License-Identifier: ISC
# "set maxconn server" beside haproxy 2.6 on the same config: the same
# answers and errors (some without haproxy's newline), the same slim for
# each value (0 none, -1 and a number past an int as haproxy's int
# makes them), and the effect: at maxconn 1 a second client waits in the
# queue; raised to 2, it is served at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port)
hp_backend s1 127.0.0.41 "$sp" || bail "backend s1 did not start"
# cfg FILE FRONTPORT
cfg() {
	cat >"$1" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 30s
frontend web
    bind 127.0.0.1:$2
    default_backend app
backend app
    balance roundrobin
    server s1 127.0.0.41:$sp
    server s2 127.0.0.42:$sp disabled
EOC
}
hfp=$(free_port) afp=$(free_port)
cfg "$T_TMP/hp.cfg" "$hfp"
cfg "$T_TMP/ha.cfg" "$afp"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
# col SOCK SVNAME COLUMN: a column of app's row SVNAME
col() {
	ctl "$1" "show stat" | awk -F, -v s="$2" -v k="$3" '
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $1 == "app" && $2 == s { print $(c[k]) }'
}

errs=("set maxconn server app/nope 5" "set maxconn server nope/s1 5"
    "set maxconn server app 5" "set maxconn server" "set maxconn server app/s1"
    "set maxconn server app/s1 x" "set maxconn server app/s1 5x"
    "set maxconn server app/s1 -x" "operator; set maxconn server app/s1 1"
    "user; set maxconn server app/s1 1")
for c in "${errs[@]}"; do
	both "$c"
	is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "$c: byte for byte as haproxy ($(grep . "$T_TMP/theirs" | head -1))"
done
is "$(col "$H" s1 slim)" "" "no maxconn set by those"
for v in 7 0 -1 99999999999 +3; do
	both "set maxconn server app/s1 $v"
	is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "set maxconn server app/s1 $v: the same (empty) answer"
	is "$(col "$H" s1 slim)" "$(col "$A" s1 slim)" "and slim as haproxy's ($(col "$A" s1 slim))"
done

# --- the effect: a second client queues at maxconn 1, goes on at 2
ctl "$H" "set maxconn server app/s1 1" >/dev/null
ctl "$A" "set maxconn server app/s1 1" >/dev/null
get_send() { printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >&"$1"; }
get_read() {
	local line i
	for i in 1 2 3 4 5; do IFS= read -r -t 10 -u "$1" line || return 1; done
	echo "$line"
}
queued() { [ "$(col "$1" BACKEND qcur)" = 1 ]; }
exec 3<>"/dev/tcp/127.0.0.1/$hfp" 4<>"/dev/tcp/127.0.0.1/$afp"
is "$(get_send 3; get_read 3)" s1 "the first client is served (hashproxy)"
is "$(get_send 4; get_read 4)" s1 "(haproxy)"
exec 5<>"/dev/tcp/127.0.0.1/$hfp" 6<>"/dev/tcp/127.0.0.1/$afp"
get_send 5; get_send 6
ok "at maxconn 1 the second waits in the queue (hashproxy)" wait_for 10 queued "$H"
ok "(haproxy)" wait_for 10 queued "$A"
both "set maxconn server app/s1 2"
is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "raised to 2: the same answer"
is "$(get_read 5)" s1 "the queued client is served at once (hashproxy)"
is "$(get_read 6)" s1 "(haproxy)"
is "$(col "$H" BACKEND qcur)" 0 "nothing waits any more"
is "$(col "$H" s1 scur)" "$(col "$A" s1 scur)" "both servers hold the two clients ($(col "$A" s1 scur))"
exec 3<&- 4<&- 5<&- 6<&-
like "$(ctl "$H" help)" "set maxconn server <bk>/<srv> <n> +: " "help lists it"
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
