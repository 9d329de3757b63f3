#!/bin/bash
# SPDX-License-Identifier: ISC
# "disable|enable|shutdown frontend", "set maxconn frontend|global" beside
# haproxy 2.6 on the same config: the same answers and errors, show stat's
# status and slim and show info's Maxconn as haproxy's, and the effect: a
# disabled frontend refuses new connections (those established go on)
# and takes them again once enabled; a shut down one refuses them for
# good; a frontend at its maxconn leaves the next client waiting, served
# once the limit is raised.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port)
hp_backend s1 127.0.0.71 "$sp" || bail "backend s1 did not start"
# cfg FILE WEBPORT WEBPORT2 OFFPORT LISTENPORT
cfg() {
	cat >"$1" <<EOC
global
    maxconn 500
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:$2
    bind 127.0.0.1:$3
    default_backend app
frontend off
    disabled
    bind 127.0.0.1:$4
    default_backend app
listen both
    bind 127.0.0.1:$5
    server a 127.0.0.71:$sp
backend app
    server s1 127.0.0.71:$sp
EOC
}
declare -A P
for f in hp ha; do
	for x in web web2 off both; do P[$f.$x]=$(free_port); done
	cfg "$T_TMP/$f.cfg" "${P[$f.web]}" "${P[$f.web2]}" "${P[$f.off]}" "${P[$f.both]}"
done
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
same() {
	both "$1"
	is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "$1: as haproxy ($(grep . "$T_TMP/theirs" | head -1))"
}
# fe SOCK PROXY: its FRONTEND row's slim and status
fe() { ctl "$1" "show stat" | awk -F, -v p="$2" '$1 == p && $2 == "FRONTEND" { print $7, $18 }'; }
samefe() { is "$(fe "$H" "$1")" "$(fe "$A" "$1")" "$2: $1's slim and status as haproxy's ($(fe "$A" "$1"))"; }
info() { ctl "$1" "show info" | grep -E '^(Hard_)?[Mm]axconn:' | tr '\n' ' '; }
refused() { ! _hp_port_open 127.0.0.1 "$1"; }
get_send() { printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >&"$1"; }
get_read() {
	local line i
	for i in 1 2 3 4 5; do IFS= read -r -t 10 -u "$1" line || return 1; done
	echo "$line"
}

samefe web "at start"
is "$(info "$H")" "$(info "$A")" "show info: $(info "$A")"

# --- errors and levels
for c in "disable frontend" "disable frontend nope" "disable frontend app" \
    "enable frontend off" "disable frontend off" "shutdown frontend off" \
    "shutdown frontend" "shutdown frontend nope" "enable frontend web" \
    "set maxconn frontend" "set maxconn frontend web" "set maxconn frontend nope 5" \
    "set maxconn frontend web -1" "set maxconn global" "set maxconn global 5000" \
    "operator; disable frontend web" "operator; set maxconn frontend web 5" \
    "operator; set maxconn global 100"; do
	same "$c"
done
samefe web "nothing changed"

# --- disable / enable frontend
exec 3<>"/dev/tcp/127.0.0.1/${P[hp.web]}" 4<>"/dev/tcp/127.0.0.1/${P[ha.web]}"
is "$(get_send 3; get_read 3)" s1 "a client on web (hashproxy)"
is "$(get_send 4; get_read 4)" s1 "(haproxy)"
same "disable frontend web"
samefe web "disabled"
for f in hp ha; do
	ok "$f: web's first port refuses new connections" refused "${P[$f.web]}"
	ok "$f: and its second" refused "${P[$f.web2]}"
	ok "$f: another frontend still takes them" _hp_port_open 127.0.0.1 "${P[$f.both]}"
done
is "$(get_send 3; get_read 3)" s1 "the established client goes on (hashproxy)"
is "$(get_send 4; get_read 4)" s1 "(haproxy)"
same "disable frontend web"
same "enable frontend web"
samefe web "enabled again"
is "$(req 127.0.0.1 "${P[hp.web]}")" s1 "web takes connections again (hashproxy)"
is "$(req 127.0.0.1 "${P[ha.web]}")" s1 "(haproxy)"
is "$(req 127.0.0.1 "${P[hp.web2]}")" s1 "on both its ports"
same "enable frontend web"
same "disable frontend both"
samefe both "a listen section's frontend"
ok "a listen section's frontend refuses too" refused "${P[hp.both]}"
same "enable frontend both"

# --- set maxconn frontend.  haproxy 2.6.12 aborts (its watchdog, in
# resume_listener from dequeue_proxy_listeners) when the limit of a full
# frontend is raised: its client is closed first, hashproxy's kept.
exec 4<&-
ok "haproxy's client is gone" wait_for 10 eval '[ "$(fe "$A" web)" != "" ] && ctl "$A" "show stat" | grep -q "^web,FRONTEND,,,0,"'
for v in 7 0 x 1; do
	same "set maxconn frontend web $v"
	samefe web "set maxconn frontend web $v"
done
exec 5<>"/dev/tcp/127.0.0.1/${P[hp.web]}"
get_send 5
same "set maxconn frontend web 2"
is "$(get_read 5)" s1 "the client left waiting at maxconn 1 is served once raised"
exec 3<&- 5<&-

# --- set maxconn global
for v in 100 0 -4 500 40; do
	same "set maxconn global $v"
	is "$(info "$H")" "$(info "$A")" "set maxconn global $v: $(info "$A")"
	samefe web "set maxconn global $v"
done

# --- shutdown frontend
same "shutdown frontend web"
samefe web "shut down"
ok "hashproxy: web refuses new connections" refused "${P[hp.web]}"
ok "haproxy: likewise" refused "${P[ha.web]}"
for c in "shutdown frontend web" "enable frontend web" "disable frontend web"; do
	same "$c"
done
ok "still refused" refused "${P[hp.web]}"

h=$(ctl "$H" help)
for c in "disable frontend <frontend>" "enable frontend <frontend>" \
    "shutdown frontend <frontend>" "set maxconn frontend <frontend> <value>" \
    "set maxconn global <value>"; do
	like "$h" "$c +: " "help lists $c"
done
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
